// Palette extraction speed and quality: the built-in extractor split into decode / downscale /
// quantise / derive, node-vibrant on the same files, mean ΔE from a 256 px copy of each image
// to its nearest palette colour, a whole `varietal palette IMG --json` process, and `extract`
// throughput with 1 and 2 workers, and a Material 3 scheme from a 4K JPEG in-process (decode,
// source colour as matugen picks it, both variants of the scheme). Writes
// bench/results/palette.json.
import { median, printTable, type Row, time, writeResults } from "./_report.ts";
import { COLORS, writeImage } from "../tests/_helpers/images.ts";
import { homeEnv, RUN_FLAGS } from "../tests/_helpers/env.ts";
import { decodeImage } from "../src/palette/decode.ts";
import { downscale, type Pixels } from "../src/palette/downscale.ts";
import { type Cluster, quantize } from "../src/palette/quantize.ts";
import { derivePalette } from "../src/palette/derive.ts";
import { builtinPaletteForFile } from "../src/palette/builtin_file.ts";
import { deltaE, type Lab, parseHex, rgbToOklab } from "../src/palette/color.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? 5);
const tmp = await Deno.makeTempDir({ prefix: "varietal-palette-bench-" });

// --- inputs -----------------------------------------------------------------------------------
const inputs: { name: string; path: string }[] = [];
const gen4k = await writeImage(`${tmp}/generated-3840x2160.jpg`, {
  width: 3840,
  height: 2160,
  colors: [COLORS.navy, COLORS.teal, COLORS.orange, COLORS.pink, COLORS.yellow],
  gradient: true,
  noise: 40,
});
inputs.push({ name: "generated 3840×2160 JPEG (baseline)", path: gen4k });
const gen1080 = await writeImage(`${tmp}/generated-1920x1080.png`, {
  width: 1920,
  height: 1080,
  colors: [COLORS.black, COLORS.purple, COLORS.blue, COLORS.white],
  gradient: true,
  noise: 30,
});
inputs.push({ name: "generated 1920×1080 PNG", path: gen1080 });
const REAL = [
  [
    "real 3840×2160 JPEG (progressive)",
    "/usr/share/backgrounds/mate/abstract/Elephants_3840x2160.jpg",
  ],
  ["real 3840×2160 PNG", "/usr/share/wallpapers/Canopee/contents/images/3840x2160.png"],
  ["real 4096×4096 WebP", "/usr/share/backgrounds/gnome/adwaita-d.webp"],
  ["real 256×256 WebP", "/usr/share/backgrounds/gnome/vnc-d.webp"],
];
const skipped: string[] = [];
for (const [name, path] of REAL) {
  if (await Deno.stat(path).catch(() => null)) inputs.push({ name, path });
  else skipped.push(`${name}: ${path} absent`);
}

// --- quality ------------------------------------------------------------------------------------
function labs(px: Pixels): Lab[] {
  const out: Lab[] = [];
  for (let i = 0; i < px.width * px.height; i++) {
    if (px.data[i * 4 + 3] < 128) continue;
    out.push(rgbToOklab({ r: px.data[i * 4], g: px.data[i * 4 + 1], b: px.data[i * 4 + 2] }));
  }
  return out;
}
function meanDeltaE(pixels: Lab[], palette: Lab[]): number {
  let s = 0;
  for (const p of pixels) {
    let best = Infinity;
    for (const c of palette) best = Math.min(best, deltaE(p, c));
    s += best;
  }
  return s / pixels.length;
}
const hexLab = (h: string) => rgbToOklab(parseHex(h));

// --- node-vibrant ----------------------------------------------------------------------------------
// deno-lint-ignore no-explicit-any
let Vibrant: any;
try {
  ({ Vibrant } = await import("node-vibrant/node"));
} catch (e) {
  skipped.push(`node-vibrant: ${(e as Error).message}`);
}

const speed: Row[] = [];
const quality: Row[] = [];
for (const { name, path } of inputs) {
  const bytes = await Deno.readFile(path);
  let px: Pixels = { width: 0, height: 0, data: new Uint8Array() };
  let small: Pixels = px;
  let clusters: Cluster[] = [];
  const tDecode = await time(async () => px = await decodeImage(bytes, { name }), RUNS);
  const tDown = await time(() => small = downscale(px, 256), RUNS);
  const tQuant = await time(() => clusters = quantize(small), RUNS);
  const palette = derivePalette(clusters);
  const tDerive = await time(() => derivePalette(clusters), RUNS);
  const tTotal = await time(() => builtinPaletteForFile(path), RUNS);
  let vibrantMs: number | null = null;
  let vibrantLabs: Lab[] | null = null;
  let vibrantNote = "";
  if (Vibrant) {
    try {
      // deno-lint-ignore no-explicit-any
      let swatches: any = {};
      const t = await time(async () => swatches = await Vibrant.from(path).getPalette(), 3, 1);
      vibrantMs = median(t);
      vibrantLabs = Object.values(swatches).filter(Boolean).map((s) =>
        // deno-lint-ignore no-explicit-any
        hexLab((s as any).hex)
      );
    } catch (e) {
      vibrantNote = (e as Error).message;
    }
  }
  const total = median(tTotal);
  speed.push({
    image: name,
    decoded: `${px.width}×${px.height}`,
    decode_ms: median(tDecode),
    downscale_ms: median(tDown),
    quantise_ms: median(tQuant),
    derive_ms: median(tDerive),
    builtin_total_ms: total,
    vibrant_ms: vibrantMs,
    speedup: vibrantMs ? Math.round((vibrantMs / total) * 10) / 10 : null,
    note: vibrantNote,
  });
  const pix = labs(small);
  const top6 = [...clusters].sort((a, b) => b.weight - a.weight).slice(0, 6).map((c) => c.lab);
  quality.push({
    image: name,
    dE_builtin_terminal18: meanDeltaE(
      pix,
      [palette.background, palette.foreground, ...palette.colors].map(hexLab),
    ),
    dE_builtin_clusters16: meanDeltaE(pix, clusters.map((c) => c.lab)),
    dE_builtin_top6: meanDeltaE(pix, top6),
    dE_vibrant6: vibrantLabs ? meanDeltaE(pix, vibrantLabs) : null,
  });
}
printTable("Built-in extractor vs node-vibrant (ms, median)", speed);
printTable(
  "Quality: mean OKLab ΔE from a 256 px copy to the nearest palette colour (lower is better)",
  quality,
);

