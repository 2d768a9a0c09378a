/**
 * Image decoding for the built-in extractor: JPEG (shrunk inside the
 * decoder, or read from its DC scans when big and progressive), PNG (huge
 * ones shrunk in strips while inflating) and GIF with imagescript's
 * WebAssembly codecs, WebP with
 * libwebp compiled to WebAssembly (@jsquash/webp), SVG drawn by resvg
 * compiled to WebAssembly (`svg_render.ts`). No native code, no
 * `--allow-ffi`. Decoders are imported on first use. Requires `--allow-read`
 * (and `--allow-env`: the imagescript loaders read one variable).
 *
 * @module
 */
import type { ImageFormat } from "./image_format.ts";
import type { Pixels } from "./downscale.ts";
import { implausibleHeader, readImageHeader, walkJpegMarkers, webpCanvas } from "./image_header.ts";
import { firstWebpFrame } from "./webp_frame.ts";
import { decodeJpegDc, decodeJpegDcFrom, type JpegBytes, jpegSize } from "./jpeg_dc.ts";
import {
  checkPixelLimit,
  DEFAULT_MAX_MEGAPIXELS,
  ImageTooLargeError,
  MAX_FULL_DECODE_PIXELS,
} from "./pixel_limit.ts";
import { decodePngScaled, pngHeader } from "./png_stream.ts";
import { readInto, readUpTo } from "../read_bytes.ts";
import { looksLikeSvg, mayBeginSvg } from "./svg_header.ts";
import { printable } from "../text/printable.ts";

/**
 * PNGs with more pixels than this are decoded and shrunk in strips (bounded
 * memory); smaller ones go to the faster WebAssembly decoder.
 */
export const PNG_STREAM_PIXELS = 24_000_000;

/** The formats {@linkcode decodeImage} can decode. */
export const DECODABLE: readonly ImageFormat[] = ["jpeg", "png", "gif", "webp", "svg"];

/** An image in a format the built-in extractor cannot decode. */
/**
 * The format of an image no decoder here reads, when `e` (or an error it was
 * caused by) says so; undefined for any other failure.
 */
export function unsupportedFormatOf(e: unknown): string | undefined {
  for (let x = e, depth = 0; x instanceof Error && depth < 8; x = x.cause, depth++) {
    if (x instanceof UnsupportedFormatError) return x.format;
  }
  return undefined;
}

export class UnsupportedFormatError extends Error {
  readonly file: string;
  readonly format: string;
  constructor(file: string, format: string) {
    super(
      `Cannot extract a palette from ${file}: unsupported format (${format}); ` +
        `the built-in extractor reads JPEG, PNG, GIF, WebP and SVG`,
    );
    this.name = "UnsupportedFormatError";
    this.file = file;
    this.format = format;
  }
}

/** A file that looks like a supported image but does not decode. */
export class ImageDecodeError extends Error {
  readonly file: string;
  /** What is wrong, without the file name. */
  readonly problem: string;
  constructor(file: string, problem: string, options?: ErrorOptions) {
    super(`Cannot decode ${printable(file)}: ${problem}`, options);
    this.name = "ImageDecodeError";
    this.file = file;
    this.problem = problem;
  }
}

/**
 * A format's decoder could not be loaded (its files damaged, too few file descriptors or too
 * little memory): the install or the machine is at fault, not the image, which is never
 * marked undecodable for it.
 */
export class CodecLoadError extends Error {
  constructor(format: string, cause: unknown) {
    super(
      `the ${format} decoder could not be loaded (${
        cause instanceof Error ? cause.message : String(cause)
      }); check the install and the system's limits (open files, memory), then try again`,
      { cause },
    );
    this.name = "CodecLoadError";
  }
}

export { ImageTooLargeError };

export { MAX_FULL_DECODE_PIXELS };

function checkFullDecode(name: string, width: number, height: number): void {
  if (width * height > MAX_FULL_DECODE_PIXELS) {
    throw new ImageTooLargeError(
      name,
      width,
      height,
      MAX_FULL_DECODE_PIXELS,
      "the most this format can be decoded whole",
    );
  }
}

