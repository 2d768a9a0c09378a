import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_helpers/assert.ts";
import { Database } from "../../src/db/database.ts";
import { addSource, listSources } from "../../src/db/sources.ts";
import { recordShows } from "../../src/db/history.ts";
import { insertImage } from "../../src/db/images.ts";
import { savePalette } from "../../src/db/palettes.ts";
import { scanSources } from "../../src/scan/scanner.ts";
import { gatherReport } from "../../src/stats/report_data.ts";
import { fileUrl, renderReport } from "../../src/stats/report_html.ts";
import { runCli, tempHome } from "../_helpers/env.ts";
import { writeImage } from "../_helpers/images.ts";
import { buildKnownCollection, NOW, palette } from "./_collection.ts";
import { barChart, columnChart, lightnessHueMap } from "../../src/stats/_svg.ts";
import { NAMED_HUES } from "../../src/palette/hue_ranges.ts";

const DAY = 86_400_000;

Deno.test("gatherReport() reads the timeline, shows per day and the palette sample", async () => {
  using db = await Database.open(":memory:");
  const { ids } = buildKnownCollection(db);
  const r = gatherReport(db, NOW, { days: 90, shows: 5 });
  assertEquals(r.per_day.length, 90);
  assertEquals(r.per_day.at(-1), { day: Math.floor(NOW / DAY), count: 3 });
  assertEquals(r.per_day.reduce((a, d) => a + d.count, 0), 8, "the show 100 days ago is outside");
  assertEquals(r.per_day.find((d) => d.day === Math.floor((NOW - 3 * DAY) / DAY))?.count, 2);
  assertEquals(r.recent.map((s) => s.image_id), [ids[27], ids[1], ids[40], ids[2], ids[1]]);
  assertEquals(r.recent[0].missing, true);
  assertEquals(r.recent[0].colors?.length, 18);
  assertEquals(r.recent.find((s) => s.image_id === ids[40])?.colors, null);
  // Palettes of images 0–35, less missing image 27's (the report draws present images only).
  assertEquals(r.sample.length, 35);
  assert(!r.sample.some((d) => d.image_id === ids[27]), "a missing image's palette is drawn");
  assertEquals(gatherReport(db, NOW, { sample: 10 }).sample.length, 10);
  assertEquals(r.stats.counts.images, 57);
  const byCell = Object.fromEntries(r.lightness_by_hue.map((c) => [`${c.l}|${c.h}`, c.n]));
  // Columns are the named ranges (NAMED_HUES order), -1 grey; orange-and-blue counts in both.
  assertEquals(byCell, {
    "0|-1": 6,
    "1|-1": 4,
    "3|0": 5,
    "3|1": 3,
    "3|5": 3,
    "5|4": 7,
    "6|0": 2,
    "9|5": 7, // one of the eight blue palettes belongs to a missing image
    "9|3": 1,
  });
});

Deno.test("renderReport() escapes paths and rejects colours that are not hex", async () => {
  using db = await Database.open(":memory:");
  buildKnownCollection(db);
  const data = gatherReport(db, NOW);
  data.recent[0] = {
    ...data.recent[0],
    path: `/a/<script>alert("x")</script>.jpg`,
    missing: false,
    colors: ["red;background:url(http://x)", ...data.recent[0].colors!.slice(1)],
  };
  const html = renderReport(data, "9.9.9");
  assert(!html.includes("<script>alert"), "the path is escaped");
  assertStringIncludes(html, "&#60;script&#62;alert");
  assert(!html.includes("http://x"), "a bad colour never reaches CSS");
  assertStringIncludes(html, `style="background:#000000"`);
  assertStringIncludes(html, "Content-Security-Policy");
  assertStringIncludes(html, "varietal 9.9.9");
  assertEquals(fileUrl("/a b/c#1.png"), "file:///a%20b/c%231.png");
});

