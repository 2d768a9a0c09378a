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
