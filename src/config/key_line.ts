/**
 * The line of config.toml where a dotted key (as config errors name it:
 * `theme.enabled`, `sources[1].path`, `groups.art[0]`) is written, so that an
 * error can say where to look (pure).
 *
 * The text has parsed already: this scanner only follows what it needs (table
 * headers, arrays of tables, keys and where each value ends), and gives up
 * quietly on anything else.
 *
 * @module
 */
import { ConfigError, ConfigProblems } from "./errors.ts";

const BARE = /[A-Za-z0-9_-]/;

/**
 * Maps every key and table the text defines to the line (from 1) it starts on.
 * Tables of an array of tables are named with their index (`sources[0]`),
 * keys by their full dotted path from the root.
 *
 * @param text TOML text that parsed.
 * @returns Key path → line.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { keyLines } from "./key_line.ts";
 *
 * const lines = keyLines('[[sources]]\npath = "/a"\n[[sources]]\npath = "/b"\n');
 * assert.equal(lines.get("sources[1].path"), 4);
 * ```
 */
export function keyLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const arrays = new Map<string, number>(); // array-of-tables path → last index
  let table: string[] = [];
  let pos = 0;
  let line = 1;

  const at = (s: string) => text.startsWith(s, pos);
  const advance = (n = 1) => {
    for (const end = pos + n; pos < end; pos++) if (text[pos] === "\n") line++;
  };
  const skipSpace = (newlines: boolean) => {
    while (pos < text.length) {
      const c = text[pos];
      if (c === " " || c === "\t" || c === "\r" || (newlines && c === "\n")) advance();
      else if (c === "#") { while (pos < text.length && text[pos] !== "\n") advance(); }
      else break;
    }
  };
  const skipString = () => {
    const quote = text[pos];
    const triple = at(quote.repeat(3));
    advance(triple ? 3 : 1);
    while (pos < text.length) {
      if (quote === '"' && text[pos] === "\\") advance(2);
      else if (triple ? at(quote.repeat(3)) : text[pos] === quote) {
        advance(triple ? 3 : 1);
        // A closing """ may be followed by up to two more quotes of the string.
        while (triple && text[pos] === quote) advance();
        return;
      } else if (!triple && text[pos] === "\n") return; // broken: stop at the line's end
      else advance();
    }
  };
  /** A dotted key's segments, unquoted; undefined when none is there. */
  const readKey = (): string[] | undefined => {
    const parts: string[] = [];
    for (;;) {
      skipSpace(false);
      const c = text[pos];
      if (c === '"' || c === "'") {
        const start = pos;
        skipString();
        const raw = text.slice(start + 1, pos - 1);
        parts.push(c === '"' ? raw.replace(/\\(["\\])/g, "$1") : raw);
      } else {
        const start = pos;
        while (pos < text.length && BARE.test(text[pos])) advance();
        if (pos === start) return undefined;
        parts.push(text.slice(start, pos));
      }
      skipSpace(false);
      if (text[pos] !== ".") return parts;
      advance();
    }
  };
  /** Past a value: strings, arrays and inline tables over any number of lines. */
  const skipValue = () => {
    let depth = 0;
    while (pos < text.length) {
      const c = text[pos];
      if (c === '"' || c === "'") skipString();
      else if (c === "#") { while (pos < text.length && text[pos] !== "\n") advance(); }
      else if (c === "[" || c === "{") (depth++, advance());
      else if (c === "]" || c === "}") (depth--, advance());
      else if (c === "\n" && depth <= 0) return;
      else advance();
    }
  };
  /** A path's segments with the current index of each array of tables it passes. */
  const resolve = (segments: string[], base: string[] = []): string[] => {
    const path = [...base];
    for (const s of segments) {
      const name = [...path, s].join(".");
      const index = arrays.get(name);
      path.push(index === undefined ? s : `${s}[${index}]`);
    }
    return path;
  };

  while (pos < text.length) {
    skipSpace(true);
    if (pos >= text.length) break;
    const start = line;
    if (text[pos] === "[") {
      const double = at("[[");
      advance(double ? 2 : 1);
      const key = readKey();
      if (!key) return out;
      advance(double ? 2 : 1);
      const parent = resolve(key.slice(0, -1));
      const name = [...parent, key[key.length - 1]].join(".");
      if (double) arrays.set(name, (arrays.get(name) ?? -1) + 1);
      table = resolve(key.slice(-1), parent);
      out.set(table.join("."), start);
    } else {
      const key = readKey();
      if (!key || text[pos] !== "=") return out;
      advance();
      out.set([...table, ...key].join("."), start);
      // `foo.bar = 1` defines `foo` too (an error about an unknown `foo` points here).
      for (let n = key.length - 1; n > 0; n--) {
        const prefix = [...table, ...key.slice(0, n)].join(".");
        if (!out.has(prefix)) out.set(prefix, start);
      }
      skipSpace(false);
      skipValue();
    }
    skipSpace(false);
    // Anything else left on the line is not TOML this scanner follows.
    if (pos < text.length && text[pos] !== "\n") return out;
  }
  return out;
}

/**
 * The line of `key` in `text`, or of the nearest enclosing key or table
 * written there (a missing `path` of `sources[1]` points at its `[[sources]]`).
 *
 * @param text TOML text that parsed.
 * @param key A dotted key as config errors name it.
 * @returns The line (from 1), or undefined when neither it nor an enclosing table is written.
 */
export function keyLine(text: string, key: string): number | undefined {
  return lineIn(keyLines(text), key);
}

function lineIn(lines: Map<string, number>, key: string): number | undefined {
  for (let k = key; k;) {
    const line = lines.get(k);
    if (line !== undefined) return line;
    // Drop the last `[i]` of an array value, or the last segment.
    const cut = k.endsWith("]") ? k.lastIndexOf("[") : k.lastIndexOf(".");
    k = cut > 0 ? k.slice(0, cut) : "";
  }
  return undefined;
}

/**
 * The same error, saying the line of its key in `text` (unchanged when it has
 * one already, names no key, or the key is not written in the text); each
 * problem of a {@linkcode ConfigProblems}, in the order of the file.
 *
 * @param e A config error.
 * @param text The text of the file it names.
 * @returns The error to throw.
 */
export function withKeyLine(e: ConfigError, text: string): ConfigError {
  let lines: Map<string, number> | undefined;
  const placed = (p: ConfigError): ConfigError => {
    if (p.line !== undefined || !p.key) return p;
    const line = lineIn(lines ??= keyLines(text), p.key);
    return line === undefined
      ? p
      : new ConfigError(p.file, p.key, p.detail, { cause: p.cause, line });
  };
  if (!(e instanceof ConfigProblems)) return placed(e);
  // By line; problems without one (file-level) first, ties as found.
  const all = e.problems.map(placed).map((p, i) => ({ p, i })).sort((a, b) =>
    (a.p.line ?? 0) - (b.p.line ?? 0) || a.i - b.i
  );
  return new ConfigProblems(all.map(({ p }) => p));
}
