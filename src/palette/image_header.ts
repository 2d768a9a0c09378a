/**
 * What the built-in decoders will be asked to decode, read from the first
 * bytes of a JPEG, PNG, GIF or WebP (pure): the declared size, so that
 * images over the pixel limit are refused before decoding, and a cheap
 * plausibility check that catches headers patched to claim far more
 * pixels than the file holds data for.
 *
 * @module
 */
import type { ImageFormat } from "./image_format.ts";
import { formatByteSize } from "../config/byte_size.ts";

/** A decodable image's header. */
export interface ImageHeader {
  format: "jpeg" | "png" | "gif" | "webp";
  width: number;
  height: number;
  /** JPEG only: the frame's components' sampling factors. */
  jpeg?: JpegFrame;
}

/** A JPEG frame header (SOFn). */
export interface JpegFrame {
  /** The SOF marker's low byte: 0xc0 baseline, 0xc2 progressive, 0xc9+ arithmetic, … */
  marker: number;
  components: { h: number; v: number }[];
}

/**
 * Reads the declared size of a JPEG, PNG, GIF or WebP.
 *
 * For a JPEG every frame header before the first scan counts, and the
 * largest size wins (a second SOF must not slip a bigger frame past the
 * limit).
 *
 * @param b The file's first bytes (a few kilobytes for PNG/GIF/WebP; a
 *   JPEG's frame header may follow large metadata segments).
 * @param format The format, as {@linkcode sniffFormat} recognised it.
 * @returns The header, or `undefined` when the size is not in `b`.
 * @example A PNG's IHDR
 * ```ts
 * import assert from "node:assert/strict";
 * import { readImageHeader } from "./image_header.ts";
 *
 * const png = new Uint8Array(24);
 * png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
 * png.set([0, 0, 0x07, 0x80, 0, 0, 0x04, 0x38], 16); // 1920 × 1080
 * assert.deepEqual(readImageHeader(png, "png"), { format: "png", width: 1920, height: 1080 });
 * assert.equal(readImageHeader(png.subarray(0, 20), "png"), undefined);
 * ```
 */
export function readImageHeader(b: Uint8Array, format: ImageFormat): ImageHeader | undefined {
  switch (format) {
    case "jpeg":
      return jpegHeader(b);
    case "png": {
      if (b.length < 24 || String.fromCharCode(b[12], b[13], b[14], b[15]) !== "IHDR") {
        return undefined;
      }
      const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
      return { format, width: v.getUint32(16), height: v.getUint32(20) };
    }
    case "gif":
      return gifHeader(b);
    case "webp": {
      const size = webpCanvas(b);
      return size && { format, ...size };
    }
    default:
      return undefined;
  }
}

/**
 * Canvas size of a WebP from its first chunk (VP8, VP8L or VP8X).
 *
 * @example An extended (VP8X) header
 * ```ts
 * import assert from "node:assert/strict";
 * import { webpCanvas } from "./image_header.ts";
 *
 * const b = new Uint8Array(30);
 * b.set(new TextEncoder().encode("RIFF\0\0\0\0WEBPVP8X"));
 * b.set([0x7f, 0x07, 0, 0x37, 0x04, 0], 24); // canvas - 1: 1919 × 1079
 * assert.deepEqual(webpCanvas(b), { width: 1920, height: 1080 });
 * assert.equal(webpCanvas(b.subarray(0, 12)), undefined);
 * ```
 */
export function webpCanvas(b: Uint8Array): { width: number; height: number } | undefined {
  if (b.length < 16) return undefined;
  const tag = String.fromCharCode(b[12], b[13], b[14], b[15]);
  if (tag === "VP8X" && b.length >= 30) {
    return {
      width: 1 + (b[24] | (b[25] << 8) | (b[26] << 16)),
      height: 1 + (b[27] | (b[28] << 8) | (b[29] << 16)),
    };
  }
  if (tag === "VP8 " && b.length >= 30) {
    return { width: (b[26] | (b[27] << 8)) & 0x3fff, height: (b[28] | (b[29] << 8)) & 0x3fff };
  }
  if (tag === "VP8L" && b.length >= 25) {
    const v = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24);
    return { width: 1 + (v & 0x3fff), height: 1 + ((v >>> 14) & 0x3fff) };
  }
  return undefined;
}

/** A GIF's logical screen, or its first frame when that claims more. */
function gifHeader(b: Uint8Array): ImageHeader | undefined {
  if (b.length < 13) return undefined;
  const u16 = (i: number) => b[i] | (b[i + 1] << 8);
  let width = u16(6), height = u16(8);
  let p = 13 + (b[10] & 0x80 ? 3 << ((b[10] & 7) + 1) : 0);
  while (p < b.length) {
    if (b[p] === 0x21) {
      p += 2; // extension introducer and label, then data sub-blocks
      while (p < b.length && b[p] !== 0) p += b[p] + 1;
      p++;
    } else {
      if (b[p] === 0x2c && p + 9 <= b.length) {
        width = Math.max(width, u16(p + 5));
        height = Math.max(height, u16(p + 7));
      }
      break;
    }
  }
  return { format: "gif", width, height };
}

