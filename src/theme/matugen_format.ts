/**
 * matugen's colour formats (pure): how `{{ colors.<role>.<variant>.<format> }}`
 * prints, and how a printed colour is read back so that filters keep its
 * format (`{{ colors.primary.default.rgba | set_alpha: 0.5 }}` stays rgba).
 *
 * Formats (for an opaque `#336699`):
 *
 * | format                 | text                          |
 * | ---------------------- | ----------------------------- |
 * | `hex`                  | `#336699`                     |
 * | `hex_stripped`         | `336699`                      |
 * | `hex_alpha`            | `#336699FF`                   |
 * | `hex_alpha_stripped`   | `336699FF`                    |
 * | `rgb`                  | `rgb(51, 102, 153)`           |
 * | `rgba`                 | `rgba(51, 102, 153, 1)`       |
 * | `hsl`                  | `hsl(210, 50%, 40%)`          |
 * | `hsla`                 | `hsla(210, 50%, 40%, 1)`      |
 * | `red` `green` `blue`   | `51` `102` `153` (0–255)      |
 * | `alpha`                | `255` (0–255)                 |
 * | `hue`                  | `210` (degrees)               |
 * | `saturation` `lightness` | `50` `40` (percent)        |
 *
 * Hex is lower case; alpha in `rgba`/`hsla` is 0–1 with at most two
 * decimals; `hsl` rounds to whole numbers; `hue`, `saturation` and
 * `lightness` are numbers with at most three decimals.
 *
 * @module
 */
import { hslToRgb, rgbToHsl } from "../palette/color.ts";

