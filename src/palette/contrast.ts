/**
 * Contrast enforcement (pure): moves a colour's lightness until it reaches
 * a WCAG contrast ratio against a background, checking the rounded hex
 * value that will actually be written.
 *
 * @module
 */
import { contrastRatio, type LCH, lchToRgbInGamut, parseHex, type RGB, toHex } from "./color.ts";

/** `#rrggbb` of an OKLCH colour, chroma reduced into the sRGB gamut. */
export function lchHex(c: LCH): string {
  return toHex(lchToRgbInGamut({ L: clamp01(c.L), C: Math.max(0, c.C), h: c.h }));
}

/**
 * The colour closest in lightness to `c` (same hue, chroma reduced only
 * to stay in gamut) whose hex value has at least `min` contrast against
 * `bg`. Lightness moves up when `lighter`, else down; at the end of the
 * range the result is white or black.
 *
 * @param c The wanted colour.
 * @param bg The background.
 * @param min The contrast ratio to reach (1–21).
 * @param lighter Direction to move.
 * @returns A `#rrggbb` string.
 */
export function withContrast(c: LCH, bg: RGB, min: number, lighter: boolean): string {
  const hex = lchHex(c);
  if (contrastRatio(parseHex(hex), bg) >= min) return hex;
  const end = lighter ? 1 : 0;
  let ok = lighter ? "#ffffff" : "#000000";
  let lo = c.L, hi = end; // lo fails, hi passes (white/black)
  for (let i = 0; i < 24; i++) {
    const mid = (lo + hi) / 2;
    const h = lchHex({ ...c, L: mid });
    if (contrastRatio(parseHex(h), bg) >= min) {
      hi = mid;
      ok = h;
    } else lo = mid;
    if (Math.abs(hi - lo) < 1e-4) break;
  }
  return ok;
}

/** The contrast ratio between two hex colours. */
export function hexContrast(a: string, b: string): number {
  return contrastRatio(parseHex(a), parseHex(b));
}

const clamp01 = (v: number) => v < 0 ? 0 : v > 1 ? 1 : v;
