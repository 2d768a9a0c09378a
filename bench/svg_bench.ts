// SVG wallpapers: what each step costs on Debian's real SVGs (GNOME's backgrounds and every
// desktop-base theme's 1920×1080 wallpaper). In this process, after one warm-up: reading the size
// from the root tag (what `scan` does), drawing at 256 px for the palette (what the decoding
// thread does), and drawing the setter's PNG (draw + encode, what a raster-only setter waits for
// on a first show). Then whole `varietal next --image SVG` processes with a raster-only setter
// (a stand-in `xwallpaper`), fresh cache each time (first show: decode thread + PNG drawn) and
// again with the PNG cached and the palette stored. Writes bench/results/svg.json.
import { median, printTable, type Row, time, writeResults } from "./_report.ts";
import { makeHome, run, varietal } from "./_varietal.ts";
import { svgSize } from "../src/palette/svg_header.ts";
import { rasterSize, renderSvg, renderSvgPng } from "../src/palette/svg_render.ts";

const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? 5);
const PROCESS_RUNS = Number(Deno.env.get("BENCH_PROCESS_RUNS") ?? 3);

const files: string[] = [];
for (const dir of ["/usr/share/backgrounds/gnome"]) {
  try {
    for (const e of Deno.readDirSync(dir)) {
      if (e.isFile && e.name.endsWith(".svg")) files.push(`${dir}/${e.name}`);
    }
  } catch { /* not installed */ }
}
const themes = (() => {
  try {
    return [...Deno.readDirSync("/usr/share/desktop-base")];
  } catch {
    return []; // not installed
  }
})();
for (const e of themes) {
  const p = `/usr/share/desktop-base/${e.name}/wallpaper/contents/images/1920x1080.svg`;
  // active-theme, a symlink to one of the others, is not a directory entry here
  if (e.isDirectory && exists(p)) files.push(p);
}
files.sort();
if (files.length === 0) {
  console.log("skipped: no real SVG wallpapers (apt-get install gnome-backgrounds desktop-base)");
  Deno.exit(0);
}

function exists(p: string): boolean {
  try {
    return Deno.statSync(p).isFile;
  } catch {
    return false;
  }
}

const short = (p: string) => p.replace(/^\/usr\/share\/(backgrounds\/|desktop-base\/)/, "");
const rows: Row[] = [];
for (const f of files) {
  const bytes = await Deno.readFile(f);
  const size = svgSize(bytes)!;
  const png = rasterSize(size);
  const header = median(await time(() => svgSize(bytes), RUNS));
  const palette = median(await time(() => renderSvg(bytes, 256), RUNS));
  const setterPng = median(await time(() => renderSvgPng(bytes, png.width), Math.min(RUNS, 3)));
  rows.push({
    svg: short(f),
    kb: Math.round(bytes.length / 1024),
    asks: `${size.width}×${size.height}`,
    png: `${png.width}×${png.height}`,
    header_ms: header,
    palette_draw_ms: palette,
    setter_png_ms: setterPng,
  });
}
printTable(`SVG steps in one process (median of ${RUNS}; PNG of ≤ 3)`, rows);

// Whole processes: a key binding's `next --image` with a raster-only setter.
const tmp = await Deno.makeTempDir({ prefix: "varietal-svg-bench-" });
const bin = `${tmp}/bin`;
await Deno.mkdir(bin);
await Deno.writeTextFile(`${bin}/xwallpaper`, "#!/bin/sh\nexit 0\n");
await Deno.chmod(`${bin}/xwallpaper`, 0o755);
const picks = [files[0], files.find((f) => f.includes("desktop-base")) ?? files.at(-1)!];
const procRows: Row[] = [];
for (const f of picks) {
  const first: number[] = [];
  const again: number[] = [];
  for (let i = 0; i < PROCESS_RUNS; i++) {
    const home = `${tmp}/home-${i}-${first.length}-${procRows.length}`;
    const env = await makeHome(home);
    env.PATH = `${bin}:${env.PATH}`;
    const args = varietal("next", "--image", f, "--setter", "xwallpaper", "--json");
    first.push((await run(args, env, home)).ms);
    again.push((await run(args, env, home)).ms);
  }
  procRows.push({
    svg: short(f),
    "first show ms": median(first),
    "again (PNG cached, palette stored) ms": median(again),
  });
}
printTable(`next --image SVG --setter xwallpaper (median of ${PROCESS_RUNS})`, procRows);
await Deno.remove(tmp, { recursive: true });

console.log(
  "wrote",
  await writeResults("svg", {
    runs: RUNS,
    process_runs: PROCESS_RUNS,
    steps: rows,
    processes: procRows,
  }),
);
