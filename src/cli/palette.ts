// `varietal palette IMAGE`: show (or print as JSON) the palette of one image.
import type { CommandSpec, Invocation } from "./_command.ts";
import type { Context } from "./_context.ts";
import { boolFlag, expectArgs, stringFlag } from "./_parse.ts";
import { JSON_FLAG, withHelp } from "./_flags.ts";
import { printable, styles } from "./_output.ts";
import { notFoundReason } from "../file_check.ts";
import { normalizePath } from "../normal_path.ts";
import { CliError, UsageError } from "./errors.ts";
import { type Origin, ORIGINS, type Variant, VARIANTS } from "../config/choices.ts";
import { plainPalette } from "../db/palettes.ts";
import type { PaletteRecord } from "../palette/palette_record.ts";
import { paletteForImage } from "../palette/palette_for_image.ts";
import { MATERIAL_FLAGS, materialChoice } from "./_material.ts";
import { loadAnsi, loadScheme } from "../palette/material/load.ts";
import type { MaterialScheme } from "../palette/material/roles.ts";
import { MATERIAL_ROLES } from "../palette/material/roles.ts";

import { NAMED_HUES, shareInRange } from "../palette/hue_ranges.ts";
export const spec: CommandSpec = {
  name: "palette",
  summary: "Show the 16-colour terminal palette of an image",
  args: "IMAGE",
  description:
    "Extracts the palette with wallust when it is installed (origin auto), else with the\n" +
    "built-in extractor (JPEG, PNG, GIF, WebP, SVG). Nothing is stored; 'varietal extract' fills\n" +
    "the database. Swatches are drawn in truecolor on a terminal, plain hex codes otherwise.\n" +
    "With --material, prints the Material 3 source colour (picked as matugen picks it) and\n" +
    "every colour role in light and dark instead.",
  options: {
    origin: {
      type: "string",
      value: "ORIGIN",
      choices: ORIGINS,
      description: "Where the palette comes from (default: palette.origin)",
    },
    variant: {
      type: "string",
      value: "VARIANT",
      choices: VARIANTS,
      description: "Dark or light background (default: palette.variant)",
    },
    material: {
      type: "boolean",
      description: "Print the Material 3 scheme (source colour, every role, light and dark)",
    },
    ...MATERIAL_FLAGS,
    json: withHelp(JSON_FLAG, "Print the palette as JSON"),
  },
  examples: [
    "varietal palette ~/Pictures/Wallpapers/forest.jpg",
    "varietal palette img.png --origin builtin --variant light16 --json",
    "varietal palette img.jpg --material --scheme vibrant --json",
  ],
};

export async function run(ctx: Context, inv: Invocation): Promise<number> {
  const [arg] = expectArgs(inv, 1, 1, "palette", "image");
  // `..` and `.` resolved, as `favorite` does: the path goes into --json and on to templates.
  const path = normalizePath(arg.startsWith("/") ? arg : `${Deno.cwd()}/${arg}`);
  try {
    const st = await Deno.stat(path);
    if (!st.isFile) throw new CliError(`${arg} is not a file`);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new CliError(`${printable(arg)}: ${notFoundReason(arg)}`);
    }
    throw e;
  }
  const config = await ctx.config();
  const material = boolFlag(inv, "material");
  const choice = materialChoice(inv, config, "palette");
  if (
    !material && (choice.sourceColor || inv.flags.scheme !== undefined ||
      inv.flags.contrast !== undefined)
  ) {
    throw new UsageError("--source-color, --scheme and --contrast need --material", "palette");
  }
  if (material && choice.sourceColor) {
    return printMaterial(ctx, inv, path, choice.sourceColor, choice);
  }
  const { palette, warnings } = await paletteForImage(path, {
    config,
    paths: ctx.paths,
    origin: stringFlag(inv, "origin") as Origin | undefined,
    variant: stringFlag(inv, "variant") as Variant | undefined,
    // --json prints the Material source colour too (a palette file for `theme --palette`).
    material: material || config.palette.style === "ansi" || boolFlag(inv, "json"),
    signal: ctx.interrupt(), // Ctrl-C stops wallust too (it has a process group of its own)
  });
  for (const w of warnings) ctx.out.err(`varietal: warning: ${w}`);
  if (material) return printMaterial(ctx, inv, path, palette.source_color!, choice);
  const shown = config.palette.style === "ansi"
    ? (await loadAnsi()).ansiPalette(palette, palette.source_color ?? null)
    : palette;
  if (boolFlag(inv, "json")) {
    // The Material source colour rides along, so that `theme render --palette` of this
    // file gives the Material templates the colours `--image` would.
    const { source_color, mean_tone: _t, ...plain } = plainPalette(shown);
    ctx.out.json({ image: path, ...plain, source_color: source_color ?? null });
    return 0;
  }
  for (const line of renderPalette(shown, path, ctx.out.color)) ctx.out.line(line);
  return 0;
}