/** Canvas size of a WebP from its first chunk (VP8, VP8L or VP8X). */
export const webpSize = webpCanvas;

/** Recognises an image format from its first bytes. */
export function sniffFormat(b: Uint8Array): ImageFormat | undefined {
  const at = (i: number, s: string) => [...s].every((c, j) => b[i + j] === c.charCodeAt(0));
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  if (b[0] === 0x89 && at(1, "PNG")) return "png";
  if (at(0, "GIF8")) return "gif";
  if (at(0, "RIFF") && at(8, "WEBP")) return "webp";
  if (at(0, "II*\0") || at(0, "MM\0*")) return "tiff";
  if (at(0, "BM")) return "bmp";
  if (at(4, "ftypavif") || at(4, "ftypavis")) return "avif";
  return mayBeginSvg(b[0]) && looksLikeSvg(b) ? "svg" : undefined;
}

/** Options for {@linkcode decodeImage}. */
export interface DecodeOptions {
  /**
   * The size wanted by the caller: JPEGs are decoded at the smallest 1/1,
   * 1/2, 1/4 or 1/8 scale that keeps both sides at least this long (big
   * progressive ones at 1/8), and PNGs over {@linkcode PNG_STREAM_PIXELS}
   * are shrunk to this long side while decoding. Other images come back
   * at full size. @default 256
   */
  minSide?: number;
  /** Name used in errors. @default "image" */
  name?: string;
  /**
   * Images declaring more pixels than this are refused before decoding.
   * @default 150 megapixels (`[palette] max_megapixels`)
   */
  maxPixels?: number;
}

/** The exports of imagescript's JPEG codec module that are called (pointers are offsets). */
interface JpegExports {
  memory: WebAssembly.Memory;
  walloc(size: number): number;
  decode(ptr: number, size: number, width: number, height: number): number;
  decode_width(fb: number): number;
  decode_height(fb: number): number;
  decode_format(fb: number): number;
  decode_buffer(fb: number): number;
  wlen(): number;
  decode_free(fb: number): void;
}

/** The exports of imagescript's PNG codec module that are called. */
interface PngExports {
  memory: WebAssembly.Memory;
  walloc(size: number): number;
  wfree(ptr: number): void;
  decode(ptr: number, size: number): number;
  width(): number;
  height(): number;
}
let jpegCodec: Promise<JpegCodec> | undefined;
let pngCodec: Promise<PngCodec> | undefined;
let gifCodec: Promise<GifCodec> | undefined;
let webpDecode: Promise<(b: ArrayBuffer) => Promise<ImageData>> | undefined;

/**
 * The codecs, each loaded on first use; one that failed to load is tried again next time.
 * (Tests replace an entry to see a loading failure.)
 */
export const CODECS: {
  jpeg: () => Promise<JpegCodec>;
  png: () => Promise<PngCodec>;
  gif: () => Promise<GifCodec>;
  webp: () => Promise<(b: ArrayBuffer) => Promise<ImageData>>;
} = {
  jpeg: () => jpegCodec ??= forgetOnFailure(loadJpeg(), () => jpegCodec = undefined),
  png: () => pngCodec ??= forgetOnFailure(loadPng(), () => pngCodec = undefined),
  gif: () => gifCodec ??= forgetOnFailure(loadGif(), () => gifCodec = undefined),
  webp: () => webpDecode ??= forgetOnFailure(loadWebp(), () => webpDecode = undefined),
};

function forgetOnFailure<T>(p: Promise<T>, forget: () => void): Promise<T> {
  return p.catch((e) => {
    forget();
    throw e;
  });
}

/** The codec of `format`, or a {@linkcode CodecLoadError}. */
async function codec<F extends keyof typeof CODECS>(
  format: F,
): Promise<Awaited<ReturnType<typeof CODECS[F]>>> {
  try {
    return await CODECS[format]() as Awaited<ReturnType<typeof CODECS[F]>>;
  } catch (e) {
    throw new CodecLoadError(format.toUpperCase(), e);
  }
}

