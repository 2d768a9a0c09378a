/**
 * How many terminal columns text takes, for tables that line up whatever the
 * file names hold: East Asian wide characters and emoji take two columns,
 * combining marks none (pure).
 *
 * @module
 */

let segmenter: Intl.Segmenter | undefined;

/** Code points that terminals draw two columns wide (East Asian Wide and Fullwidth). */
function wide(cp: number): boolean {
  return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd);
}

/** Columns of one grapheme (a user-perceived character). */
function graphemeWidth(g: string): number {
  const cp = g.codePointAt(0)!;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (/\p{Emoji_Presentation}/u.test(g) || (g.includes("\uFE0F") && /\p{Emoji}/u.test(g))) {
    return 2;
  }
  if (/^\p{M}/u.test(g)) return 0;
  return wide(cp) ? 2 : 1;
}

/** The graphemes of a text, each with its width in columns. */
function graphemes(text: string): { g: string; w: number }[] {
  segmenter ??= new Intl.Segmenter();
  return Array.from(segmenter.segment(text), ({ segment }) => ({
    g: segment,
    w: graphemeWidth(segment),
  }));
}

/**
 * Columns a text takes in a terminal.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { textWidth } from "./text_width.ts";
 *
 * assert.equal(textWidth("forest.jpg"), 10);
 * assert.equal(textWidth("🌄 dawn"), 7);
 * assert.equal(textWidth("壁紙"), 4);
 * assert.equal(textWidth("cafe\u0301"), 4); // e + combining acute
 * ```
 */
export function textWidth(text: string): number {
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  return graphemes(text).reduce((n, x) => n + x.w, 0);
}

/**
 * Pads (or cuts, ending in "…") a text to exactly `width` columns.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitWidth } from "./text_width.ts";
 *
 * assert.equal(fitWidth("🌄 dawn", 9), "🌄 dawn  ");
 * assert.equal(fitWidth("壁紙の森", 5), "壁紙…");
 * assert.equal(fitWidth("12", 4, true), "  12");
 * ```
 */
export function fitWidth(text: string, width: number, right = false): string {
  let s = text, w = textWidth(text);
  if (w > width) {
    s = "";
    w = 0;
    for (const x of graphemes(text)) {
      if (w + x.w > width - 1) break;
      s += x.g;
      w += x.w;
    }
    s += "…";
    w += 1;
  }
  const pad = " ".repeat(Math.max(0, width - w));
  return right ? pad + s : s + pad;
}

/**
 * Cuts a text to at most `width` columns without padding: its start, or with
 * `tail` its end (a file name's), the cut marked with "…".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cutWidth } from "./text_width.ts";
 *
 * assert.equal(cutWidth("/w/壁紙の森.jpg", 9, true), "…の森.jpg");
 * assert.equal(cutWidth("Extracting 12/96", 10), "Extractin…");
 * assert.equal(cutWidth("short", 10), "short");
 * ```
 */
export function cutWidth(text: string, width: number, tail = false): string {
  if (textWidth(text) <= width) return text;
  if (width <= 0) return "";
  const parts = graphemes(text);
  if (tail) parts.reverse();
  let w = 0;
  const kept: string[] = [];
  for (const x of parts) {
    if (w + x.w > width - 1) break;
    kept.push(x.g);
    w += x.w;
  }
  return tail ? "…" + kept.reverse().join("") : kept.join("") + "…";
}
