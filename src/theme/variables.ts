/**
 * The variables templates see, built from a palette record (pure).
 *
 * @module
 */
import type { PaletteRecord } from "../palette/palette_record.ts";
import type { ImageCredit } from "../remote/credit.ts";
import { alphaDec } from "./filters.ts";
import type { Value } from "./value.ts";

/** The credit of a downloaded wallpaper, by variable ("" for your own files). */
const IMAGE_VARIABLES = [
  "image_remote",
  "image_source",
  "image_url",
  "image_author",
  "image_author_url",
  "image_title",
  "image_licence",
] as const;

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
  ...IMAGE_VARIABLES,
]);

const HEX_COLOR = /^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/;

/** Inputs besides the palette. */
export interface VariableOptions {
  /** The wallpaper's path; null renders as "". */
  wallpaper: string | null;
  /** Opacity 0–100. */
  alpha: number;
  /** The credit of a downloaded wallpaper, if it is one. */
  image?: ImageCredit | null;
}

/**
 * The template variables of a palette: `color0`…`color15`, `background`,
 * `foreground`, `cursor` (hex as stored), `colors` (the 16 colours then
 * background, foreground, cursor), `wallpaper`, `alpha` (0–100),
 * `alpha_dec` ("1.0", "0.85"), `backend` (where the palette came from:
 * "wallust" or "builtin"), `colorspace` ("lch" for wallust, "oklab" for the
 * built-in extractor), `palette` (the variant, e.g. "dark16") and the credit
 * of a wallpaper from a remote source: `image_remote` (the remote's name),
 * `image_source` (the page to credit), `image_url` (the file downloaded),
 * `image_author`, `image_author_url`, `image_title`, `image_licence` — each
 * "" when unknown or for your own files.
 *
 * @throws {RangeError} When the palette does not have 16 colours, or a colour is
 *   not `#RRGGBB` / `#RRGGBBAA` (templates print colours unquoted).
 *
 * @example The variables of a palette
 * ```ts
 * import assert from "node:assert/strict";
 * import type { PaletteRecord } from "../palette/palette_record.ts";
 * import { templateVariables } from "./variables.ts";
 *
 * const palette: PaletteRecord = {
 *   origin: "builtin",
 *   variant: "dark16",
 *   background: "#101418",
 *   foreground: "#e0e4e8",
 *   cursor: "#e0e4e8",
 *   colors: [
 *     ...["#101418", "#c82828", "#28a028", "#c8a028", "#2850c8", "#a028c8", "#28a0c8", "#c0c4c8"],
 *     ...["#50545a", "#e04040", "#40c040", "#e0c040", "#4070e0", "#c040e0", "#40c0e0", "#e0e4e8"],
 *   ],
 *   avg_hue: 0,
 *   avg_saturation: 0.5,
 *   avg_lightness: 0.2,
 *   temperature: 0,
 *   hue_shares: [],
 * };
 * const v = templateVariables(palette, { wallpaper: "/w/a.jpg", alpha: 90 });
 * assert.equal(v.color1, "#c82828");
 * assert.equal((v.colors as string[]).length, 19); // 16 colours, background, foreground, cursor
 * assert.equal(v.alpha_dec, "0.9");
 * assert.equal(v.colorspace, "oklab");
 * assert.equal(v.image_author, ""); // not a downloaded wallpaper
 * const unsafe = { ...palette, colors: palette.colors.with(1, "red; rm -rf ~") };
 * assert.throws(() => templateVariables(unsafe, { wallpaper: null, alpha: 100 }), RangeError);
 * ```
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
  const c = options.image;
  vars.image_remote = c?.remote ?? "";
  vars.image_source = c?.page_url ?? "";
  vars.image_url = c?.image_url ?? "";
  vars.image_author = c?.author ?? "";
  vars.image_author_url = c?.author_url ?? "";
  vars.image_title = c?.title ?? "";
  vars.image_licence = c?.licence ?? "";
  return Object.freeze(vars);
}
