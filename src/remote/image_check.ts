/**
 * Checks a downloaded file before it is kept (pure functions over its first
 * and last bytes): the magic bytes and header of JPEG, PNG or WebP, the size
 * the header states, and whether the file is whole.
 *
 * @module
 */

/** Formats kept from remote sources. */
export type RemoteFormat = "jpg" | "png" | "webp";

/** What a header says. */
export interface ImageHeader {
  format: RemoteFormat;
  width: number;
  height: number;
}

/**
 * The largest image (width × height) downloaded when no limit is given; the
 * fetcher passes `[palette] max_megapixels` (see `src/palette/pixel_limit.ts`,
 * whose rule this mirrors: this module runs in the download process, which
 * loads only `src/remote/`).
 */
export const MAX_IMAGE_PIXELS = 150_000_000;

/** The longest side accepted whatever the pixel count (as `pixel_limit.ts`'s `MAX_SIDE`). */
const MAX_SIDE = 65_535;

/** Bounds for {@linkcode checkImageSize}. */
export interface SizeBounds {
  minWidth: number;
  minHeight: number;
  /** @default MAX_IMAGE_PIXELS */
  maxPixels?: number;
}

/**
 * Checks an image's size against the minimum and the pixel limit.
 *
 * @returns Why the size is refused, or null when it is fine.
 */
export function checkImageSize(width: number, height: number, bounds: SizeBounds): string | null {
  const { minWidth, minHeight, maxPixels = MAX_IMAGE_PIXELS } = bounds;
  if (width < minWidth || height < minHeight) {
    return `too small: ${width}×${height}, below the minimum ${minWidth}×${minHeight}`;
  }
  if (width * height > maxPixels) {
    return `too large: ${width}×${height} exceeds ${Math.round(maxPixels / 1e4) / 100} megapixels`;
  }
  if (Math.max(width, height) > MAX_SIDE) {
    return `too large: ${width}×${height} has a side longer than ${MAX_SIDE} pixels`;
  }
  return null;
}

const u16be = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
const u32be = (b: Uint8Array, o: number) =>
  ((b[o] << 24) >>> 0) + (b[o + 1] << 16) + (b[o + 2] << 8) + b[o + 3];
