/**
 * Where wallust 3.x keeps the palette of an image, and how to read it.
 *
 * Facts from wallust's source (`src/cache.rs`, `src/config.rs`,
 * `src/backends/mod.rs`, `src/colorspaces/mod.rs`, `src/palettes/mod.rs`):
 *
 * - cache root `$XDG_CACHE_HOME/wallust`; one folder per image content:
 *   `<base36(fnv1a32(file bytes))>_1.7` (FNV-1a 32-bit, offset 2166136261,
 *   prime 16777619; base36 lowercase, no padding; `1.7` is wallust's
 *   `CACHE_VER`);
 * - the palette file in it: `<Backend>_<ColorSpace>_<threshold|auto>_<Palette>`
 *   with each name in its CamelCase display form (`FastResize_Lch_auto_Dark16`);
 *   `auto` unless `threshold` is set in `wallust.toml`;
 * - the settings come from `$XDG_CONFIG_HOME/wallust/wallust.toml` keys
 *   `backend`, `color_space`, `palette`, `threshold` (defaults fastresize,
 *   lch, dark); `-p/--palette` on the command line overrides `palette`;
 * - the file is pretty JSON with `cursor`, `background`, `foreground`,
 *   `color0`…`color15` as upper-case `#RRGGBB`. It holds the palette before
 *   wallust's optional `check_contrast`/`saturation` post-processing.
 *
 * @module
 */

/** wallust's cache format version (its `CACHE_VER`). */
export const WALLUST_CACHE_VERSION = "1.7";

/** The settings that name a cache entry. */
export interface WallustSettings {
  /** Display name, e.g. "FastResize". */
  backend: string;
  /** Display name, e.g. "Lch". */
  colorSpace: string;
  /** A number 1–100, or null for wallust's automatic threshold. */
  threshold: number | null;
  /** Display name, e.g. "Dark16". */
  palette: string;
  /** Set when wallust.toml uses a `preset` (its cache entries are not supported). */
  preset?: string;
}

/** wallust's defaults (3.x): fastresize, lch, dark, automatic threshold. */
export const WALLUST_DEFAULTS: Readonly<WallustSettings> = Object.freeze({
  backend: "FastResize",
  colorSpace: "Lch",
  threshold: null,
  palette: "Dark",
});

/** Config spelling (lower case, dashes removed) → display name. */
export const BACKEND_NAMES: Readonly<Record<string, string>> = {
  full: "Full",
  resized: "Resized",
  wal: "Wal",
  thumb: "Thumb",
  fastresize: "FastResize",
  kmeans: "Kmeans",
};

/** Config spelling → display name. */
export const COLORSPACE_NAMES: Readonly<Record<string, string>> = {
  lab: "Lab",
  labmixed: "LabMixed",
  labfast: "LabFast",
  lch: "Lch",
  lchmixed: "LchMixed",
  lchansi: "LchAnsi",
  salience: "Salience",
};

const PALETTE_BASES = ["dark", "harddark", "softdark", "light", "softlight"];
const PALETTE_DISPLAY: Record<string, string> = {
  dark: "Dark",
  harddark: "HardDark",
  softdark: "SoftDark",
  light: "Light",
  softlight: "SoftLight",
};

/** Config spelling → display name (dark, dark16, darkcomp, darkcomp16, … ansidark, darkansi). */
export const PALETTE_NAMES: Readonly<Record<string, string>> = (() => {
  const out: Record<string, string> = { ansidark: "AnsiDark", darkansi: "DarkAnsi" };
  for (const base of PALETTE_BASES) {
    const d = PALETTE_DISPLAY[base];
    out[base] = d;
    out[`${base}16`] = `${d}16`;
    out[`${base}comp`] = `${d}Comp`;
    out[`${base}comp16`] = `${d}Comp16`;
  }
  return out;
})();

