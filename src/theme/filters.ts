/**
 * The filters of the Jinja/wallust template syntax (pure): a name → function
 * registry, as wallust registers them with minijinja.
 *
 * Colour filters accept `#RRGGBB` or `#RRGGBBAA` (the `#` is optional) and,
 * like wallust, print computed colours as upper-case `#RRGGBB` (keeping an
 * `AA` alpha pair when the input had one). Channel arithmetic is done on
 * 0–1 floats and rounded to the nearest 0–255 step. See docs/theme.md for
 * the sources each definition follows.
 *
 * @module
 */
import {
  contrastRatio,
  hsvToRgb,
  labToLch,
  parseHex,
  type RGB,
  rgbToHsv,
  rgbToOklab,
} from "../palette/color.ts";
import { withContrast } from "../palette/contrast.ts";
import { printable } from "../text/printable.ts";
import { cssString, shellQuote, swayPath, swayQuote, tomlString, wellFormed } from "./quoting.ts";
import { typeName, type Value } from "./value.ts";

/** What filters may read besides their input: the configured opacity. */
export interface FilterEnv {
  /** Opacity 0–100 (config `theme.alpha`). */
  alpha: number;
}

/** A filter: input value, arguments, environment → output value. */
export type FilterFn = (value: Value, args: readonly Value[], env: FilterEnv) => Value;

/** A registered filter with the number of arguments it takes. */
export interface FilterSpec {
  /** The filter itself. */
  fn: FilterFn;
  /** Fewest arguments. */
  minArgs: number;
  /** Most arguments. */
  maxArgs: number;
}

/**
 * A filter applied to a value it cannot handle; the renderer adds the location.
 *
 * @example A filter given something that is not a colour
 * ```ts
 * import assert from "node:assert/strict";
 * import { FilterError, parseColor } from "./filters.ts";
 *
 * assert.throws(() => parseColor("red", "lighten"), FilterError);
 * ```
 */
export class FilterError extends Error {
  /** Creates the error; @param message what is wrong with the value or argument. */
  constructor(message: string) {
    super(message);
    this.name = "FilterError";
  }
}

/** A colour with 0–255 integer channels and an optional 0–255 alpha. */
export interface Rgba8 extends RGB {
  /** Alpha 0–255, or null when the colour has none. */
  a: number | null;
}

/**
 * Parses `#RRGGBB` / `#RRGGBBAA` / `#RGB` (the `#` optional).
 *
 * @example With and without alpha, long and short
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseColor } from "./filters.ts";
 *
 * assert.deepEqual(parseColor("#4b7a85cc"), { r: 75, g: 122, b: 133, a: 204 });
 * assert.deepEqual(parseColor("abc"), { r: 170, g: 187, b: 204, a: null });
 * ```
 */
