/**
 * The image formats varietal tells apart by their first bytes (types only).
 *
 * @module
 */

/** Image formats recognised by their first bytes (JPEG is "jpeg"; the scanner's `IndexedFormat` says "jpg"). */
export type ImageFormat = "jpeg" | "png" | "gif" | "webp" | "svg" | "tiff" | "bmp" | "avif";
