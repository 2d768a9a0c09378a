/**
 * What an SVG file says about itself before it is drawn (pure): whether
 * the bytes are an SVG document at all, and the size it asks to be drawn
 * at, from the root element's `width`, `height` and `viewBox`.
 *
 * Only the prolog (XML declaration, comments, a DOCTYPE, processing
 * instructions) and the root element's start tag are read, never the
 * drawing, so a scan can index an SVG as cheaply as a PNG's header.
 *
 * @module
 */
import { readImageHeader } from "./image_header.ts";

/** The size an SVG asks for, in CSS pixels (96 per inch), rounded. */
export interface SvgSize {
  width: number;
  height: number;
}

/** How far into a file the root `<svg>` start tag may begin. */
const MAX_PROLOG = 64 * 1024;

/** The size resvg and browsers give an SVG that names none. */
const DEFAULT_SIDE = 100;

/** CSS pixels per unit; `em`/`ex` use a 16 px font, as browsers' default. */
const UNITS: Readonly<Record<string, number>> = {
  "": 1,
  px: 1,
  pt: 96 / 72,
  pc: 16,
  in: 96,
  cm: 96 / 2.54,
  mm: 96 / 25.4,
  q: 96 / 101.6,
  em: 16,
  ex: 8,
};

/**
 * The root element's start tag and attributes, or undefined when `b` does
 * not begin (after an optional byte-order mark, white space and the
 * prolog) with an `<svg>` element.
 */
function rootAttributes(b: Uint8Array): Map<string, string> | undefined {
  const text = new TextDecoder("utf-8", { fatal: false })
    .decode(b.subarray(0, Math.min(b.length, MAX_PROLOG + 4096)));
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= MAX_PROLOG || text[i] !== "<") return undefined;
    if (text.startsWith("<?", i)) {
      const end = text.indexOf("?>", i + 2);
      if (end < 0) return undefined;
      i = end + 2;
    } else if (text.startsWith("<!--", i)) {
      const end = text.indexOf("-->", i + 4);
      if (end < 0) return undefined;
      i = end + 3;
    } else if (/^<!DOCTYPE/i.test(text.slice(i, i + 9))) {
      const end = doctypeEnd(text, i + 9);
      if (end < 0) return undefined;
      i = end;
    } else {
      break;
    }
  }
  const name = /^<(?:[A-Za-z_][\w.-]*:)?svg(?=[\s/>])/.exec(text.slice(i, i + 64));
  if (!name) return undefined;
  return readAttributes(text, i + name[0].length);
}

/** The index just past a DOCTYPE's closing `>`, skipping its internal subset and quotes. */
function doctypeEnd(text: string, from: number): number {
  let depth = 0;
  let quote = "";
  for (let i = from; i < text.length && i < MAX_PROLOG; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "[") depth++;
    else if (c === "]") depth--;
    else if (c === ">" && depth <= 0) return i + 1;
  }
  return -1;
}

