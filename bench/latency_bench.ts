// Key-binding latency: whole `varietal` processes against a bare `deno run` of an
// empty script, interleaved in one loop (so background load hits both alike; the
// order is shuffled each round with a fixed seed, so no row always follows a heavy
// one), on Debian's real wallpapers:
//
//   0. (information) the floor: a script that loads node:sqlite, opens row 1's
//      database and reads one row;
//   1. `select -n 1 --json` on a 100k-file tree indexed by `varietal scan`
//      (hard links of the real wallpapers; no history, no favourites);
//   2. `next --setter none` when the pick has a stored palette (default config:
//      theme on, every built-in rendered into the cache folder);
//   3. `next --setter none --image` of the largest real JPEG, palette not yet
//      stored (deleted before each run, untimed);
//   4. peak RSS of `next --setter none` on a 1M-image database (the 100k scanned
//      rows plus 900k rows of 900k more hard links, copied from the scanned rows
//      of the same files: what a scan would write), via GNU time;
//   5. rows 2 and 3 while a daemon runs (on a copy of row 2's database, setter
//      `none` in its config, so row 2 is a key binding's bare `varietal next`),
//      which `next` hands its work to, and row 1 while a daemon runs on a copy of
//      row 1's database (select hands its draw over too); their CPU column is
//      left out (the work is the daemon's, not the measured process's). The
//      daemons start with the malloc setting the launcher gives them.
//
// Each row is a ratio of medians of wall times (and, with perf, of user +
// system CPU times, which move much less with the load of other work). Rows
// are skipped with a printed reason when the wallpapers (or GNU time, perf)
// are absent. The trees and databases are cached in $TMPDIR/varietal-bench/ (made
// once: about two minutes; never committed). Writes bench/results/latency.json.
//
// Usage: deno task bench latency   (LATENCY_RUNS=15 for more runs)
import { median, printTable, type Row, writeResults } from "./_report.ts";
import { DatabaseSync } from "node:sqlite";
import { defaultConfig } from "../src/config/schema.ts";
import { resolvePaths } from "../src/config/paths.ts";
import type { PaletteRecord } from "../src/palette/palette_record.ts";
import type { MaterialScheme } from "../src/palette/material/roles.ts";
import { paletteForImage } from "../src/palette/palette_for_image.ts";
import { createRng, randomInt, type Rng } from "../src/select/sampler.ts";
import { MIGRATIONS } from "../src/db/migrations.ts";
import {
  configureSetterNone,
  dbOf,
  MAIN,
  makeHome,
  type Real,
  realWallpapers,
  run,
  spawnDaemon,
  varietal,
  WALLPAPER_ROOTS,
} from "./_varietal.ts";
import { RUN_FLAGS } from "../tests/_helpers/env.ts";
import { MALLOC_SETTING } from "../src/install/launcher.ts";

const SCANNED = 100_000;
const LARGE = 1_000_000;
const RUNS = Math.max(9, Number(Deno.env.get("LATENCY_RUNS") ?? 11));
const WARMUP = 2;
/** Bump when the cached trees or databases must be rebuilt (4: schemes with status colours). */
const GEN_VERSION = 4;
const GOALS = { select: 1.5, next: 2.5, nextImage: 8, rssMiB: 80 };

const TMP = Deno.env.get("TMPDIR") ?? "/tmp";
const BENCH = `${TMP}/varietal-bench`;
const dec = new TextDecoder();
const PALETTE_COLUMNS = [
  "origin",
  "variant",
  "background",
  "foreground",
  "cursor",
  ...Array.from({ length: 16 }, (_, i) => `color${i}`),
  "avg_hue",
  "avg_saturation",
  "avg_lightness",
  "temperature",
  "extracted_at",
  "hue_mask",
].join(", ");

async function sha(text: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("").slice(0, 12);
}

/** The seed of the timed loop's order (see {@linkcode shuffled}). */
const SHUFFLE_SEED = 20261203;

