// An unplugged drive (issue 11 §9): a 50k-image source whose folder is gone
// (and, separately, one whose files all vanished while its folder stayed),
// plus a small source that is there. Measures a whole `varietal select -n 1
// --json` process — wall time and peak RSS — and counts the images it
// marked missing; plus the in-process selectImages() time. Writes
// bench/results/offline.json.
//
// Usage: deno task bench offline   (VARIETAL_BENCH_OFFLINE=50000 sets the size)
import { median, printTable, type Row, time, writeResults } from "./_report.ts";
import { Database } from "../src/db/database.ts";
import { defaultConfig } from "../src/config/schema.ts";
import { selectImages } from "../src/select/selector.ts";
import { homeEnv, RUN_FLAGS } from "../tests/_helpers/env.ts";
import { MAIN, measuredRun } from "./_varietal.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const N = Number(Deno.env.get("VARIETAL_BENCH_OFFLINE") ?? 50_000);
const LOCAL = 200;
const RUNS = 7;
const tmp = await Deno.makeTempDir({ prefix: "varietal-offline-bench-" });
const usb = `${tmp}/media/usb/walls`;
const local = `${tmp}/local`;

/** A database with N images on the drive and LOCAL images (real empty files) in `local`. */
async function build(file: string): Promise<void> {
  await Deno.mkdir(local, { recursive: true });
  for (let i = 0; i < LOCAL; i++) Deno.writeFileSync(`${local}/${i}.jpg`, new Uint8Array());
  const db = await Database.open(file);
  const now = Date.now();
  db.transaction(() => {
    const src = db.raw.prepare(
      "INSERT INTO sources(path, added_at, last_scanned_at, root_dev, markers) VALUES (?, ?, ?, ?, ?)",
    );
    src.run(usb, now, now, 2049, JSON.stringify(["2019", "2020", "2021"]));
    src.run(local, now, now, Deno.statSync(local).dev, JSON.stringify(["0.jpg"]));
    const img = db.raw.prepare(
      `INSERT INTO images(path, source_id, size, mtime, width, height, format, times_shown,
         last_shown_at, indexed_at) VALUES (?, ?, 1, 1, 1920, 1080, 'jpeg', ?, ?, ?)`,
    );
    for (let i = 0; i < N; i++) {
      const shown = i % 3 === 0;
      img.run(
        `${usb}/${2019 + (i % 3)}/${i}.jpg`,
        1,
        shown ? 1 : 0,
        shown ? now - i * 1000 : null,
        now,
      );
    }
    for (let i = 0; i < LOCAL; i++) img.run(`${local}/${i}.jpg`, 2, 0, null, now);
  });
  db.close();
}

const missingCount = async (file: string) => {
  using db = await Database.open(file);
  return (db.raw.prepare("SELECT COUNT(*) AS n FROM images WHERE missing_since IS NOT NULL")
    .get() as { n: number }).n;
};

/** One `varietal select -n 1 --json` process on a fresh copy of the database. */
async function processRun(template: string) {
  const home = await Deno.makeTempDir({ dir: tmp, prefix: "home-" });
  const env = { ...homeEnv(home), PATH: Deno.env.get("PATH") ?? "" };
  const dataDir = `${env.XDG_DATA_HOME}/varietal`;
  await Deno.mkdir(dataDir, { recursive: true });
  const db = `${dataDir}/varietal.db`;
  await Deno.copyFile(template, db);
  const out = await measuredRun(
    [Deno.execPath(), "run", "-q", ...RUN_FLAGS, MAIN, "select", "-n", "1", "--json"],
    env,
    ROOT,
  );
  const result = {
    ms: out.ms,
    rss_mib: out.peakKiB === null ? NaN : out.peakKiB / 1024,
    code: out.code,
    marked_missing: await missingCount(db),
    warnings: out.stderr.split("\n").filter((l) => l.startsWith("varietal: ")),
  };
  await Deno.remove(home, { recursive: true });
  return result;
}

const rows: Row[] = [];
const results: Record<string, unknown>[] = [];
try {
  const template = `${tmp}/template.db`;
  await build(template);
  const cases: [string, () => Promise<void>][] = [
    ["drive unplugged (folder gone)", async () => {}],
    ["drive folder there, every file gone", async () => {
      for (const y of ["2019", "2020", "2021"]) {
        await Deno.mkdir(`${usb}/${y}`, { recursive: true });
      }
    }],
  ];
  for (const [label, setup] of cases) {
    await setup();
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await processRun(template));
    const inProcess = await (async () => {
      const file = `${tmp}/inproc.db`;
      await Deno.copyFile(template, file);
      using db = await Database.open(file);
      const config = defaultConfig();
      let seed = 1;
      return median(
        await time(
          () => selectImages(db, config, { count: 1, constraints: {} }, { seed: seed++ }),
          9,
          1,
        ),
      );
    })();
    const row = {
      case: label,
      images: N + LOCAL,
      process_median_ms: Number(median(runs.map((r) => r.ms)).toFixed(1)),
      process_max_ms: Number(Math.max(...runs.map((r) => r.ms)).toFixed(1)),
      peak_rss_max_mib: Number(Math.max(...runs.map((r) => r.rss_mib)).toFixed(1)),
      marked_missing_max: Math.max(...runs.map((r) => r.marked_missing)),
      exit_codes: [...new Set(runs.map((r) => r.code))].join(","),
      in_process_median_ms: Number(inProcess.toFixed(2)),
    };
    rows.push(row);
    results.push({ ...row, warnings: runs[0].warnings.map((w) => w.replaceAll(tmp, "$TMP")) });
  }
} finally {
  await Deno.remove(tmp, { recursive: true });
}
printTable(`select -n 1 with a ${N}-image source unavailable (${RUNS} processes each)`, rows);
const file = await writeResults("offline", { runs_per_case: RUNS, cases: results });
console.log(`\nwrote ${file}`);