export function parseColor(v: Value, filter = "colour"): Rgba8 {
  if (typeof v !== "string") {
    throw new FilterError(`'${filter}' needs a colour, got a ${typeName(v)}`);
  }
  let h = v.trim().replace(/^#/, "");
  if (/^[0-9a-fA-F]{3}$/.test(h)) h = [...h].map((c) => c + c).join("");
  if (!/^[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/.test(h)) {
    throw new FilterError(`'${filter}' needs a hex colour like #RRGGBB, got "${v}"`);
  }
  const n = parseInt(h.slice(0, 6), 16);
  return {
    r: (n >> 16) & 255,
    g: (n >> 8) & 255,
    b: n & 255,
    a: h.length === 8 ? parseInt(h.slice(6), 16) : null,
  };
}

const hex2 = (n: number) => n.toString(16).toUpperCase().padStart(2, "0");
const to8 = (unit: number) => Math.round(Math.min(1, Math.max(0, unit)) * 255);
const round8 = (v: number) => Math.round(Math.min(255, Math.max(0, v)));

/**
 * Prints `#RRGGBB` (upper case), plus `AA` when the colour has an alpha.
 *
 * @example Upper case, alpha pair only when there is one
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatColor } from "./filters.ts";
 *
 * assert.equal(formatColor({ r: 1, g: 2, b: 255, a: null }), "#0102FF");
 * assert.equal(formatColor({ r: 1, g: 2, b: 255, a: 128 }), "#0102FF80");
 * ```
 */
export function formatColor(c: Rgba8): string {
  return `#${hex2(c.r)}${hex2(c.g)}${hex2(c.b)}${c.a === null ? "" : hex2(c.a)}`;
}

/**
 * wallust's `alpha_hexa`: an opacity 0–100 as a two-digit upper-case hex
 * byte, `round(alpha × 2.55)` (50 → "80", 100 → "FF").
 *
 * @example Opacity as a hex byte
 * ```ts
 * import assert from "node:assert/strict";
 * import { alphaHexa } from "./filters.ts";
 *
 * assert.equal(alphaHexa(100), "FF");
 * assert.equal(alphaHexa(50), "80");
 * assert.throws(() => alphaHexa(101));
 * ```
 */
export function alphaHexa(alpha: number): string {
  if (!Number.isInteger(alpha) || alpha < 0 || alpha > 100) {
    throw new FilterError(`'alpha_hexa' needs a whole number 0–100, got ${alpha}`);
  }
  return hex2(Math.round(alpha * 255 / 100));
}

/**
 * wallust's `alpha_dec`: opacity as "1.0", "0.5", "0.85" (one decimal when a multiple of 10).
 *
 * @example wallust's decimal opacity
 * ```ts
 * import assert from "node:assert/strict";
 * import { alphaDec } from "./filters.ts";
 *
 * assert.equal(alphaDec(100), "1.0");
 * assert.equal(alphaDec(90), "0.9");
 * assert.equal(alphaDec(85), "0.85");
 * ```
 */
export function alphaDec(alpha: number): string {
  return (alpha / 100).toFixed(alpha % 10 === 0 ? 1 : 2);
}

/**
 * Relative lighten (palette crate semantics): f > 0 moves each channel toward 1 by f of the gap.
 *
 * @example Lighten and darken by a fifth
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatColor, lightenRgb, parseColor } from "./filters.ts";
 *
 * const c = parseColor("#4B7A85");
 * assert.equal(formatColor(lightenRgb(c, 0.2)), "#6F959D"); // each channel 20 % of the way to 255
 * assert.equal(formatColor(lightenRgb(c, -0.2)), "#3C626A"); // darken: scaled by 0.8
 * ```
 */
export function lightenRgb(c: Rgba8, f: number): Rgba8 {
  // Same as the 0–1 formula, computed on 0–255 values to avoid rounding drift.
  const ch = (v: number) => {
    const gap = f >= 0 ? 255 - v : v;
    return round8(v + Math.max(0, gap) * f);
  };
  return { r: ch(c.r), g: ch(c.g), b: ch(c.b), a: c.a };
}

/**
 * Relative saturate in HSV: f > 0 moves saturation toward 1 by f of the gap, f < 0 toward 0.
 *
 * @example HSV saturation a quarter of the way to 1, or to 0
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatColor, parseColor, saturateRgb } from "./filters.ts";
 *
 * const c = parseColor("#4B7A85");
 * assert.equal(formatColor(saturateRgb(c, 0.25)), "#387685");
 * assert.equal(formatColor(saturateRgb(c, -0.25)), "#5A7D85");
 * ```
 */
export function saturateRgb(c: Rgba8, f: number): Rgba8 {
  const hsv = rgbToHsv(c);
  const gap = f >= 0 ? 1 - hsv.s : hsv.s;
  hsv.s = Math.min(1, Math.max(0, hsv.s + Math.max(0, gap) * f));
  const o = hsvToRgb(hsv);
  return { r: to8(o.r / 255), g: to8(o.g / 255), b: to8(o.b / 255), a: c.a };
}

/**
 * The complementary colour: HSV hue turned by 180°.
 *
 * @example The opposite hue
 * ```ts
 * import assert from "node:assert/strict";
 * import { complementaryRgb, formatColor, parseColor } from "./filters.ts";
 *
 * assert.equal(formatColor(complementaryRgb(parseColor("#4B7A85"))), "#85564B");
 * ```
 */
export function complementaryRgb(c: Rgba8): Rgba8 {
  const hsv = rgbToHsv(c);
  hsv.h = (hsv.h + 180) % 360;
  const o = hsvToRgb(hsv);
  return { r: to8(o.r / 255), g: to8(o.g / 255), b: to8(o.b / 255), a: c.a };
}

/**
 * wallust's `blend`: the channel-wise mean of two colours. The result has an
 * alpha only when the second colour has one (the first then counts as opaque).
 *
 * @example The channel-wise mean
 * ```ts
 * import assert from "node:assert/strict";
 * import { blendRgb, formatColor, parseColor } from "./filters.ts";
 *
 * assert.equal(formatColor(blendRgb(parseColor("#4B7A85"), parseColor("#1F211E"))), "#354E52");
 * // an alpha only when the second colour has one (the first counts as opaque)
 * assert.equal(formatColor(blendRgb(parseColor("#000000"), parseColor("#FFFFFF80"))), "#808080C0");
 * ```
 */
export function blendRgb(a: Rgba8, b: Rgba8): Rgba8 {
  const mid = (x: number, y: number) => round8(0.5 * x + 0.5 * y);
  return {
    r: mid(a.r, b.r),
    g: mid(a.g, b.g),
    b: mid(a.b, b.b),
    a: b.a === null ? null : mid(a.a ?? 255, b.a),
  };
}

/**
 * varietal's `readable`: the text colour made readable on a fill — its
 * OKLCH lightness moved (hue kept, chroma only as the gamut needs) until
 * its WCAG contrast with `fill` reaches `min`, away from the fill's
 * lightness (or the other way when that side cannot reach it). A colour that
 * reads already is returned as it is.
 *
 * @param text The text colour.
 * @param fill The colour the text is drawn on.
 * @param min The contrast ratio to reach (1–21); WCAG asks 4.5 of body text.
 * @returns The text colour to use (its alpha kept).
 * @example A light foreground on a mid-tone selection, made dark enough to read
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatColor, parseColor, readableRgb } from "./filters.ts";
 *
 * const out = readableRgb(parseColor("#49484d"), parseColor("#8e88af"), 4.5);
 * assert.equal(formatColor(out), "#27262A"); // it was 2.7:1, now 4.5:1
 * assert.equal(formatColor(readableRgb(parseColor("#eeeeee"), parseColor("#101010"), 4.5)), "#EEEEEE");
 * ```
 */
export function readableRgb(text: Rgba8, fill: Rgba8, min: number): Rgba8 {
  if (!(min >= 1 && min <= 21)) {
    throw new FilterError(`'readable' needs a contrast ratio from 1 to 21, got ${min}`);
  }
  const bg: RGB = { r: fill.r, g: fill.g, b: fill.b };
  const fg: RGB = { r: text.r, g: text.g, b: text.b };
  if (contrastRatio(fg, bg) >= min) return text;
  const lch = labToLch(rgbToOklab(fg));
  const up =
    contrastRatio(fg, { r: 255, g: 255, b: 255 }) <= contrastRatio(bg, { r: 255, g: 255, b: 255 });
  const first = withContrast(lch, bg, min, up);
  const pick = contrastRatio(parseHex(first), bg) >= min ? first : (() => {
    const other = withContrast(lch, bg, min, !up);
    return contrastRatio(parseHex(other), bg) > contrastRatio(parseHex(first), bg) ? other : first;
  })();
  const o = parseHex(pick);
  return { r: o.r, g: o.g, b: o.b, a: text.a };
}

function num(v: Value, filter: string): number {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isFinite(n)) {
    throw new FilterError(`'${filter}' needs a number argument, got ${JSON.stringify(v)}`);
  }
  return n;
}

function str(v: Value, filter: string): string {
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  throw new FilterError(`'${filter}' needs a string, got a ${typeName(v)}`);
}

const unitF = (n: number) => (n / 255).toFixed(4);

const color = (name: string, fn: (c: Rgba8, env: FilterEnv) => string): FilterSpec => ({
  fn: (v, _a, env) => fn(parseColor(v, name), env),
  minArgs: 0,
  maxArgs: 0,
});

const colorArg = (name: string, fn: (c: Rgba8, f: number) => Rgba8): FilterSpec => ({
  fn: (v, args) => formatColor(fn(parseColor(v, name), num(args[0], name))),
  minArgs: 1,
  maxArgs: 1,
});

const text = (name: string, fn: (s: string, args: readonly Value[]) => Value, n = 0) => ({
  fn: (v: Value, args: readonly Value[]) => fn(str(v, name), args),
  minArgs: n,
  maxArgs: n,
});

/**
 * Every filter by name.
 *
 * @example The filter table of docs/theme.md, on #4B7A85
 * ```ts
 * import assert from "node:assert/strict";
 * import { FILTERS } from "./filters.ts";
 *
 * const env = { alpha: 100 };
 * const f = (name: string, ...args: (string | number)[]) => FILTERS[name].fn("#4B7A85", args, env);
 * assert.equal(f("strip"), "4B7A85");
 * assert.equal(f("rgb"), "75,122,133");
 * assert.equal(f("rgba"), "rgba(75,122,133,1.0)");
 * assert.equal(f("xrgba"), "4b/7a/85/ff");
 * assert.equal(f("hexa"), "#4B7A85FF");
 * assert.equal(f("rgbf"), "0.2941, 0.4784, 0.5216");
 * assert.equal(f("lighten", 0.2), "#6F959D");
 * assert.equal(f("blend", "#1F211E"), "#354E52");
 * assert.equal(FILTERS.basename.fn("/walls/dune.jpg", [], env), "dune.jpg");
 * assert.equal(FILTERS.tojson.fn('say "hi"', [], env), '"say \\"hi\\""');
 * ```
 */
export const FILTERS: Readonly<Record<string, FilterSpec>> = Object.freeze({
  // Colour formats
  strip: text("strip", (s) => s.startsWith("#") ? s.slice(1) : s),
  rgb: color("rgb", (c) => `${c.r},${c.g},${c.b}`),
  rgba: color("rgba", (c, env) => `rgba(${c.r},${c.g},${c.b},${alphaDec(env.alpha)})`),
  xrgb: color("xrgb", (c) => `${hex2(c.r)}/${hex2(c.g)}/${hex2(c.b)}`.toLowerCase()),
  xrgba: color(
    "xrgba",
    (c, env) => `${hex2(c.r)}/${hex2(c.g)}/${hex2(c.b)}/${alphaHexa(env.alpha)}`.toLowerCase(),
  ),
  hexa: color("hexa", (c, env) => formatColor({ ...c, a: null }) + alphaHexa(env.alpha)),
  red: color("red", (c) => String(c.r)),
  green: color("green", (c) => String(c.g)),
  blue: color("blue", (c) => String(c.b)),
  rgbf: color("rgbf", (c) => `${unitF(c.r)}, ${unitF(c.g)}, ${unitF(c.b)}`),
  redf: color("redf", (c) => unitF(c.r)),
  greenf: color("greenf", (c) => unitF(c.g)),
  bluef: color("bluef", (c) => unitF(c.b)),
  // Colour transforms
  lighten: colorArg("lighten", lightenRgb),
  darken: colorArg("darken", (c, f) => lightenRgb(c, -f)),
  saturate: colorArg("saturate", saturateRgb),
  desaturate: colorArg("desaturate", (c, f) => saturateRgb(c, -f)),
  complementary: {
    fn: (v) => formatColor(complementaryRgb(parseColor(v, "complementary"))),
    minArgs: 0,
    maxArgs: 0,
  },
  blend: {
    fn: (v, args) => formatColor(blendRgb(parseColor(v, "blend"), parseColor(args[0], "blend"))),
    minArgs: 1,
    maxArgs: 1,
  },
  readable: {
    fn: (v, args) =>
      formatColor(
        readableRgb(
          parseColor(v, "readable"),
          parseColor(args[0], "readable"),
          args[1] === undefined ? 4.5 : num(args[1], "readable"),
        ),
      ),
    minArgs: 1,
    maxArgs: 2,
  },
  alpha_hexa: { fn: (v) => alphaHexa(num(v, "alpha_hexa")), minArgs: 0, maxArgs: 0 },
  // Quoting for a format (src/theme/quoting.ts): each gives a literal the format reads back exactly
  tojson: {
    // A lone surrogate as U+FFFD, as every other filter writes it (JSON.stringify would
    // write it as an escape that strict readers refuse).
    fn: (v) => JSON.stringify(v, (_, x) => typeof x === "string" ? wellFormed(x) : x),
    minArgs: 0,
    maxArgs: 0,
  },
  toml_quote: text("toml_quote", tomlString),
  shell_quote: text("shell_quote", shellQuote),
  sway_quote: text("sway_quote", swayQuote),
  sway_path: text("sway_path", swayPath),
  css_string: text("css_string", cssString),
  // One visible line (src/text/printable.ts), for comments and formats without string escapes
  printable: text("printable", printable),
  // Strings
  basename: text("basename", (s) => {
    const t = s.replace(/\/+$/, "");
    return t.slice(t.lastIndexOf("/") + 1); // not a regex: `.` would stop at a newline
  }),
  upper: text("upper", (s) => s.toUpperCase()),
  lower: text("lower", (s) => s.toLowerCase()),
  trim: text("trim", (s) => s.trim()),
  replace: text(
    "replace",
    (s, a) => s.split(str(a[0], "replace")).join(str(a[1], "replace")),
    2,
  ),
  length: {
    fn: (v) => {
      if (typeof v === "string" || Array.isArray(v)) return v.length;
      throw new FilterError(`'length' needs a string or a list, got a ${typeName(v)}`);
    },
    minArgs: 0,
    maxArgs: 0,
  },
  join: {
    fn: (v, args) => {
      if (!Array.isArray(v)) throw new FilterError(`'join' needs a list, got a ${typeName(v)}`);
      return v.map((x) => (typeof x === "string" ? x : String(x))).join(
        args.length ? str(args[0], "join") : "",
      );
    },
    minArgs: 0,
    maxArgs: 1,
  },
});
