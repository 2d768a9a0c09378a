// A Web Worker that draws one SVG to a PNG for `svg_raster.ts`: the file is
// read, drawn and written here, so that an SVG that takes too long to draw
// can be stopped by terminating this thread.
/// <reference lib="deno.worker" />
import { writeAtomicSync } from "../atomic_write.ts";
import { rasterSize, renderSvgPng, requireSvgSize } from "./svg_render.ts";
import { ImageTooLargeError } from "./pixel_limit.ts";

/** What the worker is asked to do. */
export interface RasterRequest {
  path: string;
  out: string;
  /** The pixel limit for the images the SVG embeds. */
  maxPixels: number;
}

/** What it answers: the size drawn, or why it could not draw. */
export type RasterResponse =
  | { type: "done"; width: number; height: number }
  | { type: "failed"; message: string };

self.onmessage = async (e: MessageEvent<RasterRequest>) => {
  const { path, out, maxPixels } = e.data;
  try {
    const bytes = await Deno.readFile(path);
    const size = rasterSize(requireSvgSize(bytes));
    const png = await renderSvgPng(bytes, size.width, { name: path, maxPixels });
    writeAtomicSync(out, png, { mode: 0o600 });
    self.postMessage({ type: "done", ...size } satisfies RasterResponse);
  } catch (err) {
    const message = err instanceof ImageTooLargeError
      ? err.reason
      : err instanceof Error
      ? err.message
      : String(err);
    self.postMessage({ type: "failed", message } satisfies RasterResponse);
  }
};
