import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { Database } from "../../src/db/database.ts";
import { addSource, listSources } from "../../src/db/sources.ts";
import { getImageByPath } from "../../src/db/images.ts";
import { scanSources } from "../../src/scan/scanner.ts";
import { ProbeError, probeImage } from "../../src/scan/probe.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";
import { runCli, tempHome } from "../_helpers/env.ts";

/** A tree with nested folders, a symlink loop, a duplicate via symlink, non-images and bad files. */
async function makeTree(root: string) {
  const w = `${root}/walls`;
  await writeImage(`${w}/a.png`, { width: 64, height: 40, colors: [COLORS.red] });
  await writeImage(`${w}/nested/deeper/b.jpg`, { width: 30, height: 60, colors: [COLORS.blue] });
  await writeImage(`${w}/nested/c.png`, { width: 16, height: 16, colors: [COLORS.green] });
  await Deno.writeTextFile(`${w}/notes.txt`, "not an image");
  await Deno.writeTextFile(
    `${w}/logo.svg`,
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
  );
  await Deno.writeFile(`${w}/empty.jpg`, new Uint8Array());
  const jpeg = await Deno.readFile(`${w}/nested/deeper/b.jpg`);
  await Deno.writeFile(`${w}/truncated.jpg`, jpeg.slice(0, 20));
  await Deno.symlink(`${w}/nested`, `${w}/nested/deeper/loop`); // a loop
  await Deno.symlink(`${w}/a.png`, `${w}/a-again.png`); // the same file twice
  return w;
}

