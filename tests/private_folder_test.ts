// Private folders (the lock's and the control channel's): what is made, tightened and refused.
import { assertEquals, assertStringIncludes, assertThrows } from "./_helpers/assert.ts";
import { privateFolderSync } from "../src/private_folder.ts";

function tmp(): { dir: string } & Disposable {
  const dir = Deno.makeTempDirSync({ prefix: "varietal-private-" });
  return { dir, [Symbol.dispose]: () => Deno.removeSync(dir, { recursive: true }) };
}

const modeOf = (path: string) => Deno.statSync(path).mode! & 0o777;

Deno.test("privateFolderSync() makes a 0700 folder with its parents and makes an open one 0700", () => {
  using t = tmp();
  privateFolderSync(`${t.dir}/a/control`);
  assertEquals(modeOf(`${t.dir}/a/control`), 0o700);
  Deno.mkdirSync(`${t.dir}/open`);
  Deno.chmodSync(`${t.dir}/open`, 0o755);
  privateFolderSync(`${t.dir}/open`);
  assertEquals(modeOf(`${t.dir}/open`), 0o700);
  // One of ours the owner cannot write to: made usable (varietal writes its files there).
  Deno.mkdirSync(`${t.dir}/readonly`);
  Deno.chmodSync(`${t.dir}/readonly`, 0o500);
  privateFolderSync(`${t.dir}/readonly`);
  assertEquals(modeOf(`${t.dir}/readonly`), 0o700);
});

Deno.test("privateFolderSync() follows a link of one's own unless told to refuse links", () => {
  using t = tmp();
  Deno.mkdirSync(`${t.dir}/elsewhere`, { mode: 0o755 });
  Deno.chmodSync(`${t.dir}/elsewhere`, 0o755);
  Deno.symlinkSync(`${t.dir}/elsewhere`, `${t.dir}/link`);
  privateFolderSync(`${t.dir}/link`);
  assertEquals(modeOf(`${t.dir}/elsewhere`), 0o700, "the folder it names is tightened");
  const e = assertThrows(() => privateFolderSync(`${t.dir}/link`, { symlink: "refuse" }));
  assertEquals(
    (e as Error).message,
    `${t.dir}/link is a symlink, not a folder; remove it, or set XDG_RUNTIME_DIR to a folder of ` +
      "your own",
  );
});

Deno.test("privateFolderSync() refuses a file in the folder's place", () => {
  using t = tmp();
  Deno.writeTextFileSync(`${t.dir}/file`, "kept\n");
  const e1 = assertThrows(() => privateFolderSync(`${t.dir}/file`));
  assertEquals((e1 as Error).message, `${t.dir}/file is not a folder; move it away`);
  Deno.symlinkSync(`${t.dir}/file`, `${t.dir}/to-file`);
  const e = assertThrows(() => privateFolderSync(`${t.dir}/to-file`));
  assertStringIncludes((e as Error).message, "is not a folder");
  assertEquals(Deno.readTextFileSync(`${t.dir}/file`), "kept\n");
});

Deno.test("privateFolderSync() refuses a folder or a link another user made", () => {
  if (Deno.uid() !== 0) {
    console.log("  skipped: making files owned by another user needs root");
    return;
  }
  using t = tmp();
  Deno.mkdirSync(`${t.dir}/theirs`);
  Deno.chmodSync(`${t.dir}/theirs`, 0o777);
  Deno.chownSync(`${t.dir}/theirs`, 65534, 65534);
  const folder = assertThrows(() => privateFolderSync(`${t.dir}/theirs`));
  assertStringIncludes(
    (folder as Error).message,
    `${t.dir}/theirs belongs to uid 65534, not to you (uid 0)`,
  );
  assertEquals(modeOf(`${t.dir}/theirs`), 0o777, "not touched");
  Deno.mkdirSync(`${t.dir}/mine`, { mode: 0o700 });
  Deno.symlinkSync(`${t.dir}/mine`, `${t.dir}/planted`);
  const chown = new Deno.Command("chown", { args: ["-h", "65534:65534", `${t.dir}/planted`] })
    .outputSync();
  assertEquals(chown.code, 0);
  const link = assertThrows(() =>
    privateFolderSync(`${t.dir}/planted`, { otherwise: "pick another folder" })
  );
  assertEquals(
    (link as Error).message,
    `${t.dir}/planted is a symlink that uid 65534 made, not you (uid 0); remove it, or pick ` +
      "another folder",
  );
});

Deno.test("privateFolderSync() removes what others may have planted in a folder of ours that was open", () => {
  using t = tmp();
  const dir = `${t.dir}/run/varietal`;
  Deno.mkdirSync(dir, { recursive: true });
  Deno.chmodSync(dir, 0o777);
  Deno.writeTextFileSync(`${t.dir}/bashrc`, "mine");
  Deno.symlinkSync(`${t.dir}/bashrc`, `${dir}/next.lock`);
  Deno.writeTextFileSync(`${dir}/own.lock`, "pid 1 next\n");
  Deno.mkdirSync(`${dir}/control`);
  if (Deno.uid() === 0) {
    Deno.writeTextFileSync(`${dir}/theirs.lock`, "");
    Deno.chownSync(`${dir}/theirs.lock`, 65534, 65534);
  }
  privateFolderSync(dir);
  assertEquals(modeOf(dir), 0o700);
  // The link and their file go; our own file and the folder (checked where it is used) stay.
  assertEquals([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["control", "own.lock"]);
  assertEquals(Deno.readTextFileSync(`${t.dir}/bashrc`), "mine");
});
