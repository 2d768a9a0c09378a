// Moving files to the desktop's trash (freedesktop.org Trash specification).
import { assert, assertEquals, assertMatch, assertRejects } from "./_helpers/assert.ts";
import { encodePath, trashFile } from "../src/trash.ts";
import { withTmpfs } from "./_helpers/env.ts";

async function tmp(): Promise<{ dir: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "varietal-trash-" });
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

const modeOf = (p: string) => Deno.statSync(p).mode! & 0o777;

Deno.test("trashFile() moves a file into $XDG_DATA_HOME/Trash with an info file to restore it", async () => {
  await using t = await tmp();
  const dataHome = `${t.dir}/data`;
  const file = `${t.dir}/pics/a b%.png`;
  await Deno.mkdir(`${t.dir}/pics`);
  await Deno.writeTextFile(file, "picture");
  const now = new Date(2026, 11, 5, 9, 5, 7).getTime(); // local time
  const r = await trashFile(file, { dataHome, now });
  assertEquals(r.path, `${dataHome}/Trash/files/a b%.png`);
  assertEquals(await Deno.readTextFile(r.path), "picture");
  await assertRejects(() => Deno.lstat(file), Deno.errors.NotFound);
  assertEquals(
    await Deno.readTextFile(r.info),
    `[Trash Info]\nPath=${t.dir.split("/").map(encodeURIComponent).join("/")}/pics/a%20b%25.png\n` +
      "DeletionDate=2026-12-05T09:05:07\n",
  );
  for (const d of ["Trash", "Trash/files", "Trash/info"]) {
    assertEquals(modeOf(`${dataHome}/${d}`), 0o700, d);
  }
  assertEquals(modeOf(r.info), 0o600);
});

Deno.test("trashFile() gives a second file of the same name another name, keeping both", async () => {
  await using t = await tmp();
  const dataHome = `${t.dir}/data`;
  const names: string[] = [];
  for (const [dir, text] of [["x", "one"], ["y", "two"], ["z", "three"]]) {
    await Deno.mkdir(`${t.dir}/${dir}`);
    await Deno.writeTextFile(`${t.dir}/${dir}/sun.jpg`, text);
    names.push((await trashFile(`${t.dir}/${dir}/sun.jpg`, { dataHome })).path);
  }
  assertEquals(names.map((n) => n.slice(n.lastIndexOf("/") + 1)), [
    "sun.jpg",
    "sun.2.jpg",
    "sun.3.jpg",
  ]);
  assertEquals(await Deno.readTextFile(names[2]), "three");
  const info = await Deno.readTextFile(`${dataHome}/Trash/info/sun.2.jpg.trashinfo`);
  assertMatch(info, /^Path=.*\/y\/sun\.jpg$/m);
  // A stray file in files/ without its info (left by another program) is not overwritten.
  await Deno.writeTextFile(`${dataHome}/Trash/files/moon.jpg`, "stray");
  await Deno.writeTextFile(`${t.dir}/x/moon.jpg`, "mine");
  const moon = await trashFile(`${t.dir}/x/moon.jpg`, { dataHome });
  assertEquals(moon.path, `${dataHome}/Trash/files/moon.2.jpg`);
  assertEquals(await Deno.readTextFile(`${dataHome}/Trash/files/moon.jpg`), "stray");
  assert(!(await exists(`${dataHome}/Trash/info/moon.jpg.trashinfo`)), "no info left for it");
});

Deno.test("trashFile() shortens a long name so that its info file fits in a file name", async () => {
  await using t = await tmp();
  const dataHome = `${t.dir}/data`;
  const long = "é".repeat(122) + "x.png"; // 249 bytes: with ".trashinfo", past 255
  await Deno.writeTextFile(`${t.dir}/${long}`, "pic");
  const r = await trashFile(`${t.dir}/${long}`, { dataHome });
  const name = r.path.slice(r.path.lastIndexOf("/") + 1);
  assert(name.endsWith(".png") && long.startsWith(name.slice(0, -4)), name);
  assert(new TextEncoder().encode(`${name}.trashinfo`).length <= 255);
  assertEquals(await Deno.readTextFile(r.path), "pic");
  assertMatch(await Deno.readTextFile(r.info), /^Path=.*x\.png$/m, "the original name is kept");
});

Deno.test("trashFile() refuses a folder and a trash another user made, leaving the file", async () => {
  await using t = await tmp();
  await Deno.mkdir(`${t.dir}/folder`);
  await assertRejects(
    () => trashFile(`${t.dir}/folder`, { dataHome: `${t.dir}/d` }),
    Error,
    "is not a file",
  );
  if (Deno.uid() !== 0) return;
  const dataHome = `${t.dir}/shared`;
  await Deno.mkdir(`${dataHome}/Trash`, { recursive: true });
  await Deno.chown(`${dataHome}/Trash`, 65534, 65534);
  await Deno.writeTextFile(`${t.dir}/keep.png`, "kept");
  await assertRejects(
    () => trashFile(`${t.dir}/keep.png`, { dataHome }),
    Error,
    "belongs to uid 65534, not to you (uid 0)",
  );
  assertEquals(await Deno.readTextFile(`${t.dir}/keep.png`), "kept");
});

Deno.test("trashFile() on another disk uses that disk's .Trash-UID, with a path relative to it", async () => {
  await using t = await tmp();
  const disk = `${t.dir}/disk`;
  await Deno.mkdir(disk);
  await withTmpfs(disk, "1m", async () => {
    await Deno.mkdir(`${disk}/walls`);
    await Deno.writeTextFile(`${disk}/walls/a.png`, "pic");
    const r = await trashFile(`${disk}/walls/a.png`, { dataHome: `${t.dir}/data` });
    assertEquals(r.path, `${disk}/.Trash-0/files/a.png`);
    assertMatch(await Deno.readTextFile(r.info), /^Path=walls\/a\.png$/m);
  });
});

Deno.test("encodePath() percent-encodes each part of a path", () => {
  assertEquals(encodePath("/w/a b%.png"), "/w/a%20b%25.png");
  assertEquals(encodePath("/w/café\n.png"), "/w/caf%C3%A9%0A.png");
});

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}
