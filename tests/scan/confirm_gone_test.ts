import { assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { runCli, tempHome } from "../_helpers/env.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";
import { Database } from "../../src/db/database.ts";
import { addSource } from "../../src/db/sources.ts";
import { insertImage, markMissing } from "../../src/db/images.ts";
import { confirmGone, fileVerdict } from "../../src/scan/confirm_gone.ts";
import type { SourceCheck } from "../../src/scan/availability.ts";

/** A fake file system: the folders and files that exist; paths under `locked` are unreadable. */
function fakeStat(dirs: string[], files: string[], locked: string[] = []) {
  return (p: string) => {
    if (locked.some((l) => p.startsWith(`${l}/`))) {
      throw new Deno.errors.PermissionDenied(`Permission denied: ${p}`);
    }
    if (dirs.includes(p)) return { isDirectory: true };
    if (files.includes(p)) return { isDirectory: false };
    throw new Deno.errors.NotFound(`No such file: ${p}`);
  };
}

Deno.test("fileVerdict() calls a file gone only when the folder that held it is there, not empty", () => {
  const stat = fakeStat(["/w", "/w/a", "/other", "/w/usb"], ["/w/a/x.jpg"], ["/w/locked"]);
  const isEmpty = (d: string) => d === "/w/usb";
  const verdict = (p: string) => fileVerdict(p, "/w", stat, isEmpty);
  assertEquals(verdict("/w/a/x.jpg"), "present");
  assertEquals(verdict("/w/a/gone.jpg"), "gone");
  assertEquals(verdict("/w/locked/z.jpg"), "unconfirmed");
  assertEquals(verdict("/other/q.jpg"), "gone", "out of tree, folder there");
  assertEquals(verdict("/mnt/usb/q.jpg"), "unconfirmed", "out of tree, no folder");
  // A drive mounted inside the source, unplugged: its mount point gone (udisks removes it) or
  // left empty. No proof the pictures are gone: kept.
  assertEquals(verdict("/w/stick/Wallpapers/y.jpg"), "unconfirmed", "folder gone");
  assertEquals(verdict("/w/usb/y.jpg"), "unconfirmed", "folder empty");
  // Something that no scan would bring back as this picture: gone, not "back".
  const odd = (p: string) =>
    p === "/w/a/fifo.jpg"
      ? { isDirectory: false, isFile: false }
      : p === "/w/a/dir.jpg"
      ? { isDirectory: true, isFile: false }
      : { isDirectory: false, isFile: true };
  assertEquals(fileVerdict("/w/a/fifo.jpg", "/w", odd), "gone", "a FIFO in its place");
  assertEquals(fileVerdict("/w/a/dir.jpg", "/w", odd), "gone", "a folder in its place");
  assertEquals(fileVerdict("/w/.Trash-1000/files/x.jpg", "/w", odd), "gone", "in the trash");
  assertEquals(fileVerdict("/w/a/x.jpg", "/w", odd), "present");
});

Deno.test("confirmGone() keeps images of offline sources without looking at their files", async () => {
  using db = await Database.open(":memory:");
  const on = addSource(db, "/on").source.id;
  const off = addSource(db, "/off").source.id;
  const ids: number[] = [];
  for (const [src, path] of [[on, "/on/gone.jpg"], [on, "/on/back.jpg"], [off, "/off/a.jpg"]]) {
    ids.push(insertImage(db, {
      path: path as string,
      source_id: src as number,
      size: 1,
      mtime: 1,
      width: 1,
      height: 1,
      format: "jpg",
    }, 1));
  }
  markMissing(db, ids, 2);
  const looked: string[] = [];
  const stat = (p: string) => {
    looked.push(p);
    return fakeStat(["/on"], ["/on/back.jpg"])(p);
  };
  const sourceCheck: SourceCheck = (s) =>
    s.id === off ? { online: false, reason: "unplugged" } : { online: true };
  const r = confirmGone(db, { sourceCheck, stat, isEmpty: () => false });
  assertEquals(r.gone, [ids[0]]);
  assertEquals(r.kept, { offline: 1, present: 1, unconfirmed: 0 });
  assertEquals(looked.filter((p) => p.startsWith("/off")), []);
});

Deno.test("prune --missing keeps the pictures of a subfolder that is gone or empty (an unplugged drive)", async () => {
  await using home = await tempHome();
  const walls = `${home.root}/media`;
  await writeImage(`${walls}/own/a.png`, { width: 64, height: 48, colors: [COLORS.red] });
  await writeImage(`${walls}/own/b.png`, { width: 64, height: 48, colors: [COLORS.green] });
  await writeImage(`${walls}/stick/Wallpapers/c.png`, {
    width: 64,
    height: 48,
    colors: [COLORS.blue],
  });
  await writeImage(`${walls}/card/d.png`, { width: 64, height: 48, colors: [COLORS.red] });
  const ok = async (args: string[]) => {
    const r = await runCli(home, args);
    assertEquals(r.code, 0, r.stderr);
    return r;
  };
  await ok(["sources", "add", walls]);
  await ok(["scan", "-q"]);
  await ok(["favorite", `${walls}/stick/Wallpapers/c.png`, `${walls}/card/d.png`]);
  // b deleted from a folder that is there; the stick unplugged (udisks removes its mount
  // point), the card's mount point left empty.
  await Deno.remove(`${walls}/own/b.png`);
  await Deno.remove(`${walls}/stick`, { recursive: true });
  await Deno.remove(`${walls}/card/d.png`);
  await ok(["scan", "-q"]);
  const r = await ok(["prune", "--missing", "--json"]);
  const out = r.json<{ missing_images: number; kept_missing: Record<string, number> }>();
  assertEquals(out.missing_images, 1);
  assertEquals(out.kept_missing, { offline: 0, present: 0, unconfirmed: 2 });
  const text = await ok(["prune", "--missing"]);
  assertStringIncludes(
    text.stdout,
    "Kept 2 not confirmed gone: 2 whose folder is gone, empty or unreadable (a drive mounted there?)",
  );
  using db = await Database.open(home.database);
  const left = db.prepare("SELECT path FROM images WHERE favorite = 1 ORDER BY path").all()
    .map((x) => (x as { path: string }).path);
  assertEquals(left, [`${walls}/card/d.png`, `${walls}/stick/Wallpapers/c.png`]);
});
