/**
 * Reads palette files written by other tools: wallust's cache entries
 * (`cursor`, `background`, `foreground`, `color0`…`color15` at the top
 * level), pywal's `colors.json` (`special.{background,foreground,cursor}`,
 * `colors.color0`…`color15`, optional `wallpaper` and `alpha`) and varietal's
 * own `palette --json` (`background`, `foreground`, `cursor`, `colors` a list
 * of 16, optional `image`).
 *
 * Hex colours keep the case they have in the file.
 *
 * @module
 */
import type { PaletteOrigin, PaletteRecord } from "./palette_record.ts";
import { isHex, luminance, parseHex } from "./color.ts";
import { summarizePalette } from "./summary.ts";
import { readTextFileCheckedAsync } from "../read_text.ts";
import { fileErrorReason } from "../text/not_capable.ts";

/** A palette file that cannot be used: names the file and what is wrong. */
export class PaletteFileError extends Error {
  /** The file (or name) that was read. */
  readonly file: string;
  constructor(file: string, problem: string, options?: ErrorOptions) {
    super(`cannot read palette ${file}: ${problem}`, options);
    this.name = "PaletteFileError";
    this.file = file;
  }
}

/** Options for {@linkcode parsePaletteJson} and {@linkcode readPaletteFile}. */
export interface PaletteFileOptions {
  /** Origin recorded in the palette. @default the file's own (varietal's format), else "wallust" */
  origin?: PaletteOrigin;
  /**
   * Variant recorded; by default the file's own (varietal's format), else "light16" when the
   * background is light, else "dark16".
   */
  variant?: string;
}

/** A parsed palette file plus what pywal files may add. */
export interface ParsedPaletteFile extends PaletteRecord {
  /** pywal's `wallpaper`, when present. */
  wallpaper?: string;
  /** pywal's `alpha` (0–100), when present. */
  alpha?: number;
}

/**
 * Parses the text of a wallust cache entry or a pywal `colors.json` (pure).
 *
 * @param text The JSON text.
 * @param name The file name used in error messages.
 * @returns The palette with its summary figures.
 * @throws {PaletteFileError} When the text is not JSON, or a colour is missing or not hex.
 * @example
 * ```ts
 * import { parsePaletteJson } from "./palette_file.ts";
 * const colors = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`color${i}`, "#AABBCC"]));
 * const p = parsePaletteJson(
 *   JSON.stringify({ special: { background: "#111111", foreground: "#EEEEEE", cursor: "#EEEEEE" }, colors }),
 *   "colors.json",
 * );
 * if (p.colors[3] !== "#AABBCC" || p.variant !== "dark16") throw new Error();
 * ```
 */
