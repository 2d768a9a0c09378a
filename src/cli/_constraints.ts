// Selection constraint flags, shared by `varietal select` and `varietal next`:
// spread CONSTRAINT_OPTIONS into a spec's options and call constraintsFromFlags.
import type { Invocation, OptionSpec } from "./_command.ts";
import { type Context, lazy } from "./_context.ts";
import { boolFlag, numberFlag, stringFlag } from "./_parse.ts";
import { CliError, isAbort, UsageError } from "./errors.ts";
import { suggest } from "../text/suggest.ts";
import { ORIENTATIONS } from "../config/choices.ts";
import type { Constraints, HueRange } from "../select/constraints.ts";
import type { SimilaritySummary } from "../select/weights.ts";
import { HUE_RANGE_NAMES, HUE_SHARE_MIN, NAMED_HUES } from "../palette/hue_ranges.ts";

/** Hue names accepted by `--hue`, as degree ranges (the one list in `hue_ranges.ts`). */
export const HUE_NAMES: Readonly<Record<string, HueRange>> = Object.fromEntries(
  NAMED_HUES.map((h) => [h.name, { from: h.from, to: h.to }]),
);

/** The constraint flags (spread into a command's `options`). */
export const CONSTRAINT_OPTIONS: Record<string, OptionSpec> = {
  dark: { type: "boolean", description: "Only dark images (average OKLab lightness < 0.5)" },
  light: { type: "boolean", description: "Only light images (average OKLab lightness ≥ 0.5)" },
  hue: {
    type: "string",
    value: "A-B|NAME",
    suggest: HUE_RANGE_NAMES,
    description: `At least ${
      Math.round(HUE_SHARE_MIN * 100)
    }% of the picture in hue A–B degrees (wraps: 350-20; 5° steps), or ${
      NAMED_HUES.map((h) => `${h.name} ${h.from}-${h.to}`).join(", ")
    }`,
  },
  "min-saturation": {
    type: "string",
    value: "S",
    description: "Average saturation (colourfulness; greys 0) at least S (0–1 or a percentage)",
  },
  "max-saturation": {
    type: "string",
    value: "S",
    description: "Average saturation at most S (0–1 or a percentage)",
  },
  warm: { type: "boolean", description: "Only warm palettes (temperature > 0)" },
  cool: { type: "boolean", description: "Only cool palettes (temperature < 0)" },
  orientation: {
    type: "string",
    choices: ORIENTATIONS,
    value: "WHICH",
    description: "landscape: only images at least as wide as high; portrait: only taller ones",
  },
  "min-width": {
    type: "string",
    value: "PX",
    description: "Only images at least PX wide (replaces [selection] min_width; 0: any width)",
  },
  "min-height": {
    type: "string",
    value: "PX",
    description: "Only images at least PX high (replaces [selection] min_height; 0: any height)",
  },
  "similar-to": {
    type: "string",
    value: "IMAGE|current",
    complete: "file",
    completeAlso: ["current"],
    description:
      "Prefer palettes close to this image's (or the current wallpaper's); that image itself is not picked",
  },
  "any-time": {
    type: "boolean",
    description: "Ignore the time-of-day rules of selection.time_rules",
  },
  seed: { type: "string", value: "N", description: "Seed the draw (same seed, same result)" },
};

function saturation(inv: Invocation, name: string, path: string): number | undefined {
  const s = stringFlag(inv, name);
  if (s === undefined) return undefined;
  const pct = s.trim().endsWith("%");
  const digits = pct ? s.trim().slice(0, -1) : s.trim();
  // Decimal only: Number() would also take "0x1", "0b1", "1e0" and "".
  const v = /^\+?(\d+\.?\d*|\.\d+)$/.test(digits) ? Number(digits) / (pct ? 100 : 1) : NaN;
  if (!Number.isFinite(v) || v < 0 || v > 1) {
    throw new UsageError(
      `invalid value '${s}' for --${name} (expected 0–1 or a percentage like 40%)`,
      path,
    );
  }
  return v;
}

/**
 * Parses `--hue`: "A-B" in degrees (0–360; A > B wraps past 360) or a name.
 *
 * @throws {UsageError} On anything else.
 */
export function parseHue(s: string, path = ""): HueRange {
  const named = HUE_NAMES[s.trim().toLowerCase()];
  if (named) return { ...named };
  const m = /^\s*(\d+(?:\.\d+)?)\s*[-–]\s*(\d+(?:\.\d+)?)\s*$/.exec(s);
  const from = m ? Number(m[1]) : NaN, to = m ? Number(m[2]) : NaN;
  if (!m || from > 360 || to > 360) {
    const near = /^[a-z]+$/i.test(s.trim()) ? suggest(s.trim(), Object.keys(HUE_NAMES)) : undefined;
    throw new UsageError(
      `invalid value '${s}' for --hue (${
        near ? `did you mean '${near}'? ` : ""
      }expected A-B in degrees 0–360, e.g. 200-260 or 350-20, or one of: ${
        Object.keys(HUE_NAMES).join(", ")
      })`,
      path,
    );
  }
  return { from, to };
}

/**
 * Reads the constraint flags of an invocation.
 *
 * @param inv The parsed command line (its spec must include {@linkcode CONSTRAINT_OPTIONS}).
 * @param ctx The command context (the database and config are opened only for `--similar-to`).
 * @param path The command name, for error messages.
 * @throws {UsageError} On bad or conflicting values.
 * @throws {CliError} When `--similar-to` names an unreadable image or there is no current one.
 */