/** Compiles one of imagescript's WebAssembly codecs straight from node_modules. */
async function wasmModule(name: string): Promise<WebAssembly.Module> {
  const url = new URL(import.meta.resolve(`imagescript/wasm/any/${name}.wasm`));
  return new WebAssembly.Module(await Deno.readFile(url));
}

/** A decoder over imagescript's JPEG codec ABI (scaled decoding inside the codec). */
interface JpegCodec {
  decode(bytes: Uint8Array, w: number, h: number): {
    width: number;
    height: number;
    format: number;
    buffer: Uint8Array;
  };
}

async function loadJpeg(): Promise<JpegCodec> {
  const wasm = new WebAssembly.Instance(await wasmModule("jpeg")).exports as unknown as JpegExports;
  return {
    decode(bytes, w, h) {
      const ptr = wasm.walloc(bytes.length);
      new Uint8Array(wasm.memory.buffer, ptr, bytes.length).set(bytes);
      const fb = wasm.decode(ptr, bytes.length, w, h);
      if (fb === 0) throw new Error("jpg: failed to decode");
      if (fb === 1) throw new Error("jpg: failed to scale decoder");
      try {
        const width = wasm.decode_width(fb);
        const height = wasm.decode_height(fb);
        const format = wasm.decode_format(fb);
        const at = wasm.decode_buffer(fb); // sets the length wlen() reports
        const buffer = new Uint8Array(wasm.memory.buffer, at, wasm.wlen()).slice();
        return { width, height, format, buffer };
      } finally {
        wasm.decode_free(fb);
      }
    },
  };
}

/** A decoder over imagescript's PNG codec ABI. */
interface PngCodec {
  decode(bytes: Uint8Array): { width: number; height: number; framebuffer: Uint8Array };
}

async function loadPng(): Promise<PngCodec> {
  const wasm = new WebAssembly.Instance(await wasmModule("png"), {
    env: { emscripten_notify_memory_growth() {} },
  }).exports as unknown as PngExports;
  return {
    decode(bytes) {
      const ptr = wasm.walloc(bytes.length);
      new Uint8Array(wasm.memory.buffer, ptr, bytes.length).set(bytes);
      const status = wasm.decode(ptr, bytes.length);
      wasm.wfree(ptr);
      if (status < 0) throw new Error(`png: failed to decode (${status})`);
      const width = wasm.width(), height = wasm.height();
      const framebuffer = new Uint8Array(wasm.memory.buffer, status, 4 * width * height).slice();
      wasm.wfree(status);
      return { width, height, framebuffer };
    },
  };
}
/** imagescript's GIF codec, as far as its first frame is read. */
interface GifCodec {
  Decoder: new (bytes: Uint8Array) => {
    ptr: number;
    frame(): { width: number; height: number; buffer: Uint8Array } | null | undefined;
    free(): void;
  };
}

async function loadGif(): Promise<GifCodec> {
  const m = await import("imagescript/wasm/node/gif.js");
  return (m.default ?? m).init();
}
async function loadWebp(): Promise<(b: ArrayBuffer) => Promise<ImageData>> {
  const spec = "@jsquash/webp/decode.js";
  const m = await import("@jsquash/webp/decode.js");
  const wasm = await Deno.readFile(new URL("./codec/dec/webp_dec.wasm", import.meta.resolve(spec)));
  await m.init(new WebAssembly.Module(wasm));
  return m.default;
}

/** The formats we decode, by the file extensions that name them. */
const NAMED_FORMATS: Record<string, string> = {
  jpg: "JPEG",
  jpeg: "JPEG",
  jpe: "JPEG",
  jfif: "JPEG",
  png: "PNG",
  gif: "GIF",
  webp: "WEBP",
  svg: "SVG",
};

