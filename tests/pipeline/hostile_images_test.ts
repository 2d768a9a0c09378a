// Hostile and huge images in the `next` pipeline: refused or stopped within the palette stage,
// no palette recorded, the lock released for the next varietal, and the image left out of later
// draws until its file changes.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { spawnCli } from "../_helpers/env.ts";
import { COLORS, paint, writeImage } from "../_helpers/images.ts";
import { patchJpegSize, pngHeaderOnly, solidPng } from "../_helpers/hostile_images.ts";
import { getImageByPath, insertImage } from "../../src/db/images.ts";
import { getPalette } from "../../src/db/palettes.ts";
import { fixture, historyRows } from "./_fixture.ts";

async function finish(child: Deno.ChildProcess) {
  const out = await child.output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

interface Marked {
  decode_failed_at: number | null;
  decode_failed_pixels: number | null;
  decode_error: string | null;
}

function mark(db: { prepare(sql: string): { get(...a: string[]): unknown } }, path: string) {
  return db.prepare(
    "SELECT decode_failed_at, decode_failed_pixels, decode_error FROM images WHERE path = ?",
  ).get(path) as Marked;
}

async function waitFor(cond: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Every image `select` can draw (more picks asked than there are images). */
async function drawable(f: Awaited<ReturnType<typeof fixture>>): Promise<string[]> {
  const r = await f.cli(["select", "-n", "50", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  return r.json<{ path: string }[]>().map((p) => p.path).sort();
}

Deno.test("a damaged image: no palette, a warning, marked, never drawn again until it changes", async () => {
  await using f = await fixture({ images: 3 });
  // a JPEG whose header was patched to 12000×12000 (under the pixel limit, so scan indexes it)
  const small = await paint({
    width: 640,
    height: 480,
    colors: [COLORS.red, COLORS.blue],
    noise: 20,
  })
    .encodeJPEG(90);
  const bad = `${f.pics}/patched.jpg`;
  await Deno.writeFile(bad, patchJpegSize(small, 12000, 12000));
  assertEquals((await f.cli(["scan"])).code, 0);
  assertEquals((await drawable(f)).length, 4);

  const r = await f.cli(["next", "--image", bad, "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const out = r.json<{ palette: unknown; warnings: string[] }>();
  assertEquals(out.palette, null, "no palette (not a black one)");
  assertStringIncludes(out.warnings.join("\n"), "12000×12000");
  assertStringIncludes(out.warnings.join("\n"), "will not be drawn again until the file changes");
  {
    using db = await f.openDb();
    const id = getImageByPath(db, bad)!.id;
    assertEquals(getPalette(db, id), undefined);
    const m = mark(db, bad);
    assert(m.decode_failed_at !== null, "marked");
    assertStringIncludes(m.decode_error ?? "", "header");
    assertEquals(historyRows(db).length, 1, "the show itself is recorded");
  }
  assertEquals(await drawable(f), f.images, "left out of every draw");
  assertEquals((await f.cli(["scan"])).code, 0);
  assertEquals(await drawable(f), f.images, "a scan of the unchanged file keeps it out");
  for (let i = 0; i < 4; i++) {
    const n = await f.cli(["next", "--no-theme", "--json"]);
    assertEquals(n.code, 0, n.stderr);
    assert(n.json<{ path: string }>().path !== bad);
  }
  const again = await f.cli(["next", "--image", bad]);
  assertEquals(again.code, 1);
  assertStringIncludes(again.stderr, "failed to decode");
  assertStringIncludes(again.stderr, "left out until the file changes");
  // extract leaves it out too
  const ex = await f.cli(["extract", "--json"]);
  assertEquals(ex.json<{ undecodable: number; failed: unknown[] }>().undecodable, 1);

  // the file is replaced by a good one: a scan clears the mark and it is drawn and themed again
  await writeImage(bad, { width: 64, height: 48, colors: [COLORS.green] });
  assertEquals((await f.cli(["scan"])).code, 0);
  assertEquals((await drawable(f)).length, 4);
  const fixed = await f.cli(["next", "--image", bad, "--json"]);
  assertEquals(fixed.code, 0, fixed.stderr);
  assert(fixed.json<{ palette: unknown }>().palette !== null);
});

Deno.test("scan skips images over the pixel limit with the reason; raising it brings them in", async () => {
  await using f = await fixture({ images: 2 });
  await Deno.writeFile(`${f.pics}/huge.png`, pngHeaderOnly(30000, 30000));
  const r = await f.cli(["scan", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const rep = r.json<{ skipped: number; skipped_files: { path: string; reason: string }[] }>();
  assertEquals(rep.skipped_files, [{
    path: `${f.pics}/huge.png`,
    reason: "too large: 30000×30000 exceeds 150 megapixels",
  }]);
  // `skipped` counts files that are not images by name; this one is listed with its reason.
  assertEquals(rep.skipped, 0);
  const text = await f.cli(["scan"]);
  assertStringIncludes(text.stdout, "skipped");
  assertStringIncludes(text.stdout, "huge.png: too large: 30000×30000 exceeds 150 megapixels");
  {
    using db = await f.openDb();
    assertEquals(getImageByPath(db, `${f.pics}/huge.png`), undefined);
  }
  const config = await Deno.readTextFile(f.home.configFile);
  await f.home.writeConfig(config.replace("[palette]\n", "[palette]\nmax_megapixels = 1000\n"));
  const wider = await f.cli(["scan", "--json"]);
  assertEquals(wider.json<{ added: number }>().added, 1);
});

Deno.test("an image refused as too large at the palette stage comes back when the limit is raised", async () => {
  await using f = await fixture({ images: 2 });
  const huge = `${f.pics}/huge.png`;
  await Deno.writeFile(huge, pngHeaderOnly(20000, 10000));
  {
    // indexed before the limit existed (an older database)
    using db = await f.openDb();
    const src = (db.prepare("SELECT id FROM sources").get() as { id: number }).id;
    const st = await Deno.stat(huge);
    insertImage(db, {
      path: huge,
      source_id: src,
      size: st.size,
      mtime: st.mtime!.getTime(),
      width: 20000,
      height: 10000,
      format: "png",
    }, Date.now());
  }
  const r = await f.cli(["next", "--image", huge, "--no-theme", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  assertStringIncludes(
    r.json<{ warnings: string[] }>().warnings.join("\n"),
    "exceeds 150 megapixels",
  );
  {
    using db = await f.openDb();
    assertEquals(mark(db, huge).decode_failed_pixels, 200_000_000);
  }
  assertEquals(await drawable(f), f.images);
  const said = await f.cli(["next", "--image", huge]);
  assertStringIncludes(said.stderr, "or [palette] max_megapixels is raised");
  const config = await Deno.readTextFile(f.home.configFile);
  await f.home.writeConfig(config.replace("[palette]\n", "[palette]\nmax_megapixels = 250\n"));
  assertEquals((await f.cli(["scan"])).code, 0);
  {
    using db = await f.openDb();
    assertEquals(mark(db, huge).decode_failed_at, null, "the mark is cleared");
  }
  assertEquals((await drawable(f)).length, 3);
});

Deno.test("a concurrent next --wait 10s succeeds while another next handles a patched 65000×65000 JPEG", async () => {
  await using f = await fixture({ images: 3 });
  const small = await paint({
    width: 640,
    height: 480,
    colors: [COLORS.red, COLORS.blue],
    noise: 20,
  })
    .encodeJPEG(90);
  const hostile = `${f.pics}/hostile.jpg`;
  await Deno.writeFile(hostile, patchJpegSize(small, 65000, 65000));
  {
    // in the collection as an older scan left it (scan now skips it)
    using db = await f.openDb();
    const src = (db.prepare("SELECT id FROM sources").get() as { id: number }).id;
    const st = await Deno.stat(hostile);
    insertImage(db, {
      path: hostile,
      source_id: src,
      size: st.size,
      mtime: st.mtime!.getTime(),
      width: 65000,
      height: 65000,
      format: "jpg",
    }, Date.now());
  }
  const a = spawnCli(f.home, ["next", "--image", hostile, "--json"]);
  try {
    // A holds the lock once its setter has run; B starts while A is in its palette stage
    await waitFor(async () => (await f.setterCalls()).length >= 1, "the first next to set");
    const b = await finish(spawnCli(f.home, ["next", "--no-theme", "--wait", "10s"]));
    assertEquals(b.code, 0, b.stderr);
    const ra = await finish(a);
    assertEquals(ra.code, 0, ra.stderr);
    const out = JSON.parse(ra.stdout) as { palette: unknown; warnings: string[] };
    assertEquals(out.palette, null);
    assertStringIncludes(out.warnings.join("\n"), "too large: 65000×65000 exceeds 150 megapixels");
    using db = await f.openDb();
    assertEquals(getPalette(db, getImageByPath(db, hostile)!.id), undefined, "no #000000 palette");
    assertEquals(historyRows(db).length, 2);
  } finally {
    try {
      a.kill("SIGKILL");
    } catch { /* exited */ }
    await a.status;
  }
});

Deno.test("a decode slower than [palette] decode_timeout is stopped; the lock is free for the next", async () => {
  await using f = await fixture({ images: 3, config: "" });
  const config = await Deno.readTextFile(f.home.configFile);
  await f.home.writeConfig(config.replace("[palette]\n", '[palette]\ndecode_timeout = "200ms"\n'));
  // a real image, under the pixel limit, that takes seconds to inflate and shrink
  const big = `${f.pics}/big.png`;
  await Deno.writeFile(big, await solidPng(12000, 12000, 90));
  assertEquals((await f.cli(["scan"])).code, 0);
  const a = spawnCli(f.home, ["next", "--image", big, "--json"]);
  await waitFor(async () => (await f.setterCalls()).length >= 1, "the first next to set");
  const b = await finish(spawnCli(f.home, ["next", "--no-theme", "--wait", "10s"]));
  assertEquals(b.code, 0, b.stderr);
  const ra = await finish(a);
  assertEquals(ra.code, 0, ra.stderr);
  const out = JSON.parse(ra.stdout) as { palette: unknown; warnings: string[] };
  assertEquals(out.palette, null);
  assertStringIncludes(out.warnings.join("\n"), "took longer than 0.2s and was stopped");
  {
    using db = await f.openDb();
    const m = mark(db, big);
    assertEquals(m.decode_error, "decoding took longer than 0.2s and was stopped");
    assertEquals(getPalette(db, getImageByPath(db, big)!.id), undefined);
  }
  // The marked image is never drawn; the others are, but for the one the second `next` has
  // just shown (its weight is about 0 right after the show, so a draw may leave it out).
  const justShown = b.stdout.trim();
  const got = await drawable(f);
  assert(!got.includes(big));
  assertEquals(
    got.filter((p) => p !== justShown),
    f.images.filter((p) => p !== justShown),
  );
});

Deno.test("palette, theme apply and --similar-to refuse a huge image before decoding it", async () => {
  await using f = await fixture({ images: 2 });
  const huge = `${f.home.root}/huge.png`;
  await Deno.writeFile(huge, pngHeaderOnly(30000, 30000));
  const small = await paint({ width: 640, height: 480, colors: [COLORS.red], noise: 20 })
    .encodeJPEG(90);
  const patched = `${f.home.root}/patched.jpg`;
  await Deno.writeFile(patched, patchJpegSize(small, 65000, 65000));
  for (
    const args of [
      ["palette", huge],
      ["palette", patched, "--json"],
      ["theme", "apply", huge],
      ["select", "--similar-to", patched],
      ["next", "--similar-to", huge, "--dry-run"],
    ]
  ) {
    const r = await f.cli(args);
    assertEquals(r.code, 1, `${args.join(" ")}: ${r.stderr}`);
    assertStringIncludes(r.stderr, "exceeds 150 megapixels");
    assertEquals(r.stderr.trim().split("\n").length, 1, "one line");
  }
});

Deno.test("a file named with a newline, or not in UTF-8, is named in one line with what to do", async () => {
  await using f = await fixture({ images: 1 });
  const gone = `${f.home.root}/x\ny.png`;
  for (const args of [["next", "--image", gone], ["palette", gone], ["favorite", gone]]) {
    const r = await f.cli(args);
    assertEquals(r.code, 1, r.stderr);
    assertEquals(r.stderr.split("\n").filter(Boolean).length, 1, r.stderr);
    assertStringIncludes(r.stderr, `${f.home.root}/x\\ny.png: no such file`);
  }
  // A Latin-1 name ("café.png" in Latin-1) as the shell passes it: Deno gets U+FFFD for é.
  await Deno.writeTextFile(
    `${f.home.root}/make.sh`,
    `exec "$@" "$(printf '%s/caf\\351.png' "$ROOT")"\n`,
  );
  const { ROOT, RUN_FLAGS } = await import("../_helpers/env.ts");
  const out = await new Deno.Command("sh", {
    args: [
      `${f.home.root}/make.sh`,
      Deno.execPath(),
      "run",
      "-q",
      ...RUN_FLAGS,
      `${ROOT}/main.ts`,
      "next",
      "--image",
    ],
    env: { ...f.home.env, ROOT: f.home.root },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(out.stderr);
  assertEquals(out.code, 1, err);
  assertStringIncludes(err, "no such file under this name (is it not in UTF-8?");
  assertStringIncludes(err, "convmv");
  using db = await f.openDb();
  assertEquals(historyRows(db), [], "nothing shown");
});