/**
 * FNV-1a, 32-bit, over bytes (what wallust hashes image files with).
 *
 * @example The published test vector for "a"
 * ```ts
 * import assert from "node:assert/strict";
 * import { fnv1a32 } from "./wallust_cache.ts";
 *
 * assert.equal(fnv1a32(new TextEncoder().encode("a")), 0xe40c292c);
 * assert.equal(fnv1a32(new Uint8Array()), 0x811c9dc5); // the offset basis
 * ```
 */
export function fnv1a32(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/**
 * Lower-case base36 without padding (wallust's `base36`).
 *
 * @example Lower case, unsigned, no padding
 * ```ts
 * import assert from "node:assert/strict";
 * import { base36 } from "./wallust_cache.ts";
 *
 * assert.equal(base36(35), "z");
 * assert.equal(base36(0xe40c292c), "1r9wi7g");
 * assert.equal(base36(-1), base36(0xffffffff)); // read as unsigned 32-bit
 * ```
 */
export function base36(n: number): string {
  return (n >>> 0).toString(36);
}

/**
 * The cache folder name of an image's bytes: `<base36(fnv1a32)>_1.7`.
 *
 * @example The folder of a file whose bytes are "a"
 * ```ts
 * import assert from "node:assert/strict";
 * import { cacheDirName } from "./wallust_cache.ts";
 *
 * assert.equal(cacheDirName(new TextEncoder().encode("a")), "1r9wi7g_1.7");
 * ```
 */
export function cacheDirName(bytes: Uint8Array): string {
  return `${base36(fnv1a32(bytes))}_${WALLUST_CACHE_VERSION}`;
}

/**
 * The palette file name for settings, e.g. `FastResize_Lch_auto_Dark16`.
 *
 * @example wallust's defaults, and a set threshold
 * ```ts
 * import assert from "node:assert/strict";
 * import { paletteFileName, WALLUST_DEFAULTS } from "./wallust_cache.ts";
 *
 * assert.equal(
 *   paletteFileName({ ...WALLUST_DEFAULTS, palette: "Dark16" }),
 *   "FastResize_Lch_auto_Dark16",
 * );
 * assert.equal(paletteFileName({ ...WALLUST_DEFAULTS, threshold: 20 }), "FastResize_Lch_20_Dark");
 * ```
 */
export function paletteFileName(s: WallustSettings): string {
  return `${s.backend}_${s.colorSpace}_${s.threshold ?? "auto"}_${s.palette}`;
}

/**
 * The path of an image's palette in wallust's cache.
 *
 * @param cacheHome `$XDG_CACHE_HOME` (wallust's cache is its `wallust/` folder).
 * @param bytes The image file's bytes.
 * @param s The settings in force.
 * @example Where wallust keeps an image's palette
 * ```ts
 * import assert from "node:assert/strict";
 * import { cacheEntryPath, WALLUST_DEFAULTS } from "./wallust_cache.ts";
 *
 * const bytes = new TextEncoder().encode("a"); // stands for an image file's bytes
 * assert.equal(
 *   cacheEntryPath("/home/me/.cache", bytes, WALLUST_DEFAULTS),
 *   "/home/me/.cache/wallust/1r9wi7g_1.7/FastResize_Lch_auto_Dark",
 * );
 * ```
 */
export function cacheEntryPath(cacheHome: string, bytes: Uint8Array, s: WallustSettings): string {
  return `${cacheHome}/wallust/${cacheDirName(bytes)}/${paletteFileName(s)}`;
}

/**
 * Turns a config spelling (`fast-resize`, `FastResize`, `dark16`) into the lookup key.
 *
 * @example Every spelling of a setting finds its display name
 * ```ts
 * import assert from "node:assert/strict";
 * import { BACKEND_NAMES, normalizeName, PALETTE_NAMES } from "./wallust_cache.ts";
 *
 * assert.equal(BACKEND_NAMES[normalizeName("fast-resize")], "FastResize");
 * assert.equal(BACKEND_NAMES[normalizeName("FastResize")], "FastResize");
 * assert.equal(PALETTE_NAMES[normalizeName("dark_comp16")], "DarkComp16");
 * ```
 */
export function normalizeName(v: string): string {
  return v.toLowerCase().replace(/[-_]/g, "");
}