/**
 * Decodes image bytes to RGBA pixels.
 *
 * The size in the header is checked first: images over `maxPixels` are
 * refused, and so are headers the file cannot be true to (see
 * {@linkcode implausibleHeader}), before any decoding work.
 *
 * An SVG is drawn (see `svg_render.ts`) with its shorter side `minSide`
 * long; the pixel limit applies to the images it embeds, not to the size
 * it asks for, since varietal chooses the size it is drawn at.
 *
 * @throws {UnsupportedFormatError} For TIFF, BMP, AVIF and unknown data.
 * @throws {ImageTooLargeError} When the header declares more than `maxPixels`.
 * @throws {ImageDecodeError} When a supported image is damaged.
 */
export async function decodeImage(bytes: Uint8Array, options: DecodeOptions = {}): Promise<Pixels> {
  const name = options.name ?? "image";
  const format = sniffFormat(bytes);
  if (!format) {
    // Named as a kind we read, with bytes of no image at all (emptied, overwritten by
    // text or a download's error page): damaged, not a format for wallust to try.
    const named = NAMED_FORMATS[name.slice(name.lastIndexOf(".") + 1).toLowerCase()];
    if (named && name.includes(".")) {
      throw new ImageDecodeError(
        name,
        `damaged ${named}: ${bytes.length === 0 ? "the file is empty" : "its bytes are no image"}`,
      );
    }
  }
  if (!format || !DECODABLE.includes(format)) {
    throw new UnsupportedFormatError(name, format ?? "not an image");
  }
  if (format === "svg") {
    const maxPixels = options.maxPixels ?? DEFAULT_MAX_MEGAPIXELS * 1e6;
    return await decodeSvg(bytes, name, options.minSide ?? 256, maxPixels);
  }
  const header = readImageHeader(bytes, format);
  if (!header) {
    throw new ImageDecodeError(
      name,
      `damaged ${format.toUpperCase()}: no image size in the header`,
    );
  }
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_MEGAPIXELS * 1e6;
  if (checkPixelLimit(header.width, header.height, maxPixels)) {
    throw new ImageTooLargeError(name, header.width, header.height, maxPixels);
  }
  const implausible = implausibleHeader(header, bytes.length);
  if (implausible) {
    throw new ImageDecodeError(name, `damaged ${format.toUpperCase()}: ${implausible}`);
  }
  let px: Pixels;
  try {
    px = await decodeFormat(bytes, format, name, options.minSide ?? 256);
  } catch (e) {
    if (
      e instanceof UnsupportedFormatError || e instanceof ImageTooLargeError ||
      e instanceof CodecLoadError
    ) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    throw new ImageDecodeError(name, `damaged or truncated ${format.toUpperCase()} (${msg})`, {
      cause: e,
    });
  }
  if (!(px.width > 0 && px.height > 0 && px.data.length >= px.width * px.height * 4)) {
    throw new ImageDecodeError(name, `the ${format.toUpperCase()} decoder returned no pixels`);
  }
  return visible(px, name);
}

/**
 * `px`, unless every pixel is fully transparent: such a picture has no colour to take (it
 * would give a made-up black palette), so it cannot be decoded for one.
 */
function visible(px: Pixels, name: string, hint = ""): Pixels {
  const d = px.data;
  for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return px;
  throw new ImageDecodeError(name, `the picture is fully transparent: it has no colours${hint}`);
}

/**
 * Loads (and compiles) the decoder for `format` ahead of use, so that a
 * decoding thread started early is ready when the image arrives.
 */
export async function preloadDecoder(format: ImageFormat): Promise<void> {
  if (format === "jpeg" || format === "png" || format === "gif" || format === "webp") {
    await codec(format);
  } else if (format === "svg") await (await import("./svg_render.ts")).preloadSvgRenderer();
}