export async function constraintsFromFlags(
  inv: Invocation,
  ctx: Context,
  path = "select",
): Promise<Constraints> {
  const c: Constraints = {};
  const both = (a: string, b: string) => {
    if (boolFlag(inv, a) && boolFlag(inv, b)) {
      throw new UsageError(`--${a} and --${b} cannot be used together`, path);
    }
  };
  both("dark", "light");
  both("warm", "cool");
  if (boolFlag(inv, "dark")) c.lightness = "dark";
  if (boolFlag(inv, "light")) c.lightness = "light";
  if (boolFlag(inv, "warm")) c.temperature = "warm";
  if (boolFlag(inv, "cool")) c.temperature = "cool";
  const hue = stringFlag(inv, "hue");
  if (hue !== undefined) c.hue = parseHue(hue, path);
  c.minSaturation = saturation(inv, "min-saturation", path);
  c.maxSaturation = saturation(inv, "max-saturation", path);
  if (
    c.minSaturation !== undefined && c.maxSaturation !== undefined &&
    c.minSaturation > c.maxSaturation
  ) {
    throw new UsageError("--min-saturation is larger than --max-saturation", path);
  }
  const orientation = stringFlag(inv, "orientation");
  if (orientation !== undefined) c.orientation = orientation as Constraints["orientation"];
  // 0 lifts [selection] min_width/min_height for this call (see withMinSize).
  c.minWidth = numberFlag(inv, "min-width", { min: 0, integer: true, path });
  c.minHeight = numberFlag(inv, "min-height", { min: 0, integer: true, path });
  c.seed = numberFlag(inv, "seed", { min: 0, max: 2 ** 53, integer: true, path });
  if (boolFlag(inv, "any-time")) c.ignoreTimeRules = true;
  const similar = stringFlag(inv, "similar-to");
  if (similar?.trim() === "") {
    throw new UsageError(
      "--similar-to was given an empty value (an unset shell variable?); give an image file or 'current'",
      path,
    );
  }
  if (similar !== undefined) {
    const target = await targetPalette(similar, ctx);
    c.similarTo = target.palette;
    c.similarToLabel = similar;
    c.similarToImage = target.imageId;
  }
  for (const k of Object.keys(c) as (keyof Constraints)[]) {
    if (c[k] === undefined) delete c[k];
  }
  return c;
}

/**
 * The palette of IMAGE or "current": stored if known, else extracted; with the
 * image's id when it is in the collection.
 */
async function targetPalette(
  arg: string,
  ctx: Context,
): Promise<{ palette: SimilaritySummary; imageId?: number }> {
  const db = await ctx.db();
  const { getPalette } = await lazy<typeof import("../db/palettes.ts")>("../db/palettes.ts");
  let file: string;
  let imageId: number | undefined;
  if (arg === "current") {
    const { currentWallpaper } = await lazy<typeof import("../pipeline/browse.ts")>(
      "../pipeline/browse.ts",
    );
    const last = await currentWallpaper(db, ctx.paths.state);
    if (!last) {
      throw new CliError(
        "--similar-to current: nothing has been shown yet; give an image path instead",
      );
    }
    imageId = last.image_id;
    const stored = getPalette(db, last.image_id);
    if (stored) return { palette: stored, imageId };
    file = last.path;
  } else {
    try {
      file = await Deno.realPath(arg);
    } catch (e) {
      // A name that came in with bytes that are not UTF-8 is said so (convmv), as elsewhere.
      const { notFoundReason } = await lazy<typeof import("../file_check.ts")>("../file_check.ts");
      const why = e instanceof Deno.errors.NotFound ? notFoundReason(arg) : (e as Error).message;
      throw new CliError(`--similar-to: cannot read ${arg}: ${why}`);
    }
    if (!(await Deno.stat(file)).isFile) {
      throw new CliError(`--similar-to: ${arg} is not a file; give an image file or 'current'`);
    }
    const { getImageByPath } = await lazy<typeof import("../db/images.ts")>("../db/images.ts");
    const img = getImageByPath(db, file);
    imageId = img?.id;
    const stored = img && getPalette(db, img.id);
    if (stored) return { palette: stored, imageId };
  }
  const { paletteForImage } = await loadPaletteForImage();
  try {
    const { palette, warnings } = await paletteForImage(file, {
      config: await ctx.config(),
      paths: ctx.paths,
      signal: ctx.interrupt(), // Ctrl-C stops wallust too (it has a process group of its own)
    });
    for (const w of warnings) ctx.out.err(`varietal: ${w}`);
    return imageId === undefined ? { palette } : { palette, imageId };
  } catch (e) {
    if (isAbort(e)) throw e;
    throw new CliError(
      `--similar-to: cannot get the palette of ${file}: ${(e as Error).message}`,
      undefined,
      { cause: e },
    );
  }
}

type PaletteForImageModule = typeof import("../palette/palette_for_image.ts");

/** Imports the palette extractor only when `--similar-to` needs it (see {@linkcode lazy}). */
function loadPaletteForImage(): Promise<PaletteForImageModule> {
  return lazy<PaletteForImageModule>("../palette/palette_for_image.ts");
}
