/**
 * Contrast enforcement (pure): moves a colour's lightness until it reaches
 * a WCAG contrast ratio against a background, checking the rounded hex
 * value that will actually be written.
 *
 * @module
 */
import { contrastRatio, type LCH, lchToRgbInGamut, parseHex, type RGB, toHex } from "./color.ts";

/**
 * `#rrggbb` of an OKLCH colour, chroma reduced into the sRGB gamut.
 *
 * @example OKLCH to hex, chroma reduced into gamut
 * ```ts
 * import assert from "node:assert/strict";
 * import { lchHex } from "./contrast.ts";
 *
 * assert.equal(lchHex({ L: 0.5, C: 0, h: 0 }), "#636363"); // OKLab mid-grey
 * assert.equal(lchHex({ L: 1.2, C: 0.1, h: 30 }), "#ffffff"); // lightness clamped to 1
 * ```
 */
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
 * @example Lighten a dark blue until it reads on near-black
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseHex } from "./color.ts";
 * import { hexContrast, withContrast } from "./contrast.ts";
 *
 * const hex = withContrast({ L: 0.3, C: 0.1, h: 250 }, parseHex("#101010"), 4.5, true);
 * assert.ok(hexContrast(hex, "#101010") >= 4.5);
 * assert.ok(hexContrast(hex, "#101010") < 4.6); // no lighter than needed
 * ```
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

/**
 * The contrast ratio between two hex colours.
 *
 * @example WCAG contrast of two hex colours
 * ```ts
 * import assert from "node:assert/strict";
 * import { hexContrast } from "./contrast.ts";
 *
 * assert.equal(hexContrast("#000000", "#ffffff"), 21);
 * assert.equal(hexContrast("#4b7a85", "#4b7a85"), 1);
 * ```
 */
export function hexContrast(a: string, b: string): number {
  return contrastRatio(parseHex(a), parseHex(b));
}

const clamp01 = (v: number) => v < 0 ? 0 : v > 1 ? 1 : v;
