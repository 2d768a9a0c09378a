/**
 * A stable file name made from a text (pure): for cache entries keyed by a
 * path or a template, never a check of anything's integrity.
 *
 * @module
 */

/**
 * 106 bits of two 53-bit string hashes (cyrb53), as 28 hex digits.
 *
 * @example
 * ```ts
 * import { nameHash } from "./name_hash.ts";
 * if (nameHash("/w/it's.jpg") !== nameHash("/w/it's.jpg")) throw new Error();
 * if (!/^[0-9a-f]{28}$/.test(nameHash("x"))) throw new Error();
 * ```
 */
export function nameHash(s: string): string {
  const h = (seed: number) => {
    let h1 = 0xdeadbeef ^ seed, h2 = 0x41c6ce57 ^ seed;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, "0");
  };
  return h(0) + h(0x9e3779b9);
}
