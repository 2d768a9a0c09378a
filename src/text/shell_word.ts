/**
 * One word as a POSIX shell reads it (pure): as it is when it holds nothing a
 * shell would read otherwise, else in single quotes. For commands shown to the
 * user to copy, and for the launcher script.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shellWord } from "./shell_word.ts";
 *
 * assert.equal(shellWord("/home/me/Walls"), "/home/me/Walls");
 * assert.equal(shellWord("/home/me/My Walls"), "'/home/me/My Walls'");
 * assert.equal(shellWord("it's"), "'it'\\''s'");
 * ```
 */
export function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}
