/**
 * The pipeline's side of decode failures: a decoding thread started early
 * for a new image, marking an image whose palette failed because it cannot
 * be decoded, and recognising one that failed before.
 *
 * @module
 */
import type { Database } from "../db/database.ts";
import { type DecodeFailure, getDecodeFailure, markDecodeFailed } from "../db/decode_failures.ts";
import { getImage } from "../db/images.ts";
import type { DecodeWorker, DecodeWorkerOptions } from "../palette/guarded_decode.ts";
import { maxPixelsOf } from "../palette/pixel_limit.ts";
import type { PipelineDeps } from "./pipeline_deps.ts";
import { load } from "./services.ts";

/** The guarded decoder, loaded only when an image is decoded (it brings the decoders). */
type Guarded = typeof import("../palette/guarded_decode.ts");

/**
 * Starts a decoding thread and has it load the decoder for `item`'s format
 * and the Material modules (the scheme's too when `scheme`), so that the
 * palette stage, which decodes the image after the setter has run, does not
 * wait for the thread to start or load code (see {@linkcode DecodeWorker.warm}).
 * `options` say when a long-lived thread is replaced to give its memory back.
 */
export async function startDecoder(
  item: { format?: string },
  material: { scheme: boolean },
  options: DecodeWorkerOptions = {},
): Promise<DecodeWorker> {
  const { DecodeWorker } = await load<Guarded>("../palette/guarded_decode.ts");
  const worker = new DecodeWorker(undefined, options);
  worker.warm(decodableFormat(item.format), material);
  return worker;
}

/**
 * The decoder to warm for an indexed format (`images.format` says "jpg", the
 * decoder "jpeg"); none for formats the worker does not decode.
 */
function decodableFormat(
  format: string | undefined,
): "jpeg" | "png" | "gif" | "webp" | "svg" | undefined {
  if (format === "jpg" || format === "jpeg") return "jpeg";
  return format === "png" || format === "gif" || format === "webp" || format === "svg"
    ? format
    : undefined;
}

/**
 * The image's decode-failure mark when the file is still the version that
 * failed (same size and mtime) and, for one refused as too large, it still
 * exceeds `maxPixels`; else undefined.
 */
export async function knownUndecodable(
  db: Database,
  imageId: number,
  path: string,
  maxPixels: number,
): Promise<DecodeFailure | undefined> {
  const failure = getDecodeFailure(db, imageId);
  if (!failure) return undefined;
  if (failure.pixels !== null && failure.pixels <= maxPixels) return undefined;
  try {
    const st = await Deno.stat(path);
    return st.size === failure.size && (st.mtime?.getTime() ?? 0) === failure.mtime
      ? failure
      : undefined;
  } catch {
    return failure;
  }
}

/**
 * Marks an image whose palette failed because it cannot be decoded
 * (damaged, over the pixel limit, too slow), with the file's current size
 * and mtime, so that it is not drawn again until the file changes.
 *
 * @returns Whether it was marked (false for other errors).
 */
export async function markIfUndecodable(
  deps: PipelineDeps,
  imageId: number,
  path: string,
  e: unknown,
): Promise<boolean> {
  const { describeDecodeFailure } = await load<Guarded>("../palette/guarded_decode.ts");
  const failure = describeDecodeFailure(e, maxPixelsOf(deps.config));
  if (!failure) return false;
  const row = getImage(deps.db, imageId);
  if (!row) return false;
  let size = row.size, mtime = row.mtime;
  try {
    const st = await Deno.stat(path);
    size = st.size;
    mtime = st.mtime?.getTime() ?? mtime;
  } catch { /* gone meanwhile: the scanned facts stand */ }
  markDecodeFailed(deps.db, imageId, { at: (deps.now ?? Date.now)(), size, mtime, ...failure });
  return true;
}
