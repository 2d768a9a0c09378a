// Daemon memory: what a long-running `varietal daemon` holds after it has shown
// new large images (`varietal next --image`, which a running daemon answers,
// decoding on its own thread), with glibc's malloc defaults, with the setting
// varietal's launchers give it (MALLOC_MMAP_THRESHOLD_=4194304: see
// MALLOC_SETTING in src/install/launcher.ts), and with MALLOC_ARENA_MAX=2 (the
// other usual knob, for comparison).
//
// Each round starts a daemon (setter `none` in its config) in a fresh home, so
// that no palette is stored yet, and reads its resident memory (VmRSS in
// /proc/PID/status) once it is up, right after it has shown the IMAGES largest
// real wallpapers it can decode (KDE's 5120×2880 PNGs, GNOME's WebPs, Debian's
// big JPEGs), and SETTLE_S seconds later (the decoding thread that needed more
// than its budget has been replaced by then); the peak is VmHWM. The ways take
// turns, in reverse order every other round, ROUNDS rounds each, and each row
// is the median over its rounds.
// The time of each `next --image` is kept too (median over every show): a
// fixed threshold maps and unmaps every large buffer (a lower one, 128 KiB,
// made each show 5–20 ms slower), fewer arenas make threads share them.
//
// Skipped with a printed reason without real wallpapers or /proc.
// Usage: deno task bench daemon_memory   (DAEMON_MEMORY_ROUNDS=5 for more rounds)
import { MALLOC_SETTING } from "../src/install/launcher.ts";
import { median, printTable, type Row, writeResults } from "./_report.ts";
import {
  configureSetterNone,
  makeHome,
  realWallpapers,
  run,
  spawnDaemon,
  varietal,
  WALLPAPER_ROOTS,
} from "./_varietal.ts";

const IMAGES = 12;
const ROUNDS = Math.max(1, Number(Deno.env.get("DAEMON_MEMORY_ROUNDS") ?? 3));
const SETTLE_S = 20;
/** The formats the daemon's thread decodes (SVG is rasterised elsewhere). */
const DECODED = /\.(jpe?g|png|webp)$/i;

const WAYS: { name: string; env: Record<string, string> }[] = [
  { name: "glibc defaults", env: {} },
  {
    name: `${MALLOC_SETTING.name}=${MALLOC_SETTING.value} (varietal's)`,
    env: { [MALLOC_SETTING.name]: MALLOC_SETTING.value },
  },
  { name: "MALLOC_ARENA_MAX=2", env: { MALLOC_ARENA_MAX: "2" } },
];

/**
 * VmRSS and VmHWM of a process, in MiB, read by `cat` (Deno grants /proc/PID
 * only with --allow-all).
 */
async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const out = await new Deno.Command("cat", { args: [`/proc/${pid}/status`], stdout: "piped" })
    .output();
  if (!out.success) throw new Error(`cannot read /proc/${pid}/status`);
  const status = new TextDecoder().decode(out.stdout);
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(status)?.[1]);
  return { rss: kib("VmRSS") / 1024, peak: kib("VmHWM") / 1024 };
}

const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

interface Round {
  way: string;
  idle_mib: number;
  after_mib: number;
  settled_mib: number;
  peak_mib: number;
  next_image_ms: number[];
}

async function round(
  way: (typeof WAYS)[number],
  images: readonly string[],
  dir: string,
): Promise<Round> {
  const env = await makeHome(dir);
  await configureSetterNone(env);
  const daemon = await spawnDaemon(env, way.env);
  try {
    await sleep(1000); // its start-up work (spare FIFOs, the warm decoding thread)
    const idle = (await memoryOf(daemon.pid)).rss;
    const times: number[] = [];
    for (const image of images) {
      times.push((await run(varietal("next", "--image", image), env, env.HOME)).ms);
    }
    const after = (await memoryOf(daemon.pid)).rss;
    await sleep(SETTLE_S * 1000);
    const settled = await memoryOf(daemon.pid);
    return {
      way: way.name,
      idle_mib: idle,
      after_mib: after,
      settled_mib: settled.rss,
      peak_mib: settled.peak,
      next_image_ms: times,
    };
  } finally {
    await daemon.stop();
  }
}

const skipped: { what: string; why: string }[] = [];
const reals = (await realWallpapers()).filter((r) => DECODED.test(r.path));
let canProc = true;
try {
  await memoryOf(Deno.pid);
} catch {
  canProc = false;
}
const rounds: Round[] = [];
const images = [...reals].sort((a, b) => b.size - a.size).slice(0, IMAGES);
if (images.length === 0) {
  skipped.push({
    what: "every row",
    why: `no real wallpapers in ${WALLPAPER_ROOTS.join(", ")} ` +
      "(apt-get install gnome-backgrounds plasma-workspace-wallpapers mate-backgrounds desktop-base)",
  });
} else if (!canProc) {
  skipped.push({ what: "every row", why: "needs /proc and cat to read a process's memory" });
} else {
  const work = await Deno.makeTempDir({ prefix: "varietal-bench-memory-" });
  try {
    for (let r = 0; r < ROUNDS; r++) {
      // Alternating which way goes first, so that neither always meets a warmer machine.
      const order = r % 2 === 0 ? WAYS : [...WAYS].reverse();
      for (const way of order) {
        const i = WAYS.indexOf(way);
        console.log(`round ${r + 1}/${ROUNDS}: ${way.name}…`);
        rounds.push(await round(way, images.map((x) => x.path), `${work}/r${r}-${i}`));
      }
    }
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}
for (const s of skipped) console.log(`skipped ${s.what}: ${s.why}`);

const mib = (x: number) => Math.round(x * 10) / 10;
const rows: Row[] = WAYS.map((way) => {
  const mine = rounds.filter((r) => r.way === way.name);
  const row: Row = { way: way.name };
  if (mine.length === 0) return row;
  row.idle_mib = mib(median(mine.map((r) => r.idle_mib)));
  row[`after_${images.length}_images_mib`] = mib(median(mine.map((r) => r.after_mib)));
  row[`after_${SETTLE_S}s_mib`] = mib(median(mine.map((r) => r.settled_mib)));
  row.peak_mib = mib(median(mine.map((r) => r.peak_mib)));
  row.next_image_median_ms = mib(median(mine.flatMap((r) => r.next_image_ms)));
  return row;
});
printTable(
  `daemon memory: ${images.length} largest real wallpapers through \`next --image\`, ` +
    `median of ${ROUNDS} round(s)`,
  rows,
);
const file = await writeResults("daemon_memory", {
  date: new Date().toISOString(),
  deno: Deno.version.deno,
  rounds: ROUNDS,
  settle_s: SETTLE_S,
  images: images.map((x) => ({ path: x.path, bytes: x.size })),
  rows,
  runs: rounds.map((r) => ({
    ...r,
    idle_mib: mib(r.idle_mib),
    after_mib: mib(r.after_mib),
    settled_mib: mib(r.settled_mib),
    peak_mib: mib(r.peak_mib),
    next_image_ms: r.next_image_ms.map(mib),
  })),
  skipped,
});
console.log(`wrote ${file}`);