Deno.test("scanSources() indexes each image once, skips non-images and reports bad files", async () => {
  await using home = await tempHome();
  const w = await makeTree(home.root);
  using db = await Database.open(home.database);
  addSource(db, w);
  const r = await scanSources(db, listSources(db), { now: 1000 });
  assertEquals([r.added, r.updated, r.unchanged, r.missing], [3, 0, 0, 0]);
  assertEquals(r.skipped, 2); // notes.txt, logo.svg
  assertEquals(r.skipped_by_extension, { txt: 1, svg: 1 });
  assertEquals(r.errors.map((e) => e.path.replace(/^.*\//, "")).sort(), [
    "empty.jpg",
    "truncated.jpg",
  ]);
  assertStringIncludes(r.errors.find((e) => e.path.endsWith("empty.jpg"))!.reason, "empty file");
  assertStringIncludes(r.errors.find((e) => e.path.endsWith("truncated.jpg"))!.reason, "truncated");
  const b = getImageByPath(db, `${w}/nested/deeper/b.jpg`)!;
  assertEquals([b.width, b.height, b.format], [30, 60, "jpg"]);
  assertEquals((db.raw.prepare("SELECT COUNT(*) AS n FROM images").get() as { n: number }).n, 3);

  // Re-scan: nothing to do.
  const again = await scanSources(db, listSources(db), { now: 2000 });
  assertEquals([again.added, again.updated, again.unchanged, again.missing], [0, 0, 3, 0]);
});

Deno.test("scanSources() notices changed, deleted and restored files", async () => {
  await using home = await tempHome();
  const w = await makeTree(home.root);
  using db = await Database.open(home.database);
  addSource(db, w);
  await scanSources(db, listSources(db), { now: 1000 });

  // Change one image's size, delete another, add a new one.
  await writeImage(`${w}/a.png`, { width: 80, height: 50, colors: [COLORS.orange] });
  const c = await Deno.readFile(`${w}/nested/c.png`);
  await Deno.remove(`${w}/nested/c.png`);
  await writeImage(`${w}/new.png`, { width: 10, height: 20, colors: [COLORS.teal] });
  const r = await scanSources(db, listSources(db), { now: 2000 });
  assertEquals([r.added, r.updated, r.unchanged, r.missing, r.restored], [1, 1, 1, 1, 0]);
  assertEquals(getImageByPath(db, `${w}/a.png`)!.width, 80);
  assertEquals(getImageByPath(db, `${w}/nested/c.png`)!.missing_since, 2000);

  // A second scan does not move the missing date.
  await scanSources(db, listSources(db), { now: 3000 });
  assertEquals(getImageByPath(db, `${w}/nested/c.png`)!.missing_since, 2000);

  // Restore the file with its old mtime: it comes back unchanged.
  await Deno.writeFile(`${w}/nested/c.png`, c);
  const row = getImageByPath(db, `${w}/nested/c.png`)!;
  await Deno.utime(`${w}/nested/c.png`, new Date(row.mtime), new Date(row.mtime));
  const back = await scanSources(db, listSources(db), { now: 4000 });
  assertEquals(back.restored, 1);
  assertEquals(getImageByPath(db, `${w}/nested/c.png`)!.missing_since, null);
});

Deno.test("scanSources() keeps the images of a folder that vanished and reports it", async () => {
  await using home = await tempHome();
  const w = await makeTree(home.root);
  using db = await Database.open(home.database);
  addSource(db, w);
  await scanSources(db, listSources(db), { now: 1000 });
  await Deno.rename(w, `${w}-unmounted`);
  const r = await scanSources(db, listSources(db), { now: 2000 });
  assertEquals(r.missing, 0);
  assertEquals(r.errors.length, 1);
  assertStringIncludes(r.errors[0].reason, "folder not found");
  assertEquals(getImageByPath(db, `${w}/a.png`)!.missing_since, null);
});

Deno.test("scanSources() gives a file in nested sources to the innermost one", async () => {
  await using home = await tempHome();
  const w = await makeTree(home.root);
  using db = await Database.open(home.database);
  const outer = addSource(db, w).source;
  const inner = addSource(db, `${w}/nested`).source;
  const r = await scanSources(db, listSources(db), { now: 1 });
  assertEquals(r.added, 3);
  assertEquals(getImageByPath(db, `${w}/nested/c.png`)!.source_id, inner.id);
  assertEquals(getImageByPath(db, `${w}/a.png`)!.source_id, outer.id);
});

Deno.test("probeImage() throws ProbeError for files that stop mid-header", async () => {
  await using home = await tempHome();
  const p = await writeImage(`${home.root}/x.png`, { width: 8, height: 8, colors: [0] });
  const bytes = await Deno.readFile(p);
  await Deno.writeFile(p, bytes.slice(0, 12));
  try {
    probeImage(p, 12);
    assert(false, "should throw");
  } catch (e) {
    assert(e instanceof ProbeError, String(e));
  }
});

Deno.test("varietal sources add/list/disable/remove and scan --json", async () => {
  await using home = await tempHome();
  const w = await makeTree(home.root);
  const add = await runCli(home, ["sources", "add", w]);
  assertEquals(add.code, 0, add.stderr);
  const scan = await runCli(home, ["scan", "--json"]);
  assertEquals(scan.code, 1); // two broken files
  const report = scan.json<{ added: number; errors: { path: string; reason: string }[] }>();
  assertEquals(report.added, 3);
  assertEquals(report.errors.length, 2);
  const list = (await runCli(home, ["sources", "list", "--json"])).json<
    { path: string; images: number; enabled: boolean }[]
  >();
  assertEquals(list, [{ ...list[0], path: w, images: 3, enabled: true }]);
  assertEquals((await runCli(home, ["sources", "disable", w])).code, 0);
  const disabled = (await runCli(home, ["sources", "list", "--json"])).json<
    { enabled: boolean }[]
  >();
  assertEquals(disabled[0].enabled, false);
  const rm = await runCli(home, ["sources", "remove", w, "--json"]);
  assertEquals(rm.json(), [{ path: w, action: "remove", images: 3 }]);
  const missing = await runCli(home, ["sources", "add", `${home.root}/nope`]);
  assertEquals(missing.code, 1);
  assertStringIncludes(missing.stderr, "nope: folder not found");
});