/** A copy of `xs` in a random order (Fisher–Yates). */
function shuffled<T>(xs: readonly T[], rng: Rng): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(rng, 0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The pause after each timed run, so that the next starts on an idle machine. */
const settle = () => new Promise<void>((ok) => setTimeout(ok, 50));
/** The pause after a run a daemon answered: its own work after the answer (spare FIFOs) too. */
const settleDaemon = () => new Promise<void>((ok) => setTimeout(ok, 150));

/** Copies a database (and nothing of a WAL: cached files are closed cleanly) into a home. */
async function installDb(file: string, env: Record<string, string>): Promise<void> {
  await Deno.mkdir(`${env.XDG_DATA_HOME}/varietal`, { recursive: true, mode: 0o700 });
  await Deno.copyFile(file, dbOf(env));
  await Deno.chmod(dbOf(env), 0o600);
}

function linkTree(reals: Real[], dir: string, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const sub = `${dir}/d${Math.floor(i / 1000)}/e${Math.floor(i / 100) % 10}`;
    if (i === from || i % 100 === 0) Deno.mkdirSync(sub, { recursive: true });
    const r = reals[i % reals.length];
    Deno.linkSync(r.path, `${sub}/${i}${r.path.slice(r.path.lastIndexOf("."))}`);
  }
}

interface Fixture {
  /** `varietal scan` of the 100k tree: no palettes, no history. */
  scanned: string;
  /** The same with every image's palette stored. */
  withPalettes: string;
  /** 1M images with palettes. */
  large: string;
  /** A path in the tree of the largest real JPEG. */
  largestJpeg: string | null;
  largestJpegReal: string | null;
}