export function parsePaletteJson(
  text: string,
  name: string,
  options: PaletteFileOptions = {},
): ParsedPaletteFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new PaletteFileError(name, `not valid JSON (${(e as Error).message})`, { cause: e });
  }
  if (!isObject(doc)) throw new PaletteFileError(name, "expected a JSON object");
  // varietal's own `palette --json`: the special colours at the top, `colors` a list of 16.
  const own = Array.isArray(doc.colors);
  if (own && (doc.colors as unknown[]).length !== 16) {
    throw new PaletteFileError(
      name,
      `"colors" has ${(doc.colors as unknown[]).length} colours, expected 16`,
    );
  }
  const pywal = !own && (isObject(doc.special) || isObject(doc.colors));
  const special = pywal ? doc.special : doc;
  const colorSource = pywal
    ? doc.colors
    : own
    ? Object.fromEntries((doc.colors as unknown[]).map((c, i) => [`color${i}`, c]))
    : doc;
  const where = pywal ? "special." : "";
  if (!isObject(special)) throw new PaletteFileError(name, `missing object "special"`);
  if (!isObject(colorSource)) throw new PaletteFileError(name, `missing object "colors"`);
  const hex = (obj: Record<string, unknown>, key: string, label: string): string => {
    const v = obj[key];
    if (v === undefined) throw new PaletteFileError(name, `missing "${label}"`);
    if (typeof v !== "string" || !isHex(v) || v.replace("#", "").length !== 6) {
      throw new PaletteFileError(name, `"${label}" is ${JSON.stringify(v)}, expected "#rrggbb"`);
    }
    return v.startsWith("#") ? v : `#${v}`;
  };
  const background = hex(special, "background", `${where}background`);
  const foreground = hex(special, "foreground", `${where}foreground`);
  const cursor = special.cursor === undefined
    ? foreground
    : hex(special, "cursor", `${where}cursor`);
  const colors = Array.from(
    { length: 16 },
    (_, i) =>
      hex(
        colorSource,
        `color${i}`,
        pywal ? `colors.color${i}` : own ? `colors[${i}]` : `color${i}`,
      ),
  );
  // varietal's own file says where it came from and which variant it is (`{{ backend }}`
  // in a template branches on it); other files are guessed at.
  const ownOrigin = own && (doc.origin === "builtin" || doc.origin === "wallust")
    ? doc.origin
    : undefined;
  const ownVariant = own && typeof doc.variant === "string" && /^[a-z0-9]{1,32}$/.test(doc.variant)
    ? doc.variant
    : undefined;
  const variant = options.variant ?? ownVariant ??
    (luminance(parseHex(background)) > 0.18 ? "light16" : "dark16");
  const out: ParsedPaletteFile = {
    origin: options.origin ?? ownOrigin ?? "wallust",
    variant,
    background,
    foreground,
    cursor,
    colors,
    ...summarizePalette({ background, colors }),
  };
  // `palette --json` prints the image's own summary (from its pixels): light or dark, its
  // hue and warmth are the picture's, not those of 16 terminal colours (dark ones, in dark16).
  if (own) Object.assign(out, imageSummary(doc));
  if (pywal && typeof doc.wallpaper === "string") out.wallpaper = doc.wallpaper;
  if (own && typeof doc.image === "string") out.wallpaper = doc.image;
  // The image's Material source colour, which `palette --json` prints: Material templates
  // then get the image's colours, not ones from a source ranked among colours 1–6.
  if (own && doc.source_color !== undefined && doc.source_color !== null) {
    out.source_color = hex(doc, "source_color", "source_color").toLowerCase();
  }
  if (pywal && doc.alpha !== undefined) {
    // pywal writes it as a string ("100") and reads it with int(): a whole number 0–100,
    // nothing else (Number() would take null, "" and false for 0, true for 1).
    const raw = doc.alpha;
    const a = typeof raw === "number"
      ? raw
      : typeof raw === "string" && /^\s*\d+\s*$/.test(raw)
      ? Number(raw)
      : NaN;
    if (!Number.isInteger(a) || a < 0 || a > 100) {
      throw new PaletteFileError(
        name,
        `"alpha" is ${JSON.stringify(raw)}, expected a whole number 0–100 (pywal writes "100")`,
      );
    }
    out.alpha = a;
  }
  return out;
}

/**
 * Reads a wallust cache entry or a pywal `colors.json`. Requires `--allow-read`.
 *
 * @param path The file.
 * @param options Origin and variant to record.
 * @returns The palette with its summary figures.
 * @throws {PaletteFileError} When the file cannot be read or is not a palette.
 */
export async function readPaletteFile(
  path: string,
  options: PaletteFileOptions = {},
): Promise<ParsedPaletteFile> {
  let text: string;
  try {
    text = await readTextFileCheckedAsync(path);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound ? "no such file" : fileErrorReason(e);
    throw new PaletteFileError(path, why, { cause: e });
  }
  return parsePaletteJson(text, path, options);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The summary figures a `palette --json` file carries, where all are there and in range. */
function imageSummary(doc: Record<string, unknown>): Partial<PaletteRecord> {
  const unit = (v: unknown) => typeof v === "number" && v >= 0 && v <= 1;
  const { avg_hue, avg_saturation, avg_lightness, temperature, hue_shares } = doc;
  const hueOk = avg_hue === null || (typeof avg_hue === "number" && avg_hue >= 0 && avg_hue < 360);
  const warmOk = typeof temperature === "number" && temperature >= -1 && temperature <= 1;
  const sharesOk = Array.isArray(hue_shares) &&
    hue_shares.every((h) => isObject(h) && typeof h.hue === "number" && unit(h.share));
  if (!hueOk || !unit(avg_saturation) || !unit(avg_lightness) || !warmOk || !sharesOk) return {};
  return {
    avg_hue: avg_hue as number | null,
    avg_saturation: avg_saturation as number,
    avg_lightness: avg_lightness as number,
    temperature: temperature as number,
    hue_shares: (hue_shares as { hue: number; share: number }[]).map(({ hue, share }) => ({
      hue,
      share,
    })),
  };
}