/** Attributes of a start tag from just after its name up to its `>`. */
function readAttributes(text: string, from: number): Map<string, string> | undefined {
  const attrs = new Map<string, string>();
  const re = /\s*(?:([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')|(\/?>))/y;
  re.lastIndex = from;
  for (;;) {
    const m = re.exec(text);
    if (!m) return undefined; // cut off or not well-formed
    if (m[4]) return attrs;
    attrs.set(m[1], m[2] ?? m[3]);
  }
}

/** A length in CSS pixels; undefined for percentages, `auto` and nonsense. */
function length(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*([+]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  if (!m) return undefined;
  const unit = UNITS[m[2].toLowerCase()];
  const px = Number(m[1]) * (unit ?? NaN);
  return Number.isFinite(px) && px > 0 ? px : undefined;
}

/** A `viewBox`'s width and height, when it has four numbers and both are positive. */
function viewBox(value: string | undefined): SvgSize | undefined {
  if (value === undefined) return undefined;
  const parts = value.trim().split(/[\s,]+/).map(Number);
  if (parts.length !== 4 || !parts.every(Number.isFinite)) return undefined;
  const [, , width, height] = parts;
  return width > 0 && height > 0 ? { width, height } : undefined;
}

/**
 * Whether a file beginning with byte `b` can be an SVG: `<`, a UTF-8
 * byte-order mark or white space (raster formats begin with binary magic).
 *
 * @example
 * ```ts
 * import { mayBeginSvg } from "./svg_header.ts";
 * import assert from "node:assert/strict";
 * assert.equal(mayBeginSvg(0x3c), true); // "<"
 * assert.equal(mayBeginSvg(0xff), false); // a JPEG
 * ```
 */
export function mayBeginSvg(b: number | undefined): boolean {
  return b === 0x3c || b === 0xef || b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

/**
 * Whether `b` (a file's first bytes) holds an SVG document: its root
 * element, after the prolog, is `<svg>`.
 *
 * @example
 * ```ts
 * import { looksLikeSvg } from "./svg_header.ts";
 * import assert from "node:assert/strict";
 * const bytes = (s: string) => new TextEncoder().encode(s);
 * assert.equal(looksLikeSvg(bytes('<?xml version="1.0"?>\n<!-- x -->\n<svg width="4"/>')), true);
 * assert.equal(looksLikeSvg(bytes("<html><svg/></html>")), false);
 * ```
 */
export function looksLikeSvg(b: Uint8Array): boolean {
  return rootAttributes(b) !== undefined;
}

/**
 * The size an SVG asks to be drawn at: `width` and `height` in absolute
 * units (px, pt, mm, cm, in, …); a missing or relative one (`100%`) is
 * made from the `viewBox`'s aspect ratio, or its size when both are; with
 * neither, 100 × 100. Rounded, at least 1 × 1.
 *
 * @param b The file's first bytes (the root tag normally ends within a few KB).
 * @returns The size, or undefined when `b` is not an SVG or its root tag is cut off.
 *
 * @example Sizes in units and from the viewBox
 * ```ts
 * import { svgSize } from "./svg_header.ts";
 * import assert from "node:assert/strict";
 * const bytes = (s: string) => new TextEncoder().encode(s);
 * assert.deepEqual(svgSize(bytes('<svg width="1920" height="1080">')), { width: 1920, height: 1080 });
 * assert.deepEqual(svgSize(bytes('<svg width="10in" viewBox="0 0 16 9">')), { width: 960, height: 540 });
 * assert.deepEqual(svgSize(bytes('<svg viewBox="0 0 4096 4096" width="100%">')), { width: 4096, height: 4096 });
 * assert.equal(svgSize(bytes("<png>")), undefined);
 * ```
 */
export function svgSize(b: Uint8Array): SvgSize | undefined {
  const attrs = rootAttributes(b);
  if (!attrs) return undefined;
  const w = length(attrs.get("width"));
  const h = length(attrs.get("height"));
  const box = viewBox(attrs.get("viewBox"));
  let width: number, height: number;
  if (w !== undefined && h !== undefined) [width, height] = [w, h];
  else if (w !== undefined) [width, height] = [w, box ? w * box.height / box.width : DEFAULT_SIDE];
  else if (h !== undefined) [width, height] = [box ? h * box.width / box.height : DEFAULT_SIDE, h];
  else [width, height] = [box?.width ?? DEFAULT_SIDE, box?.height ?? DEFAULT_SIDE];
  return { width: Math.max(1, Math.round(width)), height: Math.max(1, Math.round(height)) };
}

/** An image embedded in an SVG as a `data:` URI, with the size its header declares. */
export interface EmbeddedImage {
  /** The format its bytes begin with (`undefined`: none that resvg draws). */
  format: "png" | "jpeg" | "gif" | "webp" | undefined;
  /** Declared size; `undefined` when its header cannot be read from its bytes. */
  width?: number;
  height?: number;
}

/** How deep SVGs embedded in SVGs are followed. */
const MAX_NESTING = 4;

/** The head of a `data:` URI: its media type and parameters. */
const DATA_URI = /data:([\w.+-]+\/[\w.+-]+)?((?:;[\w.+=-]*)*),/gi;

/**
 * A `data:` URI's payload, from `start` to the character that closes what
 * opened it: the same quote, `)` after `url(`, else white space or `<`.
 */
function payloadAt(text: string, uriStart: number, start: number): string {
  const before = text[uriStart - 1];
  let end: number;
  if (before === '"' || before === "'") end = text.indexOf(before, start);
  else if (before === "(") end = text.indexOf(")", start);
  else {
    const m = /[\s<>"']/.exec(text.slice(start));
    end = m ? start + m.index : -1;
  }
  return text.slice(start, end < 0 ? text.length : end);
}

/** The bytes of a `data:` URI's payload (base64 or percent-encoded); undefined when broken. */
function payloadBytes(params: string, payload: string): Uint8Array | undefined {
  try {
    if (/;base64/i.test(params)) {
      const bin = atob(payload.replace(/\s+/g, ""));
      const out = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
      return out;
    }
    const bytes: number[] = [];
    for (let i = 0; i < payload.length; i++) {
      if (payload[i] === "%" && /^[0-9a-f]{2}$/i.test(payload.slice(i + 1, i + 3))) {
        bytes.push(parseInt(payload.slice(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.push(...new TextEncoder().encode(payload[i]));
      }
    }
    return new Uint8Array(bytes);
  } catch {
    return undefined;
  }
}

/** The raster format `b` begins with, by its magic bytes. */
function rasterFormat(b: Uint8Array): EmbeddedImage["format"] {
  if (b[0] === 0xff && b[1] === 0xd8) return "jpeg";
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return "png";
  if (b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) return "gif";
  if (b[0] === 0x52 && b[1] === 0x49 && b[8] === 0x57 && b[9] === 0x45) return "webp";
  return undefined;
}

/**
 * Every raster image an SVG embeds as a `data:` URI (base64 or
 * percent-encoded, in any attribute or style), with the size its header
 * declares, following SVGs embedded the same way up to four levels deep.
 * What an SVG links to by path or URL is not listed: varietal does not
 * draw it. Used to hold embedded images to the same pixel limit as files.
 *
 * @param b The SVG's bytes.
 *
 * @example A 1×1 PNG embedded twice, once inside an embedded SVG
 * ```ts
 * import { embeddedImages } from "./svg_header.ts";
 * import assert from "node:assert/strict";
 * const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==";
 * const inner = `<svg xmlns="http://www.w3.org/2000/svg"><image href="data:image/png;base64,${png}"/></svg>`;
 * const svg = `<svg xmlns="http://www.w3.org/2000/svg"><image href="data:image/png;base64,${png}"/>` +
 *   `<image href="data:image/svg+xml,${encodeURIComponent(inner)}"/></svg>`;
 * assert.deepEqual(embeddedImages(new TextEncoder().encode(svg)), [
 *   { format: "png", width: 1, height: 1 },
 *   { format: "png", width: 1, height: 1 },
 * ]);
 * ```
 */
export function embeddedImages(b: Uint8Array): EmbeddedImage[] {
  const out: EmbeddedImage[] = [];
  const visit = (bytes: Uint8Array, depth: number) => {
    const text = new TextDecoder().decode(bytes);
    for (const m of text.matchAll(DATA_URI)) {
      const type = (m[1] ?? "").toLowerCase();
      const payload = payloadAt(text, m.index, m.index + m[0].length);
      const data = payloadBytes(m[2] ?? "", payload);
      if (type === "image/svg+xml" || (data && looksLikeSvg(data))) {
        if (data && depth < MAX_NESTING) visit(data, depth + 1);
        continue;
      }
      if (!type.startsWith("image/") && !(data && rasterFormat(data))) continue;
      const format = data && rasterFormat(data);
      const header = data && format && readImageHeader(data, format);
      out.push(header ? { format, width: header.width, height: header.height } : { format });
    }
  };
  visit(b, 0);
  return out;
}
