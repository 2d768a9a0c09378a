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
 * @example
 * ```ts
 * import { parseHex } from "./color.ts";
 * if (parseHex("#ff8000").g !== 128) throw new Error();
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

/** Whether text is a hex colour {@linkcode parseHex} accepts. */
export function isHex(hex: string): boolean {
  return /^#?([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/.test(hex.trim());
}

const clamp255 = (v: number) => v < 0 ? 0 : v > 255 ? 255 : v;

/** Formats as `#rrggbb` (lower case unless `upper`). Channels are clamped and rounded. */
export function toHex(c: RGB, upper = false): string {
  const s = "#" +
    [c.r, c.g, c.b].map((v) => Math.round(clamp255(v)).toString(16).padStart(2, "0")).join("");
  return upper ? s.toUpperCase() : s;
}

/** sRGB → HSL. */
export function rgbToHsl({ r, g, b }: RGB): HSL {
  const R = r / 255, G = g / 255, B = b / 255;
  const max = Math.max(R, G, B), min = Math.min(R, G, B);
  const l = (max + min) / 2;
  const d = max - min;
  if (d === 0) return { h: 0, s: 0, l };
  const s = d / (1 - Math.abs(2 * l - 1));
  return { h: hueOf(R, G, B, max, d), s: Math.min(1, s), l };
}

/** HSL → sRGB. */
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

/** sRGB channel (0–255) → linear light (0–1). */
export function toLinear(v: number): number {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** Linear light (0–1) → sRGB channel (0–255). */
export function fromLinear(v: number): number {
  const c = v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
  return c * 255;
}

/** sRGB → OKLab. */
export function rgbToOklab(c: RGB): Lab {
  return linearToOklab(toLinear(c.r), toLinear(c.g), toLinear(c.b));
}

/** Linear sRGB (0–1) → OKLab. */
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

/** OKLab → sRGB (not clamped: out-of-gamut values fall outside 0–255). */
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

/** OKLab → OKLCH. */
export function labToLch({ L, a, b }: Lab): LCH {
  let h = Math.atan2(b, a) * 180 / Math.PI;
  if (h < 0) h += 360;
  return { L, C: Math.hypot(a, b), h };
}

/** OKLCH → OKLab. */
export function lchToLab({ L, C, h }: LCH): Lab {
  const r = h * Math.PI / 180;
  return { L, a: C * Math.cos(r), b: C * Math.sin(r) };
}

/** WCAG relative luminance (0–1). */
export function luminance(c: RGB): number {
  return 0.2126 * toLinear(c.r) + 0.7152 * toLinear(c.g) + 0.0722 * toLinear(c.b);
}

/**
 * WCAG 2 contrast ratio between two colours (1–21).
 *
 * @example
 * ```ts
 * import { contrastRatio, parseHex } from "./color.ts";
 * if (Math.round(contrastRatio(parseHex("#000"), parseHex("#fff"))) !== 21) throw new Error();
 * ```
 */
export function contrastRatio(a: RGB, b: RGB): number {
  const la = luminance(a), lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Euclidean distance in OKLab (≈ perceptual ΔE; 0.02 is a just-noticeable step). */
export function deltaE(a: Lab, b: Lab): number {
  return Math.hypot(a.L - b.L, a.a - b.a, a.b - b.b);
}

/** Brings an OKLCH colour into sRGB gamut by reducing chroma (keeps L and h). */
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

/** sRGB (0–255 channels) → HSV. */
export function rgbToHsv({ r, g, b }: RGB): HSV {
  const R = r / 255, G = g / 255, B = b / 255;
  const max = Math.max(R, G, B), min = Math.min(R, G, B);
  const d = max - min;
  const h = d === 0 ? 0 : hueOf(R, G, B, max, d);
  return { h, s: max === 0 ? 0 : d / max, v: max };
}

/** HSV → sRGB (0–255 channels, not rounded). */
export function hsvToRgb({ h, s, v }: HSV): RGB {
  const c = v * s;
  return hueChromaToRgb(h, c, v - c);
}
