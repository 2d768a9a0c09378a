// `next --image` on a file outside the collection shows it, records it and
// indexes it as a single file; favourite and ban work on it.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";
import { fixture, historyRows } from "./_fixture.ts";
import { getImageByPath } from "../../src/db/images.ts";
import { LOOSE_KIND, LOOSE_PATH } from "../../src/scan/loose.ts";
import { spawnCli } from "../_helpers/env.ts";

Deno.test("next --image shows and records a file outside every source; favorite and ban work on it", async () => {
  await using f = await fixture({ images: 3 });
  const poster = await writeImage(`${f.home.root}/Downloads/poster.png`, {
    width: 60,
    height: 40,
    colors: [COLORS.red, COLORS.blue],
  });
  const r = await f.cli(["next", "--image", poster, "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const j = r.json<{ path: string; kind: string; recorded: boolean; palette: unknown }>();
  assertEquals([j.path, j.kind, j.recorded], [poster, "image", true]);
  assert(j.palette !== null, "its palette is extracted like any other's");
  assertEquals(await f.setterCalls(), [`${poster}|`]);
  assertEquals((await Deno.readTextFile(f.probe)).split("\n")[0], poster, "themed");
  {
    using db = await f.openDb();
    assertEquals(historyRows(db).map((h) => h.path), [poster]);
    const row = getImageByPath(db, poster)!;
    const src = db.prepare("SELECT path, kind FROM sources WHERE id = ?").get(row.source_id);
    assertEquals({ ...src }, { path: LOOSE_PATH, kind: LOOSE_KIND });
    assertEquals([row.width, row.height, row.times_shown], [60, 40, 1]);
  }
  assertEquals((await f.cli(["current"])).stdout.trim(), poster);

  // A relative path (from the cwd, the home here) names the same image: no second row.
  const rel = await f.cli(["next", "--image", "../Downloads/poster.png", "--no-theme"]);
  assertEquals(rel.code, 0, rel.stderr);

  const fav = await f.cli(["favorite", poster]);
  assertEquals(fav.code, 0, fav.stderr);
  const ban = await f.cli(["ban", "current"]);
  assertEquals(ban.code, 0, ban.stderr);
  {
    using db = await f.openDb();
    const row = getImageByPath(db, poster)!;
    assertEquals([row.favorite, row.banned], [true, true]);
    assertEquals(
      (db.prepare("SELECT COUNT(*) AS n FROM images WHERE path = ?").get(poster) as { n: number })
        .n,
      1,
    );
  }
  const banned = await f.cli(["next", "--image", poster]);
  assertEquals(banned.code, 1);
  assertStringIncludes(banned.stderr, "banned");

  // sources list shows the pseudo-source sensibly; doctor does not call it unreachable.
  const list = await f.cli(["sources", "list", "--json"]);
  const rows = list.json<{ path: string; kind: string; images: number }[]>();
  assertEquals(rows.find((x) => x.kind === LOOSE_KIND), {
    ...rows.find((x) => x.kind === LOOSE_KIND)!,
    path: LOOSE_PATH,
    images: 1,
  });
  const doc = await f.cli(["doctor", "--json"], { WAYLAND_DISPLAY: "", DISPLAY: "" });
  const sources = doc.json<{ checks: { name: string; status: string }[] }>().checks
    .find((c) => c.name === "sources")!;
  assertEquals(sources.status, "ok");
  // scan leaves the single file alone.
  const scan = await f.cli(["scan", "--json"]);
  assertEquals(scan.code, 0, scan.stderr);
  assertEquals(scan.json<{ missing: number }>().missing, 0);
});

Deno.test("next --image --dry-run on an outside file probes it but indexes nothing", async () => {
  await using f = await fixture({ images: 2 });
  const poster = await writeImage(`${f.home.root}/elsewhere/p.png`, {
    width: 10,
    height: 10,
    colors: [COLORS.green],
  });
  const r = await f.cli(["next", "--image", poster, "--dry-run"]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(r.stdout.trim(), poster);
  using db = await f.openDb();
  assertEquals(getImageByPath(db, poster), undefined);
  assertEquals(historyRows(db), []);
  assertEquals(await f.setterCalls(), []);
});

Deno.test("next --image of a header over [palette] max_megapixels is refused, as scan leaves it out", async () => {
  await using f = await fixture({ images: 2 });
  // A real PNG whose header says 20000 × 20000 (400 megapixels; the default limit is 150).
  const big = `${f.home.root}/elsewhere/big.png`;
  await Deno.mkdir(`${f.home.root}/elsewhere`);
  const png = await Deno.readFile(f.images[0]);
  const view = new DataView(png.buffer, png.byteOffset);
  view.setUint32(16, 20000); // IHDR width
  view.setUint32(20, 20000); // IHDR height
  await Deno.writeFile(big, png);
  for (const extra of [[], ["--dry-run"]]) {
    const r = await f.cli(["next", "--image", big, ...extra]);
    assertEquals(r.code, 1, r.stderr);
    assertStringIncludes(r.stderr, "too large: 20000×20000 exceeds 150 megapixels");
    assertStringIncludes(r.stderr, "max_megapixels");
  }
  using db = await f.openDb();
  assertEquals(getImageByPath(db, big), undefined);
  assertEquals(historyRows(db), []);
  assertEquals(await f.setterCalls(), []);
});

Deno.test("favorite PATH indexes an image outside the collection; unfavorite does not", async () => {
  await using f = await fixture({ images: 2 });
  const a = await writeImage(`${f.home.root}/elsewhere/a.png`, {
    width: 10,
    height: 10,
    colors: [COLORS.green],
  });
  const un = await f.cli(["unfavorite", a]);
  assertEquals(un.code, 1);
  assertStringIncludes(un.stderr, "not in the collection");
  const fav = await f.cli(["favorite", a, "--json"]);
  assertEquals(fav.code, 0, fav.stderr);
  assertEquals(fav.json(), [{ path: a, favorite: true, banned: false }]);
  const gone = await f.cli(["ban", `${f.home.root}/elsewhere/nope.png`]);
  assertEquals(gone.code, 1);
  assertStringIncludes(gone.stderr, "nope.png: no such file");
});

Deno.test("next --image with an empty path (a cancelled file picker) says so and changes nothing", async () => {
  await using f = await fixture({ images: 2 });
  for (const given of ["", "  "]) {
    const r = await f.cli(["next", "--image", given]);
    assertEquals(r.code, 2, r.stderr);
    assertStringIncludes(r.stderr, "--image was given no path (a cancelled file picker?)");
  }
  assertEquals(await f.setterCalls(), []);
});

Deno.test("next --image of a missing file says so before any setter trouble", async () => {
  await using f = await fixture({ images: 2 });
  const missing = `${f.home.root}/elsewhere/nope.png`;
  // No graphical session in the test's environment: `auto` finds no setter.
  const noSetter = await f.cli(["next", "--setter", "auto"]);
  assertEquals(noSetter.code, 1);
  assertStringIncludes(noSetter.stderr, "no wallpaper setter found");
  const r = await f.cli(["next", "--setter", "auto", "--image", missing]);
  assertEquals(r.code, 1, r.stderr);
  assertEquals(r.stderr.trim(), `varietal: --image ${missing}: no such file`);
  assertEquals(await f.setterCalls(), []);
});

Deno.test("next --image of an indexed picture now a FIFO (or a folder) is refused at once, not hung on", async () => {
  await using f = await fixture({ images: 2 });
  const [a] = f.images;
  await Deno.rename(a, `${a}.bak`);
  const mk = await new Deno.Command("mkfifo", { args: [a] }).output();
  assert(mk.success, "mkfifo");
  // Opening the FIFO would block the setter, or the decoder, with the lock held (SIGTERM
  // waits for that step): killed after 60 s here, so that a hang fails instead of blocking.
  const child = spawnCli(f.home, ["next", "--image", a]);
  const kill = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const out = await child.output();
  clearTimeout(kill);
  const stderr = new TextDecoder().decode(out.stderr);
  assertEquals(out.code, 1, stderr);
  assertEquals(
    stderr.trim(),
    `varietal: --image ${a}: is not a regular file (a FIFO, socket or device?)`,
  );
  await Deno.remove(a);
  await Deno.mkdir(a);
  const dir = await f.cli(["next", "--image", a]);
  assertEquals(dir.code, 1, dir.stderr);
  assertStringIncludes(dir.stderr, `--image ${a}: is a folder; give an image file`);
  assertEquals(await f.setterCalls(), []);
  using db = await f.openDb();
  assertEquals(historyRows(db), []);
});

Deno.test("ban of several files with one missing or not an image bans none and indexes none", async () => {
  await using f = await fixture({ images: 1 });
  const ugly = await writeImage(`${f.home.root}/Downloads/ugly.png`, {
    width: 60,
    height: 40,
    colors: [COLORS.green],
  });
  const text = `${f.home.root}/Downloads/notes.png`;
  await Deno.writeTextFile(text, "not a picture");
  for (const bad of [`${f.home.root}/Downloads/typo.png`, text]) {
    const r = await f.cli(["ban", ugly, bad]);
    assertEquals(r.code, 1, r.stderr);
    assertStringIncludes(r.stderr, bad);
    using db = await f.openDb();
    // Indexed without its ban, the picture the user meant to keep out would be drawn.
    assertEquals(getImageByPath(db, ugly), undefined, `after ${bad}`);
  }
  const ok = await f.cli(["ban", ugly]);
  assertEquals(ok.code, 0, ok.stderr);
  using db = await f.openDb();
  assertEquals(getImageByPath(db, ugly)!.banned, true);
});
