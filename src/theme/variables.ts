/**
 * The variables templates see, built from a palette record (pure).
 *
 * @module
 */
import type { PaletteRecord } from "../db/palettes.ts";
import { alphaDec } from "./filters.ts";
import type { Value } from "./value.ts";

/** Every variable name a Jinja/wallust template may use. */
export const VARIABLE_NAMES: ReadonlySet<string> = new Set([
  ...Array.from({ length: 16 }, (_, i) => `color${i}`),
  "background",
  "foreground",
  "cursor",
  "colors",
  "wallpaper",
  "alpha",
  "alpha_dec",
  "backend",
  "colorspace",
  "palette",
]);

/** Inputs besides the palette. */
export interface VariableOptions {
  /** The wallpaper's path; null renders as "". */
  wallpaper: string | null;
  /** Opacity 0–100. */
  alpha: number;
}

/**
 * The template variables of a palette: `color0`…`color15`, `background`,
 * `foreground`, `cursor` (hex as stored), `colors` (the 16 colours then
 * background, foreground, cursor), `wallpaper`, `alpha` (0–100),
 * `alpha_dec` ("1.0", "0.85"), `backend` (where the palette came from:
 * "wallust" or "builtin"), `colorspace` ("lch" for wallust, "oklab" for the
 * built-in extractor) and `palette` (the variant, e.g. "dark16").
 *
 * @throws {RangeError} When the palette does not have 16 colours.
 */
export function templateVariables(
  p: PaletteRecord,
  options: VariableOptions,
): Record<string, Value> {
  if (p.colors.length !== 16) {
    throw new RangeError(`A palette needs 16 colours, got ${p.colors.length}`);
  }
  const vars: Record<string, Value> = {};
  p.colors.forEach((c, i) => (vars[`color${i}`] = c));
  vars.background = p.background;
  vars.foreground = p.foreground;
  vars.cursor = p.cursor;
  vars.colors = Object.freeze([...p.colors, p.background, p.foreground, p.cursor]);
  vars.wallpaper = options.wallpaper ?? "";
  vars.alpha = options.alpha;
  vars.alpha_dec = alphaDec(options.alpha);
  vars.backend = p.origin;
  vars.colorspace = p.origin === "wallust" ? "lch" : "oklab";
  vars.palette = p.variant;
  return Object.freeze(vars);
}
