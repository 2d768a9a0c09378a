/**
 * Reads an image's format and size from its header without decoding it.
 *
 * Requires `--allow-read`.
 *
 * @module
 */
import { imageSize } from "image-size";

/** Formats varietal indexes (image-size's names). */
export const INDEXED_FORMATS = ["jpg", "png", "webp", "gif", "bmp", "avif"] as const;
/** One of {@linkcode INDEXED_FORMATS}. */
export type ImageFormat = typeof INDEXED_FORMATS[number];

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
]);

/** What the header says. */
export interface ProbeResult {
  format: ImageFormat;
  width: number;
  height: number;
}

/** A file that looks like an image by name but whose header cannot be read. */
export class ProbeError extends Error {
  readonly path: string;
  constructor(path: string, reason: string, options?: ErrorOptions) {
    super(reason, options);
    this.name = "ProbeError";
    this.path = path;
  }
}

/** Whether a file name has an extension worth probing. */
export function hasImageExtension(path: string): boolean {
  const dot = path.lastIndexOf(".");
  return dot > path.lastIndexOf("/") &&
    IMAGE_EXTENSIONS.has(path.slice(dot + 1).toLowerCase());
}

const HEAD = 128 * 1024;
const MAX_WHOLE = 64 * 1024 * 1024;

/**
 * Probes a file's header.
 *
 * @param path The file.
 * @param size Its size in bytes (from a stat already made).
 * @throws {ProbeError} For empty, truncated, unreadable or unsupported files.
 */
export async function probeImage(path: string, size: number): Promise<ProbeResult> {
  if (size === 0) throw new ProbeError(path, "empty file (0 bytes)");
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path);
  } catch (e) {
    throw new ProbeError(path, `cannot read: ${(e as Error).message}`, { cause: e });
  }
  try {
    let buf = await readUpTo(file, Math.min(size, HEAD));
    let result = tryProbe(buf);
    if (result instanceof Error && size > buf.length && size <= MAX_WHOLE) {
      // Large EXIF blocks can push a JPEG's frame header past the first chunk.
      await file.seek(0, Deno.SeekMode.Start);
      buf = await readUpTo(file, size);
      result = tryProbe(buf);
    }
    if (result instanceof Error) {
      throw new ProbeError(path, describe(result, buf), { cause: result });
    }
    return result;
  } finally {
    file.close();
  }
}

function tryProbe(buf: Uint8Array): ProbeResult | Error {
  try {
    const r = imageSize(buf);
    const format = r.type as ImageFormat;
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
  if (buf.length < 32 || /out of bounds|beyond|offset|invalid|corrupt|range/i.test(msg)) {
    return `truncated or corrupt header (${msg})`;
  }
  return `cannot read the header: ${msg}`;
}

async function readUpTo(file: Deno.FsFile, n: number): Promise<Uint8Array> {
  const buf = new Uint8Array(n);
  let off = 0;
  while (off < n) {
    const got = await file.read(buf.subarray(off));
    if (got === null) break;
    off += got;
  }
  return buf.subarray(0, off);
}
