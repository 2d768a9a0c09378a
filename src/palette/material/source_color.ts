/**
 * The source colour of a Material scheme, picked from an image the way
 * matugen picks it (pure; imports material-color-utilities, so callers
 * load it lazily): the pixels shrunk to 112 px on the long side, opaque
 * pixels quantised by the Celebi quantizer into at most 128 colours,
 * colours with a CAM16 chroma below 5 dropped, the rest ranked by `Score`.
 * Also the tone (CIELAB L*, 0–100) of the image's mean colour, for
 * `[theme] mode = "auto"` (light when above 60, as matugen's smart mode).
 *
 * @module
 */
import {
  argbFromRgb,
  Cam16,
  hexFromArgb,
  lstarFromArgb,
  Score,
} from "@material/material-color-utilities";
import { downscale, type Pixels } from "../downscale.ts";
import { quantizeCelebi } from "./celebi.ts";

/** What the source-colour pass learns about an image. */
export interface SourceColorResult {
  /** The Material source colour, `#rrggbb`. */
  source: string;
  /** HCT tone (L*) of the mean colour of the image, 0–100. */
  meanTone: number;
}

/** The long side images are shrunk to before quantising (matugen's). */
export const SOURCE_SIDE = 112;
/** Colours the quantizer may return (matugen's). */
export const SOURCE_COLORS = 128;
/** Colours with less CAM16 chroma than this are not candidates (matugen drops them). */
export const MIN_SOURCE_CHROMA = 5;

/**
 * Parses `#rrggbb` (or `rrggbb`, `#rgb`) into an opaque ARGB integer.
 *
 * @throws {SyntaxError} When the text is not a hex colour.
 * @example Opaque ARGB integers
 * ```ts
 * import assert from "node:assert/strict";
 * import { argbFromHexColor } from "./source_color.ts";
 *
 * assert.equal(argbFromHexColor("#4285f4"), 0xff4285f4);
 * assert.equal(argbFromHexColor("fff"), 0xffffffff);
 * assert.throws(() => argbFromHexColor("#4285f4cc"), SyntaxError);
 * ```
 */
export function argbFromHexColor(hex: string): number {
  let h = hex.trim().replace(/^#/, "");
  if (/^[0-9a-fA-F]{3}$/.test(h)) h = [...h].map((c) => c + c).join("");
  if (!/^[0-9a-fA-F]{6}$/.test(h)) {
    throw new SyntaxError(`Invalid colour "${hex}": expected a hex colour like #4285f4`);
  }
  return (0xff000000 | parseInt(h, 16)) >>> 0;
}

/**
 * The source colour and mean tone of an image.
 *
 * @param px The decoded image (any size; it is shrunk to 112 px first).
 * @example A plain red image has a red source colour
 * ```ts
 * import assert from "node:assert/strict";
 * import { sourceColorFromPixels } from "./source_color.ts";
 *
 * const data = new Uint8Array(16 * 16 * 4);
 * for (let i = 0; i < data.length; i += 4) data.set([200, 40, 40, 255], i);
 * const { source, meanTone } = sourceColorFromPixels({ width: 16, height: 16, data });
 * assert.equal(source, "#c82828");
 * assert.ok(meanTone > 40 && meanTone < 50);
 * ```
 */
export function sourceColorFromPixels(px: Pixels): SourceColorResult {
  const small = downscale(px, SOURCE_SIDE);
  const d = small.data;
  const pixels: number[] = [];
  let r = 0, g = 0, b = 0, n = 0;
  for (let i = 0; i + 3 < d.length && i < small.width * small.height * 4; i += 4) {
    if (d[i + 3] === 0) continue;
    r += d[i];
    g += d[i + 1];
    b += d[i + 2];
    n++;
    if (d[i + 3] === 255) pixels.push(argbFromRgb(d[i], d[i + 1], d[i + 2]));
  }
  const mean = n
    ? argbFromRgb(Math.round(r / n), Math.round(g / n), Math.round(b / n))
    : 0xff000000;
  const counts = seeded(() => quantizeCelebi(pixels, SOURCE_COLORS));
  return { source: hexFromArgb(rankColors(counts)[0]), meanTone: lstarFromArgb(mean) };
}

/**
 * Runs `fn` with `Math.random` replaced by a seeded generator. The
 * TypeScript port of the weighted k-means step draws its initial cluster
 * assignment from `Math.random` (the Java, C++ and Rust ports seed theirs
 * with 0x42688), which would make the same image give different source
 * colours from run to run. The call is synchronous, so nothing else sees
 * the replacement.
 *
 * @example The same draws every time
 * ```ts
 * import assert from "node:assert/strict";
 * import { seeded } from "./source_color.ts";
 *
 * const draw = () => [Math.random(), Math.random()];
 * assert.deepEqual(seeded(draw), seeded(draw));
 * assert.notDeepEqual(seeded(draw), draw());
 * ```
 */
export function seeded<T>(fn: () => T): T {
  const original = Math.random;
  let state = 0x42688;
  Math.random = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  try {
    return fn();
  } finally {
    Math.random = original;
  }
}

/**
 * Ranks quantised colours as matugen does: drops those below
 * {@linkcode MIN_SOURCE_CHROMA}, then `Score.score` (Google Blue when none
 * is suitable).
 *
 * @example Greys are no candidates; with none left, Google Blue
 * ```ts
 * import assert from "node:assert/strict";
 * import { rankColors } from "./source_color.ts";
 *
 * assert.equal(rankColors(new Map([[0xff808080, 10], [0xffc82828, 1]]))[0], 0xffc82828);
 * assert.equal(rankColors(new Map([[0xff808080, 10]]))[0], 0xff4285f4);
 * ```
 */
export function rankColors(counts: Map<number, number>): number[] {
  const kept = new Map<number, number>();
  for (const [argb, count] of counts) {
    if (Cam16.fromInt(argb).chroma >= MIN_SOURCE_CHROMA) kept.set(argb, count);
  }
  return Score.score(kept);
}

/**
 * A source colour for a palette whose image is not at hand (a pywal or
 * wallust file, an image the built-in decoders cannot read): the palette's
 * colours ranked as if each covered the same area.
 *
 * @param colors Hex colours, e.g. color1…color6 of a terminal palette.
 * @example From the colours of a palette file
 * ```ts
 * import assert from "node:assert/strict";
 * import { sourceColorFromColors } from "./source_color.ts";
 *
 * assert.equal(sourceColorFromColors(["#c82828", "#808080", "not a colour"]), "#c82828");
 * assert.equal(sourceColorFromColors(["#808080"]), "#4285f4"); // only grey: the fallback
 * ```
 */
export function sourceColorFromColors(colors: readonly string[]): string {
  const counts = new Map<number, number>();
  for (const c of colors) {
    try {
      const argb = argbFromHexColor(c.slice(0, 7));
      counts.set(argb, (counts.get(argb) ?? 0) + 1);
    } catch {
      // not a colour: skip
    }
  }
  return hexFromArgb(rankColors(counts)[0]);
}

/**
 * The tone (CIELAB L*, 0–100) of a hex colour.
 *
 * @example Black is tone 0, white 100
 * ```ts
 * import assert from "node:assert/strict";
 * import { toneOfHex } from "./source_color.ts";
 *
 * assert.equal(toneOfHex("#000000"), 0);
 * assert.equal(toneOfHex("#ffffff"), 100);
 * assert.equal(Math.round(toneOfHex("#777777")), 50);
 * ```
 */
export function toneOfHex(hex: string): number {
  return lstarFromArgb(argbFromHexColor(hex));
}
