/**
 * Everything a matugen template is rendered with, from a stored palette:
 * its Material source colour (picked when the palette was extracted, so the
 * image is not decoded again), the configured scheme and contrast, and the
 * light/dark mode. Loads material-color-utilities on first use.
 *
 * @module
 */
import type { MaterialSchemeName } from "../config/choices.ts";
import type { ThemeMode } from "../config/choices.ts";
import type { PaletteRecord } from "../palette/palette_record.ts";
import { loadScheme, loadSourceColor } from "../palette/material/load.ts";
import type { MaterialScheme } from "../palette/material/roles.ts";
import { withStatusRoles } from "../palette/material/status_roles.ts";
import { type LightDark, type ResolvedMode, resolveMode } from "./mode.ts";
import { matugenVariables } from "./matugen_variables.ts";
import type { Value } from "./value.ts";

/** Options for {@linkcode matugenContext}. */
export interface MatugenContextOptions {
  scheme: MaterialSchemeName;
  contrast: number;
  /** `[theme] mode`. */
  mode: ThemeMode;
  /** The desktop's preference (for mode "system"). */
  system: () => Promise<{ scheme: LightDark; source: string } | null>;
  /** A source colour that overrides the palette's (`--source-color`). */
  sourceColor?: string;
  /** Schemes kept elsewhere (the database), tried before computing one. */
  schemes?: SchemeStore;
}

/**
 * Material schemes kept outside the process, e.g. with the palette in the
 * database: `get` is asked before a scheme is computed (which loads
 * material-color-utilities), and `put` is given each one computed.
 */
export interface SchemeStore {
  /** The kept scheme for this source colour (`#rrggbb`), scheme and contrast, if any. */
  get(source: string, scheme: MaterialSchemeName, contrast: number): MaterialScheme | undefined;
  /** Keeps a scheme just computed; failures are the store's own business. */
  put(scheme: MaterialScheme): void;
}

/** The variables and what they were made from. */
export interface MatugenContext {
  vars: Record<string, Value>;
  scheme: MaterialScheme;
  mode: ResolvedMode;
}

/**
 * The source colour of a palette: its stored one, else one ranked from its
 * colours 1–6 (palette files and rows stored before source colours existed).
 *
 * @example The stored source colour, else one ranked from colours 1–6
 * ```ts
 * import assert from "node:assert/strict";
 * import type { PaletteRecord } from "../palette/palette_record.ts";
 * import { paletteSourceColor } from "./matugen_context.ts";
 *
 * const palette: PaletteRecord = {
 *   origin: "builtin",
 *   variant: "dark16",
 *   background: "#101418",
 *   foreground: "#e0e4e8",
 *   cursor: "#e0e4e8",
 *   colors: [
 *     ...["#101418", "#c82828", "#28a028", "#c8a028", "#2850c8", "#a028c8", "#28a0c8", "#c0c4c8"],
 *     ...["#50545a", "#e04040", "#40c040", "#e0c040", "#4070e0", "#c040e0", "#40c0e0", "#e0e4e8"],
 *   ],
 *   avg_hue: 0,
 *   avg_saturation: 0.5,
 *   avg_lightness: 0.2,
 *   temperature: 0,
 *   hue_shares: [],
 * };
 * assert.equal(await paletteSourceColor({ ...palette, source_color: "#4285f4" }), "#4285f4");
 * assert.equal(await paletteSourceColor(palette), "#c82828"); // a palette file has none
 * ```
 */
export async function paletteSourceColor(p: PaletteRecord): Promise<string> {
  if (p.source_color) return p.source_color;
  const { sourceColorFromColors } = await loadSourceColor();
  return sourceColorFromColors(p.colors.slice(1, 7));
}

/**
 * Builds the matugen variables of a palette.
 *
 * @param wallpaper The image path for `{{ image }}` ("" when unknown).
 * @example What a matugen template sees
 * ```ts
 * import assert from "node:assert/strict";
 * import type { PaletteRecord } from "../palette/palette_record.ts";
 * import { matugenContext } from "./matugen_context.ts";
 *
 * const palette: PaletteRecord = {
 *   origin: "builtin",
 *   variant: "dark16",
 *   background: "#101418",
 *   foreground: "#e0e4e8",
 *   cursor: "#e0e4e8",
 *   colors: [
 *     ...["#101418", "#c82828", "#28a028", "#c8a028", "#2850c8", "#a028c8", "#28a0c8", "#c0c4c8"],
 *     ...["#50545a", "#e04040", "#40c040", "#e0c040", "#4070e0", "#c040e0", "#40c0e0", "#e0e4e8"],
 *   ],
 *   avg_hue: 0,
 *   avg_saturation: 0.5,
 *   avg_lightness: 0.2,
 *   temperature: 0,
 *   hue_shares: [],
 * };
 * const ctx = await matugenContext(palette, "/w/a.jpg", {
 *   scheme: "tonal-spot",
 *   contrast: 0,
 *   mode: "dark",
 *   system: () => Promise.resolve(null),
 * });
 * assert.deepEqual(Object.keys(ctx.vars), ["colors", "image", "mode", "is_dark_mode"]);
 * assert.deepEqual(ctx.mode, { mode: "dark", from: "config" });
 * assert.equal(ctx.scheme.source, "#c82828");
 * ```
 */
export async function matugenContext(
  palette: PaletteRecord,
  wallpaper: string | null,
  options: MatugenContextOptions,
): Promise<MatugenContext> {
  const source = options.sourceColor ?? await paletteSourceColor(palette);
  const scheme = await cachedScheme(source, options.scheme, options.contrast, options.schemes);
  const mode = await resolveMode(options.mode, palette, options.system);
  return {
    vars: matugenVariables(scheme, { mode: mode.mode, image: wallpaper ?? "" }),
    scheme,
    mode,
  };
}

/** Recent schemes by source colour, scheme and contrast (a daemon re-themes the same ones). */
const recent = new Map<string, MaterialScheme>();

async function cachedScheme(
  source: string,
  scheme: MaterialSchemeName,
  contrast: number,
  store: SchemeStore | undefined,
): Promise<MaterialScheme> {
  const key = `${source}|${scheme}|${contrast}`;
  const hit = recent.get(key);
  if (hit) return hit;
  // Only a plain `#rrggbb` is looked up: other spellings go through the library's parser.
  const kept = /^#[0-9a-fA-F]{6}$/.test(source) ? store?.get(source, scheme, contrast) : undefined;
  // One kept by an older varietal lacks its status colours: it is kept again with them.
  const made = withStatusRoles(
    kept ?? (await loadScheme()).materialScheme(source, { scheme, contrast }),
  );
  if (made !== kept) store?.put(made);
  if (recent.size >= 8) recent.delete(recent.keys().next().value!);
  recent.set(key, made);
  return made;
}
