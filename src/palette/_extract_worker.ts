// A Web Worker for `extractPalettes`: receives the config once, then image
// jobs; answers each with a palette (or, for a stored palette whose figures
// are from an older version, its recomputed figures) or an error message. An
// "abort" message stops the job in progress (wallust is killed). Images are
// decoded in this thread: the pool terminates the whole worker when a job
// overruns.
/// <reference lib="deno.worker" />
import type { Paths } from "../config/paths.ts";
import type { Config } from "../config/schema.ts";
import type { PaletteRecord } from "./palette_record.ts";
import type { MaterialScheme } from "./material/roles.ts";
import type { PaletteSummary, SummaryInput } from "./summary.ts";
import { describeDecodeFailure, takeDecodedBytes } from "./guarded_decode.ts";
import { paletteForImage } from "./palette_for_image.ts";
import { maxPixelsOf } from "./pixel_limit.ts";
import { unsupportedFormatOf } from "./decode.ts";
import { fileErrorReason } from "../text/not_capable.ts";

/** Messages to the worker. */
export type WorkerRequest =
  | { type: "init"; config: Config; paths: Paths }
  /** `figuresOf`: recompute only the figures of this stored palette. */
  | { type: "job"; id: number; path: string; figuresOf?: SummaryInput }
  | { type: "abort" };

/**
 * Messages from the worker. Each answer to a job carries `decodedBytes`: the
 * most an image it decoded needed (its decoders keep that memory; see
 * `extractPalettes`).
 */
export type WorkerResponse =
  & (
    | {
      type: "done";
      id: number;
      palette: PaletteRecord;
      warnings: string[];
      /** The Material scheme of the palette (when themes are rendered), stored with it. */
      scheme?: MaterialScheme;
    }
    | { type: "figures"; id: number; figures: PaletteSummary; warnings: string[] }
    | {
      type: "failed";
      id: number;
      error: string;
      /** Set when the image cannot be decoded (it is then marked). */
      decodeFailure?: { reason: string; pixels: number | null };
      /** Set when no decoder here reads its format (BMP, AVIF…): not the image's fault. */
      unsupported?: string;
    }
  )
  & { decodedBytes?: number };

let config: Config | undefined;
let paths: Paths | undefined;
let abort = new AbortController();

self.onmessage = async (e: MessageEvent<WorkerRequest>) => {
  const msg = e.data;
  if (msg.type === "init") {
    config = msg.config;
    paths = msg.paths;
    return;
  }
  if (msg.type === "abort") {
    abort.abort(new DOMException("Interrupted", "AbortError"));
    abort = new AbortController();
    return;
  }
  try {
    if (msg.figuresOf) {
      const { figuresForImage } = await import("./builtin_file.ts");
      const { figures, warnings } = await figuresForImage(msg.path, msg.figuresOf, {
        maxPixels: maxPixelsOf(config!),
        worker: false,
        signal: abort.signal,
      });
      self.postMessage(
        {
          type: "figures",
          id: msg.id,
          figures,
          warnings,
          decodedBytes: takeDecodedBytes(),
        } satisfies WorkerResponse,
      );
      return;
    }
    const { palette, warnings, scheme } = await paletteForImage(msg.path, {
      config: config!,
      paths: paths!,
      signal: abort.signal,
      decoder: false,
      scheme: config!.theme.enabled,
    });
    self.postMessage(
      {
        type: "done",
        id: msg.id,
        palette,
        warnings,
        ...(scheme ? { scheme } : {}),
        decodedBytes: takeDecodedBytes(),
      } satisfies WorkerResponse,
    );
  } catch (err) {
    const error = err instanceof Deno.errors.NotFound ? "file not found" : fileErrorReason(err);
    const decodeFailure = describeDecodeFailure(err, maxPixelsOf(config!));
    const unsupported = unsupportedFormatOf(err);
    self.postMessage(
      {
        type: "failed",
        id: msg.id,
        error,
        ...(decodeFailure ? { decodeFailure } : {}),
        ...(unsupported ? { unsupported } : {}),
        decodedBytes: takeDecodedBytes(),
      } satisfies WorkerResponse,
    );
  }
};
