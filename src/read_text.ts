/**
 * Reading a text file the user names (config, template, palette file, API
 * key): only a regular file, and only up to a size, so that a FIFO or a link
 * to /dev/zero given by mistake is refused at once instead of blocking
 * forever or filling memory. Requires `--allow-read`.
 *
 * @module
 */

/** The largest config, template or palette file read (far above any real one). */
export const MAX_TEXT_BYTES = 4 * 1024 * 1024;

/** A path that is no regular file, or one too large to be what it should be. */
export class NotATextFileError extends Error {
  /** The path. */
  readonly path: string;
  constructor(path: string, reason: string) {
    super(reason);
    this.name = "NotATextFileError";
    this.path = path;
  }
}

/**
 * Checks that `path` (followed through symlinks) is a regular file of at most
 * `maxBytes`; returns its size.
 *
 * @throws {Deno.errors.NotFound} When it does not exist (callers often treat that apart).
 * @throws {Deno.errors.IsADirectory} When it is a folder.
 * @throws {NotATextFileError} When it is another special file (a FIFO, a device) or too large.
 * @example A device is refused before anything reads it
 * ```ts
 * import assert from "node:assert/strict";
 * import { assertTextFile, NotATextFileError } from "./read_text.ts";
 *
 * assert.throws(() => assertTextFile("/dev/zero"), NotATextFileError);
 * ```
 */
export function assertTextFile(path: string, maxBytes = MAX_TEXT_BYTES): number {
  return checkTextStat(path, Deno.statSync(path), maxBytes);
}

/** {@linkcode assertTextFile} on a stat the caller made already. */
export function checkTextStat(path: string, st: Deno.FileInfo, maxBytes = MAX_TEXT_BYTES): number {
  if (st.isDirectory) throw new Deno.errors.IsADirectory(`is a directory: ${path}`);
  if (!st.isFile) {
    throw new NotATextFileError(path, "is not a regular file (a FIFO, socket or device?)");
  }
  if (st.size > maxBytes) {
    throw new NotATextFileError(
      path,
      `is too large for a text file varietal reads (${st.size} bytes; at most ${maxBytes})`,
    );
  }
  return st.size;
}

/** {@linkcode assertTextFile}, then the file's text, without blocking the thread. */
export async function readTextFileCheckedAsync(
  path: string,
  maxBytes = MAX_TEXT_BYTES,
): Promise<string> {
  assertTextFile(path, maxBytes);
  return await Deno.readTextFile(path);
}

/** {@linkcode assertTextFile}, then the file's text (blocking: these files are small). */
export function readTextFileChecked(path: string, maxBytes = MAX_TEXT_BYTES): string {
  assertTextFile(path, maxBytes);
  return Deno.readTextFileSync(path);
}
