// Theme bench: cold and warm `theme apply` of all built-in templates (render + atomic
// write of each target), compile and render time per template, and a `varietal theme
// apply` process end to end. Setup is untimed; writes go to a temp dir.
import { median, printTable, type Row, time, writeResults } from "./_report.ts";
import { ThemeEngine } from "../src/theme/engine.ts";
import { listBuiltins, MATERIAL_BUILTINS } from "../src/theme/builtins.ts";
import { matugenVariables } from "../src/theme/matugen_variables.ts";
import { materialScheme } from "../src/palette/material/scheme.ts";
import { compileTemplate } from "../src/theme/compile_template.ts";
import { templateVariables } from "../src/theme/variables.ts";
import { defaultConfig } from "../src/config/schema.ts";
import { resolvePaths } from "../src/config/paths.ts";
import { readPaletteFile } from "../src/palette/palette_file.ts";

const COMPAT = new URL("../tests/testdata/pywal/colors.json", import.meta.url).pathname;
const palette = await readPaletteFile(COMPAT);
const home = await Deno.makeTempDir({ prefix: "varietal-theme-bench-" });
const paths = resolvePaths((k) => (k === "HOME" ? home : undefined));
const config = defaultConfig(); // no [[templates]]: every built-in goes to the cache folder
const builtins = await listBuiltins();

try {
  // Cold: a new engine (nothing parsed) each run; warm: one engine, templates cached.
  const cold = await time(() => new ThemeEngine({ config, paths }).apply(palette, "/w/a.jpg"), 15);
  const engine = new ThemeEngine({ config, paths });
  // Alternate two palettes so every warm apply really changes every file.
  const other = { ...palette, background: "#000000", colors: palette.colors.map(() => "#123456") };
  let flip = 0;
  const warm = await time(() => engine.apply(flip++ % 2 ? other : palette, "/w/a.jpg"), 50, 3);
  const report = await engine.apply(palette, "/w/a.jpg");
  // Same palette again: every target already holds the text, so nothing is rewritten.
  const same = await time(() => engine.apply(palette, "/w/a.jpg"), 50, 3);
  // The same on a RAM disk, when there is one: the engine's own cost without the disk's.
  let warmTmpfs: number[] | null = null;
  if (await isDir("/dev/shm")) {
    const shm = await Deno.makeTempDir({ dir: "/dev/shm", prefix: "varietal-theme-bench-" });
    try {
      const p2 = resolvePaths((k) => (k === "HOME" ? shm : undefined));
      const e2 = new ThemeEngine({ config, paths: p2 });
      warmTmpfs = await time(() => e2.apply(flip++ % 2 ? other : palette, "/w/a.jpg"), 50, 3);
    } finally {
      await Deno.remove(shm, { recursive: true });
    }
  }
  if (report.failed.length || report.written.length !== builtins.length) {
    throw new Error(`apply failed: ${JSON.stringify(report.failed)}`);
  }

  // Per template: compile (parse) and render (pure), no I/O.
  // The Material built-ins are in matugen's syntax and read a scheme's variables.
  const jinjaVars = templateVariables(palette, { wallpaper: "/w/a.jpg", alpha: 100 });
  const materialVars = matugenVariables(materialScheme(palette.colors[4]), {
    mode: "dark",
    image: "/w/a.jpg",
  });
  const perTemplate: Row[] = [];
  for (const b of builtins) {
    const src = await Deno.readTextFile(b.path);
    const syntax = MATERIAL_BUILTINS.includes(b.name) ? "matugen" : "jinja";
    const vars = syntax === "matugen" ? materialVars : jinjaVars;
    const N = 200;
    const compileMs = median(
      await time(() => {
        for (let i = 0; i < N; i++) compileTemplate(src, b.file, syntax);
      }, 5),
    ) / N;
    const t = compileTemplate(src, b.file, syntax);
    const renderMs = median(
      await time(() => {
        for (let i = 0; i < N; i++) t.render(vars, { alpha: 100 });
      }, 5),
    ) / N;
    perTemplate.push({
      template: b.name,
      syntax,
      bytes: src.length,
      compile_us: +(compileMs * 1000).toFixed(1),
      render_us: +(renderMs * 1000).toFixed(1),
    });
  }

  // End to end: a `varietal theme apply --palette` process (start-up included).
  const env = { HOME: home, XDG_CONFIG_HOME: "", XDG_CACHE_HOME: "", NO_COLOR: "1" };
  const main = new URL("../main.ts", import.meta.url).pathname;
  const cli = await time(async () => {
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-q", "-A", main, "theme", "apply", "--palette", COMPAT],
      env,
      stdout: "null",
      stderr: "piped",
    }).output();
    if (r.code !== 0) throw new Error(new TextDecoder().decode(r.stderr));
  }, 5);

  const summary: Row[] = [
    { what: `cold apply, ${builtins.length} built-ins`, median_ms: median(cold) },
    { what: `warm apply, ${builtins.length} built-ins`, median_ms: median(warm) },
    { what: "warm apply, same palette (no rewrite)", median_ms: median(same) },
    ...(warmTmpfs
      ? [{ what: `warm apply, ${builtins.length} built-ins, tmpfs`, median_ms: median(warmTmpfs) }]
      : []),
    { what: "varietal theme apply (process)", median_ms: median(cli) },
  ];
  printTable("theme apply", summary);
  printTable("per template (µs)", perTemplate);
  const file = await writeResults("theme", {
    templates: builtins.length,
    cold_apply_ms: median(cold),
    warm_apply_ms: median(warm),
    warm_apply_ms_min: Math.min(...warm),
    warm_apply_same_palette_ms: median(same),
    warm_apply_tmpfs_ms: warmTmpfs && median(warmTmpfs),
    cli_apply_ms: median(cli),
    per_template: perTemplate,
  });
  console.log(`\nwrote ${file}`);
} finally {
  await Deno.remove(home, { recursive: true });
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await Deno.stat(p)).isDirectory;
  } catch {
    return false;
  }
}
