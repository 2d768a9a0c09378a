// Messages between `DecodeWorker` and its worker, and decoder errors as
// plain data (Errors do not keep their class across `postMessage`).
import type { ImageFormat } from "./image_format.ts";
import { ImageDecodeError, UnsupportedFormatError } from "./decode.ts";
import { ImageTooLargeError } from "./pixel_limit.ts";
import type { MaterialRequest, PixelsMaterial } from "./material/pixels_material.ts";

/** Messages to the decode worker. */
export type DecodeRequest =
  /** Load the decoder of `format` (and with `material`, the Material modules) ahead. */
  | { type: "warm"; format?: ImageFormat; material?: { scheme: boolean } }
  | {
    type: "decode";
    id: number;
    path: string;
    maxPixels: number;
    maxSide: number;
    /** Also the Material facts of the shrunk pixels. */
    material?: MaterialRequest;
  };

/** Messages from the decode worker. */
export type DecodeResponse =
  | { type: "ready" }
  | {
    type: "done";
    id: number;
    width: number;
    height: number;
    data: Uint8Array;
    /**
     * Bytes of the image as decoded, before shrinking (what the decoder's memory had to
     * hold; it never gives that back). Absent from threads that do not say.
     */
    decodedBytes?: number;
  }
  /** After "done" when the request asked for `material` (not under the decode's timeout). */
  | { type: "material"; id: number; material: PixelsMaterial }
  | { type: "material-failed"; id: number; error: WireError }
  | { type: "failed"; id: number; error: WireError };

/** A decoder error as plain data. */
export interface WireError {
  name: string;
  message: string;
  file?: string;
  format?: string;
  problem?: string;
  width?: number;
  height?: number;
  maxPixels?: number;
  hint?: string;
}

/** Turns an error into {@linkcode WireError}. */
export function errorToWire(e: unknown): WireError {
  if (e instanceof UnsupportedFormatError) {
    return { name: e.name, message: e.message, file: e.file, format: e.format };
  }
  if (e instanceof ImageDecodeError) {
    return { name: e.name, message: e.message, file: e.file, problem: e.problem };
  }
  if (e instanceof ImageTooLargeError) {
    return {
      name: e.name,
      message: e.message,
      file: e.file,
      width: e.width,
      height: e.height,
      maxPixels: e.maxPixels,
      hint: e.reason.slice(e.reason.indexOf("; ") + 2),
    };
  }
  if (e instanceof Deno.errors.NotFound) return { name: "NotFound", message: e.message };
  return { name: "Error", message: e instanceof Error ? e.message : String(e) };
}

/** Rebuilds the error class that {@linkcode errorToWire} flattened. */
export function errorFromWire(w: WireError): Error {
  switch (w.name) {
    case "UnsupportedFormatError":
      return new UnsupportedFormatError(w.file ?? "image", w.format ?? "unknown");
    case "ImageDecodeError":
      return new ImageDecodeError(w.file ?? "image", w.problem ?? w.message);
    case "ImageTooLargeError":
      return new ImageTooLargeError(
        w.file ?? "image",
        w.width ?? 0,
        w.height ?? 0,
        w.maxPixels ?? 0,
        w.hint,
      );
    case "NotFound":
      return new Deno.errors.NotFound(w.message);
    default:
      return new Error(w.message);
  }
}
