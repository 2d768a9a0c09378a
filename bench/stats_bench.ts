// `deno task bench stats`: `varietal stats --json` on a 1M-image database, as a
// process (what a user waits for) and in-process (cached and uncached).
//
// The database is built once with direct inserts (recursive CTEs, triggers
// on) and cached under $TMPDIR/varietal-bench-cache; set STATS_BENCH_IMAGES
// for another size and STATS_BENCH_REBUILD=1 to rebuild.
import { Database } from "../src/db/database.ts";
import { collectionStats } from "../src/stats/collection_stats.ts";
import { gatherReport } from "../src/stats/report_data.ts";
import { median, printTable, type Row, time, writeResults } from "./_report.ts";
import { homeEnv, RUN_FLAGS } from "../tests/_helpers/env.ts";

const N = Number(Deno.env.get("STATS_BENCH_IMAGES") ?? 1_000_000);
const GENERATOR = 2;
const ROOT = new URL("../", import.meta.url).pathname;
// Not keyed on the schema version: opening migrates an older cached database forward.
const cacheDir = `${
  Deno.env.get("TMPDIR") ?? "/tmp"
}/varietal-bench-cache/stats-${N}-g${GENERATOR}`;
const home = `${cacheDir}/home`;
const env = { ...homeEnv(home), NO_COLOR: "1" };
const dbPath = `${env.XDG_DATA_HOME}/varietal/varietal.db`;
const DAY = 86_400_000;
const NOW = Date.now();

async function exists(p: string): Promise<boolean> {
  try {
    await Deno.stat(p);
    return true;
  } catch {
    return false;
  }
}

/** 20 folders; palettes on 90 %; 1 % favourites, 0.3 % banned, 0.5 % missing; ~N/10 shows over 3 years. */
async function build(): Promise<number> {
  await Deno.remove(cacheDir, { recursive: true }).catch(() => {});
  const t = performance.now();
  using db = await Database.open(dbPath);
  const shows = Math.round(N / 10);
  const span = 3 * 365 * DAY;
  db.raw.exec(`
BEGIN;
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 20)
INSERT INTO sources(id, path, added_at) SELECT i, '/wallpapers/folder-' || i, ${NOW - span} FROM s;
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${N})
INSERT INTO images(id, path, source_id, size, mtime, width, height, format, favorite, banned,
  missing_since, indexed_at)
SELECT i, '/wallpapers/folder-' || (1 + i % 20) || '/sub-' || (i % 997) || '/image-' || i || '.jpg',
  1 + i % 20, 2000000 + (i * 7919) % 3000000, ${NOW - span}, 3840, 2160, 'jpg',
  (i * 37) % 100 = 0, (i * 53) % 1000 < 3,
  CASE WHEN (i * 61) % 1000 < 5 THEN ${NOW - 5 * DAY} END, ${NOW - span} FROM s;
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${N})
INSERT INTO palettes(image_id, origin, variant, background, foreground, cursor, color0, color1,
  color2, color3, color4, color5, color6, color7, color8, color9, color10, color11, color12,
  color13, color14, color15, avg_hue, avg_saturation, avg_lightness, temperature, extracted_at,
  hue_mask)
SELECT i, 'builtin', 'dark16', '#101418', '#e8e8e8', '#e8e8e8',
  '#101418', '#b04a3c', '#4a9c5a', '#c0a040', '#3c6cb0', '#9c4ab0', '#3ca0b0', '#c8c8c8',
  '#585c60', '#d06a5c', '#6abc7a', '#e0c060', '#5c8cd0', '#bc6ad0', '#5cc0d0', '#f0f0f0',
  CASE WHEN (i * 13) % 100 < 7 THEN NULL ELSE ((i * 7919) % 36000) / 100.0 END,
  ((i * 104729) % 1000) / 1000.0, 0.05 + ((i * 7727) % 900) / 1000.0,
  ((i * 3571) % 2000) / 1000.0 - 1.0, ${NOW - span},
  CASE WHEN (i * 13) % 100 < 7 THEN 0 ELSE (1 << ((i * 7919) % 8)) | (1 << ((i * 31) % 8)) END
FROM s WHERE (i * 17) % 10 <> 0;
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${shows})
INSERT INTO history(image_id, shown_at, output)
SELECT 1 + (i * 2654435761) % ${N}, ${NOW - span} + i * ${Math.floor(span / shows)}, NULL FROM s;
UPDATE images SET times_shown = h.n, last_shown_at = h.last
FROM (SELECT image_id, COUNT(*) AS n, MAX(shown_at) AS last FROM history GROUP BY image_id) AS h
WHERE images.id = h.image_id;
UPDATE sources SET times_shown = c.n, last_shown_at = c.last
FROM (SELECT i.source_id, COUNT(*) AS n, MAX(h.shown_at) AS last
      FROM history h JOIN images i ON i.id = h.image_id GROUP BY i.source_id) AS c
WHERE sources.id = c.source_id;
COMMIT;`);
  return performance.now() - t;
}

