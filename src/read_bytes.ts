/**
 * Reading a known number of bytes from an open file: one `read` may return
 * fewer than asked, so these read on until the buffer is full or the file
 * ends. Requires `--allow-read`.
 *
 * @module
 */

/**
 * Fills `buf` from the file's current position, blocking (cheaper than a
 * trip through the thread pool for the few reads an image needs).
 *
 * @returns How many bytes were read: `buf.length`, or fewer at the end of the file.
 */
export function readInto(file: Deno.FsFile, buf: Uint8Array): number {
  let got = 0;
  while (got < buf.length) {
    const n = file.readSync(buf.subarray(got));
    if (n === null || n === 0) break;
    got += n;
  }
  return got;
}

/**
 * Up to `n` bytes from the file's current position (fewer at its end), blocking.
 *
 * @example
 * ```ts ignore
 * import { readUpTo } from "./read_bytes.ts";
 * using file = Deno.openSync("/etc/hostname");
 * console.log(readUpTo(file, 16).length); // at most 16
 * ```
 */
export function readUpTo(file: Deno.FsFile, n: number): Uint8Array {
  const buf = new Uint8Array(n);
  return buf.subarray(0, readInto(file, buf));
}

/** {@linkcode readUpTo} without blocking the thread (for large reads on the main thread). */
export async function readUpToAsync(file: Deno.FsFile, n: number): Promise<Uint8Array> {
  const buf = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const r = await file.read(buf.subarray(got));
    if (r === null || r === 0) break;
    got += r;
  }
  return buf.subarray(0, got);
}
