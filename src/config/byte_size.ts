/**
 * Parses and formats byte sizes such as `50MiB`, `1GiB`, `500MB` or `1048576`.
 *
 * @module
 */

const UNITS: Record<string, number> = {
  b: 1,
  k: 1000,
  kb: 1000,
  m: 1000 ** 2,
  mb: 1000 ** 2,
  g: 1000 ** 3,
  gb: 1000 ** 3,
  t: 1000 ** 4,
  tb: 1000 ** 4,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/**
 * Converts a size to bytes.
 *
 * @param text A whole number of bytes, or a number with a unit: B, kB/MB/GB/TB
 * (powers of 1000) or KiB/MiB/GiB/TiB (powers of 1024); case-insensitive.
 * @returns Whole bytes (rounded down).
 * @throws {SyntaxError} When the text is not a size.
 *
 * @example Binary units
 * ```ts
 * import { parseByteSize } from "./byte_size.ts";
 * if (parseByteSize("1.5KiB") !== 1536) throw new Error();
 * ```
 */
export function parseByteSize(text: string | number): number {
  if (typeof text === "number") {
    if (!Number.isFinite(text) || text < 0) throw new SyntaxError(`Invalid size: ${text}`);
    return Math.floor(text);
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? (m[2] === "" ? 1 : UNITS[m[2].toLowerCase()]) : undefined;
  if (!m || unit === undefined) {
    throw new SyntaxError(
      `Invalid size "${text}": use a number of bytes or a number with a unit such as 50MiB or 1GiB`,
    );
  }
  return Math.floor(Number(m[1]) * unit);
}

/**
 * Formats bytes with a binary unit (`1.5 GiB`, `320 KiB`, `12 B`).
 *
 * @param bytes A non-negative number of bytes.
 */
export function formatByteSize(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0
    ? `${v} B`
    : `${v >= 100 ? v.toFixed(0) : v.toFixed(1).replace(/\.0$/, "")} ${units[i]}`;
}