const u24le = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8) | (b[o + 2] << 16);
const u32le = (b: Uint8Array, o: number) =>
  (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 2 ** 24;

const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PNG_END = [0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];

function startsWith(b: Uint8Array, bytes: readonly number[], at = 0): boolean {
  if (b.length < at + bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (b[at + i] !== bytes[i]) return false;
  return true;
}

function ascii(b: Uint8Array, at: number, n: number): string {
  return String.fromCharCode(...b.subarray(at, at + n));
}

/**
 * The format by magic bytes.
 *
 * @returns The format, or null for anything else.
 */
export function sniffFormat(head: Uint8Array): RemoteFormat | null {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return "jpg";
  if (startsWith(head, PNG_SIG)) return "png";
  if (head.length >= 12 && ascii(head, 0, 4) === "RIFF" && ascii(head, 8, 4) === "WEBP") {
    return "webp";
  }
  return null;
}

/** A short description of what a non-image starts like, for messages. */
export function describeNonImage(head: Uint8Array): string {
  let i = 0;
  if (startsWith(head, [0xef, 0xbb, 0xbf])) i = 3;
  while (
    i < head.length &&
    (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)
  ) i++;
  const start = new TextDecoder().decode(head.subarray(i, i + 64)).toLowerCase();
  if (
    start.startsWith("<!doctype html") || start.startsWith("<html") ||
    /^<(head|body|title)/.test(start)
  ) {
    return "an HTML page, not an image";
  }
  if (start.startsWith("<")) return "an XML or HTML document, not an image";
  if (start.startsWith("{") || start.startsWith("[")) return "a JSON document, not an image";
  if (head.length === 0) return "empty";
  if (startsWith(head, [0x47, 0x49, 0x46, 0x38])) return "a GIF (only JPEG, PNG and WebP are kept)";
  const hex = [...head.subarray(0, 4)].map((x) => x.toString(16).padStart(2, "0")).join(" ");
  return `not a JPEG, PNG or WebP image (starts with ${hex})`;
}

/**
 * Reads the format and size from the first bytes of a file.
 *
 * @returns The header, or a reason it cannot be read.
 */
export function readImageHeader(head: Uint8Array): ImageHeader | { error: string } {
  const format = sniffFormat(head);
  if (!format) return { error: describeNonImage(head) };
  const dims = format === "jpg"
    ? jpegSize(head)
    : format === "png"
    ? pngSize(head)
    : webpSize(head);
  if (!dims) return { error: `the ${format.toUpperCase()} header is truncated or malformed` };
  if (dims.width <= 0 || dims.height <= 0) {
    return { error: `the ${format.toUpperCase()} header gives no size` };
  }
  return { format, ...dims };
}

function pngSize(b: Uint8Array): { width: number; height: number } | null {
  if (b.length < 24 || ascii(b, 12, 4) !== "IHDR") return null;
  return { width: u32be(b, 16), height: u32be(b, 20) };
}

/**
 * A JPEG's size as shown: of every frame header before the first scan, the
 * largest (as `src/palette/image_header.ts` reads it, so that a second SOF
 * cannot slip a bigger frame past the limit), turned a quarter when its EXIF
 * orientation says so (5–8), as a scan indexes it. Its own walk, because the
 * download worker runs a copy of `src/remote/` alone.
 */
function jpegSize(b: Uint8Array): { width: number; height: number } | null {
  let best: { width: number; height: number } | null = null;
  let orientation: number | undefined;
  const shown = () =>
    best && orientation !== undefined && orientation >= 5 && orientation <= 8
      ? { width: best.height, height: best.width }
      : best;
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return shown();
    let marker = b[i + 1];
    while (marker === 0xff && i + 2 < b.length) marker = b[++i + 1];
    i += 2;
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    if (marker === 0xd9 || marker === 0xda) return shown();
    if (i + 2 > b.length) return shown();
    const len = u16be(b, i);
    if (len < 2) return shown();
    const sof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 &&
      marker !== 0xcc;
    if (sof) {
      if (i + 7 > b.length) return shown();
      const size = { height: u16be(b, i + 3), width: u16be(b, i + 5) };
      if (!best || size.width * size.height > best.width * best.height) best = size;
    } else if (marker === 0xe1 && orientation === undefined) {
      orientation = exifOrientation(b, i + 2, Math.min(b.length, i + len));
    }
    i += len;
  }
  return shown();
}

/**
 * The orientation tag (0x0112) of an APP1 segment's EXIF data in
 * `b[start, end)`, or undefined when it is not EXIF or has none.
 */
function exifOrientation(b: Uint8Array, start: number, end: number): number | undefined {
  if (end - start < 14 || ascii(b, start, 6) !== "Exif\0\0") return undefined;
  const t = start + 6;
  const le = b[t] === 0x49 && b[t + 1] === 0x49;
  if (!le && !(b[t] === 0x4d && b[t + 1] === 0x4d)) return undefined;
  const u16 = (o: number) => le ? b[o] | (b[o + 1] << 8) : u16be(b, o);
  const ifd = t + (le ? u32le(b, t + 4) : u32be(b, t + 4));
  if (ifd + 2 > end) return undefined;
  const entries = u16(ifd);
  for (let k = 0; k < entries; k++) {
    const e = ifd + 2 + k * 12;
    if (e + 12 > end) return undefined;
    if (u16(e) === 0x0112) return u16(e + 8);
  }
  return undefined;
}

function webpSize(b: Uint8Array): { width: number; height: number } | null {
  if (b.length < 30) return null;
  const chunk = ascii(b, 12, 4);
  if (chunk === "VP8 ") {
    if (!startsWith(b, [0x9d, 0x01, 0x2a], 23)) return null;
    return { width: (b[26] | (b[27] << 8)) & 0x3fff, height: (b[28] | (b[29] << 8)) & 0x3fff };
  }
  if (chunk === "VP8L") {
    if (b[20] !== 0x2f) return null;
    const bits = u32le(b, 21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === "VP8X") return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  return null;
}

/**
 * Whether a file of `format` is whole, judged from its first and last bytes
 * and its length: a PNG ends with IEND, a WebP's RIFF size matches the
 * length, a JPEG has its end marker near the end (checked only when
 * `lengthKnown` is false: a JPEG may carry trailing data, and a length the
 * server announced and delivered already proves it is whole).
 *
 * @returns Why it looks truncated, or null.
 */
export function truncation(
  format: RemoteFormat,
  head: Uint8Array,
  tail: Uint8Array,
  bytes: number,
  lengthKnown: boolean,
): string | null {
  if (format === "png") {
    return tail.length >= 12 && startsWith(tail, PNG_END, tail.length - 12)
      ? null
      : "the PNG ends before its IEND chunk (truncated)";
  }
  if (format === "webp") {
    const declared = u32le(head, 4) + 8;
    return declared === bytes || declared + 1 === bytes
      ? null
      : `the WebP says ${declared} bytes but ${bytes} arrived (truncated or padded)`;
  }
  if (lengthKnown || hasJpegEnd(tail)) return null;
  return "the JPEG has no end marker (truncated)";
}

/** Whether bytes hold a JPEG end marker (FF D9) anywhere (pure). */
export function hasJpegEnd(bytes: Uint8Array): boolean {
  for (let i = 0; i + 1 < bytes.length; i++) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
  }
  return false;
}

/**
 * Where a JPEG's first scan (its image data) starts: the offset of its SOS
 * marker, found by walking the segments before it (pure). An EXIF
 * thumbnail, inside its APP1 segment, is skipped over. The fetch worker's
 * folder stays self-contained, so this walk is its own.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jpegDataStart } from "./image_check.ts";
 *
 * const app1 = [0xff, 0xe1, 0, 6, 0xff, 0xd8, 0xff, 0xd9]; // a thumbnail's markers inside
 * const jpeg = new Uint8Array([0xff, 0xd8, ...app1, 0xff, 0xda, 0, 2, 1, 2, 0xff, 0xd9]);
 * assert.equal(jpegDataStart(jpeg), 10);
 * ```
 */
export function jpegDataStart(head: Uint8Array): number {
  let p = 2;
  while (p + 4 <= head.length) {
    if (head[p] !== 0xff) return p;
    const m = head[p + 1];
    if (m === 0xff) p++;
    else if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) p += 2;
    else if (m === 0xda || m === 0xd9) return p;
    else p += 2 + ((head[p + 2] << 8) | head[p + 3]);
  }
  return Math.min(p, head.length);
}
