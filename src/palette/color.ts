/**
 * Colour maths (pure): conversions between hex, sRGB, HSL, OKLab and OKLCH,
 * WCAG contrast and perceptual distance.
 *
 * Conventions: sRGB channels are 0–255 numbers (not rounded until
 * {@linkcode toHex}); HSL has h in degrees [0, 360), s and l in [0, 1];
 * OKLab L in [0, 1]; OKLCH hue in degrees.
 *
 * @module
 */

/** An sRGB colour with 0–255 channels. */
export interface RGB {
  r: number;
  g: number;
  b: number;
}

/** HSL with hue in degrees and s, l in [0, 1]. */
export interface HSL {
  h: number;
  s: number;
  l: number;
}

/** OKLab. */
export interface Lab {
  L: number;
  a: number;
  b: number;
}

/** OKLCH (hue in degrees). */
export interface LCH {
  L: number;
  C: number;
  h: number;
}

/**
 * Parses `#rgb`, `#rrggbb` or `#rrggbbaa` (the `#` is optional; alpha ignored).
 *
 * @throws {SyntaxError} When the text is not a hex colour.
 * @example Six, three and eight digits
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseHex } from "./color.ts";
 *
 * assert.deepEqual(parseHex("#ff8000"), { r: 255, g: 128, b: 0 });
 * assert.deepEqual(parseHex("fff"), { r: 255, g: 255, b: 255 });
 * assert.deepEqual(parseHex("#336699cc"), { r: 51, g: 102, b: 153 }); // alpha ignored
 * assert.throws(() => parseHex("red"), SyntaxError);
 * ```
 */
