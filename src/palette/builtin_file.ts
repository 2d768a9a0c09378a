/**
 * The built-in extractor on a file: a guarded decode (pixel limit, shrunk
 * early, in a worker with a timeout), then the pure core in `builtin.ts`.
 * Requires `--allow-read` and `--allow-env`.
 *
 * @module
 */
import type { PaletteRecord } from "./palette_record.ts";
import { type BuiltinOptions, paletteFromPixels } from "./builtin.ts";
import { decodeImageFile, type GuardedDecodeOptions } from "./guarded_decode.ts";
import { quantize } from "./quantize.ts";
import {
  type PaletteSummary,
  summarizeClusters,
  summarizePalette,
  type SummaryInput,
} from "./summary.ts";
import type { Pixels } from "./downscale.ts";
import { loadSourceColor } from "./material/load.ts";

/** Options for {@linkcode builtinPaletteForFile}. */
export interface BuiltinFileOptions
  extends BuiltinOptions, Pick<GuardedDecodeOptions, "maxPixels" | "timeoutMs" | "worker"> {
  /** Checked before and after decoding; aborting stops the decode. */
  signal?: AbortSignal;
  /**
   * Also pick the Material source colour (and mean tone) from the same
   * pixels; loads material-color-utilities. @default false
   */
  material?: boolean;
}

/** The Material fields of a palette record, from decoded pixels. */
export async function materialFields(
  px: Pixels,
): Promise<{ source_color: string; mean_tone: number }> {
  const { sourceColorFromPixels } = await loadSourceColor();
  const r = sourceColorFromPixels(px);
  return { source_color: r.source, mean_tone: r.meanTone };
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
  const palette = paletteFromPixels(px, { ...options, maxSide }).palette;
  return options.material ? { ...palette, ...await materialFields(px) } : palette;
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
  const px = await decodeImageFile(path, { ...options, maxSide: options.maxSide ?? 256 });
  const summary = summarizeClusters(quantize(px));
  return options.material ? { ...summary, ...await materialFields(px) } : summary;
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
