/**
 * Quoting text for the formats templates write (pure): TOML, POSIX shell,
 * sway commands, CSS, JSON — one function per format, each producing a
 * literal that the format's own parser reads back as exactly the input.
 * These back the quoting filters (`toml_quote`, `shell_quote`,
 * `sway_quote`, `sway_path`, `css_string`, `tojson`; see docs/theme.md).
 *
 * Inputs are JavaScript strings. A lone UTF-16 surrogate cannot be written
 * as UTF-8, so it is replaced by U+FFFD first (that is what the written file
 * would hold anyway). A NUL character, which no file name can contain, is
 * refused by the formats that cannot carry it.
 *
 * @module
 */

/**
 * A value the format cannot carry; the template reports it as a failed filter.
 *
 * @example A shell word cannot hold a NUL
 * ```ts
 * import assert from "node:assert/strict";
 * import { QuoteError, shellQuote } from "./quoting.ts";
 *
 * assert.throws(() => shellQuote("a\0b"), QuoteError);
 * ```
 */
export class QuoteError extends Error {
  /** Creates the error; @param message what cannot be written and why. */
  constructor(message: string) {
    super(message);
    this.name = "QuoteError";
  }
}

/**
 * Replaces each lone surrogate by U+FFFD.
 *
 * @example A lone surrogate becomes U+FFFD
 * ```ts
 * import assert from "node:assert/strict";
 * import { wellFormed } from "./quoting.ts";
 *
 * assert.equal(wellFormed("a\ud800b"), "a\ufffdb");
 * assert.equal(wellFormed("día 🌄"), "día 🌄");
 * ```
 */
export function wellFormed(s: string): string {
  return s.replace(/[\ud800-\udfff]/gu, "\ufffd");
}

const hex = (code: number, width: number) => code.toString(16).toUpperCase().padStart(width, "0");

/**
 * Throws a {@linkcode QuoteError} when `s` holds a NUL, which the format cannot hold.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { QuoteError, refuseNul } from "./quoting.ts";
 *
 * refuseNul("/home/me/a.jpg", "TOML");
 * assert.throws(() => refuseNul("a\0b", "TOML"), QuoteError);
 * ```
 */
export function refuseNul(s: string, format: string): void {
  if (s.includes("\0")) throw new QuoteError(`a ${format} string cannot hold a NUL character`);
}

/**
 * A TOML basic string (`"…"`): `"` and `\` escaped, `\b \t \n \f \r` by
 * name, every other control character (U+0000–U+001F, U+007F) as `\uXXXX`.
 *
 * @example A quote and a newline
 * ```ts
 * import assert from "node:assert/strict";
 * import { tomlString } from "./quoting.ts";
 *
 * assert.equal(tomlString('a"b\n'), '"a\\"b\\n"');
 * ```
 */
export function tomlString(s: string): string {
  const named: Record<string, string> = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
  };
  const body = wellFormed(s).replace(
    // deno-lint-ignore no-control-regex -- control characters are what it looks for
    /["\\\u0000-\u001f\u007f]/g,
    (c) => named[c] ?? `\\u${hex(c.charCodeAt(0), 4)}`,
  );
  return `"${body}"`;
}

/**
 * A POSIX shell word in single quotes: inside `'…'` nothing is special, and
 * a `'` is written `'\''`. Newlines stay (a quoted newline is part of the
 * word), so the result is one word for sh, bash, dash and zsh.
 *
 * @throws {QuoteError} On a NUL character (no shell variable can hold one).
 * @example Nothing inside single quotes expands
 * ```ts
 * import assert from "node:assert/strict";
 * import { shellQuote } from "./quoting.ts";
 *
 * assert.equal(shellQuote("it's $(x)"), "'it'\\''s $(x)'");
 * ```
 */
export function shellQuote(s: string): string {
  refuseNul(s, "shell");
  return `'${wellFormed(s).replaceAll("'", "'\\''")}'`;
}

const SWAY_NAMED: Readonly<Record<string, string>> = {
  "\\": "\\\\",
  '"': '\\"',
  // sway replaces `$name` with a variable everywhere in a line, quoted or
  // not, and reads `$$` as one `$` (never after a lone `\`, which this
  // quoting never leaves before a `$`).
  "$": "$$",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\f": "\\f",
  "\v": "\\v",
  "\x07": "\\a",
  "\b": "\\b",
};

