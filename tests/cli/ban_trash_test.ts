// `varietal ban --trash`: Variety's "Move to Trash": banned, and the file moved to the desktop's
// trash, where a file manager can put it back.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { fixture } from "../pipeline/_fixture.ts";

Deno.test("ban --trash bans the current wallpaper and moves its file to the trash", async () => {
  await using f = await fixture({ images: 3 });
  assertEquals((await f.cli(["next", "--no-theme"])).code, 0);
  const current = (await f.cli(["current", "--json"])).json<{ path: string }[]>()[0].path;
  const r = await f.cli(["ban", "--trash"]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(r.stdout, `Banned: ${current} (moved to the trash)\n`);
  const name = current.slice(current.lastIndexOf("/") + 1);
  const trash = `${f.home.env.XDG_DATA_HOME}/Trash`;
  assertEquals(await Deno.readFile(`${trash}/files/${name}`).then((b) => b.length > 0), true);
  const info = await Deno.readTextFile(`${trash}/info/${name}.trashinfo`);
  assertStringIncludes(info, `Path=${current.split("/").map(encodeURIComponent).join("/")}\n`);
  assert(!f.images.filter((p) => p !== current).some((p) => p.endsWith(`/${name}`)));
  // Gone from the folder and from every draw; the others stay.
  const left = [...Deno.readDirSync(f.pics)].map((e) => `${f.pics}/${e.name}`).sort();
  assertEquals(left, f.images.filter((p) => p !== current));
  const picks = (await f.cli(["select", "-n", "10", "--json"])).json<{ path: string }[]>();
  assert(picks.every((p) => p.path !== current), JSON.stringify(picks));
  // Put back by the file manager: still banned.
  await Deno.rename(`${trash}/files/${name}`, current);
  assertEquals((await f.cli(["scan"])).code, 0);
  const again = (await f.cli(["select", "-n", "10", "--json"])).json<{ path: string }[]>();
  assert(again.every((p) => p.path !== current), JSON.stringify(again));
});

Deno.test("ban --trash --json names where each file went; one that cannot be moved stays banned, exit 1", async () => {
  await using f = await fixture({ images: 3 });
  const [a, b] = f.images;
  const r = await f.cli(["ban", "--trash", "--json", a]);
  assertEquals(r.code, 0, r.stderr);
  const [out] = r.json<{ path: string; banned: boolean; trashed: string }[]>();
  assertEquals([out.path, out.banned], [a, true]);
  assertEquals(
    out.trashed,
    `${f.home.env.XDG_DATA_HOME}/Trash/files/${a.slice(a.lastIndexOf("/") + 1)}`,
  );
  // The trash's place taken by a file: b is banned, says why it was not moved, and stays.
  await Deno.remove(`${f.home.env.XDG_DATA_HOME}/Trash`, { recursive: true });
  await Deno.writeTextFile(`${f.home.env.XDG_DATA_HOME}/Trash`, "not a folder");
  const failed = await f.cli(["ban", "--trash", b]);
  assertEquals(failed.code, 1, failed.stderr);
  assertEquals(failed.stdout, `Banned: ${b}\n`);
  assertStringIncludes(failed.stderr, `varietal: ${b}: banned, but not moved to the trash: `);
  assertEquals((await Deno.stat(b)).isFile, true);
  // Without --trash, ban leaves your files where they are.
  const c = f.images[2];
  assertEquals((await f.cli(["ban", c])).code, 0);
  assertEquals((await Deno.stat(c)).isFile, true);
});
