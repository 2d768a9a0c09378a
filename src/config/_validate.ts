// Small typed readers for TOML values; each throws ConfigError naming the key (tables
// and arrays name every wrong entry at once: ConfigProblems).
import { suggest } from "../text/suggest.ts";
import { ConfigError, ProblemCollector } from "./errors.ts";
import { parseDuration } from "./duration.ts";

/** Where a value sits: file and dotted key. */
export interface At {
  file: string;
  key: string;
}

/** A reader turns an unknown TOML value into a typed one or throws. */
export type Reader<T> = (value: unknown, at: At) => T;

function kind(v: unknown): string {
  if (Array.isArray(v)) return "an array";
  if (v === null) return "null";
  if (v instanceof Date) return "a date";
  if (typeof v === "object") return "a table";
  // JSON has no inf or nan (TOML has): say them as TOML writes them.
  if (typeof v === "number" && !Number.isFinite(v)) {
    return `number ${Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf"}`;
  }
  return `${typeof v} ${JSON.stringify(v)}`;
}

function fail(at: At, expected: string, v: unknown): never {
  throw new ConfigError(at.file, at.key, `expected ${expected}, got ${kind(v)}`);
}

/** A string. */
export const str: Reader<string> = (v, at) => typeof v === "string" ? v : fail(at, "a string", v);

/** A boolean. */
export const bool: Reader<boolean> = (v, at) =>
  typeof v === "boolean" ? v : fail(at, "true or false", v);

/** A finite number within [min, max]. */
export function num(min = -Infinity, max = Infinity): Reader<number> {
  return (v, at) => {
    if (typeof v !== "number") fail(at, "a number", v);
    if (!Number.isFinite(v)) fail(at, "a finite number", v);
    if (v < min || v > max) {
      const range = max === Infinity ? `≥ ${min}` : `between ${min} and ${max}`;
      fail(at, `a number ${range}`, v);
    }
    return v;
  };
}

/** An integer within [min, max]. */
export function int(min = -Infinity, max = Infinity): Reader<number> {
  const n = num(min, max);
  return (v, at) => {
    const x = n(v, at);
    return Number.isInteger(x) ? x : fail(at, "a whole number", v);
  };
}

/** One of a fixed list of strings; a near miss is named ("nonee": did you mean "none"?). */
export function oneOf<T extends string>(choices: readonly T[]): Reader<T> {
  return (v, at) => {
    if (typeof v === "string" && (choices as readonly string[]).includes(v)) return v as T;
    const near = typeof v === "string" ? suggest(v, choices) : undefined;
    const list = choices.map((c) => `"${c}"`).join(", ");
    if (near === undefined) return fail(at, `one of ${list}`, v);
    throw new ConfigError(
      at.file,
      at.key,
      `expected one of ${list}, got ${kind(v)}; did you mean "${near}"?`,
    );
  };
}

/** A duration in seconds: a number of seconds or a string like "15m". */
export const duration: Reader<number> = (v, at) => {
  if (typeof v !== "number" && typeof v !== "string") {
    fail(at, 'a duration such as "15m" or a number of seconds', v);
  }
  try {
    return parseDuration(v);
  } catch {
    return fail(at, 'a duration such as "30s", "15m", "2h" or "1d"', v);
  }
};

/** A duration, or the string "auto" (returned as null). */
export const durationOrAuto: Reader<number | null> = (v, at) =>
  v === "auto" ? null : duration(v, at);

/** An array whose items all pass a reader. */
export function list<T>(item: Reader<T>): Reader<T[]> {
  return (v, at) => {
    if (!Array.isArray(v)) fail(at, "an array", v);
    const found = new ProblemCollector();
    const out = v.map((x, i) =>
      found.read(() => item(x, { file: at.file, key: `${at.key}[${i}]` }))
    );
    found.throwAny();
    return out as T[];
  };
}

/**
 * An array of tables (`[[sources]]`): {@linkcode list}, and a table written
 * with single brackets (`[sources]`) is told how to write it.
 */
export function tables<T>(item: Reader<T>): Reader<T[]> {
  const read = list(item);
  return (v, at) => {
    if (typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date)) {
      throw new ConfigError(
        at.file,
        at.key,
        `expected an array of tables, got a table: write [[${at.key}]] (double brackets) ` +
          "before each entry",
      );
    }
    return read(v, at);
  };
}

/** A string or an array of strings (argv); a string is split on spaces. */
export const argv: Reader<string[]> = (v, at) => {
  if (typeof v === "string") return v.trim().split(/\s+/).filter(Boolean);
  if (!Array.isArray(v)) {
    fail(at, 'a command: an array of strings (["prog", "arg"]) or a string', v);
  }
  return list(str)(v, at);
};

/** A command to run: {@linkcode argv} whose first word, the program, is not empty. */
export const commandArgv: Reader<string[]> = (v, at) => {
  const out = argv(v, at);
  if (out.length > 0 && out[0].trim() === "") {
    throw new ConfigError(
      at.file,
      at.key,
      'the first word is the program to run and is empty; name it (["prog", "arg"]) or use [] for none',
    );
  }
  return out;
};

/** A plain table (object). */
export function table(v: unknown, at: At): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v) || v instanceof Date) {
    fail(at, "a table", v);
  }
  return v as Record<string, unknown>;
}

/** Field readers for one table, with defaults for absent keys. */
export type Shape<T> = { [K in keyof T]: Reader<T[K]> };

/**
 * Reads a table with a known set of keys: unknown keys are errors, absent
 * keys take their default.
 */
export function record<T extends object>(
  shape: Shape<T>,
  defaults: T,
): Reader<T> {
  return (v, at) => {
    const raw = v === undefined ? {} : table(v, at);
    const out = { ...defaults } as T;
    // Every wrong key of the table is named, not only the first.
    const found = new ProblemCollector();
    for (const [k, value] of Object.entries(raw)) {
      const key = at.key ? `${at.key}.${k}` : k;
      if (!(k in shape)) {
        const known = Object.keys(shape);
        const near = suggest(k, known);
        found.add(
          new ConfigError(
            at.file,
            key,
            near === undefined
              ? `unknown key (known keys: ${known.join(", ")})`
              : `unknown key; did you mean '${near}'? (known keys: ${known.join(", ")})`,
          ),
        );
        continue;
      }
      found.read(() => {
        (out as Record<string, unknown>)[k] = (shape as Record<string, Reader<unknown>>)[k](
          value,
          { file: at.file, key },
        );
      });
    }
    found.throwAny();
    return out;
  };
}
