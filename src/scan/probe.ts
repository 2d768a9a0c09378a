/**
 * Reads an image's format and size from its header without decoding it.
 *
 * Requires `--allow-read`.
 *
 * @module
 */
import { imageSize } from "image-size";
import { checkPixelLimit } from "../palette/pixel_limit.ts";
import { readUpTo } from "../read_bytes.ts";
import { svgSize } from "../palette/svg_header.ts";
import { osErrorCause } from "../text/not_capable.ts";

/**
 * Formats varietal indexes, in image-size's names ("jpg", not "jpeg"); these
 * are the values of the `images.format` column. (The formats the palette
 * decoder recognises from an image's bytes are `ImageFormat` in
 * `src/palette/image_format.ts`, where JPEG is "jpeg".)
 */
export const INDEXED_FORMATS = ["jpg", "png", "webp", "gif", "bmp", "avif", "svg"] as const;
/** One of {@linkcode INDEXED_FORMATS}, as stored in the `images.format` column. */
export type IndexedFormat = typeof INDEXED_FORMATS[number];

/** File extensions that are probed; anything else is skipped without reading. */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([
  "jpg",
  "jpeg",
  "jpe",
  "jfif",
  "png",
  "webp",
  "gif",
  "bmp",
  "avif",
  "svg",
]);

/** What the header says. */
export interface ProbeResult {
  format: IndexedFormat;
  width: number;
  height: number;
}

/** A file that looks like an image by name but is not indexed. */
export class ProbeError extends Error {
  readonly path: string;
  /**
   * The file was read, and what it holds is not indexed: empty, not a
   * supported image, a truncated or corrupt header, or over the pixel limit.
   * A scan lists it as left out; only a file that could not be read at all
   * (`skipped` false) fails the scan, since trying again can then succeed.
   */
  readonly skipped: boolean;
  /** The header is over the pixel limit (`[palette] max_megapixels`). */
  readonly tooLarge: boolean;
  /** Width × height of a header over the limit, else null. */
  readonly pixels: number | null;
  constructor(
    path: string,
    reason: string,
    options?: ErrorOptions & { skipped?: boolean; tooLarge?: boolean; pixels?: number },
  ) {
    super(reason, options);
    this.name = "ProbeError";
    this.path = path;
    this.skipped = options?.skipped ?? false;
    this.tooLarge = options?.tooLarge ?? false;
    this.pixels = options?.pixels ?? null;
  }
}

/** Whether a file name has an extension worth probing. */
export function hasImageExtension(path: string): boolean {
  const dot = path.lastIndexOf(".");
  return dot > path.lastIndexOf("/") &&
    IMAGE_EXTENSIONS.has(path.slice(dot + 1).toLowerCase());
}

/** Bytes read first; most headers fit, JPEGs with big EXIF blocks need more. */
const STEPS = [16 * 1024, 256 * 1024];
const MAX_WHOLE = 64 * 1024 * 1024;

/**
 * Probes a file's header. Reads synchronously: for many small reads this is
 * an order of magnitude faster than async I/O in Deno.
 *
 * @param path The file.
 * @param size Its size in bytes (from a stat already made).
 * @param maxPixels Images with more pixels are refused (`skipped`). @default Infinity
 * @throws {ProbeError} For files that cannot be read, and (with `skipped` set) for
 *   empty, truncated, corrupt or unsupported files and for images over `maxPixels`
 *   ("too large: W×H exceeds N megapixels").
 */
export function probeImage(path: string, size: number, maxPixels = Infinity): ProbeResult {
  if (size === 0) throw new ProbeError(path, "empty file (0 bytes)", { skipped: true });
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path);
  } catch (e) {
    throw new ProbeError(path, `cannot read: ${osErrorCause(e) ?? (e as Error).message}`, {
      cause: e,
    });
  }
  try {
    let buf: Uint8Array = new Uint8Array(0);
    let result: ProbeResult | Error = new Error("empty");
    for (const step of [...STEPS, MAX_WHOLE]) {
      const want = Math.min(size, step);
      if (want <= buf.length) break;
      try {
        file.seekSync(0, Deno.SeekMode.Start);
        buf = readUpTo(file, want);
      } catch (e) {
        throw new ProbeError(path, `cannot read: ${osErrorCause(e) ?? (e as Error).message}`, {
          cause: e,
        });
      }
      result = tryProbe(buf);
      if (!(result instanceof Error) || buf.length >= size) break;
    }
    if (result instanceof Error) {
      throw new ProbeError(path, describe(result, buf), { cause: result, skipped: true });
    }
    // an SVG is drawn at a size varietal chooses, whatever it asks for
    const tooLarge = result.format !== "svg" &&
      checkPixelLimit(result.width, result.height, maxPixels);
    if (tooLarge) {
      const pixels = result.width * result.height;
      throw new ProbeError(path, tooLarge, { skipped: true, tooLarge: true, pixels });
    }
    return result;
  } finally {
    file.close();
  }
}

function tryProbe(buf: Uint8Array): ProbeResult | Error {
  if (buf[0] !== 0xff && buf[0] !== 0x89) { // not JPEG nor PNG: maybe an SVG (image-size misses some)
    const svg = svgSize(buf);
    if (svg) return { format: "svg", ...svg };
  }
  try {
    const r = imageSize(buf);
    const format = r.type as IndexedFormat;
    if (!(INDEXED_FORMATS as readonly string[]).includes(format)) {
      return new Error(`unsupported format ${r.type ?? "unknown"}`);
    }
    if (!r.width || !r.height) return new Error("no image size in the header");
    const rotated = r.orientation !== undefined && r.orientation >= 5 && r.orientation <= 8;
    return {
      format,
      width: rotated ? r.height : r.width,
      height: rotated ? r.width : r.height,
    };
  } catch (e) {
    return e as Error;
  }
}

function describe(e: Error, buf: Uint8Array): string {
  const msg = e.message;
  if (/unsupported format/.test(msg)) return msg;
  if (/unsupported file type/i.test(msg)) {
    return "not a recognised image (the header matches no supported format)";
  }
  // The parser's own words ("Offset is outside the bounds of the DataView") say nothing to a user.
  if (buf.length < 32) {
    return `truncated or corrupt header (only ${buf.length} byte${buf.length === 1 ? "" : "s"})`;
  }
  if (e instanceof RangeError || /out of bounds|beyond|offset|invalid|corrupt|range/i.test(msg)) {
    return "truncated or corrupt header";
  }
  return `cannot read the header: ${msg}`;
}