/** A colour with 0–255 channels and alpha 0–1. */
export interface MColor {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** Every format name. */
export const MATUGEN_FORMATS = [
  "hex",
  "hex_stripped",
  "hex_alpha",
  "hex_alpha_stripped",
  "rgb",
  "rgba",
  "hsl",
  "hsla",
  "red",
  "green",
  "blue",
  "alpha",
  "hue",
  "saturation",
  "lightness",
] as const;

/** One of {@linkcode MATUGEN_FORMATS}. */
export type MatugenFormat = typeof MATUGEN_FORMATS[number];

/** Formats that print a whole colour (filters can read them back). */
export type ColorFormat =
  | "hex"
  | "hex_stripped"
  | "hex_alpha"
  | "hex_alpha_stripped"
  | "rgb"
  | "rgba"
  | "hsl"
  | "hsla";

const hex2 = (n: number) => Math.round(clamp(n, 0, 255)).toString(16).padStart(2, "0");
const clamp = (v: number, lo: number, hi: number) => v < lo ? lo : v > hi ? hi : v;
const byte = (n: number) => Math.round(clamp(n, 0, 255));
/** Alpha 0–1 with at most two decimals, shortest form ("1", "0.5"). */
const alphaText = (a: number) => String(Math.round(clamp(a, 0, 1) * 100) / 100);

/**
 * Parses `#rrggbb` into an opaque colour.
 *
 * @throws {SyntaxError} On anything else.
 * @example An opaque colour
 * ```ts
 * import assert from "node:assert/strict";
 * import { colorFromHex } from "./matugen_format.ts";
 *
 * assert.deepEqual(colorFromHex("#336699"), { r: 51, g: 102, b: 153, a: 1 });
 * ```
 */
export function colorFromHex(hex: string): MColor {
  const m = /^#?([0-9a-fA-F]{6})([0-9a-fA-F]{2})?$/.exec(hex.trim());
  if (!m) throw new SyntaxError(`Invalid hex colour "${hex}"`);
  const n = parseInt(m[1], 16);
  return { r: n >> 16 & 255, g: n >> 8 & 255, b: n & 255, a: m[2] ? parseInt(m[2], 16) / 255 : 1 };
}

/**
 * Prints a colour in a format.
 *
 * @example #336699 in a few formats
 * ```ts
 * import assert from "node:assert/strict";
 * import { colorFromHex, formatMColor } from "./matugen_format.ts";
 *
 * const c = colorFromHex("#336699");
 * assert.equal(formatMColor(c, "rgb"), "rgb(51, 102, 153)");
 * assert.equal(formatMColor(c, "hsl"), "hsl(210, 50%, 40%)");
 * assert.equal(formatMColor(c, "hex_alpha"), "#336699FF");
 * assert.equal(formatMColor(c, "red"), 51);
 * ```
 */
export function formatMColor(c: MColor, format: MatugenFormat): string | number {
  const rgb = `${byte(c.r)}, ${byte(c.g)}, ${byte(c.b)}`;
  switch (format) {
    case "hex":
      return `#${hex2(c.r)}${hex2(c.g)}${hex2(c.b)}`;
    case "hex_stripped":
      return `${hex2(c.r)}${hex2(c.g)}${hex2(c.b)}`;
    // Upper case, as matugen writes these two (`{:02X}` in its format.rs; `hex` is lower case).
    case "hex_alpha":
      return `#${hex2(c.r)}${hex2(c.g)}${hex2(c.b)}${hex2(c.a * 255)}`.toUpperCase();
    case "hex_alpha_stripped":
      return `${hex2(c.r)}${hex2(c.g)}${hex2(c.b)}${hex2(c.a * 255)}`.toUpperCase();
    case "rgb":
      return `rgb(${rgb})`;
    case "rgba":
      return `rgba(${rgb}, ${alphaText(c.a)})`;
    case "red":
      return byte(c.r);
    case "green":
      return byte(c.g);
    case "blue":
      return byte(c.b);
    case "alpha":
      return byte(c.a * 255);
  }
  const hsl = rgbToHsl({ r: c.r, g: c.g, b: c.b });
  const h = hsl.h, s = hsl.s * 100, l = hsl.l * 100;
  switch (format) {
    case "hsl":
      return `hsl(${Math.round(h)}, ${Math.round(s)}%, ${Math.round(l)}%)`;
    case "hsla":
      return `hsla(${Math.round(h)}, ${Math.round(s)}%, ${Math.round(l)}%, ${alphaText(c.a)})`;
    case "hue":
      return round3(h);
    case "saturation":
      return round3(s);
    case "lightness":
      return round3(l);
  }
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

/**
 * Prints an HSL colour (h in degrees, s and l in percent) in a format; `hsl`
 * and `hsla` keep the given hue even where the colour is grey, as matugen's
 * HSL filters do.
 *
 * @example HSL filters keep their hue
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatHslColor } from "./matugen_format.ts";
 *
 * assert.equal(formatHslColor({ h: 210, s: 50, l: 40 }, 1, "hsl"), "hsl(210, 50%, 40%)");
 * assert.equal(formatHslColor({ h: 210, s: 50, l: 40 }, 1, "hex"), "#336699");
 * assert.equal(formatHslColor({ h: 210, s: 0, l: 40 }, 1, "hsl"), "hsl(210, 0%, 40%)"); // grey, hue kept
 * ```
 */
export function formatHslColor(
  hsl: { h: number; s: number; l: number },
  a: number,
  format: MatugenFormat,
): string | number {
  const h = ((hsl.h % 360) + 360) % 360, s = clamp(hsl.s, 0, 100), l = clamp(hsl.l, 0, 100);
  if (format === "hsl") return `hsl(${Math.round(h)}, ${Math.round(s)}%, ${Math.round(l)}%)`;
  if (format === "hsla") {
    return `hsla(${Math.round(h)}, ${Math.round(s)}%, ${Math.round(l)}%, ${alphaText(a)})`;
  }
  return formatMColor({ ...hslToRgb({ h, s: s / 100, l: l / 100 }), a }, format);
}

const NUM = String.raw`\s*(-?\d+(?:\.\d+)?)\s*`;
const PCT = String.raw`\s*(-?\d+(?:\.\d+)?)%?\s*`;
const FUNC: [ColorFormat, RegExp][] = [
  ["rgb", new RegExp(`^rgb\\(${NUM},${NUM},${NUM}\\)$`, "i")],
  ["rgba", new RegExp(`^rgba\\(${NUM},${NUM},${NUM},${NUM}\\)$`, "i")],
  ["hsl", new RegExp(`^hsl\\(${NUM},${PCT},${PCT}\\)$`, "i")],
  ["hsla", new RegExp(`^hsla\\(${NUM},${PCT},${PCT},${NUM}\\)$`, "i")],
];

/**
 * Reads a printed colour back with its format: `#rrggbb`, `rrggbb`,
 * `#rrggbbaa`, `rrggbbaa`, `rgb(…)`, `rgba(…)`, `hsl(…)`, `hsla(…)`.
 *
 * @returns null when the text is not a colour in one of these formats.
 * @example A colour read back with its format
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseMColor } from "./matugen_format.ts";
 *
 * assert.deepEqual(parseMColor("rgba(51, 102, 153, 0.5)"), {
 *   color: { r: 51, g: 102, b: 153, a: 0.5 },
 *   format: "rgba",
 * });
 * assert.equal(parseMColor("not a colour"), null);
 * ```
 */
export function parseMColor(text: string): { color: MColor; format: ColorFormat } | null {
  const t = text.trim();
  const hex = /^(#?)([0-9a-fA-F]{6})([0-9a-fA-F]{2})?$/.exec(t);
  if (hex) {
    const format = (hex[3] ? "hex_alpha" : "hex") + (hex[1] ? "" : "_stripped") as ColorFormat;
    return { color: colorFromHex(hex[2] + (hex[3] ?? "")), format };
  }
  for (const [format, re] of FUNC) {
    const m = re.exec(t);
    if (!m) continue;
    const n = m.slice(1).map(Number);
    if (format === "rgb" || format === "rgba") {
      return { color: { r: n[0], g: n[1], b: n[2], a: format === "rgba" ? n[3] : 1 }, format };
    }
    const rgb = hslToRgb({ h: n[0], s: clamp(n[1], 0, 100) / 100, l: clamp(n[2], 0, 100) / 100 });
    return { color: { ...rgb, a: format === "hsla" ? n[3] : 1 }, format };
  }
  return null;
}

/**
 * Whether a format carries alpha.
 *
 * @example Formats with an alpha
 * ```ts
 * import assert from "node:assert/strict";
 * import { hasAlpha } from "./matugen_format.ts";
 *
 * assert.equal(hasAlpha("rgba"), true);
 * assert.equal(hasAlpha("hex"), false);
 * ```
 */
export function hasAlpha(format: ColorFormat): boolean {
  return format === "rgba" || format === "hsla" || format.startsWith("hex_alpha");
}
