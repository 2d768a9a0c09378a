/**
 * The built-in extractor's pure core: pixels → palette. Decoding lives in
 * `decode.ts`; this module does no I/O.
 *
 * @module
 */
import type { PaletteRecord } from "./palette_record.ts";
import { type BuiltinVariant, derivePalette } from "./derive.ts";
import { downscale, type Pixels } from "./downscale.ts";
import { type Cluster, quantize } from "./quantize.ts";

/** Options for {@linkcode paletteFromPixels}. */
export interface BuiltinOptions {
  /** @default "dark16" */
  variant?: BuiltinVariant;
  /** Longest side the image is shrunk to before quantising. @default 256 */
  maxSide?: number;
  /** Number of clusters. @default 16 */
  k?: number;
}

/** A palette and the clusters it came from. */
export interface BuiltinResult {
  palette: PaletteRecord;
  clusters: Cluster[];
  /** The downscaled image that was quantised. */
  small: Pixels;
}

/**
 * Extracts a terminal palette from pixels: area-average down to
 * `maxSide`, k-means in OKLab over a 5-bit histogram, derive 16 colours.
 * Deterministic: the same pixels always give the same palette.
 *
 * @example
 * ```ts
 * import { paletteFromPixels } from "./builtin.ts";
 * const data = new Uint8Array(64 * 64 * 4).map((_, i) => i % 4 === 3 ? 255 : (i * 7) % 256);
 * const { palette } = paletteFromPixels({ width: 64, height: 64, data });
 * if (palette.colors.length !== 16) throw new Error();
 * ```
 */
export function paletteFromPixels(px: Pixels, options: BuiltinOptions = {}): BuiltinResult {
  const small = downscale(px, options.maxSide ?? 256);
  const clusters = quantize(small, { k: options.k ?? 16 });
  return { palette: derivePalette(clusters, options.variant ?? "dark16"), clusters, small };
}
