/**
 * Draws SVG wallpapers with resvg compiled to WebAssembly
 * (`@resvg/resvg-wasm`): to pixels for the built-in palette extractor,
 * and to a PNG for wallpaper setters that cannot read SVG. The renderer is
 * loaded on first use. It reads nothing but the bytes it is given: images
 * an SVG links to by path or URL are not fetched (embedded `data:` images
 * are drawn), and text is drawn only where it has been converted to paths
 * (no fonts are loaded). Requires `--allow-read` (the WebAssembly file).
 *
 * @module
 */
import type { Pixels } from "./downscale.ts";
import { embeddedImages, svgSize } from "./svg_header.ts";
import {
  DEFAULT_MAX_MEGAPIXELS,
  formatMegapixels,
  ImageTooLargeError,
  MAX_FULL_DECODE_PIXELS,
} from "./pixel_limit.ts";

/** The longest side varietal draws an SVG at. */
export const MAX_SVG_SIDE = 8192;

const DEFAULT_MAX_PIXELS = DEFAULT_MAX_MEGAPIXELS * 1e6;

/** SVG files larger than this are refused (the largest real wallpaper seen is 1.3 MB). */
export const MAX_SVG_BYTES = 32 * 1024 * 1024;

type ResvgModule = typeof import("@resvg/resvg-wasm");
let renderer: Promise<ResvgModule> | undefined;

async function loadRenderer(): Promise<ResvgModule> {
  const m = await import("@resvg/resvg-wasm");
  const wasm = await Deno.readFile(new URL(import.meta.resolve("@resvg/resvg-wasm/index_bg.wasm")));
  await m.initWasm(new WebAssembly.Module(wasm));
  return m;
}

/** Loads (and compiles) the renderer ahead of use. */
export async function preloadSvgRenderer(): Promise<void> {
  await (renderer ??= loadRenderer());
}

/**
 * The width to draw an SVG of `size` at so that its shorter side is at
 * least `minSide` (never past {@linkcode MAX_SVG_SIDE} on the longer one).
 *
 * @example
 * ```ts
 * import { widthForMinSide } from "./svg_render.ts";
 * import assert from "node:assert/strict";
 * assert.equal(widthForMinSide({ width: 1920, height: 1080 }, 256), 455);
 * assert.equal(widthForMinSide({ width: 100000, height: 10 }, 256), 8192);
 * ```
 */
export function widthForMinSide(size: { width: number; height: number }, minSide: number): number {
  const scale = Math.min(
    minSide / Math.min(size.width, size.height),
    MAX_SVG_SIDE / Math.max(size.width, size.height),
  );
  return Math.max(1, Math.round(size.width * scale));
}

/**
 * The size a setter's copy of an SVG is drawn at: the size it asks for,
 * scaled (keeping its shape) so that its longer side is between `minLong`
 * and `maxLong`, for a sharp picture on today's screens without drawing
 * a poster.
 *
 * @example
 * ```ts
 * import { rasterSize } from "./svg_render.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(rasterSize({ width: 1920, height: 1080 }), { width: 1920, height: 1080 });
 * assert.deepEqual(rasterSize({ width: 128, height: 64 }), { width: 1920, height: 960 });
 * assert.deepEqual(rasterSize({ width: 5120, height: 2880 }), { width: 3840, height: 2160 });
 * ```
 */
export function rasterSize(
  size: { width: number; height: number },
  minLong = 1920,
  maxLong = 3840,
): { width: number; height: number } {
  const long = Math.max(size.width, size.height);
  const scale = long < minLong ? minLong / long : long > maxLong ? maxLong / long : 1;
  return {
    width: Math.max(1, Math.round(size.width * scale)),
    height: Math.max(1, Math.round(size.height * scale)),
  };
}

/** An SVG whose embedded images hold more pixels together than the limit allows. */
export class SvgEmbeddedLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SvgEmbeddedLimitError";
  }
}

/**
 * Holds the images an SVG embeds (`data:` URIs) to the pixel limit, as if
 * they were files decoded whole (resvg decodes them whole: at most
 * {@linkcode MAX_FULL_DECODE_PIXELS} each), since a 400 KB PNG inside an SVG
 * can claim 20000×20000 pixels (measured: 11 s and 2 GB to draw).
 *
 * @throws {ImageTooLargeError} When one of them is over `maxPixels`.
 * @returns The pixels they declare together.
 * @throws {SvgEmbeddedLimitError} When together they are, or one's size cannot be read.
 */
