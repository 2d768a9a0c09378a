// Single files outside every source: indexed on the spot under a hidden
// pseudo-source that scan checks file by file and never walks.
import { assert, assertEquals, assertStringIncludes, assertThrows } from "../_helpers/assert.ts";
import { tempHome } from "../_helpers/env.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";
import { Database } from "../../src/db/database.ts";
import { getImage } from "../../src/db/images.ts";
import { addSource, getSourceByPath, listSources } from "../../src/db/sources.ts";
import {
  indexFile,
  LOOSE_KIND,
  LOOSE_PATH,
  NotAnImageError,
  owningFolder,
} from "../../src/scan/loose.ts";
import { scanSources } from "../../src/scan/scanner.ts";

Deno.test("indexFile() puts a file outside every source under the single-files pseudo-source", async () => {
  await using home = await tempHome();
  const a = await writeImage(`${home.root}/elsewhere/a.png`, {
    width: 40,
    height: 20,
    colors: [COLORS.red],
  });
  using db = await Database.open(home.database);
  const row = indexFile(db, a, 1000);
  assertEquals([row.path, row.width, row.height, row.format], [a, 40, 20, "png"]);
  const src = getSourceByPath(db, LOOSE_PATH)!;
  assertEquals([row.source_id, src.kind, src.enabled], [src.id, LOOSE_KIND, true]);
  assertEquals(indexFile(db, a, 2000).id, row.id, "indexing twice keeps one row");
  assertEquals(listSources(db).length, 1, "one pseudo-source, no folder source");
});

Deno.test("indexFile() refuses folders and files that are not images, naming why", async () => {
  await using home = await tempHome();
  await Deno.writeTextFile(`${home.root}/notes.jpg`, "hello, not a JPEG");
  using db = await Database.open(home.database);
  const e = assertThrows(() => indexFile(db, `${home.root}/notes.jpg`), NotAnImageError);
  assertStringIncludes(e.message, "not an image varietal can show");
  assertStringIncludes(
    assertThrows(() => indexFile(db, home.root), NotAnImageError).message,
    "folder",
  );
  assertThrows(() => indexFile(db, `${home.root}/gone.png`), Deno.errors.NotFound);
  assertEquals(listSources(db), [], "nothing half-written");
});

Deno.test("indexFile() puts a not-yet-scanned file in a source folder under that folder", async () => {
  await using home = await tempHome();
  const w = `${home.root}/walls`;
  const deep = await writeImage(`${w}/sub/deep.png`, {
    width: 8,
    height: 8,
    colors: [COLORS.blue],
  });
  const top = await writeImage(`${w}/top.png`, { width: 8, height: 8, colors: [COLORS.blue] });
  const flat = `${home.root}/flat`;
  const inFlat = await writeImage(`${flat}/sub/x.png`, { width: 8, height: 8, colors: [0] });
  using db = await Database.open(home.database);
  const walls = addSource(db, w).source;
  addSource(db, `${home.root}/wallsX`); // a prefix of the name, not a parent
  addSource(db, flat, { recursive: false });
  assertEquals(owningFolder(db, deep)?.id, walls.id);
  assertEquals(indexFile(db, top).source_id, walls.id);
  assertEquals(
    owningFolder(db, inFlat),
    undefined,
    "a non-recursive folder does not own subfolders",
  );
  assertEquals(owningFolder(db, `${home.root}/wallsX2/a.png`), undefined);
});

Deno.test("scan never walks the pseudo-source: it checks single files one by one", async () => {
  await using home = await tempHome();
  const w = `${home.root}/walls`;
  await writeImage(`${w}/in.png`, { width: 8, height: 8, colors: [COLORS.green] });
  const a = await writeImage(`${home.root}/loose/a.png`, { width: 8, height: 8, colors: [0] });
  const b = await writeImage(`${home.root}/loose/b.png`, { width: 8, height: 8, colors: [0] });
  using db = await Database.open(home.database);
  addSource(db, w);
  const ia = indexFile(db, a, 1);
  const ib = indexFile(db, b, 1);
  const first = await scanSources(db, listSources(db), { now: 10 });
  assertEquals([first.added, first.missing, first.errors.length], [1, 0, 0]);
  assertEquals(getImage(db, ia.id)!.missing_since, null);

  await Deno.remove(b);
  const second = await scanSources(db, listSources(db), { now: 20 });
  assertEquals([second.missing, second.restored], [1, 0]);
  assertEquals(getImage(db, ib.id)!.missing_since, 20);
  assertEquals(getImage(db, ia.id)!.missing_since, null, "only the vanished file is missing");

  await writeImage(b, { width: 8, height: 8, colors: [0] });
  const third = await scanSources(db, listSources(db), { now: 30 });
  assertEquals([third.missing, third.restored], [0, 1]);
  assertEquals(getImage(db, ib.id)!.missing_since, null);

  // The file's folder becomes a source: the image moves there, keeping its row.
  addSource(db, `${home.root}/loose`);
  await scanSources(db, listSources(db), { now: 40 });
  const moved = getImage(db, ia.id)!;
  assertEquals(moved.source_id, getSourceByPath(db, `${home.root}/loose`)!.id);
  assert(moved.missing_since === null);
});