async function printMaterial(
  ctx: Context,
  inv: Invocation,
  path: string,
  source: string,
  choice: { scheme: MaterialScheme["scheme"]; contrast: number },
): Promise<number> {
  const { materialScheme } = await loadScheme();
  const scheme = materialScheme(source, { scheme: choice.scheme, contrast: choice.contrast });
  if (boolFlag(inv, "json")) {
    ctx.out.json({
      image: path,
      source_color: scheme.source,
      scheme: scheme.scheme,
      contrast: scheme.contrast,
      light: scheme.light,
      dark: scheme.dark,
    });
    return 0;
  }
  for (const line of renderMaterial(scheme, path, ctx.out.color)) ctx.out.line(line);
  return 0;
}

/** The source colour and every role in light and dark, one string per line. */
export function renderMaterial(m: MaterialScheme, path: string, color: boolean): string[] {
  const s = styles(color);
  const sw = (hex: string) => color ? s.bg(hex, "    ") + " " : "";
  const w = Math.max(...MATERIAL_ROLES.map((r) => r.length));
  const out = [
    `${s.bold(path)} ${s.dim(`(material ${m.scheme}, contrast ${m.contrast})`)}`,
    `  ${"source_color".padEnd(w)}  ${sw(m.source)}${m.source}`,
    s.dim(`  ${"".padEnd(w)}  ${"light".padEnd(color ? 12 : 7)}  dark`),
  ];
  for (const role of MATERIAL_ROLES) {
    const l = m.light[role], d = m.dark[role];
    out.push(`  ${role.padEnd(w)}  ${sw(l)}${l}  ${sw(d)}${d}`);
  }
  return out;
}

/** Swatches and figures, one string per line. */
export function renderPalette(p: PaletteRecord, path: string, color: boolean): string[] {
  const s = styles(color);
  const sw = (hex: string) => color ? s.bg(hex, "    ") + " " : "";
  const out = [`${s.bold(printable(path))} ${s.dim(`(${p.origin}, ${p.variant})`)}`];
  for (
    const [k, v] of [["background", p.background], ["foreground", p.foreground], [
      "cursor",
      p.cursor,
    ]]
  ) {
    out.push(`  ${k.padEnd(11)}${sw(v)}${v}`);
  }
  for (let i = 0; i < 8; i++) {
    const a = p.colors[i], b = p.colors[i + 8];
    out.push(
      `  ${`color${i}`.padEnd(8)}${sw(a)}${a}   ${`color${i + 8}`.padEnd(8)}${sw(b)}${b}`,
    );
  }
  if (color) out.push("  " + p.colors.map((c) => s.fg(c, "██")).join(""));
  const temp = p.temperature > 0.05 ? "warm" : p.temperature < -0.05 ? "cool" : "neutral";
  out.push(
    `  hue ${p.avg_hue === null ? "none" : `${Math.round(p.avg_hue)}°`}, saturation ${
      p.avg_saturation.toFixed(2)
    }, lightness ${p.avg_lightness.toFixed(2)}, temperature ${p.temperature.toFixed(2)} (${temp})`,
  );
  if (p.hue_shares) {
    const shares = NAMED_HUES.map((r) => ({ name: r.name, share: shareInRange(p.hue_shares!, r) }))
      .filter((x) => x.share >= 0.005)
      .sort((a, b) => b.share - a.share)
      .map((x) => `${x.name} ${Math.round(x.share * 100)}%`);
    out.push(`  hues ${shares.length ? shares.join(", ") : "none (grey)"}`);
  }
  return out;
}