/**
 * One argument of a sway command, in double quotes, for commands that take
 * it literally (not `exec`, `bindsym` or `set`, which keep quotes for later,
 * and not `output … bg` or `include`, which expand it like a shell word:
 * use {@linkcode swayPath} there).
 *
 * sway reads its config line by line, substitutes `$variables` anywhere in
 * the line, splits it into arguments at unquoted blanks, removes the quotes
 * and decodes C-style escapes. So: `\` and `"` are escaped, newline, tab and
 * the other C escapes are written by name, and `$` is written `$$`. (Not
 * `\x24`: sway stops decoding escapes after a `\x`.) Other control
 * characters are ordinary bytes to sway and stay as they are. Checked
 * against sway 1.7's own config validation (`sway -C`).
 *
 * @throws {QuoteError} On a NUL character.
 * @example sway substitutes $variables even in quotes
 * ```ts
 * import assert from "node:assert/strict";
 * import { swayQuote } from "./quoting.ts";
 *
 * assert.equal(swayQuote('a "b" $c'), '"a \\"b\\" $$c"');
 * ```
 */
export function swayQuote(s: string): string {
  refuseNul(s, "sway");
  // deno-lint-ignore no-control-regex -- control characters are what it looks for
  return `"${wellFormed(s).replace(/[\\"$\n\r\t\f\v\x07\b]/g, (c) => SWAY_NAMED[c])}"`;
}

/**
 * A word for POSIX `wordexp(3)` (which sway runs on `output … bg` paths and
 * `include` patterns) that expands to exactly `s`: no command substitution,
 * variables, tilde, globbing or field splitting. Letters, digits, bytes
 * above ASCII and `/._-+,:@%=` stay as they are; a newline is wrapped in
 * single quotes (a backslash-newline would be removed as a line
 * continuation); every other character gets a backslash. No two plain
 * spaces ever follow each other (sway rewrites a double space before
 * calling `wordexp`).
 *
 * @throws {QuoteError} On a NUL character.
 * @example Backslashes for everything a shell word would expand
 * ```ts
 * import assert from "node:assert/strict";
 * import { wordexpWord } from "./quoting.ts";
 *
 * assert.equal(wordexpWord("a b$(x)/ok.jpg"), "a\\ b\\$\\(x\\)/ok.jpg");
 * assert.equal(wordexpWord("a\nb"), "a'\n'b"); // a newline is quoted, not escaped
 * assert.equal(wordexpWord(""), "''");
 * ```
 */
export function wordexpWord(s: string): string {
  refuseNul(s, "shell");
  const t = wellFormed(s);
  if (t === "") return "''";
  return t.replace(
    /[^A-Za-z0-9/._\-+,:@%=\u00a0-\u{10ffff}]/gu,
    (c) => (c === "\n" ? "'\n'" : `\\${c}`),
  );
}

/**
 * A path argument for sway's `output … bg` (and `include`): sway unquotes
 * the argument and then expands it with `wordexp(3)`, which would run a
 * `$(…)` or `` `…` `` in a file name. This is {@linkcode wordexpWord}
 * quoted with {@linkcode swayQuote}, so both steps give back the path.
 *
 * @throws {QuoteError} On a NUL character.
 * @example A path sway passes through wordexp
 * ```ts
 * import assert from "node:assert/strict";
 * import { swayPath } from "./quoting.ts";
 *
 * assert.equal(swayPath("/w/a b$(x)"), String.raw`"/w/a\\ b\\$$\\(x\\)"`);
 * ```
 */
export function swayPath(s: string): string {
  return swayQuote(wordexpWord(s));
}

/**
 * A CSS string (`"…"`), as GTK, Waybar and browsers read it: `"` and `\`
 * escaped, control characters (C0, DEL, C1) and U+2028/U+2029 as hex
 * escapes followed by a space (`\A ` for a newline), which CSS decodes and
 * which keep the string on one line.
 *
 * @throws {QuoteError} On a NUL character (CSS reads `\0` as U+FFFD).
 * @example A CSS string on one line
 * ```ts
 * import assert from "node:assert/strict";
 * import { cssString } from "./quoting.ts";
 *
 * assert.equal(cssString('a"b\n'), '"a\\"b\\A "');
 * ```
 */
export function cssString(s: string): string {
  refuseNul(s, "CSS");
  const body = wellFormed(s).replace(
    // deno-lint-ignore no-control-regex -- control characters are what it looks for
    /["\\\u0001-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => (c === '"' || c === "\\" ? `\\${c}` : `\\${hex(c.charCodeAt(0), 1)} `),
  );
  return `"${body}"`;
}
