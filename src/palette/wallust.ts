/**
 * Runs wallust on an image and reads that image's palette from wallust's
 * cache — the entry named by the image's content hash and the settings in
 * force, never "the newest file". See `wallust_cache.ts` for the layout.
 *
 * Requires `--allow-run` (wallust), `--allow-read` (the image, wallust.toml,
 * the cache) and `--allow-env` (PATH).
 *
 * @module
 */
import type { PaletteRecord } from "./palette_record.ts";
import { CommandError, type CommandResult, runCommand } from "../process/run_command.ts";
import { PaletteFileError, parsePaletteJson } from "./palette_file.ts";
import {
  BACKEND_NAMES,
  cacheEntryPath,
  COLORSPACE_NAMES,
  normalizeName,
  PALETTE_NAMES,
  WALLUST_DEFAULTS,
  type WallustSettings,
} from "./wallust_cache.ts";
import { readTextFileChecked } from "../read_text.ts";

/** Any failure to get a palette from wallust; `cause` holds the underlying error. */
export class WallustError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "WallustError";
  }
}

/** The wallust executable is not on PATH or cannot be run. */
export class WallustNotFoundError extends WallustError {
  readonly executable: string;
  constructor(executable: string, options?: ErrorOptions) {
    super(
      `Cannot run wallust: '${executable}' was not found on PATH or is not executable ` +
        `(install wallust, set palette.wallust, or use origin "builtin")`,
      options,
    );
    this.name = "WallustNotFoundError";
    this.executable = executable;
  }
}

/** wallust exited with a non-zero status. */
export class WallustExitError extends WallustError {
  readonly code: number;
  readonly stderr: string;
  constructor(image: string, code: number, stderr: string) {
    // Its last lines, and at most their last 500 characters (a progress bar redrawn with
    // carriage returns is one long line).
    let tail = stderr.trim().split("\n").slice(-6).join("\n").trim();
    if (tail.length > 500) tail = `…${tail.slice(-500)}`;
    super(`wallust failed on ${image} (exit ${code})${tail ? `: ${tail}` : ""}`);
    this.name = "WallustExitError";
    this.code = code;
    this.stderr = stderr;
  }
}

/** wallust ran longer than the timeout and was killed. */
export class WallustTimeoutError extends WallustError {
  readonly timeoutMs: number;
  constructor(image: string, timeoutMs: number) {
    super(
      `wallust took longer than ${timeoutMs / 1000}s on ${image} and was stopped ` +
        `(raise palette.wallust_timeout)`,
    );
    this.name = "WallustTimeoutError";
    this.timeoutMs = timeoutMs;
  }
}

/** The image's cache entry is missing or not a palette. */
export class WallustCacheError extends WallustError {
  readonly path: string;
  constructor(path: string, problem: string, options?: ErrorOptions) {
    super(`wallust's cache entry ${path} ${problem}`, options);
    this.name = "WallustCacheError";
    this.path = path;
  }
}

/** wallust.toml cannot be read or uses settings varietal cannot map. */
export class WallustConfigError extends WallustError {
  readonly file: string;
  constructor(file: string, problem: string, options?: ErrorOptions) {
    super(`cannot use ${file}: ${problem}`, options);
    this.name = "WallustConfigError";
    this.file = file;
  }
}

/**
 * Reads the settings that name wallust's cache entries from
 * `<configHome>/wallust/wallust.toml` (defaults when the file is absent).
 *
 * @param configHome `$XDG_CONFIG_HOME`.
 * @param paletteOverride A palette name passed to wallust with `--palette`.
 * @throws {WallustConfigError} On TOML errors, unknown names, a bad
 * threshold or a `preset`.
 */
export async function readWallustSettings(
  configHome: string,
  paletteOverride?: string,
): Promise<WallustSettings> {
  const file = `${configHome}/wallust/wallust.toml`;
  let text: string | undefined;
  try {
    text = readTextFileChecked(file);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) {
      throw new WallustConfigError(file, (e as Error).message, { cause: e });
    }
  }
  const s: WallustSettings = { ...WALLUST_DEFAULTS };
  if (text !== undefined) {
    const { parse } = await import("smol-toml");
    let doc: Record<string, unknown>;
    try {
      doc = parse(text) as Record<string, unknown>;
    } catch (e) {
      const msg = (e as Error).message.split("\n")[0];
      throw new WallustConfigError(file, `not valid TOML (${msg})`, { cause: e });
    }
    const pick = (key: string, names: Readonly<Record<string, string>>): string | undefined => {
      const v = doc[key];
      if (v === undefined) return undefined;
      const name = typeof v === "string" ? names[normalizeName(v)] : undefined;
      if (!name) {
        throw new WallustConfigError(
          file,
          `${key} = ${JSON.stringify(v)} is not a ${key} varietal knows ` +
            `(expected one of: ${Object.keys(names).join(", ")})`,
        );
      }
      return name;
    };
    s.backend = pick("backend", BACKEND_NAMES) ?? s.backend;
    s.colorSpace = pick("color_space", COLORSPACE_NAMES) ?? s.colorSpace;
    s.palette = pick("palette", PALETTE_NAMES) ?? s.palette;
    if (doc.threshold !== undefined) {
      const t = doc.threshold;
      if (typeof t !== "number" || !Number.isInteger(t) || t < 1 || t > 100) {
        throw new WallustConfigError(file, `threshold = ${String(t)} must be a whole number 1–100`);
      }
      s.threshold = t;
    }
    if (doc.preset !== undefined) {
      throw new WallustConfigError(
        file,
        `preset = ${JSON.stringify(doc.preset)} is set; varietal cannot locate preset cache ` +
          `entries (remove the preset or use origin "builtin")`,
      );
    }
  }
  if (paletteOverride) {
    const name = PALETTE_NAMES[normalizeName(paletteOverride)];
    if (!name) throw new WallustConfigError(file, `unknown palette '${paletteOverride}'`);
    s.palette = name;
  }
  return s;
}