// --- Material 3 scheme from a 4K JPEG, in-process ---------------------------------------------------
const tImport = performance.now();
const { sourceColorFromPixels } = await import("../src/palette/material/source_color.ts");
const { materialScheme } = await import("../src/palette/material/scheme.ts");
const importMs = performance.now() - tImport;
const material: Row[] = [];
for (const { name, path } of inputs.filter((i) => /3840×2160 JPEG/.test(i.name))) {
  const bytes = await Deno.readFile(path);
  const tDecode: number[] = [], tSource: number[] = [], tScheme: number[] = [], tAll: number[] = [];
  let source = "";
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const px = await decodeImage(bytes, { minSide: 256 });
    const t1 = performance.now();
    source = sourceColorFromPixels(px).source;
    const t2 = performance.now();
    materialScheme(source, { scheme: "tonal-spot", contrast: 0 });
    const t3 = performance.now();
    tDecode.push(t1 - t0);
    tSource.push(t2 - t1);
    tScheme.push(t3 - t2);
    tAll.push(t3 - t0);
  }
  material.push({
    image: name,
    decode_ms: median(tDecode),
    source_colour_ms: median(tSource),
    scheme_both_variants_ms: median(tScheme),
    total_ms: median(tAll),
    source_colour: source,
  });
}
material.push({
  image: "first import of material-color-utilities (once per process)",
  total_ms: importMs,
});
printTable("Material 3 scheme from a 4K JPEG, in-process (ms, median)", material);

// --- a whole process ------------------------------------------------------------------------------
const home = `${tmp}/home`;
const env = { ...homeEnv(home), NO_COLOR: "1" };
await Deno.mkdir(home, { recursive: true });
const cli = async (args: string[]) => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-q", ...RUN_FLAGS, `${ROOT}main.ts`, ...args],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.code !== 0 && out.code !== 1) {
    throw new Error(
      `varietal ${args.join(" ")} exited ${out.code}: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return new TextDecoder().decode(out.stdout);
};
const bare = `${tmp}/bare.ts`;
await Deno.writeTextFile(bare, "");
const tBare = await time(async () => {
  await new Deno.Command(Deno.execPath(), { args: ["run", "-q", bare] }).output();
}, RUNS);
const procRows: Row[] = [{ what: "bare `deno run` (empty script)", ms: median(tBare) }];
for (const { name, path } of inputs.slice(0, 2)) {
  const t = await time(() => cli(["palette", path, "--json", "--origin", "builtin"]), RUNS);
  procRows.push({ what: `varietal palette --json: ${name}`, ms: median(t) });
}
printTable("Whole process (ms, median)", procRows);

// --- extract throughput ------------------------------------------------------------------------------
const N = Number(Deno.env.get("BENCH_EXTRACT_IMAGES") ?? 24);
const walls = `${tmp}/walls`;
for (let i = 0; i < N; i++) {
  const c = Object.values(COLORS);
  await writeImage(`${walls}/w${i}.jpg`, {
    width: 1920,
    height: 1080,
    colors: [c[i % c.length], c[(i + 3) % c.length], c[(i + 7) % c.length]],
    gradient: i % 2 === 0,
    noise: 25,
  });
}
await cli(["sources", "add", walls]);
await cli(["scan", "--quiet"]);
const extractRows: Row[] = [];
for (const jobs of [1, 2]) {
  const rep = JSON.parse(
    await cli(["extract", "--json", "--force", "--jobs", String(jobs)]),
  ) as { extracted: number; seconds: number };
  extractRows.push({
    workers: jobs,
    images: rep.extracted,
    seconds: rep.seconds,
    images_per_s: Math.round((rep.extracted / rep.seconds) * 10) / 10,
  });
}
printTable(`extract over ${N} generated 1920×1080 JPEGs`, extractRows);
if (skipped.length) console.log(`\nskipped: ${skipped.join("; ")}`);

const file = await writeResults("palette", {
  load_average: (() => {
    try {
      return Deno.loadavg();
    } catch {
      return null;
    }
  })(),
  runs: RUNS,
  speed,
  quality,
  material,
  process: procRows,
  extract: extractRows,
  skipped,
});
console.log(`\nwrote ${file}`);
await Deno.remove(tmp, { recursive: true });