async function proc(args: string[]): Promise<void> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-q", ...RUN_FLAGS, ...args],
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.code !== 0) {
    throw new Error(`${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/** Whether the cached database opens (and migrates) with this checkout's code. */
async function usable(): Promise<boolean> {
  if (!(await exists(dbPath))) return false;
  try {
    (await Database.open(dbPath)).close();
    return true;
  } catch (e) {
    console.log(`cached database unusable (${(e as Error).message}); rebuilding`);
    return false;
  }
}

let buildMs: number | null = null;
if (Deno.env.get("STATS_BENCH_REBUILD") || !(await usable())) {
  console.log(`building a ${N}-image database in ${cacheDir} …`);
  buildMs = await build();
}
const size = (await Deno.stat(dbPath)).size;

const empty = `${cacheDir}/empty.ts`;
await Deno.writeTextFile(empty, "");
const runs = 7;
const bare = await time(() => proc([empty]), runs);
const statsProc = await time(() => proc([`${ROOT}main.ts`, "stats", "--json"]), runs);
const reportProc = await time(
  () => proc([`${ROOT}main.ts`, "report", "--out", `${cacheDir}/report.html`]),
  3,
);

using db = await Database.open(dbPath);
const uncached = await time(() => collectionStats(db, NOW, { fresh: true }), runs);
const cached = await time(() => collectionStats(db, NOW), runs);
const report = await time(() => gatherReport(db, NOW), 3);
const s = collectionStats(db, NOW);

const rows: Row[] = [
  { case: "bare `deno run` (empty script)", median_ms: median(bare), min_ms: Math.min(...bare) },
  {
    case: "`varietal stats --json` process",
    median_ms: median(statsProc),
    min_ms: Math.min(...statsProc),
  },
  {
    case: "`varietal report` process",
    median_ms: median(reportProc),
    min_ms: Math.min(...reportProc),
  },
  {
    case: "collectionStats() uncached",
    median_ms: median(uncached),
    min_ms: Math.min(...uncached),
  },
  { case: "collectionStats() cached", median_ms: median(cached), min_ms: Math.min(...cached) },
  { case: "gatherReport() (cached stats)", median_ms: median(report), min_ms: Math.min(...report) },
];
printTable(
  `stats on ${s.counts.images + s.counts.missing} images, ${s.counts.with_palette} palettes, ` +
    `${s.history.shows} shows (${Math.round(size / 1e6)} MB)`,
  rows,
);
console.log(
  `target: stats --json ≤ 200 ms process time → ${median(statsProc) <= 200 ? "met" : "NOT met"}`,
);
const file = await writeResults("stats", {
  images: s.counts.images + s.counts.missing,
  palettes: s.counts.with_palette,
  shows: s.history.shows,
  database_bytes: size,
  build_ms: buildMs,
  runs,
  rows,
});
console.log(`wrote ${file}`);
