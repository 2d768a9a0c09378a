/**
 * Sort keys of ordered folders (pure). An ordered folder's images are
 * walked by a text key stored beside each image (`images.play_key`, indexed
 * with the folder): the natural path order for `sequential`, a hash of the
 * cycle's seed and the image id for `shuffle`. Ties (names that differ only
 * in case or leading zeros, or a hash collision) go by image id.
 *
 * @module
 */

/** Digit runs longer than this compare digit by digit after the length mark. */
const MAX_RUN = 20;

/**
 * The natural sort key of a path: case-insensitive, numbers by value
 * ("img2" before "img10"), and a folder's files before folders whose names
 * merely start like it ("a/z.jpg" before "a b/a.jpg").
 *
 * Each run of digits becomes its length (without leading zeros) as one
 * character from "0" upwards, then its digits, so plain text order is
 * numeric order; "/" becomes U+0001, below every printable character.
 *
 * @param path An image's path.
 * @returns A key whose byte order (SQLite's `BINARY`) is the natural order.
 * @example Numbers by value
 * ```ts
 * import { naturalKey } from "./play_keys.ts";
 * const names = ["img10.jpg", "IMG2.jpg", "img1.jpg"];
 * names.sort((a, b) => naturalKey(a) < naturalKey(b) ? -1 : 1);
 * console.assert(names.join() === "img1.jpg,IMG2.jpg,img10.jpg");
 * ```
 */
export function naturalKey(path: string): string {
  return path.toLowerCase().replace(/\d+/g, (run) => {
    const digits = run.replace(/^0+/, "");
    return String.fromCharCode(0x30 + Math.min(digits.length, MAX_RUN)) + digits;
  }).replaceAll("/", "\u0001");
}

/** A 32-bit integer hash with good avalanche (lowbias32). */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * The shuffle key of an image in the cycle with this seed: 8 hex digits of
 * a hash of both, so each seed orders a folder as an independent random
 * permutation, and an image added later gets its place without moving the
 * others.
 *
 * @param seed The cycle's seed (an unsigned 32-bit integer).
 * @param id The image id.
 * @example The same seed, the same order
 * ```ts
 * import { shuffleKey } from "./play_keys.ts";
 * console.assert(shuffleKey(7, 42) === shuffleKey(7, 42));
 * console.assert(shuffleKey(7, 42).length === 8);
 * ```
 */
export function shuffleKey(seed: number, id: number): string {
  const high = Math.floor(id / 4294967296);
  const h = mix32((mix32(seed >>> 0) ^ mix32((id >>> 0) ^ Math.imul(high, 0x9e3779b1))) >>> 0);
  return h.toString(16).padStart(8, "0");
}

/**
 * The seed of the cycle after one with `seed`: a new permutation that does
 * not depend on the random generator, so every process derives the same one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nextSeed } from "./play_keys.ts";
 *
 * assert.equal(nextSeed(7), nextSeed(7));
 * assert.notEqual(nextSeed(7), 7);
 * ```
 */
export function nextSeed(seed: number): number {
  return mix32((seed + 0x9e3779b9) >>> 0);
}
