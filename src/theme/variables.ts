/**
 * The variables templates see, built from a palette record (pure).
 *
 * @module
 */
import type { PaletteRecord } from "../palette/palette_record.ts";
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

const HEX_COLOR = /^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/;

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
 * @throws {RangeError} When the palette does not have 16 colours, or a colour is
 *   not `#RRGGBB` / `#RRGGBBAA` (templates print colours unquoted).
 */
export function templateVariables(
  p: PaletteRecord,
  options: VariableOptions,
): Record<string, Value> {
  if (p.colors.length !== 16) {
    throw new RangeError(`A palette needs 16 colours, got ${p.colors.length}`);
  }
  // Templates print colours unquoted (`set $color1 #4B7A85`): only hex may reach them.
  const named: [string, string][] = [
    ...p.colors.map((c, i): [string, string] => [`color${i}`, c]),
    ["background", p.background],
    ["foreground", p.foreground],
    ["cursor", p.cursor],
  ];
  for (const [name, c] of named) {
    if (typeof c !== "string" || !HEX_COLOR.test(c)) {
      throw new RangeError(
        `A palette's ${name} must be a hex colour like #RRGGBB, got ${JSON.stringify(c)}`,
      );
    }
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
