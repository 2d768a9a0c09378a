/**
 * The built-in extractor on a file: decode (WASM, shrunk early), then the
 * pure core in `builtin.ts`. Requires `--allow-read` and `--allow-env`.
 *
 * @module
 */
import type { PaletteRecord } from "../db/palettes.ts";
import { type BuiltinOptions, paletteFromPixels } from "./builtin.ts";
import { decodeFile } from "./decode.ts";

/** Options for {@linkcode builtinPaletteForFile}. */
export interface BuiltinFileOptions extends BuiltinOptions {
  /** Checked before and after decoding. */
  signal?: AbortSignal;
}

/**
 * Extracts a palette from an image file with the built-in extractor.
 *
 * @throws {UnsupportedFormatError} For formats other than JPEG, PNG, GIF and WebP.
 * @throws {ImageDecodeError} For damaged files.
 * @throws {Deno.errors.NotFound} When the file does not exist.
 */
export async function builtinPaletteForFile(
  path: string,
  options: BuiltinFileOptions = {},
): Promise<PaletteRecord> {
  options.signal?.throwIfAborted();
  const maxSide = options.maxSide ?? 256;
  const px = await decodeFile(path, { minSide: maxSide });
  options.signal?.throwIfAborted();
  return paletteFromPixels(px, { ...options, maxSide }).palette;
}
