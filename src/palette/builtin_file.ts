/**
 * The built-in extractor on a file: a guarded decode (pixel limit, shrunk
 * early, in a worker with a timeout), then the pure core in `builtin.ts`.
 * Requires `--allow-read` and `--allow-env`.
 *
 * @module
 */
import type { PaletteRecord } from "./palette_record.ts";
import { type BuiltinOptions, paletteFromPixels } from "./builtin.ts";
import {
  decodeImageFile,
  decodeImageFileWithMaterial,
  type GuardedDecodeOptions,
} from "./guarded_decode.ts";
import { quantize } from "./quantize.ts";
import {
  type PaletteSummary,
  summarizeClusters,
  summarizePalette,
  type SummaryInput,
} from "./summary.ts";
import type { MaterialRequest } from "./material/pixels_material.ts";
import type { MaterialScheme } from "./material/roles.ts";

/** Options for {@linkcode builtinPaletteForFile}. */
export interface BuiltinFileOptions
  extends BuiltinOptions, Pick<GuardedDecodeOptions, "maxPixels" | "timeoutMs" | "worker"> {
  /** Checked before and after decoding; aborting stops the decode. */
  signal?: AbortSignal;
  /**
   * Also pick the Material source colour (and mean tone) from the same
   * pixels; loads material-color-utilities (in the decoding thread when
   * there is one). @default false
   */
  material?: boolean;
  /** With `material`: also the scheme of the source colour, with this scheme and contrast. */
  scheme?: MaterialRequest["scheme"];
}

/** A built-in palette and, when asked for, the Material scheme of its source colour. */
export interface BuiltinFileResult {
  palette: PaletteRecord;
  scheme?: MaterialScheme;
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
  return (await builtinPaletteAndScheme(path, options)).palette;
}

/**
 * {@linkcode builtinPaletteForFile}, with the Material scheme when
 * `options.scheme` is given (and `options.material`): source colour and
 * scheme are computed in the decoding thread, from the same pixels.
 *
 * @throws Like {@linkcode builtinPaletteForFile}.
 */
export async function builtinPaletteAndScheme(
  path: string,
  options: BuiltinFileOptions = {},
): Promise<BuiltinFileResult> {
  const maxSide = options.maxSide ?? 256;
  if (!options.material) {
    const px = await decodeImageFile(path, { ...options, maxSide });
    options.signal?.throwIfAborted();
    return { palette: paletteFromPixels(px, { ...options, maxSide }).palette };
  }
  const decoded = await decodeImageFileWithMaterial(
    path,
    { ...options, maxSide },
    options.scheme ? { scheme: options.scheme } : {},
  );
  options.signal?.throwIfAborted();
  // The palette is made here while the decoding thread picks the source colour.
  const palette = paletteFromPixels(decoded.pixels, { ...options, maxSide }).palette;
  const material = await decoded.material;
  return {
    palette: { ...palette, source_color: material.source, mean_tone: material.meanTone },
    ...(material.scheme ? { scheme: material.scheme } : {}),
  };
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
): Promise<PaletteSummary & { source_color?: string; mean_tone?: number }> {
  const o = { ...options, maxSide: options.maxSide ?? 256 };
  if (!options.material) return summarizeClusters(quantize(await decodeImageFile(path, o)));
  const decoded = await decodeImageFileWithMaterial(path, o, {});
  const summary = summarizeClusters(quantize(decoded.pixels));
  const material = await decoded.material;
  return {
    ...summary,
    source_color: material.source,
    mean_tone: material.meanTone,
  };
}

/**
 * The summary figures of an image file for a palette already stored:
 * {@linkcode imageSummary}, or — when the built-in decoders cannot read the
 * file (a format only wallust reads, a damaged file) — the figures of the
 * palette's own colours, with a warning saying so.
 *
 * @param path The image.
 * @param stored The stored palette's background and 16 colours.
 * @param options Decode limits (pixel limit, timeout, worker).
 * @throws {Deno.errors.NotFound} When the file does not exist.
 */
export async function figuresForImage(
  path: string,
  stored: SummaryInput,
  options: Omit<BuiltinFileOptions, "variant" | "k" | "material"> = {},
): Promise<{ figures: PaletteSummary; warnings: string[] }> {
  try {
    return { figures: await imageSummary(path, options), warnings: [] };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw e;
    return {
      figures: summarizePalette(stored),
      warnings: [`${(e as Error).message}; figures taken from the stored palette's colours`],
    };
  }
}
