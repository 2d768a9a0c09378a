/**
 * The last parse of `config.toml`, kept in the cache folder
 * (`$XDG_CACHE_HOME/varietal/config.json`, 0600), so that a command whose
 * config file is unchanged does not load the TOML parser and validate the
 * file again: that took a cold process 5–7 ms, more than reading the
 * database. An entry is used only when
 *
 * - it holds the file's path and exactly its current text (compared in full;
 *   the text is read anyway), and
 * - it was written by the same parser: the size, modification time and inode
 *   of every module in this folder, and of `deno.json` (which pins the TOML
 *   library's release), match;
 * - the file is ours: a regular file of this user, not writable by others.
 *
 * Anything else (no entry, another text, a damaged or foreign file) parses
 * the file as before. Only a parse that JSON gives back unchanged (see
 * {@linkcode jsonExact}) is kept.
 * Requires `--allow-read` and `--allow-write` for the cache folder.
 *
 * @module
 */
import type { Config } from "./schema.ts";

/** The entry's own layout. */
const FORMAT = 1;

interface Entry {
  format: number;
  parser: string;
  file: string;
  text: string;
  config: Config;
}

/** The cache file in a cache folder (`$XDG_CACHE_HOME/varietal`). */
export function parsedConfigFile(cacheDir: string): string {
  return `${cacheDir}/config.json`;
}

let fingerprint: string | null | undefined;

/**
 * Which parser this is (see the module doc); null when a module cannot be
 * examined, and then nothing is kept or used.
 */
export function parserFingerprint(): string | null {
  if (fingerprint !== undefined) return fingerprint;
  try {
    // Plain paths, not URLs: a cold process converts each URL at some cost.
    const dir = decodeURIComponent(new URL("./", import.meta.url).pathname);
    const stamp = (path: string) => {
      const st = Deno.statSync(path);
      if (st.mtime === null) throw new Error("no modification time");
      return `${st.size}:${st.mtime.getTime()}:${st.ino ?? ""}`;
    };
    const parts = [...Deno.readDirSync(dir)]
      .filter((e) => e.isFile && e.name.endsWith(".ts"))
      .map((e) => e.name)
      .sort()
      .map((name) => `${name}:${stamp(dir + name)}`);
    if (parts.length === 0) throw new Error("no modules");
    // deno.json pins the TOML library's release; a compiled varietal has none beside it.
    let imports = "none";
    try {
      imports = stamp(`${dir}../../deno.json`);
    } catch { /* compiled: its modules' own times tell builds apart */ }
    fingerprint = [`deno.json:${imports}`, ...parts].join(",");
  } catch {
    fingerprint = null;
  }
  return fingerprint;
}

/**
 * The kept parse of `file` when it was made from exactly `text` by this
 * parser; else undefined.
 *
 * @param cacheFile From {@linkcode parsedConfigFile}.
 * @param file The config file's path.
 * @param text Its text, as just read.
 */
export function readParsedConfig(
  cacheFile: string,
  file: string,
  text: string,
): Config | undefined {
  const parser = parserFingerprint();
  if (parser === null) return undefined;
  let entry: Partial<Entry>;
  try {
    const st = Deno.lstatSync(cacheFile);
    if (!st.isFile || st.uid !== Deno.uid() || st.mode === null || (st.mode & 0o022) !== 0) {
      return undefined;
    }
    entry = JSON.parse(Deno.readTextFileSync(cacheFile));
  } catch {
    return undefined;
  }
  return entry !== null && typeof entry === "object" && entry.format === FORMAT &&
      entry.parser === parser && entry.file === file && entry.text === text &&
      entry.config !== null && typeof entry.config === "object"
    ? entry.config
    : undefined;
}

/**
 * Keeps the parse of `file` (whose text is `text`) for the next command,
 * replacing the entry atomically (0600). A parse that JSON would change, or
 * a cache folder that cannot be written, keeps nothing.
 */
export async function writeParsedConfig(
  cacheFile: string,
  file: string,
  text: string,
  config: Config,
): Promise<void> {
  const parser = parserFingerprint();
  if (parser === null || !jsonExact(config)) return;
  const json = JSON.stringify({ format: FORMAT, parser, file, text, config } satisfies Entry);
  try {
    // Loaded only to keep a new parse, by a run-time specifier (Deno loads literal
    // import() targets with the importing module).
    const { writeAtomic } = await import(
      new URL("../atomic_write.ts", import.meta.url).href
    ) as typeof import("../atomic_write.ts");
    await writeAtomic(cacheFile, json, { mode: 0o600, forceMode: true });
  } catch { /* a read-only cache folder only costs the next command a parse */ }
}

/**
 * Whether `JSON.parse(JSON.stringify(value))` is `value` again, field for
 * field: only null, booleans, finite numbers, strings, arrays and plain
 * objects without `undefined` members (pure).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jsonExact } from "./parsed_cache.ts";
 *
 * assert.equal(jsonExact({ a: [1, "x", null, { b: true }] }), true);
 * assert.equal(jsonExact({ a: undefined }), false);
 * assert.equal(jsonExact({ when: new Date(0) }), false);
 * assert.equal(jsonExact([Infinity]), false);
 * ```
 */
export function jsonExact(value: unknown): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value) || !jsonExact(value[i])) return false;
    }
    return true;
  }
  if (typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value).every(jsonExact);
}
