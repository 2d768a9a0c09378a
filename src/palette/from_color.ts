/**
 * A whole 16-colour palette from one colour, for a theme without a wallpaper
 * (what matugen's `color hex` does for Material roles): the background and
 * greys are tints of the colour's hue, laid out as the built-in extractor lays
 * out an image's (`derive.ts`, with its contrast guarantees), and colours 1–6
 * and 9–14 are the ANSI colours harmonised toward it (`ansi.ts`). The colour is
 * the palette's Material source colour.
 *
 * Pure, but imports material-color-utilities (through `ansi.ts`): load it lazily.
 *
 * @module
 */
import type { PaletteRecord } from "./palette_record.ts";
import { type BuiltinVariant, derivePalette } from "./derive.ts";
import { ansiPalette } from "./ansi.ts";
import { labToLch, type LCH, parseHex, rgbToOklab } from "./color.ts";
import { lchHex } from "./contrast.ts";
import type { Cluster } from "./quantize.ts";

/**
 * The palette of a colour: as if from a picture mostly of a dark (or, for
 * `light16`, light) shade of its hue, with the colour itself and a pale tint.
 *
 * @param hex The colour, `#rrggbb`.
 * @param variant "dark16" (dark background) or "light16".
 * @returns A built-in palette whose `source_color` is `hex`.
 * @example Readable, with distinct ANSI colours, from one blue
 * ```ts
 * import assert from "node:assert/strict";
 * import { hexContrast } from "./contrast.ts";
 * import { paletteFromColor } from "./from_color.ts";
 *
 * const p = paletteFromColor("#4285f4", "dark16");
 * assert.equal(p.source_color, "#4285f4");
 * assert.ok(hexContrast(p.foreground, p.background) >= 4.5);
 * assert.equal(new Set(p.colors.slice(1, 7)).size, 6);
 * ```
 */
export function paletteFromColor(hex: string, variant: BuiltinVariant): PaletteRecord {
  const own = labToLch(rgbToOklab(parseHex(hex)));
  const dark = variant !== "light16";
  const shade: LCH = dark
    ? { L: 0.2, C: Math.min(own.C, 0.04), h: own.h }
    : { L: 0.96, C: Math.min(own.C, 0.02), h: own.h };
  const pale: LCH = { L: dark ? 0.86 : 0.4, C: own.C * 0.3, h: own.h };
  const clusters: Cluster[] = [
    cluster(shade, 0.55),
    { lab: rgbToOklab(parseHex(hex)), rgb: parseHex(hex), weight: 0.3 },
    cluster(pale, 0.15),
  ];
  const base = derivePalette(clusters, variant);
  return { ...ansiPalette(base, hex), source_color: hex };
}

function cluster(c: LCH, weight: number): Cluster {
  const rgb = parseHex(lchHex(c));
  return { lab: rgbToOklab(rgb), rgb, weight };
}
