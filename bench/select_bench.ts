// Selection speed: select 1 and select 100 on generated collections of 10k,
// 100k and 1M images (with palettes), plus the wall time of a
// `varietal select -n 1 --json` process on 100k images against a bare
// `deno run` of an empty script. Generated databases are cached in
// $TMPDIR/varietal-bench/ (never committed).
//
// Usage: deno task bench select   (VARIETAL_BENCH_SIZES=10000,100000 to limit)
import { median, printTable, type Row, time, writeResults } from "./_report.ts";
import { Database } from "../src/db/database.ts";
import { MIGRATIONS } from "../src/db/migrations.ts";
import { defaultConfig } from "../src/config/schema.ts";
import { selectImages } from "../src/select/selector.ts";
import { checkFile } from "../src/file_check.ts";
import { createRng, type Rng } from "../src/select/sampler.ts";
import { HUE_BUCKETS, hueBucket, hueMask, type HueShare } from "../src/palette/hue_ranges.ts";
import { homeEnv, RUN_FLAGS } from "../tests/_helpers/env.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const CACHE = `${Deno.env.get("TMPDIR") ?? "/tmp"}/varietal-bench`;
const FILES = `${CACHE}/files`;
/** Images with a real (empty) file behind them; larger ids point at absent paths. */
const REAL_FILES = 100_000;
const SIZES = (Deno.env.get("VARIETAL_BENCH_SIZES") ?? "10000,100000,1000000")
  .split(",").map(Number);
const NOW = Date.UTC(2026, 10, 1);
const GEN_VERSION = 3;

const filePath = (i: number) => `${FILES}/${i % 100}/${i}.jpg`;

async function ensureFiles(): Promise<void> {
  // The sources' folders must be there (with something in them), or every
  // source is offline and nothing is drawn.
  for (let s = 1; s <= 20; s++) {
    await Deno.mkdir(`${FILES}/source-${s}`, { recursive: true });
    await Deno.writeFile(`${FILES}/source-${s}/here.jpg`, new Uint8Array());
  }
  const marker = `${FILES}/.done-${REAL_FILES}`;
  try {
    await Deno.stat(marker);
    return;
  } catch { /* create them */ }
  console.log(`creating ${REAL_FILES} empty image files in ${FILES} (once)…`);
  for (let d = 0; d < 100; d++) await Deno.mkdir(`${FILES}/${d}`, { recursive: true });
  const empty = new Uint8Array(0);
  for (let i = 1; i <= REAL_FILES; i++) Deno.writeFileSync(filePath(i), empty);
  await Deno.writeTextFile(marker, "");
}

/**
 * Hue shares like a photo's: 10% grey pictures, else 30–100% of the picture
 * coloured, in 1–6 buckets around a main hue (most within ±40°, some anywhere).
 */
function randomShares(rng: Rng): { shares: HueShare[]; main: number | null; coloured: number } {
  if (rng() < 0.1) return { shares: [], main: null, coloured: rng() * 0.08 };
  const main = rng() * 360;
  const coloured = 0.3 + 0.7 * rng();
  const k = 1 + Math.floor(rng() * 6);
  const w = Array.from({ length: k }, () => rng());
  const sum = w.reduce((a, b) => a + b, 0);
  const byBucket = new Map<number, number>();
  w.forEach((x, i) => {
    const h = i === 0 ? main : rng() < 0.8 ? main + (rng() - 0.5) * 80 : rng() * 360;
    const b = hueBucket(h);
    byBucket.set(b, (byBucket.get(b) ?? 0) + Math.round((x / sum) * coloured * 1e4) / 1e4);
  });
  const shares = [...byBucket].filter(([, x]) => x > 0)
    .map(([b, share]) => ({ hue: (b % HUE_BUCKETS) * 5, share }));
  return { shares, main, coloured };
}

