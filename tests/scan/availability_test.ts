// checkSourceRoot(): every way a source folder can be offline, with an injected file system.
import { assertEquals } from "../_helpers/assert.ts";
import { checkSourceRoot, type RootFs } from "../../src/scan/availability.ts";

/** A file system of folders (path → dev, entries) where some paths throw. */
function fakeFs(
  folders: Record<string, { dev: number; entries: string[] }>,
  files: string[] = [],
  errors: Record<string, Error> = {},
): RootFs {
  return {
    stat(path) {
      if (errors[path]) throw errors[path];
      if (folders[path]) return { isDirectory: true, dev: folders[path].dev };
      if (files.includes(path)) return { isDirectory: false, dev: 1 };
      throw new Deno.errors.NotFound(path);
    },
    isEmpty(path) {
      if (errors[`ls ${path}`]) throw errors[`ls ${path}`];
      return (folders[path]?.entries.length ?? 0) === 0;
    },
  };
}

const src = { path: "/mnt/walls", root_dev: 7, markers: ["beach", "city.jpg"] };
const never = () => {
  throw new Error("not asked");
};

Deno.test("checkSourceRoot() names why a root cannot be read", () => {
  const reason = (e: Error) => {
    const r = checkSourceRoot(src, never, fakeFs({}, [], { "/mnt/walls": e }));
    return r.online ? "online" : r.reason;
  };
  assertEquals(
    reason(new Deno.errors.NotFound("x")),
    "folder not found: unplugged, not mounted or moved (moved: 'varietal sources move OLD NEW' keeps its images' history)",
  );
  assertEquals(
    reason(new Deno.errors.PermissionDenied("x")),
    "permission denied reading the folder",
  );
  assertEquals(
    reason(new Deno.errors.NotADirectory("x")),
    "a parent of the folder is not a folder",
  );
  assertEquals(
    reason(new Error("Input/output error")),
    "cannot read the folder: Input/output error",
  );
});

Deno.test("checkSourceRoot() refuses a root that is a file now", () => {
  assertEquals(checkSourceRoot(src, never, fakeFs({}, ["/mnt/walls"])), {
    online: false,
    reason: "not a folder any more",
  });
});

Deno.test("checkSourceRoot() is online when one recorded entry is there", () => {
  const fs = fakeFs({ "/mnt/walls": { dev: 7, entries: ["city.jpg"] } }, ["/mnt/walls/city.jpg"]);
  assertEquals(checkSourceRoot(src, never, fs), { online: true });
});

Deno.test("checkSourceRoot() reports an entry it may not look at", () => {
  const fs = fakeFs({ "/mnt/walls": { dev: 7, entries: ["beach"] } }, [], {
    "/mnt/walls/beach": new Deno.errors.PermissionDenied("x"),
  });
  assertEquals(checkSourceRoot(src, never, fs), {
    online: false,
    reason: "permission denied reading the folder",
  });
});

Deno.test("checkSourceRoot() on another device: an empty mount point or something else mounted", () => {
  const empty = fakeFs({ "/mnt/walls": { dev: 9, entries: [] } });
  assertEquals(checkSourceRoot(src, never, empty), {
    online: false,
    reason: "the folder is empty and on another device than at the last scan (drive not mounted?)",
  });
  const other = fakeFs({ "/mnt/walls": { dev: 9, entries: ["lost+found"] } });
  assertEquals(checkSourceRoot(src, never, other), {
    online: false,
    reason:
      "another device is mounted there: none of the folders or files seen at the last scan are there",
  });
});

Deno.test("checkSourceRoot() on the same device: reorganised is online, empty with images is not", () => {
  const reorganised = fakeFs({ "/mnt/walls": { dev: 7, entries: ["new"] } });
  assertEquals(checkSourceRoot(src, never, reorganised), { online: true });
  const empty = fakeFs({ "/mnt/walls": { dev: 7, entries: [] } });
  const r = checkSourceRoot(src, () => true, empty);
  assertEquals(r.online, false);
  assertEquals(checkSourceRoot(src, () => false, empty), { online: true }); // emptied, nothing indexed
});

Deno.test("checkSourceRoot() reports a root it cannot list", () => {
  const fs = fakeFs({ "/mnt/walls": { dev: 7, entries: [] } }, [], {
    "ls /mnt/walls": new Deno.errors.PermissionDenied("x"),
  });
  assertEquals(checkSourceRoot({ ...src, markers: [] }, never, fs), {
    online: false,
    reason: "permission denied reading the folder",
  });
});

Deno.test("sourceAvailability() says a remote's missing downloads folder is gone, not unplugged", async () => {
  const { sourceAvailability } = await import("../../src/scan/availability.ts");
  const { Database } = await import("../../src/db/database.ts");
  const dir = await Deno.makeTempDir();
  try {
    using db = await Database.open(`${dir}/v.db`);
    const row = { id: 1, path: "/gone/downloads/w", root_dev: null, markers: [] };
    const remote = sourceAvailability(db, { ...row, kind: "remote" }, fakeFs({}));
    assertEquals(remote.online, false);
    assertEquals(
      remote.online ? "" : remote.reason,
      "its downloads folder is gone (deleted?); the next 'varietal fetch' makes it again, and " +
        "its files count no more against the quota",
    );
    const folder = sourceAvailability(db, { ...row, kind: "folder" }, fakeFs({}));
    assertEquals(
      folder.online ? "" : folder.reason.startsWith("folder not found: unplugged"),
      true,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