/** Builds (or reuses) the trees and databases. */
async function fixture(reals: Real[]): Promise<Fixture> {
  // Keyed on the migrations too: a copy made by another branch's varietal may have
  // steps in another order, which no released varietal would meet.
  const key = await sha(
    [
      GEN_VERSION,
      ...MIGRATIONS.map((m) => m.name),
      ...reals.map((r) => `${r.path}:${r.size}`),
    ].join("\n"),
  );
  // A fixed folder (the databases hold its paths), rebuilt when the key changes.
  const dir = `${BENCH}/latency`;
  const f: Fixture = {
    scanned: `${dir}/scanned.db`,
    withPalettes: `${dir}/palettes.db`,
    large: `${dir}/large.db`,
    largestJpeg: null,
    largestJpegReal: null,
  };
  await Deno.mkdir(BENCH, { recursive: true });
  const manifest = `${dir}/manifest.json`;
  try {
    const m = JSON.parse(await Deno.readTextFile(manifest));
    if (m.key === key) {
      return { ...f, largestJpeg: m.largestJpeg, largestJpegReal: m.largestJpegReal };
    }
  } catch { /* none yet */ }
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  await Deno.mkdir(dir, { recursive: true });
  const t0 = performance.now();
  const say = (s: string) =>
    console.log(`[${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${s}`);

  // Palettes first, with the default config (as `next` and `extract` would store them,
  // Material scheme included); files that cannot be decoded are left out so that every
  // image has one.
  say(`extracting the palettes of ${reals.length} real wallpapers (once)…`);
  const config = defaultConfig();
  const paths = resolvePaths((k) => (k === "HOME" ? `${dir}/home` : undefined));
  const palettes = new Map<string, PaletteRecord>();
  const schemes = new Map<string, MaterialScheme>();
  for (const r of reals) {
    try {
      const got = await paletteForImage(r.path, { config, paths, scheme: true });
      palettes.set(r.path, got.palette);
      if (got.scheme) schemes.set(r.path, got.scheme);
    } catch (e) {
      console.log(`  leaving out ${r.path}: ${(e as Error).message}`);
    }
  }
  const usable = reals.filter((r) => palettes.has(r.path));
  if (usable.length === 0) throw new Error("no real wallpaper could be decoded");
  const jpegs = usable.filter((r) => /\.jpe?g$/i.test(r.path)).sort((a, b) => b.size - a.size);

  say(`hard-linking ${LARGE} files to ${usable.length} wallpapers…`);
  linkTree(usable, `${dir}/scan`, 0, SCANNED);
  linkTree(usable, `${dir}/more`, SCANNED, LARGE);

  say(`varietal scan of ${SCANNED} files…`);
  const home = await makeHome(`${dir}/home`);
  await run(varietal("sources", "add", `${dir}/scan`), home, dir);
  await run(varietal("scan"), home, dir);
  await Deno.copyFile(dbOf(home), f.scanned);

  say("storing palettes…");
  const ino = new Map<number, PaletteRecord>();
  const inoPath = new Map<number, string>();
  for (const r of usable) {
    const i = Deno.statSync(r.path).ino!;
    ino.set(i, palettes.get(r.path)!);
    inoPath.set(i, r.path);
  }
  {
    using db = await (await import("../src/db/database.ts")).Database.open(dbOf(home));
    const { savePalette } = await import("../src/db/palettes.ts");
    const { saveImageScheme } = await import("../src/db/material_schemes.ts");
    const rows = db.raw.prepare("SELECT id, path FROM images").all() as {
      id: number;
      path: string;
    }[];
    const now = Date.now() + 1000;
    db.transaction(() => {
      for (const row of rows) {
        const i = Deno.statSync(row.path).ino!;
        savePalette(db, row.id, ino.get(i)!, now);
        const scheme = schemes.get(inoPath.get(i)!);
        if (scheme) saveImageScheme(db, row.id, scheme);
        if (jpegs.length && !f.largestJpeg && inoPath.get(i) === jpegs[0].path) {
          f.largestJpeg = row.path;
          f.largestJpegReal = jpegs[0].path;
        }
      }
    });
  }
  await Deno.copyFile(dbOf(home), f.withPalettes);

  say(`adding ${LARGE - SCANNED} rows for the other links (copies of the scanned rows)…`);
  {
    using db = await (await import("../src/db/database.ts")).Database.open(dbOf(home));
    const raw = db.raw;
    const byIno = new Map<number, number>();
    for (
      const r of raw.prepare("SELECT id, path FROM images").all() as { id: number; path: string }[]
    ) {
      const i = Deno.statSync(r.path).ino!;
      if (!byIno.has(i)) byIno.set(i, r.id);
    }
    raw.prepare("INSERT INTO sources(path, added_at) VALUES (?, ?)").run(`${dir}/more`, Date.now());
    const sourceId = (raw.prepare("SELECT id FROM sources WHERE path = ?").get(`${dir}/more`) as {
      id: number;
    }).id;
    const img = raw.prepare(
      `INSERT INTO images(path, source_id, size, mtime, width, height, format, indexed_at)
       SELECT ?, ?, size, mtime, width, height, format, indexed_at FROM images WHERE id = ?`,
    );
    const pal = raw.prepare(
      `INSERT INTO palettes(image_id, ${PALETTE_COLUMNS}) SELECT ?, ${PALETTE_COLUMNS}
       FROM palettes WHERE image_id = ?`,
    );
    // Every table of a stored palette: without its hue mask or Material row a
    // palette is not fresh, and `next` would extract it again.
    const hues = raw.prepare(
      `INSERT INTO palette_hues(image_id, bucket, share) SELECT ?, bucket, share
       FROM palette_hues WHERE image_id = ?`,
    );
    const material = raw.prepare(
      `INSERT INTO palette_material(image_id, source_color, mean_tone) SELECT ?, source_color,
       mean_tone FROM palette_material WHERE image_id = ?`,
    );
    const scheme = raw.prepare(
      `INSERT INTO palette_schemes(image_id, source_color, scheme, contrast, version, roles)
       SELECT ?, source_color, scheme, contrast, version, roles FROM palette_schemes
       WHERE image_id = ?`,
    );
    const inoOfReal = usable.map((r) => Deno.statSync(r.path).ino!);
    db.transaction(() => {
      for (let i = SCANNED; i < LARGE; i++) {
        const r = usable[i % usable.length];
        const p = `${dir}/more/d${Math.floor(i / 1000)}/e${Math.floor(i / 100) % 10}/${i}${
          r.path.slice(r.path.lastIndexOf("."))
        }`;
        const from = byIno.get(inoOfReal[i % usable.length])!;
        const id = Number(img.run(p, sourceId, from).lastInsertRowid);
        pal.run(id, from);
        hues.run(id, from);
        material.run(id, from);
        scheme.run(id, from);
      }
    });
  }
  await Deno.copyFile(dbOf(home), f.large);
  await Deno.remove(`${dir}/home`, { recursive: true });
  await Deno.writeTextFile(
    manifest,
    JSON.stringify({ key, largestJpeg: f.largestJpeg, largestJpegReal: f.largestJpegReal }),
  );
  say("fixture ready");
  return f;
}