Deno.test("varietal report writes the file and prints its path as JSON", async () => {
  await using home = await tempHome();
  {
    using db = await Database.open(home.database);
    buildKnownCollection(db);
  }
  const out = `${home.root}/out/report.html`;
  const r = await runCli(home, ["report", "--out", out, "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const j = r.json<{ path: string; bytes: number; shows: number; palettes_drawn: number }>();
  assertEquals(j.path, out);
  assertEquals(j.shows, 9);
  assertEquals(j.palettes_drawn, 35, "36 palettes, one of a missing image");
  const html = await Deno.readTextFile(out);
  assertEquals(new TextEncoder().encode(html).length, j.bytes);
  assertMatch(html, /^<!doctype html>/);
  const plain = await runCli(home, ["report"]);
  assertEquals(plain.code, 0, plain.stderr);
  assertStringIncludes(plain.stdout, `${home.env.XDG_CACHE_HOME}/varietal/report.html`);
});

Deno.test("varietal report replaces an earlier report but refuses to write over another file", async () => {
  await using home = await tempHome();
  const out = `${home.root}/report.html`;
  assertEquals((await runCli(home, ["report", "--out", out])).code, 0);
  // One made readable by others (by hand, or by an older version) is private again.
  await Deno.chmod(out, 0o644);
  const again = await runCli(home, ["report", "--out", out]);
  assertEquals(again.code, 0, again.stderr);
  assertEquals((await Deno.stat(out)).mode! & 0o777, 0o600);
  const notes = `${home.root}/notes.txt`;
  await Deno.writeTextFile(notes, "my notes\n");
  const r = await runCli(home, ["report", "--out", notes]);
  assertEquals(r.code, 1);
  assertEquals(
    r.stderr.trim(),
    `varietal: ${notes} already exists and is not a varietal report; choose another file name ` +
      "(an earlier report there would be replaced)",
  );
  assertEquals(await Deno.readTextFile(notes), "my notes\n");
});

Deno.test("varietal report --open without xdg-open warns and still writes", async () => {
  await using home = await tempHome();
  const out = `${home.root}/r.html`;
  const r = await runCli(home, ["report", "--out", out, "--open"], {
    env: { PATH: `${home.root}/empty-bin` },
  });
  assertEquals(r.code, 0, r.stderr);
  assertStringIncludes(r.stderr, "xdg-open is not installed");
  assert((await Deno.stat(out)).isFile);
});

Deno.test("varietal report into a folder it cannot create fails with one clear line", async () => {
  await using home = await tempHome();
  await Deno.writeTextFile(`${home.root}/file`, "x");
  const r = await runCli(home, ["report", "--out", `${home.root}/file/r.html`]);
  assertEquals(r.code, 1);
  assertStringIncludes(r.stderr, `varietal: cannot write the report ${home.root}/file/r.html`);
});

async function chromium(): Promise<string | undefined> {
  for (const p of ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]) {
    try {
      if ((await Deno.stat(p)).isFile) return p;
    } catch { /* next */ }
  }
  return undefined;
}

async function browse(bin: string, profile: string, extra: string[], url: string) {
  const out = await new Deno.Command(bin, {
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
      "--enable-logging=stderr",
      "--v=0",
      "--virtual-time-budget=5000",
      "--window-size=1200,2400",
      ...extra,
      url,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(90_000),
  }).output();
  const d = new TextDecoder();
  return { code: out.code, stdout: d.decode(out.stdout), stderr: d.decode(out.stderr) };
}

Deno.test("the report renders in headless Chromium without errors", async () => {
  const bin = await chromium();
  if (!bin) {
    console.log("skipped: Chromium is not installed (/usr/bin/chromium); .ci/run installs it");
    return;
  }
  await using home = await tempHome();
  const walls = `${home.root}/walls`;
  const colours = [0xd04030, 0x30a0d0, 0x40c060, 0x202028, 0xe0c040, 0x8040c0];
  for (const [i, c] of colours.entries()) {
    await writeImage(`${walls}/w${i}.png`, { width: 64, height: 36, colors: [c, 0x101010] });
  }
  const now = Date.now();
  {
    using db = await Database.open(home.database);
    addSource(db, walls);
    await scanSources(db, listSources(db), { now: now - 10 * DAY });
    const ids = (db.prepare("SELECT id FROM images ORDER BY path").all() as { id: number }[])
      .map((r) => r.id);
    ids.forEach((id, i) => savePalette(db, id, palette(i * 60 + 5, 0.5, 0.2 + i * 0.12, 0.2)));
    recordShows(
      db,
      ids.flatMap((id, i) => [{ imageId: id, shownAt: now - (i + 1) * DAY }, {
        imageId: id,
        shownAt: now - i * 3_600_000,
        output: i % 2 ? "DP-1" : null,
      }]).sort((a, b) => a.shownAt - b.shownAt),
    );
  }
  const file = `${home.root}/report.html`;
  const r = await runCli(home, ["report", "--out", file]);
  assertEquals(r.code, 0, r.stderr);
  const profile = `${home.root}/chromium`;
  const dom = await browse(bin, profile, ["--dump-dom"], fileUrl(file));
  assertEquals(dom.code, 0, dom.stderr.slice(-2000));
  const html = dom.stdout;
  const attr = (name: string) => new RegExp(`<html[^>]* ${name}="([^"]*)"`).exec(html)?.[1];
  assertEquals(attr("data-errors"), "0", attr("data-error-messages"));
  assert(Number(attr("data-rendered")) >= 8, `svg charts rendered: ${attr("data-rendered")}`);
  assertEquals(attr("data-thumbs-broken"), "0");
  assert(Number(attr("data-thumbs-loaded")) >= 1, "thumbnails load from file:// links");
  assertEquals((html.match(/class="show"/g) ?? []).length, 12, "every show in the timeline");
  assertEquals((html.match(/<circle cx=/g) ?? []).length, 6 + 2, "a dot per palette + 2 guides");
  assertEquals((html.match(/<svg class="chart heat"/g) ?? []).length, 1, "the lightness/hue map");
  assertEquals((html.match(/<tr><td><a href=/g) ?? []).length, 1, "one folder row");
  const problems = dom.stderr.split("\n").filter((l) =>
    /Uncaught|Refused to|Content Security Policy|CONSOLE.*(error|Error)/.test(l)
  );
  assertEquals(problems, []);
  // An empty collection renders too (no charts, hints instead).
  await using empty = await tempHome();
  const emptyFile = `${empty.root}/empty.html`;
  assertEquals((await runCli(empty, ["report", "--out", emptyFile])).code, 0);
  const e = await browse(bin, profile, ["--dump-dom"], fileUrl(emptyFile));
  assertMatch(e.stdout, /<html[^>]* data-errors="0"/);
  assertMatch(e.stdout, /<html[^>]* data-rendered="\d+"/);
  assertStringIncludes(e.stdout, "varietal sources add DIR");
  const shot = `${home.root}/report.png`;
  const s = await browse(bin, profile, [`--screenshot=${shot}`], fileUrl(file));
  assertEquals(s.code, 0, s.stderr.slice(-2000));
  const png = await Deno.readFile(shot);
  assertEquals([...png.subarray(1, 4)].map((b) => String.fromCharCode(b)).join(""), "PNG");
  assert(png.length > 20_000, `a screenshot with content (${png.length} bytes)`);
});

Deno.test("the report's charts leave room for their labels: no column under 'max', whole hue names", () => {
  const days = columnChart("Shows per day", [
    { label: "2026-12-01", count: 1 },
    { label: "2026-12-02", count: 9 },
  ]);
  const tops = [...days.matchAll(/<rect [^>]*y="([\d.]+)"/g)].map((m) => Number(m[1]));
  assert(Math.min(...tops) >= 18, `a column reaches the 'max' label: ${tops}`);
  assertStringIncludes(days, "max 9/day");
  // No shows: nothing to call a maximum of 1.
  assertStringIncludes(
    columnChart("Shows per day", [{ label: "2026-12-01", count: 0 }]),
    "max 0/day",
  );
  const heat = lightnessHueMap([], NAMED_HUES);
  for (const name of ["magenta", "yellow", "orange", "purple"]) {
    assertStringIncludes(heat, `class="count">${name}</text>`);
  }
  // The longest hue label ends 8 px before the bars, which start far enough right for it.
  const bars = barChart("Hue", [{ label: "magenta 300–345°", count: 1, color: "#c0c" }]);
  assertMatch(bars, /<text x="142" [^>]*text-anchor="end">magenta 300–345°<\/text>/);
});

Deno.test("the report gives each show's time and day in the offset of its own moment (DST)", async () => {
  await using home = await tempHome();
  const now = Date.UTC(2026, 11, 1, 12); // winter: Berlin is UTC+1
  const summer = Date.UTC(2026, 7, 14, 22, 30); // 00:30 on 15 August in Berlin (UTC+2)
  {
    using db = await Database.open(home.database);
    const { source } = addSource(db, "/w");
    const id = insertImage(db, {
      path: "/w/a.png",
      source_id: source.id,
      size: 1,
      mtime: 1,
      width: 1920,
      height: 1080,
      format: "png",
    }, 1);
    recordShows(db, [{ imageId: id, shownAt: summer, output: null }]);
    // The day buckets: the show is on 15 August, local time.
    const offsetAt = (ms: number) => (ms < Date.UTC(2026, 9, 25, 1) ? 120 : 60);
    const data = gatherReport(db, now, { days: 120, offsetMinutes: 60, offsetAt });
    const day = data.per_day.find((d) => d.count > 0)!.day;
    assertEquals(new Date(day * 86_400_000).toISOString().slice(0, 10), "2026-08-15");
    assertStringIncludes(renderReport(data, "x", offsetAt), "2026-08-15 00:30");
  }
  // The command itself, in Berlin: the same.
  const r = await runCli(home, ["report", "--days", "3650", "--out", `${home.root}/r.html`], {
    env: { TZ: "Europe/Berlin" },
  });
  assertEquals(r.code, 0, r.stderr);
  assertStringIncludes(await Deno.readTextFile(`${home.root}/r.html`), "2026-08-15 00:30");
});
