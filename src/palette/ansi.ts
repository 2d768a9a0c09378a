/**
 * ANSI-faithful terminal colours (pure; imports material-color-utilities,
 * so callers load it lazily through `material/load.ts`).
 *
 * A palette made from a single-hue wallpaper has color1–6 all in that hue,
 * and red and green look alike in a terminal. This keeps colour 1–6 and
 * 9–14 red, green, yellow, blue, magenta and cyan: each starts from its
 * canonical HCT hue and is harmonised toward the wallpaper's Material
 * source colour the way Material's `Blend.harmonize` does it (the hue turns
 * toward the source by half the difference, at most 15°), then its tone is
 * moved until the colour has a WCAG contrast of at least 4.5:1 against the
 * palette's background. Colours 0, 7, 8 and 15, the background, foreground
 * and cursor stay as they are.
 *
 * @module
 */
import { Blend, Hct, hexFromArgb } from "@material/material-color-utilities";
import type { PaletteRecord } from "./palette_record.ts";
import { hexContrast } from "./contrast.ts";
import { luminance, parseHex } from "./color.ts";
import { argbFromHexColor, sourceColorFromColors } from "./material/source_color.ts";

/**
 * HCT hues of the ANSI colours 1–6 before harmonising: near those of sRGB's
 * primaries and their mixes, red a little toward crimson so that a 15° turn
 * toward a yellow or green source still reads as red.
 */
export const ANSI_HCT_HUES: readonly number[] = [20, 142, 100, 268, 334, 196];

/** Chroma asked for each slot (reduced to what the gamut allows at the tone). */
const ANSI_CHROMA: readonly number[] = [70, 60, 64, 60, 64, 48];

/** Tone added for each slot on a dark background (yellow and cyan read better lighter). */
const ANSI_TONE_LIFT: readonly number[] = [0, 2, 12, 0, 0, 4];

/** Minimum WCAG contrast of colours 1–6 and 9–14 against the background. */
export const ANSI_MIN_CONTRAST = 4.5;

/**
 * Replaces colours 1–6 and 9–14 of a palette with harmonised ANSI colours.
 *
 * @param p The palette (its background decides whether colours go light or dark).
 * @param source The Material source colour to harmonise toward; null picks
 *   one from the palette's colour 1–6.
 * @returns A new palette record; `p` is not changed.
 * @example An all-olive palette gets distinct, readable ANSI colours
 * ```ts
 * import assert from "node:assert/strict";
 * import { hexContrast } from "./contrast.ts";
 * import { ansiPalette } from "./ansi.ts";
 *
 * const olive = "#6b6b2a";
 * const p = ansiPalette({
 *   origin: "builtin", variant: "dark16", background: "#12130c", foreground: "#eeeede",
 *   cursor: "#eeeede", colors: ["#12130c", ...Array(6).fill(olive), "#ccccbb", "#444433",
 *     ...Array(6).fill(olive), "#eeeede"],
 *   avg_hue: 60, avg_saturation: 0.4, avg_lightness: 0.4, temperature: 0.3,
 * }, olive);
 * assert.notEqual(p.colors[1], p.colors[2]); // red and green apart
 * for (const i of [1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 14]) {
 *   assert.ok(hexContrast(p.colors[i], p.background) >= 4.5);
 * }
 * ```
 */
export function ansiPalette(p: PaletteRecord, source: string | null): PaletteRecord {
  const src = argbFromHexColor(source ?? sourceColorFromColors(p.colors.slice(1, 7)));
  const bg = p.background;
  const dark = luminance(parseHex(bg)) < 0.18;
  const colors = [...p.colors];
  ANSI_HCT_HUES.forEach((hue, i) => {
    const design = Hct.from(hue, ANSI_CHROMA[i], 50).toInt();
    const harmonized = Hct.fromInt(Blend.harmonize(design, src));
    const h = harmonized.hue;
    const c = ANSI_CHROMA[i];
    const lift = dark ? ANSI_TONE_LIFT[i] : 0;
    colors[i + 1] = readable(h, c, (dark ? 62 : 42) + lift, bg, dark);
    colors[i + 9] = readable(h, c, (dark ? 76 : 32) + lift, bg, dark);
  });
  return { ...p, colors };
}

/**
 * The colour of hue `h` and chroma `c` nearest to tone `tone` whose hex
 * value reaches {@linkcode ANSI_MIN_CONTRAST} against `bg`, moving lighter
 * on a dark background and darker on a light one.
 */
function readable(h: number, c: number, tone: number, bg: string, dark: boolean): string {
  for (let t = tone; t >= 0 && t <= 100; t += dark ? 1 : -1) {
    const hex = hexFromArgb(Hct.from(h, c, t).toInt());
    if (hexContrast(hex, bg) >= ANSI_MIN_CONTRAST) return hex;
  }
  return dark ? "#ffffff" : "#000000";
}