/** A case of the timed loop. */
interface Case {
  name: string;
  /** The goal ratio; null for a row shown for information. */
  goal: number | null;
  argv: string[];
  env: Record<string, string>;
  /** Untimed work before each run. */
  before?: () => void;
  /** Untimed wait after each run (the daemon's own work after answering, off the next row's clock). */
  after?: () => Promise<void>;
  /** The command's own CPU time is not the work done (another process does it). */
  noCpu?: boolean;
  times: number[];
}

const q = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(p * (s.length - 1))))];
};
const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;

const reals = await realWallpapers();
const rows: Row[] = [];
const results: Record<string, unknown>[] = [];
const skipped: { row: string; reason: string }[] = [];
const skip = (row: string, reason: string) => {
  console.log(`skipping ${row}: ${reason}`);
  skipped.push({ row, reason });
};
let bareMs: number | null = null;
let bareCpuMs: number | null = null;
let rss: Record<string, unknown> | null = null;
let daemon: { env: Record<string, string>; stop(): Promise<void> } | undefined;
let selectDaemon: { env: Record<string, string>; stop(): Promise<void> } | undefined;

if (reals.length === 0) {
  const why = `no real wallpapers in ${WALLPAPER_ROOTS.join(", ")} ` +
    "(apt-get install gnome-backgrounds mate-backgrounds desktop-base)";
  for (const r of ["select", "next", "next --image", "peak RSS"]) skip(r, why);
} else {
  const f = await fixture(reals);
  const work = await Deno.makeTempDir({ prefix: "varietal-latency-" });
  try {
    const empty = `${work}/empty.ts`;
    await Deno.writeTextFile(empty, "");
    const selHome = await makeHome(`${work}/select`);
    await installDb(f.scanned, selHome);
    const nextHome = await makeHome(`${work}/next`);
    await installDb(f.withPalettes, nextHome);
    const bareEnv = await makeHome(`${work}/bare`);

    // What no program reading the database can beat: Deno loading node:sqlite, opening
    // the scanned tree's database and reading one random row's path (shown for information).
    const floor = `${work}/floor.js`;
    await Deno.writeTextFile(
      floor,
      [
        'import { DatabaseSync } from "node:sqlite";',
        'const db = new DatabaseSync(Deno.env.get("XDG_DATA_HOME") + "/varietal/varietal.db");',
        'const n = db.prepare("SELECT max(id) AS n FROM images").get().n;',
        'const r = db.prepare("SELECT path FROM images WHERE id >= ? LIMIT 1")',
        "  .get(1 + Math.floor(Math.random() * n));",
        "console.log(JSON.stringify([{ path: r.path }]));",
        "db.close();",
        "",
      ].join("\n"),
    );

    const cases: Case[] = [
      {
        name: "floor: node:sqlite opens the database and reads one row",
        goal: null,
        argv: [Deno.execPath(), "run", "-q", ...RUN_FLAGS, floor],
        env: selHome,
        times: [],
      },
      {
        name: `select -n 1 --json (${SCANNED / 1000}k scanned files)`,
        goal: GOALS.select,
        argv: varietal("select", "-n", "1", "--json"),
        env: selHome,
        times: [],
      },
      {
        name: "next (stored palette)",
        goal: GOALS.next,
        argv: varietal("next", "--setter", "none"),
        env: nextHome,
        times: [],
      },
    ];
    if (f.largestJpeg) {
      const st = Deno.statSync(f.largestJpegReal!);
      cases.push({
        name: `next --image ${f.largestJpegReal!.split("/").pop()} (${
          (st.size / 2 ** 20).toFixed(0)
        } MB, no palette)`,
        goal: GOALS.nextImage,
        argv: varietal("next", "--setter", "none", "--image", f.largestJpeg),
        env: nextHome,
        before: paletteDeleter(dbOf(nextHome), f.largestJpeg),
        times: [],
      });
    } else skip("next --image", "no real JPEG could be decoded");
    // The same `next` with a daemon running on a copy of row 2's database: a plain
    // `next` is handed to it (src/cli/_next_client.ts) and returns once the wallpaper is
    // set, recorded and themed, as by itself. After each run the daemon may make spare
    // reply FIFOs (one mkfifo every four requests): waited out, untimed.
    daemon = await startDaemon(f.withPalettes, `${work}/daemon`);
    cases.push({
      name: "next (stored palette), daemon running",
      goal: GOALS.next,
      argv: varietal("next"),
      env: daemon.env,
      after: settleDaemon,
      noCpu: true,
      times: [],
    });
    if (f.largestJpeg) {
      // And row 3's: the daemon's decoding thread is warm after its first image.
      const deleteIn = paletteDeleter(dbOf(daemon.env), f.largestJpeg);
      cases.push({
        name: `next --image ${f.largestJpegReal!.split("/").pop()}, daemon running`,
        goal: GOALS.nextImage,
        argv: varietal("next", "--image", f.largestJpeg),
        env: daemon.env,
        before: deleteIn,
        after: settleDaemon,
        noCpu: true,
        times: [],
      });
    }
    // And row 1's: a select with only passed-on options is drawn by the daemon
    // (src/cli/_select_client.ts), here one on a copy of the scanned tree's database.
    selectDaemon = await startDaemon(f.scanned, `${work}/select-daemon`);
    cases.push({
      name: `select -n 1 --json (${SCANNED / 1000}k scanned files), daemon running`,
      goal: GOALS.select,
      argv: varietal("select", "-n", "1", "--json"),
      env: selectDaemon.env,
      // Its daemon tops up its spare reply FIFOs after answering: waited out, untimed.
      after: settleDaemon,
      noCpu: true,
      times: [],
    });

    // One loop: each round runs a bare start and every case once, in an order shuffled
    // anew each round (a fixed seed, so a rerun repeats it), each after the previous one's
    // work has settled. A fixed order biased the rows: a command that follows a heavy one
    // (`next --image` decodes 16 MB) starts with cold CPU caches, and the bare start, always
    // first, never did (measured on 12-03: the daemon's select went from 1.42× to 1.69× a
    // bare start when it followed `next --image`, and to 1.72× after a 64 MB memory sweep).
    const bare: number[] = [];
    const rng = createRng(SHUFFLE_SEED);
    type Slot = { argv: string[]; env: Record<string, string>; case?: Case };
    const slots: Slot[] = [
      { argv: [Deno.execPath(), "run", "-q", empty], env: bareEnv },
      ...cases.map((c) => ({ argv: c.argv, env: c.env, case: c })),
    ];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      for (const slot of shuffled(slots, rng)) {
        slot.case?.before?.();
        const { ms } = await run(slot.argv, slot.env, slot.env.HOME);
        await (slot.case?.after ?? settle)();
        if (i < WARMUP) continue;
        if (slot.case) slot.case.times.push(ms);
        else bare.push(ms);
      }
    }
    bareMs = median(bare);

    // CPU time (user + system) of the same commands, from perf's task-clock:
    // unlike wall time it hardly moves with the load of other work.
    const cpu = await cpuTimes([
      { argv: [Deno.execPath(), "run", "-q", empty], env: bareEnv },
      ...cases.filter((c) => !c.noCpu),
    ], work);
    const bareCpu = cpu ? median(cpu[0]) : null;
    if (bareCpu !== null) bareCpuMs = r1(bareCpu);
    rows.push({
      path: "bare `deno run` of an empty script",
      median_ms: bareMs,
      p25_ms: q(bare, 0.25),
      p75_ms: q(bare, 0.75),
      ratio: 1,
      ratio_p25_p75: "",
      cpu_ms: bareCpu,
      cpu_ratio: bareCpu === null ? null : 1,
      goal: "",
    });
    cases.forEach((c) => {
      const ratios = c.times.map((t, i) => t / bare[i]);
      const ratio = median(c.times) / bareMs!;
      const timed = cases.filter((x) => !x.noCpu).indexOf(c);
      const cpuMs = cpu && timed >= 0 ? median(cpu[timed + 1]) : null;
      const cpuRatio = cpuMs === null || bareCpu === null ? null : r2(cpuMs / bareCpu);
      rows.push({
        path: c.name,
        median_ms: median(c.times),
        p25_ms: q(c.times, 0.25),
        p75_ms: q(c.times, 0.75),
        ratio: r2(ratio),
        ratio_p25_p75: `${q(ratios, 0.25).toFixed(2)}–${q(ratios, 0.75).toFixed(2)}`,
        cpu_ms: cpuMs,
        cpu_ratio: cpuRatio,
        goal: c.goal === null ? "(information)" : `≤ ${c.goal}×`,
      });
      results.push({
        path: c.name,
        command: c.argv.includes(MAIN)
          ? c.argv.slice(c.argv.indexOf(MAIN) + 1).join(" ")
          : c.argv.at(-1)!.split("/").pop(),
        median_ms: r1(median(c.times)),
        p25_ms: r1(q(c.times, 0.25)),
        p75_ms: r1(q(c.times, 0.75)),
        ratio: r2(ratio),
        ratio_p25: r2(q(ratios, 0.25)),
        ratio_p75: r2(q(ratios, 0.75)),
        cpu_ms: cpuMs === null ? null : r1(cpuMs),
        cpu_ratio: cpuRatio,
        goal_ratio: c.goal,
        met: c.goal === null ? null : ratio <= c.goal,
      });
    });

    // Where the time goes: `next --json` stage timings (separate runs).
    for (const c of cases.filter((c) => c.argv.includes("next"))) {
      const stages: Record<string, number[]> = {};
      for (let i = 0; i < 5; i++) {
        c.before?.();
        const { stdout } = await run([...c.argv, "--json"], c.env, c.env.HOME);
        const t = JSON.parse(stdout).timings as Record<string, number>;
        for (const [k, v] of Object.entries(t)) (stages[k] ??= []).push(v);
      }
      const med = Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, r1(median(v))]));
      printTable(`${c.name}: --json timings (median of 5, ms)`, [med]);
      const res = results.find((r) => r.path === c.name);
      if (res) res.stages_ms = med;
    }

    rss = await peakRss(f, work, bareEnv, empty);
  } finally {
    await daemon?.stop();
    await selectDaemon?.stop();
    await Deno.remove(work, { recursive: true });
  }
}