/** Draws an SVG for the palette; what goes wrong is an {@linkcode ImageDecodeError}. */
async function decodeSvg(
  bytes: Uint8Array,
  name: string,
  minSide: number,
  maxPixels: number,
): Promise<Pixels> {
  const { renderSvg, SvgEmbeddedLimitError } = await import("./svg_render.ts");
  let px: Pixels;
  try {
    px = await renderSvg(bytes, minSide, { name, maxPixels });
  } catch (e) {
    if (e instanceof ImageTooLargeError) throw e;
    if (e instanceof SvgEmbeddedLimitError) throw new ImageDecodeError(name, e.message);
    throw new ImageDecodeError(name, `damaged SVG (${e instanceof Error ? e.message : e})`, {
      cause: e,
    });
  }
  if (!(px.width > 0 && px.height > 0 && px.data.length >= px.width * px.height * 4)) {
    throw new ImageDecodeError(name, "the SVG renderer returned no pixels");
  }
  return visible(px, name, " (an SVG's links to other files are not followed)");
}

async function decodeFormat(
  bytes: Uint8Array,
  format: ImageFormat,
  name: string,
  side: number,
): Promise<Pixels> {
  switch (format) {
    case "jpeg": {
      // Big progressive JPEGs: 1/8 scale from the DC scans alone, skipping the AC scans
      // (several times faster than a full progressive decode). Baseline ones go to the
      // WASM decoder, which shrinks inside the codec.
      const size = jpegSize(bytes);
      if (size?.progressive && Math.min(size.width, size.height) / 8 >= side / 2) {
        try {
          const px = decodeJpegDc(bytes);
          if (px) return px;
        } catch {
          // damaged or unusual: let the full decoder have a go
        }
      }
      const jpeg = await codec("jpeg");
      const fb = jpeg.decode(bytes, side, side);
      return jpegToRgba(fb.width, fb.height, fb.format, fb.buffer);
    }
    case "png": {
      // Huge PNGs are shrunk row by row while inflating, never held whole.
      const header = pngHeader(bytes);
      if (header && header.interlace === 0 && header.width * header.height > PNG_STREAM_PIXELS) {
        const px = await decodePngScaled(bytes, side);
        if (px) return px;
      }
      if (header) checkFullDecode(name, header.width, header.height);
      const png = await codec("png");
      const fb = png.decode(bytes);
      return { width: fb.width, height: fb.height, data: fb.framebuffer };
    }
    case "gif": {
      const gif = await codec("gif");
      const dec = new gif.Decoder(bytes);
      try {
        const frame = dec.frame();
        if (!frame) throw new Error("no frames");
        return { width: frame.width, height: frame.height, data: frame.buffer };
      } finally {
        if (dec.ptr) dec.free();
      }
    }
    case "webp": {
      const size = webpSize(bytes);
      if (size) checkFullDecode(name, size.width, size.height);
      const decode = await codec("webp");
      // libwebp's still decoder refuses an animation: its first frame stands for it.
      const copy = (firstWebpFrame(bytes) ?? bytes.slice()).buffer;
      const img = await decode(copy);
      return { width: img.width, height: img.height, data: img.data as Uint8ClampedArray };
    }
    default:
      throw new UnsupportedFormatError(name, format);
  }
}

/**
 * Converts imagescript's JPEG framebuffer (grey, RGB or CMYK) to RGBA. Its
 * decoder undoes Adobe's inverted CMYK and YCCK, so a CMYK pixel is ink: 0 is
 * none, and each channel is `(255 − ink) · (255 − K) / 255`.
 */
function jpegToRgba(width: number, height: number, format: number, src: Uint8Array): Pixels {
  const n = width * height;
  const out = new Uint8Array(n * 4);
  if (format === 0) {
    for (let i = 0; i < n; i++) {
      const v = src[i];
      out[i * 4] = v, out[i * 4 + 1] = v, out[i * 4 + 2] = v, out[i * 4 + 3] = 255;
    }
  } else if (format === 1) {
    for (let i = 0, j = 0; i < n; i++, j += 3) {
      out[i * 4] = src[j], out[i * 4 + 1] = src[j + 1], out[i * 4 + 2] = src[j + 2];
      out[i * 4 + 3] = 255;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const p = i * 4, white = 255 - src[p + 3];
      out[p] = (255 - src[p]) * white / 255, out[p + 1] = (255 - src[p + 1]) * white / 255;
      out[p + 2] = (255 - src[p + 2]) * white / 255, out[p + 3] = 255;
    }
  }
  return { width, height, data: out };
}