export function parseHex(hex: string): RGB {
  let h = hex.trim().replace(/^#/, "");
  if (h.length === 3 || h.length === 4) h = [...h.slice(0, 3)].map((c) => c + c).join("");
  if (!/^[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/.test(h)) {
    throw new SyntaxError(`Invalid hex colour "${hex}": expected #rrggbb`);
  }
  const n = parseInt(h.slice(0, 6), 16);
  return { r: (n >> 16) & 255, g: (n >> 8) & 255, b: n & 255 };
}

/**
 * Whether text is a hex colour {@linkcode parseHex} accepts.
 *
 * @example What parseHex accepts
 * ```ts
 * import assert from "node:assert/strict";
 * import { isHex } from "./color.ts";
 *
 * assert.equal(isHex("#abc"), true);
 * assert.equal(isHex("4B7A85"), true);
 * assert.equal(isHex("#12345"), false);
 * assert.equal(isHex("red"), false);
 * ```
 */
export function isHex(hex: string): boolean {
  return /^#?([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/.test(hex.trim());
}

const clamp255 = (v: number) => v < 0 ? 0 : v > 255 ? 255 : v;

/**
 * Formats as `#rrggbb` (lower case unless `upper`). Channels are clamped and rounded.
 *
 * @example Clamped, rounded, lower case unless asked
 * ```ts
 * import assert from "node:assert/strict";
 * import { toHex } from "./color.ts";
 *
 * assert.equal(toHex({ r: 255, g: 127.6, b: -3 }), "#ff8000");
 * assert.equal(toHex({ r: 75, g: 122, b: 133 }, true), "#4B7A85");
 * ```
 */
export function toHex(c: RGB, upper = false): string {
  const s = "#" +
    [c.r, c.g, c.b].map((v) => Math.round(clamp255(v)).toString(16).padStart(2, "0")).join("");
  return upper ? s.toUpperCase() : s;
}

/**
 * sRGB → HSL.
 *
 * @example Orange in HSL
 * ```ts
 * import assert from "node:assert/strict";
 * import { rgbToHsl } from "./color.ts";
 *
 * const { h, s, l } = rgbToHsl({ r: 255, g: 128, b: 0 });
 * assert.equal(Math.round(h), 30);
 * assert.deepEqual([s, l], [1, 0.5]);
 * assert.deepEqual(rgbToHsl({ r: 128, g: 128, b: 128 }).s, 0); // greys have no saturation
 * ```
 */
export function rgbToHsl({ r, g, b }: RGB): HSL {
  const R = r / 255, G = g / 255, B = b / 255;
  const max = Math.max(R, G, B), min = Math.min(R, G, B);
  const l = (max + min) / 2;
  const d = max - min;
  if (d === 0) return { h: 0, s: 0, l };
  const s = d / (1 - Math.abs(2 * l - 1));
  return { h: hueOf(R, G, B, max, d), s: Math.min(1, s), l };
}

/**
 * HSL → sRGB.
 *
 * @example HSL back to sRGB
 * ```ts
 * import assert from "node:assert/strict";
 * import { hslToRgb, toHex } from "./color.ts";
 *
 * assert.equal(toHex(hslToRgb({ h: 210, s: 0.5, l: 0.4 })), "#336699");
 * ```
 */
export function hslToRgb({ h, s, l }: HSL): RGB {
  const c = (1 - Math.abs(2 * l - 1)) * s;
  return hueChromaToRgb(h, c, l - c / 2);
}

/**
 * The hue in degrees [0, 360) of channels in [0, 1] whose largest is `max`
 * and whose spread (max − min) is `d` > 0.
 */
function hueOf(R: number, G: number, B: number, max: number, d: number): number {
  let h: number;
  if (max === R) h = ((G - B) / d) % 6;
  else if (max === G) h = (B - R) / d + 2;
  else h = (R - G) / d + 4;
  h *= 60;
  return h < 0 ? h + 360 : h;
}

/** sRGB (0–255) of hue `h` (degrees) with chroma `c` and lightness offset `m`, both in [0, 1]. */
function hueChromaToRgb(h: number, c: number, m: number): RGB {
  const hp = (((h % 360) + 360) % 360) / 60;
  const x = c * (1 - Math.abs((hp % 2) - 1));
  let r = 0, g = 0, b = 0;
  if (hp < 1) [r, g, b] = [c, x, 0];
  else if (hp < 2) [r, g, b] = [x, c, 0];
  else if (hp < 3) [r, g, b] = [0, c, x];
  else if (hp < 4) [r, g, b] = [0, x, c];
  else if (hp < 5) [r, g, b] = [x, 0, c];
  else [r, g, b] = [c, 0, x];
  return { r: (r + m) * 255, g: (g + m) * 255, b: (b + m) * 255 };
}

/**
 * sRGB channel (0–255) → linear light (0–1).
 *
 * @example The sRGB transfer curve
 * ```ts
 * import assert from "node:assert/strict";
 * import { toLinear } from "./color.ts";
 *
 * assert.equal(toLinear(0), 0);
 * assert.equal(toLinear(255), 1);
 * assert.ok(Math.abs(toLinear(128) - 0.2159) < 1e-4); // mid-grey is about 22 % of the light
 * ```
 */
export function toLinear(v: number): number {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/**
 * Linear light (0–1) → sRGB channel (0–255).
 *
 * @example The inverse of toLinear
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromLinear, toLinear } from "./color.ts";
 *
 * assert.ok(Math.abs(fromLinear(toLinear(128)) - 128) < 1e-9);
 * ```
 */
export function fromLinear(v: number): number {
  const c = v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
  return c * 255;
}

/**
 * sRGB → OKLab.
 *
 * @example White is L = 1; red leans to +a and +b
 * ```ts
 * import assert from "node:assert/strict";
 * import { rgbToOklab } from "./color.ts";
 *
 * const white = rgbToOklab({ r: 255, g: 255, b: 255 });
 * assert.ok(Math.abs(white.L - 1) < 1e-6 && Math.abs(white.a) < 1e-6);
 * const red = rgbToOklab({ r: 255, g: 0, b: 0 });
 * assert.ok(Math.abs(red.L - 0.628) < 1e-3 && red.a > 0.2 && red.b > 0.1);
 * ```
 */
export function rgbToOklab(c: RGB): Lab {
  return linearToOklab(toLinear(c.r), toLinear(c.g), toLinear(c.b));
}

/**
 * Linear sRGB (0–1) → OKLab.
 *
 * @example Linear white
 * ```ts
 * import assert from "node:assert/strict";
 * import { linearToOklab } from "./color.ts";
 *
 * const { L, a, b } = linearToOklab(1, 1, 1);
 * assert.ok(Math.abs(L - 1) < 1e-6 && Math.abs(a) < 1e-6 && Math.abs(b) < 1e-6);
 * ```
 */
export function linearToOklab(r: number, g: number, b: number): Lab {
  const l = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
  const m = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  return {
    L: 0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s,
    a: 1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s,
    b: 0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s,
  };
}

/**
 * OKLab → sRGB, not rounded. Above the gamut a channel exceeds 255; below
 * it, the negative linear value is clipped to 0 (so such a colour comes back
 * with another lightness and hue, not with a negative channel).
 *
 * @example A round trip through OKLab
 * ```ts
 * import assert from "node:assert/strict";
 * import { oklabToRgb, rgbToOklab, toHex } from "./color.ts";
 *
 * assert.equal(toHex(oklabToRgb(rgbToOklab({ r: 51, g: 102, b: 153 }))), "#336699");
 * ```
 */
export function oklabToRgb({ L, a, b }: Lab): RGB {
  const l = (L + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m = (L - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s = (L - 0.0894841775 * a - 1.2914855480 * b) ** 3;
  const lin = (v: number) => fromLinear(Math.max(v, 0));
  return {
    r: lin(4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s),
    g: lin(-1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s),
    b: lin(-0.0041960863 * l - 0.7034186147 * m + 1.7076147010 * s),
  };
}

/**
 * OKLab → OKLCH.
 *
 * @example Chroma and hue angle of an OKLab colour
 * ```ts
 * import assert from "node:assert/strict";
 * import { labToLch } from "./color.ts";
 *
 * const { L, C, h } = labToLch({ L: 0.5, a: 0, b: 0.1 });
 * assert.equal(L, 0.5);
 * assert.ok(Math.abs(C - 0.1) < 1e-12 && Math.abs(h - 90) < 1e-12);
 * ```
 */
export function labToLch({ L, a, b }: Lab): LCH {
  let h = Math.atan2(b, a) * 180 / Math.PI;
  if (h < 0) h += 360;
  return { L, C: Math.hypot(a, b), h };
}

/**
 * OKLCH → OKLab.
 *
 * @example The inverse of labToLch
 * ```ts
 * import assert from "node:assert/strict";
 * import { lchToLab } from "./color.ts";
 *
 * const { a, b } = lchToLab({ L: 0.5, C: 0.1, h: 90 });
 * assert.ok(Math.abs(a) < 1e-12 && Math.abs(b - 0.1) < 1e-12);
 * ```
 */
export function lchToLab({ L, C, h }: LCH): Lab {
  const r = h * Math.PI / 180;
  return { L, a: C * Math.cos(r), b: C * Math.sin(r) };
}

/**
 * WCAG relative luminance (0–1).
 *
 * @example White is 1, mid-grey about 0.22
 * ```ts
 * import assert from "node:assert/strict";
 * import { luminance } from "./color.ts";
 *
 * assert.equal(luminance({ r: 255, g: 255, b: 255 }), 1);
 * assert.ok(Math.abs(luminance({ r: 128, g: 128, b: 128 }) - 0.2159) < 1e-4);
 * ```
 */
export function luminance(c: RGB): number {
  return 0.2126 * toLinear(c.r) + 0.7152 * toLinear(c.g) + 0.0722 * toLinear(c.b);
}

/**
 * WCAG 2 contrast ratio between two colours (1–21).
 *
 * @example Black on white, and the WCAG AA threshold
 * ```ts
 * import assert from "node:assert/strict";
 * import { contrastRatio, parseHex } from "./color.ts";
 *
 * assert.equal(contrastRatio(parseHex("#000"), parseHex("#fff")), 21);
 * assert.ok(contrastRatio(parseHex("#767676"), parseHex("#fff")) >= 4.5);
 * ```
 */
export function contrastRatio(a: RGB, b: RGB): number {
  const la = luminance(a), lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/**
 * Euclidean distance in OKLab (≈ perceptual ΔE; 0.02 is a just-noticeable step).
 *
 * @example Black to white is 1
 * ```ts
 * import assert from "node:assert/strict";
 * import { deltaE, rgbToOklab } from "./color.ts";
 *
 * const d = deltaE(rgbToOklab({ r: 0, g: 0, b: 0 }), rgbToOklab({ r: 255, g: 255, b: 255 }));
 * assert.ok(Math.abs(d - 1) < 1e-6);
 * ```
 */
export function deltaE(a: Lab, b: Lab): number {
  return Math.hypot(a.L - b.L, a.a - b.a, a.b - b.b);
}

/**
 * Brings an OKLCH colour into sRGB gamut by reducing chroma until no
 * channel exceeds 255 (L and h kept). A colour that only leaves the gamut
 * below 0 is not reduced: {@linkcode oklabToRgb} clips those channels to 0,
 * which moves its lightness and hue.
 *
 * @example A too-vivid orange keeps its lightness and hue
 * ```ts
 * import assert from "node:assert/strict";
 * import { labToLch, lchToRgbInGamut, rgbToOklab } from "./color.ts";
 *
 * const want = { L: 0.8, C: 0.4, h: 60 }; // beyond sRGB above 255
 * const got = labToLch(rgbToOklab(lchToRgbInGamut(want)));
 * assert.ok(got.C < want.C);
 * assert.ok(Math.abs(got.L - want.L) < 0.01 && Math.abs(got.h - want.h) < 1);
 * ```
 */
export function lchToRgbInGamut(c: LCH): RGB {
  let lo = 0, hi = c.C;
  let rgb = oklabToRgb(lchToLab(c));
  if (inGamut(rgb)) return rgb;
  for (let i = 0; i < 20; i++) {
    const mid = (lo + hi) / 2;
    const t = oklabToRgb(lchToLab({ ...c, C: mid }));
    if (inGamut(t)) {
      lo = mid;
      rgb = t;
    } else hi = mid;
  }
  return oklabToRgb(lchToLab({ ...c, C: lo }));
}

function inGamut(c: RGB): boolean {
  const e = 0.5;
  return c.r >= -e && c.r <= 255 + e && c.g >= -e && c.g <= 255 + e && c.b >= -e && c.b <= 255 + e;
}

/**
 * Circular mean of hues in degrees, weighted; null when the weights cancel
 * out (no dominant hue).
 *
 * @example Reds on both sides of 0°
 * ```ts
 * import assert from "node:assert/strict";
 * import { circularMeanHue } from "./color.ts";
 *
 * assert.equal(Math.round(circularMeanHue([350, 10])!) % 360, 0); // not 180
 * assert.equal(circularMeanHue([0, 180]), null); // opposite hues cancel out
 * assert.ok(circularMeanHue([90, 0], [3, 1])! > 45); // pulled toward the heavier hue
 * ```
 */
export function circularMeanHue(
  hues: readonly number[],
  weights?: readonly number[],
): number | null {
  let x = 0, y = 0, total = 0;
  hues.forEach((h, i) => {
    const w = weights ? weights[i] : 1;
    x += Math.cos(h * Math.PI / 180) * w;
    y += Math.sin(h * Math.PI / 180) * w;
    total += w;
  });
  if (total <= 0 || Math.hypot(x, y) / total < 1e-3) return null;
  let h = Math.atan2(y, x) * 180 / Math.PI;
  if (h < 0) h += 360;
  return h;
}

/** HSV with hue in degrees and s, v in [0, 1]. */
export interface HSV {
  h: number;
  s: number;
  v: number;
}

/**
 * sRGB (0–255 channels) → HSV.
 *
 * @example Orange in HSV
 * ```ts
 * import assert from "node:assert/strict";
 * import { rgbToHsv } from "./color.ts";
 *
 * const { h, s, v } = rgbToHsv({ r: 255, g: 128, b: 0 });
 * assert.equal(Math.round(h), 30);
 * assert.deepEqual([s, v], [1, 1]);
 * ```
 */
export function rgbToHsv({ r, g, b }: RGB): HSV {
  const R = r / 255, G = g / 255, B = b / 255;
  const max = Math.max(R, G, B), min = Math.min(R, G, B);
  const d = max - min;
  const h = d === 0 ? 0 : hueOf(R, G, B, max, d);
  return { h, s: max === 0 ? 0 : d / max, v: max };
}

/**
 * HSV → sRGB (0–255 channels, not rounded).
 *
 * @example Pure green
 * ```ts
 * import assert from "node:assert/strict";
 * import { hsvToRgb, toHex } from "./color.ts";
 *
 * assert.equal(toHex(hsvToRgb({ h: 120, s: 1, v: 1 })), "#00ff00");
 * ```
 */
export function hsvToRgb({ h, s, v }: HSV): RGB {
  const c = v * s;
  return hueChromaToRgb(h, c, v - c);
}