/** Builds (or reuses) a database of `n` images, 90% with palettes. */
async function ensureDb(n: number): Promise<string> {
  // The schema's steps are part of the key: a database cached by a checkout whose
  // migrations differ (or come in another order) is not reused.
  const schema = MIGRATIONS.map((m) => m.name).join("\n");
  let h = 5381;
  for (let i = 0; i < schema.length; i++) h = (h * 33 + schema.charCodeAt(i)) >>> 0;
  const file = `${CACHE}/select-${n}-v${GEN_VERSION}-s${h.toString(36)}.db`;
  try {
    await Deno.stat(file);
    return file;
  } catch { /* generate */ }
  const t = performance.now();
  const tmp = `${file}.tmp`;
  await Deno.remove(tmp).catch(() => {});
  const db = await Database.open(tmp);
  const rng = createRng(n);
  const interval = 900_000;
  db.transaction(() => {
    const src = db.raw.prepare("INSERT INTO sources(path, added_at) VALUES (?, ?)");
    for (let s = 1; s <= 20; s++) src.run(`${FILES}/source-${s}`, NOW);
    const img = db.raw.prepare(
      `INSERT INTO images(id, path, source_id, size, mtime, width, height, format, times_shown,
         last_shown_at, favorite, banned, indexed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    );
    const pal = db.raw.prepare(
      `INSERT INTO palettes(image_id, origin, variant, background, foreground, cursor,
        color0, color1, color2, color3, color4, color5, color6, color7, color8, color9, color10,
        color11, color12, color13, color14, color15, avg_hue, avg_saturation, avg_lightness,
        temperature, extracted_at, hue_mask) VALUES (?, 'builtin', 'dark16', ?, '#eeeeee',
        '#eeeeee', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const hue = db.raw.prepare(
      "INSERT INTO palette_hues(image_id, bucket, share) VALUES (?, ?, ?)",
    );
    const hex = () => "#" + Math.floor(rng() * 0xffffff).toString(16).padStart(6, "0");
    for (let i = 1; i <= n; i++) {
      const shown = rng() < 0.7;
      const landscape = rng() < 0.8;
      img.run(
        i,
        filePath(i),
        1 + Math.floor(rng() * 20),
        500_000,
        NOW,
        landscape ? 3840 : 1080,
        landscape ? 2160 : 1920,
        "jpeg",
        shown ? 1 + Math.floor(rng() * 5) : 0,
        shown ? NOW - Math.floor(rng() * n * interval) : null,
        rng() < 0.01 ? 1 : 0,
        rng() < 0.005 ? 1 : 0,
        NOW,
      );
      if (rng() < 0.9) {
        const colors = Array.from({ length: 16 }, hex);
        const { shares, main, coloured } = randomShares(rng);
        pal.run(
          i,
          hex(),
          ...colors,
          main,
          coloured * rng(),
          rng(),
          rng() * 2 - 1,
          NOW,
          hueMask(shares),
        );
        for (const s of shares) hue.run(i, s.hue / 5, Math.round(s.share * 1e4));
      }
    }
    const hist = db.raw.prepare("INSERT INTO history(image_id, shown_at) VALUES (?, ?)");
    for (let k = 0; k < 10; k++) hist.run(1 + Math.floor(rng() * n), NOW - k * interval);
  });
  db.raw.exec("ANALYZE");
  db.close();
  await Deno.rename(tmp, file);
  console.log(`generated ${file} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return file;
}

const config = defaultConfig();
const realFile = filePath(1);
const rows: Row[] = [];
const results: Record<string, unknown>[] = [];
await ensureFiles();
for (const n of SIZES) {
  const file = await ensureDb(n);
  using db = await Database.open(file);
  // Ids past REAL_FILES have no file: stat a real one instead so the cost stays honest.
  const check = (p: string) => checkFile(n <= REAL_FILES ? p : realFile);
  let seed = 1;
  const pick = (count: number, constraints = {}) => () => {
    const r = selectImages(db, config, { count, constraints }, { now: NOW, seed: seed++, check });
    if (r.picks.length !== count) throw new Error(`expected ${count} picks, got ${r.picks.length}`);
  };
  const cases: [string, () => void][] = [
    ["select 1", pick(1)],
    ["select 100", pick(100)],
    ["select 1 --dark --hue 200-260", pick(1, { lightness: "dark", hue: { from: 200, to: 260 } })],
    [
      "select 10 --hue 350-355 --warm",
      pick(10, { hue: { from: 350, to: 355 }, temperature: "warm" }),
    ],
    ["select 1 --hue orange", pick(1, { hue: { from: 15, to: 45 } })],
    [
      "select 10 --hue orange --dark --min-saturation 0.6",
      pick(10, { hue: { from: 15, to: 45 }, lightness: "dark", minSaturation: 0.6 }),
    ],
  ];
  const target = { avg_hue: 215, avg_saturation: 0.35, avg_lightness: 0.45, background: "#08162a" };
  cases.push(["select 1 --similar-to", pick(1, { similarTo: target })]);
  cases.push(["select --outputs 2", () => {
    const r = selectImages(db, config, {
      count: 1,
      constraints: {},
      outputs: [{ name: "A" }, { name: "B" }],
    }, { now: NOW, seed: seed++, check });
    if (r.picks.length !== 2) throw new Error(`expected 2 picks, got ${r.picks.length}`);
  }]);
  for (const [name, fn] of cases) {
    const ms = median(await time(fn, 9, 2));
    rows.push({ images: n, case: name, median_ms: ms });
    results.push({ images: n, case: name, median_ms: Number(ms.toFixed(3)) });
  }
}
printTable("selectImages() in-process (median of 9)", rows);

// Process start-up: `varietal select -n 1 --json` on 100k images vs an empty script
// (VARIETAL_BENCH_PROCESS=0 skips it).
const proc = Deno.env.get("VARIETAL_BENCH_PROCESS") === "0" ? null : await processTimes();

async function processTimes(): Promise<Record<string, number>> {
  const procN = SIZES.includes(100_000) ? 100_000 : SIZES[0];
  const home = await Deno.makeTempDir({ prefix: "varietal-bench-home-" });
  const env = { ...homeEnv(home), PATH: Deno.env.get("PATH") ?? "" };
  const dataDir = `${env.XDG_DATA_HOME}/varietal`;
  await Deno.mkdir(dataDir, { recursive: true });
  await Deno.copyFile(await ensureDb(procN), `${dataDir}/varietal.db`);
  const empty = `${home}/empty.ts`;
  await Deno.writeTextFile(empty, "");
  const run = async (args: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args,
      cwd: ROOT,
      env,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  };
  // Interleaved, so background load hits all three alike. `--version` is the CLI
  // skeleton alone (argument parsing, command table), for reference.
  const bare: number[] = [], version: number[] = [], sel: number[] = [];
  for (let i = 0; i < 17; i++) {
    const t0 = performance.now();
    await run(["run", "-q", empty]);
    const t1 = performance.now();
    await run(["run", "-q", ...RUN_FLAGS, "main.ts", "--version"]);
    const t2 = performance.now();
    await run(["run", "-q", ...RUN_FLAGS, "main.ts", "select", "-n", "1", "--json"]);
    const t3 = performance.now();
    if (i >= 2) {
      bare.push(t1 - t0);
      version.push(t2 - t1);
      sel.push(t3 - t2);
    }
  }
  await Deno.remove(home, { recursive: true });
  const proc = {
    images: procN,
    bare_deno_run_ms: Number(median(bare).toFixed(1)),
    varietal_version_ms: Number(median(version).toFixed(1)),
    varietal_select_ms: Number(median(sel).toFixed(1)),
    ratio: Number((median(sel) / median(bare)).toFixed(2)),
    version_ratio: Number((median(version) / median(bare)).toFixed(2)),
  };
  printTable("process wall time (median of 15, interleaved)", [proc]);
  return proc;
}

const file = await writeResults("select", { in_process: results, process: proc });
console.log(`\nwrote ${file}`);
