// What the guarded decode costs on the `next` path: each run is a fresh process (like a key
// binding's `varietal next`) that gets one image's palette (decode + shrink + quantise + derive)
// decoding in this thread, in a worker started when it is needed, or — what `next` does — in a
// worker started (its decoder compiled) while the setter ran, timed from the palette stage on. Then the palette stage of whole `next` processes, and how fast a hostile file is refused.
// Writes bench/results/decode.json.
import { median, printTable, type Row, writeResults } from "./_report.ts";
import { RUN_FLAGS } from "../tests/_helpers/env.ts";

const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? 9);
const self = new URL(import.meta.url).pathname;

if (Deno.args[0] === "--child") {
  // One measurement in a fresh process: prints {ms} (palette of one image).
  const [, mode, path, hideMs] = Deno.args;
  const { DecodeWorker } = await import("../src/palette/guarded_decode.ts");
  const { builtinPaletteForFile } = await import("../src/palette/builtin_file.ts");
  let worker: InstanceType<typeof DecodeWorker> | false | undefined;
  if (mode === "here") worker = false;
  if (mode === "warm") {
    // what `next` does: the worker starts and compiles the decoder while the setter runs
    worker = new DecodeWorker();
    worker.warm(path.endsWith(".png") ? "png" : "jpeg");
    await new Promise((r) => setTimeout(r, Number(hideMs)));
  }
  const t = performance.now();
  await builtinPaletteForFile(path, { worker });
  const ms = performance.now() - t;
  if (worker) worker.terminate();
  console.log(JSON.stringify({ ms }));
  Deno.exit(0);
}

// imported here: the child processes run without FFI, like varietal itself
const { COLORS, writeImage } = await import("../tests/_helpers/images.ts");
const tmp = await Deno.makeTempDir({ prefix: "varietal-decode-bench-" });
const inputs: { name: string; path: string }[] = [];
inputs.push({
  name: "generated 1920×1080 JPEG",
  path: await writeImage(`${tmp}/g1080.jpg`, {
    width: 1920,
    height: 1080,
    colors: [COLORS.navy, COLORS.orange, COLORS.teal],
    gradient: true,
    noise: 30,
  }),
});
for (
  const [name, path] of [
    [
      "real 3840×2160 JPEG (progressive)",
      "/usr/share/backgrounds/mate/abstract/Elephants_3840x2160.jpg",
    ],
    ["real 5120×2880 PNG", "/usr/share/wallpapers/Kay/contents/images/5120x2880.png"],
  ]
) {
  if (await Deno.stat(path).catch(() => null)) inputs.push({ name, path });
  else console.log(`skipped ${name}: ${path} absent`);
}

async function child(mode: string, path: string, hideMs = 0): Promise<number> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-q", ...RUN_FLAGS, self, "--child", mode, path, String(hideMs)],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`child ${mode} ${path} failed`);
  return JSON.parse(new TextDecoder().decode(out.stdout)).ms;
}

const modes: [string, string, number][] = [
  ["this thread (no timeout possible)", "here", 0],
  ["own worker, started when needed", "own", 0],
  ["warmed, no setter time to hide in", "warm", 0],
  ["warmed during a 100 ms setter", "warm", 100],
];
const rows: Row[] = [];
for (const input of inputs) {
  const times = new Map<string, number[]>();
  for (let i = 0; i < RUNS; i++) {
    // interleaved, so that load on the shared machine hits every mode alike
    for (const [label, mode, hide] of modes) {
      const list = times.get(label) ?? [];
      list.push(await child(mode, input.path, hide));
      times.set(label, list);
    }
  }
  const base = median(times.get(modes[0][0])!);
  for (const [label] of modes) {
    const m = median(times.get(label)!);
    rows.push({ image: input.name, decode: label, "median ms": m, "vs this thread ms": m - base });
  }
}
printTable(`palette of one image in a fresh process (median of ${RUNS})`, rows);

// The `next` pipeline on a first show (the worker starts decoding before the set stage): with
// `--setter none` there is nothing to hide the worker in; a setter that takes 100 ms (like swww or
// swaybg starting) hides most of the decode.
const { tempHome } = await import("../tests/_helpers/env.ts");
const stage: Row[] = [];
const setups = [];
for (
  const [label, wallpaper] of [
    ["setter none", 'setter = "none"'],
    [
      "setter taking 100 ms",
      'setter = "custom"\ncommand = ["sh", "-c", "sleep 0.1", "x", "{path}"]',
    ],
  ]
) {
  const home = await tempHome();
  const pics = `${home.root}/pics`;
  const files: string[] = [];
  for (let i = 0; i < RUNS; i++) {
    files.push(
      await writeImage(`${pics}/w${i}.jpg`, {
        width: 1920,
        height: 1080,
        colors: [COLORS.navy, COLORS.orange, COLORS.teal, i * 0x111111],
        gradient: true,
        noise: 30,
      }),
    );
  }
  await home.writeConfig(
    `[[sources]]\npath = "${pics}"\n[wallpaper]\n${wallpaper}\n[palette]\norigin = "builtin"\n` +
      `[theme]\nenabled = false\n`,
  );
  setups.push({ label, home, files, palette: [] as number[], total: [] as number[] });
}
const cli = (home: { env: Record<string, string> }, args: string[]) =>
  new Deno.Command(Deno.execPath(), {
    args: ["run", "-q", ...RUN_FLAGS, new URL("../main.ts", import.meta.url).pathname, ...args],
    env: home.env,
    stdout: "piped",
    stderr: "inherit",
  }).output();
for (const s of setups) await cli(s.home, ["scan"]);
for (let i = 0; i < RUNS; i++) {
  for (const s of setups) {
    const t = performance.now();
    const out = await cli(s.home, ["next", "--image", s.files[i], "--json"]);
    s.total.push(performance.now() - t);
    s.palette.push(JSON.parse(new TextDecoder().decode(out.stdout)).timings.palette);
  }
}
for (const s of setups) {
  stage.push({
    "next, first show of a 1920×1080 JPEG": s.label,
    "palette stage ms": median(s.palette),
    "whole process ms": median(s.total),
  });
  await s.home[Symbol.asyncDispose]();
}
printTable(`the next pipeline (median of ${RUNS})`, stage);

// Refusals: the header check alone, on hostile files made from a small generated image.
const { checkImageFile } = await import("../src/palette/guarded_decode.ts");
const small = await Deno.readFile(inputs[0].path);
const patched = small.slice();
for (let p = 2; p < patched.length;) {
  const m = patched[p + 1];
  if (m >= 0xc0 && m <= 0xc2) {
    patched.set([65000 >> 8, 65000 & 255, 65000 >> 8, 65000 & 255], p + 5);
    break;
  }
  p += 2 + ((patched[p + 2] << 8) | patched[p + 3]);
}
await Deno.writeFile(`${tmp}/patched.jpg`, patched);
const refusal: Row[] = [];
for (const [name, path] of [["JPEG patched to 65000×65000", `${tmp}/patched.jpg`]]) {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await checkImageFile(path, 150e6).catch(() => {});
    ms.push(performance.now() - t);
  }
  refusal.push({ file: name, "refused in ms (median)": median(ms) });
}
printTable("refusal before decoding", refusal);

const file = await writeResults("decode", { runs: RUNS, rows, stage, refusal });
console.log(`\nwrote ${file}`);
await Deno.remove(tmp, { recursive: true });
