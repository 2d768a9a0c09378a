/**
 * The built-in extractor on a file: a guarded decode (pixel limit, shrunk
 * early, in a worker with a timeout), then the pure core in `builtin.ts`.
 * Requires `--allow-read` and `--allow-env`.
 *
 * @module
 */
import type { PaletteRecord } from "../db/palettes.ts";
import { type BuiltinOptions, paletteFromPixels } from "./builtin.ts";
import { decodeImageFile, type GuardedDecodeOptions } from "./guarded_decode.ts";
import { quantize } from "./quantize.ts";
import { type PaletteSummary, summarizeClusters } from "./summary.ts";

/** Options for {@linkcode builtinPaletteForFile}. */
export interface BuiltinFileOptions
  extends BuiltinOptions, Pick<GuardedDecodeOptions, "maxPixels" | "timeoutMs" | "worker"> {
  /** Checked before and after decoding; aborting stops the decode. */
  signal?: AbortSignal;
}

/**
 * Extracts a palette from an image file with the built-in extractor.
 *
 * @throws {UnsupportedFormatError} For formats other than JPEG, PNG, GIF and WebP.
 * @throws {ImageTooLargeError} Over the pixel limit (nothing decoded).
 * @throws {ImageDecodeError} For damaged files.
 * @throws {DecodeTimeoutError} When decoding takes longer than `timeoutMs`.
 * @throws {Deno.errors.NotFound} When the file does not exist.
 */
export async function builtinPaletteForFile(
  path: string,
  options: BuiltinFileOptions = {},
): Promise<PaletteRecord> {
  const maxSide = options.maxSide ?? 256;
  const px = await decodeImageFile(path, { ...options, maxSide });
  options.signal?.throwIfAborted();
  return paletteFromPixels(px, { ...options, maxSide }).palette;
}

/**
 * The summary figures of an image file (guarded decode, shrink, quantise),
 * without deriving a palette: used to describe wallust's palettes the same
 * way as built-in ones.
 *
 * @throws Like {@linkcode builtinPaletteForFile}.
 */
export async function imageSummary(
  path: string,
  options: Omit<BuiltinFileOptions, "variant" | "k"> = {},
): Promise<PaletteSummary> {
  const px = await decodeImageFile(path, { ...options, maxSide: options.maxSide ?? 256 });
  return summarizeClusters(quantize(px));
}