/** The variant name stored with a wallust palette made with these settings ("dark", "dark16", …). */
export function wallustVariantName(settings: WallustSettings): string {
  return settings.palette.toLowerCase();
}

/**
 * The variant a wallust palette made now would be stored with: the palette
 * of `<configHome>/wallust/wallust.toml` (wallust's default `dark` when the
 * file is absent), or `paletteOverride` when one is passed to wallust.
 *
 * @returns undefined when wallust.toml cannot be read or mapped (wallust
 * would then fail or be replaced by the built-in extractor).
 */
export async function currentWallustVariant(
  configHome: string,
  paletteOverride?: string,
): Promise<string | undefined> {
  try {
    return wallustVariantName(await readWallustSettings(configHome, paletteOverride));
  } catch (e) {
    if (e instanceof WallustConfigError) return undefined;
    throw e;
  }
}

/** Options for {@linkcode runWallust}. */
export interface WallustOptions {
  /** The executable (name on PATH or a path). @default "wallust" */
  executable?: string;
  /** Milliseconds before wallust is killed. @default 20000 */
  timeoutMs?: number;
  /** `$XDG_CACHE_HOME`, where wallust keeps `wallust/`. */
  cacheHome: string;
  /** `$XDG_CONFIG_HOME`, where wallust keeps `wallust/wallust.toml`. */
  configHome: string;
  /** A wallust palette name passed as `--palette` (e.g. "dark16"); default: wallust.toml's. */
  palette?: string;
  /** Aborts the run (the process is killed). */
  signal?: AbortSignal;
}

/**
 * Runs `wallust run IMAGE -s -T -q` (through {@linkcode runCommand}) and
 * reads the palette wallust cached for that image's bytes with the settings
 * in force.
 *
 * @throws {WallustNotFoundError} wallust missing or not executable.
 * @throws {WallustExitError} non-zero exit (holds stderr).
 * @throws {WallustTimeoutError} killed after the timeout.
 * @throws {WallustCacheError} entry absent or malformed.
 * @throws {WallustConfigError} wallust.toml unreadable or unmappable.
 * @throws {DOMException} AbortError when `signal` aborts.
 */
export async function runWallust(image: string, options: WallustOptions): Promise<PaletteRecord> {
  const executable = options.executable ?? "wallust";
  const timeoutMs = options.timeoutMs ?? 20000;
  options.signal?.throwIfAborted();
  const bytes = await Deno.readFile(image);
  const args = ["run", image, "-s", "-T", "-q"];
  if (options.palette) args.push("--palette", options.palette);
  let r: CommandResult;
  try {
    r = await runCommand([executable, ...args], {
      // wallust must use the cache and config we read from
      env: { XDG_CACHE_HOME: options.cacheHome, XDG_CONFIG_HOME: options.configHome },
      timeoutMs,
      signal: options.signal,
      check: false,
      stdout: "null",
      killAfterMs: 1000,
    });
  } catch (e) {
    if (e instanceof CommandError) throw new WallustNotFoundError(executable, { cause: e });
    if (options.signal?.aborted) throw e;
    throw new WallustError(`Cannot run ${executable}: ${(e as Error).message}`, { cause: e });
  }
  if (r.timedOut) throw new WallustTimeoutError(image, timeoutMs);
  if (r.code !== 0) throw new WallustExitError(image, r.code, r.stderr);
  const settings = await readWallustSettings(options.configHome, options.palette);
  const path = cacheEntryPath(options.cacheHome, bytes, settings);
  let text: string;
  try {
    text = readTextFileChecked(path);
  } catch (e) {
    const problem = e instanceof Deno.errors.NotFound
      ? `was not written for ${image} (wallust exited 0)`
      : `cannot be read: ${(e as Error).message}`;
    throw new WallustCacheError(path, problem, { cause: e });
  }
  try {
    return parsePaletteJson(text, path, {
      origin: "wallust",
      variant: wallustVariantName(settings),
    });
  } catch (e) {
    const why = e instanceof PaletteFileError ? e.message.replace(/^.*?: /, "") : String(e);
    throw new WallustCacheError(path, `is malformed: ${why}`, { cause: e });
  }
}