function jpegHeader(d: Uint8Array): ImageHeader | undefined {
  let found: ImageHeader | undefined;
  walkJpegMarkers(d, (m, p) => {
    if (m < 0xc0 || m > 0xcf || m === 0xc4 || m === 0xc8 || m === 0xcc) return true;
    if (p + 10 > d.length) return false;
    const height = (d[p + 5] << 8) | d[p + 6];
    const width = (d[p + 7] << 8) | d[p + 8];
    const n = d[p + 9];
    const components: { h: number; v: number }[] = [];
    for (let i = 0; i < n && p + 12 + i * 3 < d.length; i++) {
      const hv = d[p + 11 + i * 3];
      components.push({ h: hv >> 4, v: hv & 15 });
    }
    if (!found || width * height > found.width * found.height) {
      found = { format: "jpeg", width, height, jpeg: { marker: m, components } };
    }
    return true;
  });
  return found; // whatever was read, also from a damaged or cut-off header
}

/**
 * Walks a JPEG's marker segments from the start of the image to its first
 * scan (or its end), calling `visit` with each segment's marker and offset
 * (of its 0xFF byte); `visit` returns `false` to stop.
 *
 * @returns `"scan"` when the walk reached the first scan or the end of the
 *   image (the whole header was there), `"cut"` when the bytes ran out or
 *   `visit` stopped it, `"damaged"` when a marker or a length was wrong.
 *
 * @example The header reaches the first scan
 * ```ts
 * import assert from "node:assert/strict";
 * import { walkJpegMarkers } from "./image_header.ts";
 *
 * const sof = [0xff, 0xc0, 0, 11, 8, 0, 2, 0, 3, 1, 1, 0x11, 0];
 * const jpeg = new Uint8Array([0xff, 0xd8, ...sof, 0xff, 0xda, 0, 2]);
 * const seen: number[] = [];
 * assert.equal(walkJpegMarkers(jpeg, (m) => void seen.push(m)), "scan");
 * assert.deepEqual(seen, [0xc0]);
 * assert.equal(walkJpegMarkers(jpeg.subarray(0, 10)), "cut");
 * ```
 */
export function walkJpegMarkers(
  d: Uint8Array,
  visit?: (marker: number, at: number) => boolean | void,
): "scan" | "cut" | "damaged" {
  let p = 2;
  while (p + 4 <= d.length) {
    if (d[p] !== 0xff) return "damaged";
    const m = d[p + 1];
    if (m === 0xff) {
      p++;
      continue;
    }
    if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
      p += 2;
      continue;
    }
    if (m === 0xda || m === 0xd9) return "scan";
    if (visit?.(m, p) === false) return "cut";
    const len = (d[p + 2] << 8) | d[p + 3];
    if (len < 2) return "damaged";
    p += 2 + len;
  }
  return "cut";
}

/** Metadata a picture file may carry besides its pixels (EXIF, XMP, ICC, thumbnails). */
const MAX_METADATA = 16 * 2 ** 20;
/** The largest picture file decoded (the largest real wallpaper here is 16 MB). */
const MAX_FILE = 512 * 2 ** 20;

/**
 * Why a header cannot be right for a file of `fileSize` bytes, or
 * `undefined` when it is plausible.
 *
 * Every Huffman-coded JPEG spends at least one bit on the DC coefficient
 * of every 8×8 block of its fullest component, so a file with fewer bytes
 * than that was truncated or had its size patched: decoding it would pad
 * the missing blocks (a grey or black image and a wrong palette) after
 * possibly minutes of work. Arithmetic-coded and lossless JPEGs are not
 * judged. A zero width or height is never plausible, and neither is a file
 * far larger than its pixels could need (padding, or a patched header) or
 * over 512 MiB: decoding reads the whole file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { implausibleHeader } from "./image_header.ts";
 *
 * assert.equal(implausibleHeader({ format: "png", width: 1920, height: 1080 }, 2_000_000), undefined);
 * assert.equal(
 *   implausibleHeader({ format: "png", width: 0, height: 1080 }, 2_000_000),
 *   "the header declares a 0×1080 image",
 * );
 * ```
 */
export function implausibleHeader(h: ImageHeader, fileSize: number): string | undefined {
  if (h.width === 0 || h.height === 0) return `the header declares a ${h.width}×${h.height} image`;
  // A still picture's file is no larger than its pixels uncompressed (at most 8 bytes each,
  // 16-bit RGBA; 9 leaves room for PNG's row filters and stored blocks) and some metadata, and
  // no wallpaper comes near MAX_FILE. (A GIF's frames add up: GIFs are held to MAX_FILE only.)
  const most = h.format === "gif"
    ? MAX_FILE
    : Math.min(MAX_FILE, h.width * h.height * 9 + MAX_METADATA);
  if (fileSize > most) {
    return `the file has ${
      formatByteSize(fileSize)
    }, far more than a ${h.width}×${h.height} picture ` +
      `needs (padded, or the header was altered)`;
  }
  if (h.format !== "jpeg" || !h.jpeg) return undefined;
  const { marker, components } = h.jpeg;
  const huffmanDct = marker === 0xc0 || marker === 0xc1 || marker === 0xc2;
  if (!huffmanDct || components.length === 0) return undefined;
  const hmax = Math.max(1, ...components.map((c) => c.h));
  const vmax = Math.max(1, ...components.map((c) => c.v));
  let blocks = 0;
  for (const c of components) {
    const bw = Math.ceil(Math.ceil((h.width * Math.max(1, c.h)) / hmax) / 8);
    const bh = Math.ceil(Math.ceil((h.height * Math.max(1, c.v)) / vmax) / 8);
    blocks = Math.max(blocks, bw * bh);
  }
  const minBytes = Math.ceil(blocks / 8);
  if (fileSize >= minBytes) return undefined;
  return `the header declares ${h.width}×${h.height}, but a JPEG that size needs at least ` +
    `${minBytes} bytes of image data and the file has ${fileSize} (truncated, or the header ` +
    `was altered)`;
}
