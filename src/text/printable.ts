/**
 * One rule for showing untrusted text (file names) on a single line (pure).
 *
 * A file name may hold any byte but `/` and NUL, so a wallpaper called
 * `x\nexec rm …` or one holding terminal escape sequences must not reach a
 * terminal or a comment line raw. {@linkcode printable} rewrites every
 * control character visibly and leaves everything else alone.
 *
 * @module
 */

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

// C0 controls, DEL, C1 controls, the Unicode line/paragraph separators, the bidirectional
// embeddings, overrides and isolates, and lone surrogates.
const UNPRINTABLE =
  // deno-lint-ignore no-control-regex -- control characters are what it looks for
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udfff]/gu;

const hex = (code: number, width: number) => code.toString(16).padStart(width, "0");

/**
 * The text with each control character written as a visible escape, so it
 * stays on one line and cannot move the cursor, recolour or retitle a
 * terminal:
 *
 * - newline, carriage return and tab become `\n`, `\r`, `\t`;
 * - other C0 controls, DEL and C1 controls (U+0080–U+009F) become `\xHH`
 *   (ESC is `\x1b`);
 * - U+2028 and U+2029 (line and paragraph separators) become `\u2028`,
 *   `\u2029`, and a lone UTF-16 surrogate `\udXXX`;
 * - the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
 *   U+2066–U+2069), which would show the text after them reversed or
 *   moved, become `\u202e` and so on.
 *
 * Everything else is unchanged, backslashes included, so an ordinary path
 * prints exactly as it is (the rule is therefore for reading, not for
 * parsing back: `--json` output carries the exact text).
 *
 * @example
 * ```ts
 * import { printable } from "./printable.ts";
 * if (printable("a\nb\x1b[31m") !== "a\\nb\\x1b[31m") throw new Error();
 * ```
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const named = NAMED[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
  });
}