export function checkEmbeddedImages(bytes: Uint8Array, name: string, maxPixels: number): number {
  let total = 0;
  for (const img of embeddedImages(bytes)) {
    if (img.format === undefined) continue; // resvg draws nothing of it
    if (img.width === undefined || img.height === undefined) {
      throw new SvgEmbeddedLimitError(
        `an embedded ${img.format.toUpperCase()} has no readable size (damaged)`,
      );
    }
    const pixels = img.width * img.height;
    // resvg decodes an embedded picture whole: held to what a file decoded whole may be.
    if (pixels > MAX_FULL_DECODE_PIXELS && MAX_FULL_DECODE_PIXELS < maxPixels) {
      throw new ImageTooLargeError(
        name,
        img.width,
        img.height,
        MAX_FULL_DECODE_PIXELS,
        "it is embedded in the SVG, which decodes it whole: no more can be",
      );
    }
    if (pixels > maxPixels) {
      throw new ImageTooLargeError(
        name,
        img.width,
        img.height,
        maxPixels,
        "it is embedded in the SVG; raise [palette] max_megapixels to allow it",
      );
    }
    total += pixels;
  }
  if (total > maxPixels) {
    throw new SvgEmbeddedLimitError(
      `its embedded images hold ${formatMegapixels(total)} megapixels together, over the ` +
        `${formatMegapixels(maxPixels)} of [palette] max_megapixels; raise it to allow them`,
    );
  }
  return total;
}

/** The size `bytes` asks for; throws when they are not an SVG. */
export function requireSvgSize(bytes: Uint8Array): { width: number; height: number } {
  if (bytes.length > MAX_SVG_BYTES) {
    throw new Error(
      `${(bytes.length / 1048576).toFixed(1)} MB is over the ${
        MAX_SVG_BYTES / 1048576
      } MB varietal draws`,
    );
  }
  const size = svgSize(bytes);
  if (!size) throw new Error("no <svg> root element");
  return size;
}

async function draw<T>(
  bytes: Uint8Array,
  width: number,
  take: (img: { width: number; height: number; pixels: Uint8Array; asPng(): Uint8Array }) => T,
): Promise<T> {
  const { Resvg } = await (renderer ??= loadRenderer());
  let svg: InstanceType<ResvgModule["Resvg"]>;
  try {
    svg = new Resvg(bytes, {
      fitTo: { mode: "width", value: width },
      font: { loadSystemFonts: false },
    });
  } catch (e) {
    // resvg throws its parser's message as a string
    throw new Error(String(e instanceof Error ? e.message : e));
  }
  try {
    const img = svg.render();
    try {
      return take(img);
    } finally {
      img.free();
    }
  } finally {
    svg.free();
  }
}

/** Options for {@linkcode renderSvg} and {@linkcode renderSvgPng}. */
export interface RenderSvgOptions {
  /** Name used in errors. @default "image" */
  name?: string;
  /** Embedded images may hold at most this many pixels. @default 150 megapixels */
  maxPixels?: number;
}

/**
 * Draws an SVG at least `minSide` pixels on its shorter side.
 *
 * @throws {ImageTooLargeError} / {SvgEmbeddedLimitError} See {@linkcode checkEmbeddedImages}.
 * @throws {Error} When the bytes are not an SVG resvg can read.
 */
export async function renderSvg(
  bytes: Uint8Array,
  minSide: number,
  options: RenderSvgOptions = {},
): Promise<Pixels> {
  const width = widthForMinSide(requireSvgSize(bytes), minSide);
  const name = options.name ?? "image";
  const embedded = checkEmbeddedImages(bytes, name, options.maxPixels ?? DEFAULT_MAX_PIXELS);
  return await draw(bytes, width, (img) => {
    const data = img.pixels;
    return {
      width: img.width,
      height: img.height,
      data,
      workBytes: data.byteLength + embedded * 4,
    };
  });
}

/**
 * Draws an SVG `width` pixels wide (its height follows its shape) and
 * encodes it as PNG.
 *
 * @throws {ImageTooLargeError} / {SvgEmbeddedLimitError} See {@linkcode checkEmbeddedImages}.
 * @throws {Error} When the bytes are not an SVG resvg can read.
 */
export async function renderSvgPng(
  bytes: Uint8Array,
  width: number,
  options: RenderSvgOptions = {},
): Promise<Uint8Array> {
  requireSvgSize(bytes);
  checkEmbeddedImages(bytes, options.name ?? "image", options.maxPixels ?? DEFAULT_MAX_PIXELS);
  return await draw(bytes, Math.min(width, MAX_SVG_SIDE), (img) => img.asPng());
}