/** Deletes the stored palette of `path` from the database `file` (untimed, before a run). */
function paletteDeleter(file: string, path: string): () => void {
  const db = new DatabaseSync(file);
  const { id } = db.prepare("SELECT id FROM images WHERE path = ?").get(path) as { id: number };
  db.close();
  return () => {
    const db = new DatabaseSync(file);
    try {
      db.prepare("DELETE FROM palettes WHERE image_id = ?").run(id);
    } finally {
      db.close();
    }
  };
}

/**
 * Starts `varietal daemon` (setter `none` in its config, a day's interval so
 * its timer never fires) on its own copy of the palettes database, and waits
 * for its control FIFO.
 */
async function startDaemon(
  db: string,
  dir: string,
): Promise<{ env: Record<string, string>; stop(): Promise<void> }> {
  const env = await makeHome(dir);
  await installDb(db, env);
  // The setter in the config (not --setter), so that a key binding's bare `next` is measured.
  await configureSetterNone(env);
  // Started as the launcher, the tasks and the systemd unit start it.
  const daemon = await spawnDaemon(env, { [MALLOC_SETTING.name]: MALLOC_SETTING.value });
  return { env, stop: () => daemon.stop() };
}

/**
 * CPU times (ms) of each command, `RUNS` interleaved rounds after `WARMUP`,
 * from `perf stat`'s task-clock; null (with a printed reason) without perf.
 */
