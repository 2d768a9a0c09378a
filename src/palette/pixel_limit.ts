/**
 * The pixel limit: images with more pixels than `[palette] max_megapixels`
 * are refused before anything decodes them (a 2.6 MB PNG can claim
 * 30000×30000 and need gigabytes). Pure: callers read the size from the
 * header (scan's probe, the guarded decoder, downloads).
 *
 * @module
 */

/** Default of `[palette] max_megapixels`. */
export const DEFAULT_MAX_MEGAPIXELS = 150;

/**
 * The longest side accepted whatever the pixel count (JPEG's own maximum):
 * a 1×150,000,000 PNG is within the pixel limit but would make a
 * downscaler's per-row tables gigabytes long.
 */
export const MAX_SIDE = 65_535;

/**
 * Images decoded whole (WebP, GIF, interlaced PNG, the pictures an SVG
 * embeds) may have at most this many pixels (≈ 400 MB of RGBA), so that a
 * huge file fails clearly instead of exhausting memory.
 */
export const MAX_FULL_DECODE_PIXELS = 100_000_000;

/**
 * `[palette] max_megapixels` as a pixel count.
 *
 * @example Megapixels to pixels
 * ```ts
 * import { maxPixelsOf } from "./pixel_limit.ts";
 * import assert from "node:assert/strict";
 * assert.equal(maxPixelsOf({ palette: { max_megapixels: 150 } }), 150_000_000);
 * ```
 */
export function maxPixelsOf(config: { palette: { max_megapixels: number } }): number {
  return Math.round(config.palette.max_megapixels * 1e6);
}

/**
 * Why an image of `width` × `height` is refused, or `undefined` when it is
 * within `maxPixels` and neither side exceeds {@linkcode MAX_SIDE}.
 *
 * @example
 * ```ts
 * import { checkPixelLimit } from "./pixel_limit.ts";
 * if (checkPixelLimit(30000, 30000, 150e6) !== "too large: 30000×30000 exceeds 150 megapixels") {
 *   throw new Error();
 * }
 * if (checkPixelLimit(3840, 2160, 150e6) !== undefined) throw new Error();
 * ```
 */
export function checkPixelLimit(
  width: number,
  height: number,
  maxPixels: number,
): string | undefined {
  if (width * height > maxPixels) {
    return `too large: ${width}×${height} exceeds ${formatMegapixels(maxPixels)} megapixels`;
  }
  if (Math.max(width, height) > MAX_SIDE) {
    return `too large: ${width}×${height} has a side longer than ${MAX_SIDE} pixels`;
  }
  return undefined;
}

/**
 * A pixel count in megapixels, to two decimals.
 *
 * @example
 * ```ts
 * import { formatMegapixels } from "./pixel_limit.ts";
 * import assert from "node:assert/strict";
 * assert.equal(formatMegapixels(400_000_000), "400");
 * assert.equal(formatMegapixels(2_073_600), "2.07");
 * ```
 */
export function formatMegapixels(pixels: number): string {
  return String(Math.round(pixels / 1e4) / 100);
}

/** An image refused before decoding because it has too many pixels. */
export class ImageTooLargeError extends Error {
  readonly file: string;
  readonly width: number;
  readonly height: number;
  /** The limit it exceeds, in pixels. */
  readonly maxPixels: number;
  /** "too large: W×H exceeds N megapixels" (plus a hint), without the file name. */
  readonly reason: string;
  /**
   * @param file The image.
   * @param width Its width from the header.
   * @param height Its height from the header.
   * @param maxPixels The limit.
   * @param hint What the user can do. @default "raise [palette] max_megapixels to allow it"
   *   (or that nothing can, for a side over {@linkcode MAX_SIDE})
   */
  constructor(
    file: string,
    width: number,
    height: number,
    maxPixels: number,
    hint = width * height > maxPixels
      ? "raise [palette] max_megapixels to allow it"
      : "varietal does not decode such images",
  ) {
    const reason = `${
      checkPixelLimit(width, height, maxPixels) ??
        `too large: ${width}×${height} exceeds ${formatMegapixels(maxPixels)} megapixels`
    }; ${hint}`;
    super(`Cannot decode ${file}: ${reason}`);
    this.name = "ImageTooLargeError";
    this.file = file;
    this.width = width;
    this.height = height;
    this.maxPixels = maxPixels;
    this.reason = reason;
  }
}