/**
 * Reads and decodes an image file. Requires `--allow-read`.
 *
 * @throws {UnsupportedFormatError} For formats that cannot be decoded.
 * @throws {ImageDecodeError} When the file is damaged.
 * @throws {Deno.errors.NotFound} When the file does not exist.
 */
export async function decodeFile(path: string, options: DecodeOptions = {}): Promise<Pixels> {
  const name = options.name ?? path;
  using file = await Deno.open(path);
  const size = (await file.stat()).size;
  const head = readUpTo(file, Math.min(size, READ_CHUNK));
  // What is no image (or none decoded here) is told from its first bytes: never read whole.
  const format = sniffFormat(head);
  if (head.length >= size || !format || !DECODABLE.includes(format)) {
    return decodeImage(head, { ...options, name });
  }
  const px = decodeProgressiveJpeg(file, head, size, { ...options, name });
  if (px) return px;
  // Everything else is decoded from the whole file (the bytes read so far, then the rest).
  const bytes = new Uint8Array(size);
  bytes.set(head);
  const got = head.length + readInto(file, bytes.subarray(head.length));
  return decodeImage(bytes.subarray(0, got), { ...options, name });
}

/** How much of a file is read at a time. */
const READ_CHUNK = 1 << 20;

/**
 * A big progressive JPEG read from its DC scans as the file is read, in
 * chunks (never holding it whole; reading 16 MB into one fresh buffer cost
 * more than decoding it here), when `head` — the file's first bytes —
 * holds its whole header: the same checks, pixels and errors as
 * {@linkcode decodeImage} on the whole file. Undefined when it does not
 * apply or the DC decoder gives up, for the caller to decode the whole file.
 */
function decodeProgressiveJpeg(
  file: Deno.FsFile,
  head: Uint8Array,
  size: number,
  options: DecodeOptions & { name: string },
): Pixels | undefined {
  if (sniffFormat(head) !== "jpeg" || walkJpegMarkers(head) !== "scan") return undefined;
  const side = options.minSide ?? 256;
  const frame = jpegSize(head);
  if (!frame?.progressive || Math.min(frame.width, frame.height) / 8 < side / 2) return undefined;
  // decodeImage's checks, on the header the whole file would give (it ends before the first scan)
  const header = readImageHeader(head, "jpeg");
  if (!header) return undefined;
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_MEGAPIXELS * 1e6;
  if (checkPixelLimit(header.width, header.height, maxPixels)) {
    throw new ImageTooLargeError(options.name, header.width, header.height, maxPixels);
  }
  const implausible = implausibleHeader(header, size);
  if (implausible) throw new ImageDecodeError(options.name, `damaged JPEG: ${implausible}`);
  let px: Pixels | undefined;
  try {
    px = decodeJpegDcFrom(fileBytes(file, head));
  } catch {
    return undefined; // damaged or unusual: the whole file goes to the full decoder
  }
  return px && px.width > 0 && px.height > 0 && px.data.length >= px.width * px.height * 4
    ? px
    : undefined;
}

/** The file from the start, `head` first, as {@linkcode JpegBytes} read on in chunks. */
function fileBytes(file: Deno.FsFile, head: Uint8Array): JpegBytes {
  let store = new Uint8Array(Math.max(2 * READ_CHUNK, head.length + READ_CHUNK));
  store.set(head);
  let held = head.length;
  const w: JpegBytes = {
    buf: store.subarray(0, held),
    eof: false,
    more(keep) {
      store.copyWithin(0, keep, held);
      held -= keep;
      if (store.length - held < READ_CHUNK) {
        const bigger = new Uint8Array(store.length * 2);
        bigger.set(store.subarray(0, held));
        store = bigger;
      }
      const n = file.readSync(store.subarray(held, held + READ_CHUNK));
      if (n === null || n === 0) w.eof = true;
      else held += n;
      w.buf = store.subarray(0, held);
      return keep;
    },
  };
  return w;
}