async function cpuTimes(
  cmds: { argv: string[]; env: Record<string, string>; before?: () => void }[],
  work: string,
): Promise<number[][] | null> {
  const file = `${work}/perf`;
  const measure = async (argv: string[], env: Record<string, string>) => {
    await run(
      ["perf", "stat", "-x,", "-e", "task-clock", "-o", file, "--", ...argv],
      env,
      env.HOME,
    );
    const line = (await Deno.readTextFile(file)).split("\n").find((l) => l.includes("task-clock"));
    const ms = Number(line?.split(",")[0]);
    if (!Number.isFinite(ms) || ms <= 0) throw new Error(`cannot read perf's output: ${line}`);
    return ms;
  };
  try {
    await measure(["true"], { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: work });
  } catch (e) {
    skip("CPU times", `needs perf (apt-get install linux-perf): ${(e as Error).message}`);
    return null;
  }
  const out: number[][] = cmds.map(() => []);
  for (let i = 0; i < WARMUP + RUNS; i++) {
    for (const [k, c] of cmds.entries()) {
      c.before?.();
      const ms = await measure(c.argv, c.env);
      if (i >= WARMUP) out[k].push(ms);
    }
  }
  return out;
}

/** Peak RSS of `next` on the 1M-image database and of a bare start, via GNU time. */
async function peakRss(
  f: Fixture,
  work: string,
  bareEnv: Record<string, string>,
  empty: string,
): Promise<Record<string, unknown> | null> {
  const time = "/usr/bin/time";
  try {
    const out = await new Deno.Command(time, { args: ["-f", "%M", "true"], stderr: "piped" })
      .output();
    if (!out.success || !/^\d+\s*$/.test(dec.decode(out.stderr))) throw new Error();
  } catch {
    skip("peak RSS", "needs GNU time at /usr/bin/time (apt-get install time)");
    return null;
  }
  const home = await makeHome(`${work}/large`);
  await installDb(f.large, home);
  const kib = async (argv: string[], env: Record<string, string>) => {
    const file = `${work}/rss`;
    const t = await run([time, "-f", "%M", "-o", file, ...argv], env, env.HOME);
    return { kib: Number((await Deno.readTextFile(file)).trim().split("\n").pop()), ms: t.ms };
  };
  const bare: number[] = [], next: number[] = [], ms: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const b = await kib([Deno.execPath(), "run", "-q", empty], bareEnv);
    const n = await kib(varietal("next", "--setter", "none"), home);
    if (i < WARMUP) continue;
    bare.push(b.kib);
    next.push(n.kib);
    ms.push(n.ms);
  }
  const mib = (k: number) => r1(k / 1024);
  const row = {
    path: `peak RSS of next (${LARGE / 1e6}M images)`,
    command: "next --setter none",
    images: LARGE,
    peak_rss_mib: mib(median(next)),
    peak_rss_mib_min: mib(Math.min(...next)),
    peak_rss_mib_max: mib(Math.max(...next)),
    bare_peak_rss_mib: mib(median(bare)),
    median_ms: r1(median(ms)),
    goal_mib: GOALS.rssMiB,
    met: median(next) / 1024 <= GOALS.rssMiB,
  };
  printTable("peak RSS (GNU time, median)", [{
    path: row.path,
    peak_mib: row.peak_rss_mib,
    range: `${row.peak_rss_mib_min}–${row.peak_rss_mib_max}`,
    bare_mib: row.bare_peak_rss_mib,
    wall_ms: row.median_ms,
    goal: `≤ ${GOALS.rssMiB} MiB`,
  }]);
  return row;
}

printTable(`latency (median of ${RUNS}, interleaved with a bare start)`, rows);
const load = Deno.loadavg();
console.log(`\nload average during the run: ${load.map((l) => l.toFixed(1)).join(" ")}`);
const file = await writeResults("latency", {
  load_average: load,
  runs: RUNS,
  order: `shuffled each round (createRng, seed ${SHUFFLE_SEED}), 50 ms settle after each run`,
  bare_deno_run_ms: bareMs === null ? null : r1(bareMs),
  bare_deno_run_cpu_ms: bareCpuMs,
  rows: results,
  peak_rss: rss,
  skipped,
});
console.log(`wrote ${file}`);
