/**
 * The light/dark mode of a theme (pure): `[theme] mode` is "dark", "light",
 * "auto" (from the wallpaper, matugen's rule: light when the tone of the
 * image's mean colour is above 60) or "system" (the desktop's preference,
 * found by the caller; when it cannot be found, the wallpaper decides).
 *
 * @module
 */
import type { ThemeMode } from "../config/choices.ts";

/** A resolved mode. */
export type LightDark = "light" | "dark";

/** The tone above which `auto` picks light (matugen's smart mode). */
export const AUTO_LIGHT_TONE = 60;

/** What `auto` looks at. */
export interface ModeInputs {
  /** HCT tone (L*, 0–100) of the image's mean colour, when known. */
  mean_tone?: number | null;
  /** Mean OKLab lightness 0–1 (stands in for the tone when it is not known). */
  avg_lightness: number;
}

/** The mode and why, for logs and `--json`. */
export interface ResolvedMode {
  mode: LightDark;
  /** "config", "wallpaper" or where the desktop's preference came from. */
  from: string;
}

/**
 * The `auto` rule: light when the wallpaper's mean tone is above 60.
 *
 * @example A bright wallpaper is light
 * ```ts
 * import assert from "node:assert/strict";
 * import { autoMode } from "./mode.ts";
 *
 * assert.equal(autoMode({ mean_tone: 72, avg_lightness: 0.7 }), "light");
 * assert.equal(autoMode({ mean_tone: null, avg_lightness: 0.3 }), "dark"); // no tone stored: lightness
 * ```
 */
export function autoMode(p: ModeInputs): LightDark {
  const tone = typeof p.mean_tone === "number" ? p.mean_tone : p.avg_lightness * 100;
  return tone > AUTO_LIGHT_TONE ? "light" : "dark";
}

/**
 * Resolves `[theme] mode`.
 *
 * @param setting The configured mode.
 * @param palette The wallpaper's palette (for `auto`, and `system` without an answer).
 * @param system The desktop's preference and where it came from, or null
 *   when it could not be found; only called for "system".
 *
 * @example Config first; the desktop for "system"; else the wallpaper
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveMode } from "./mode.ts";
 *
 * const bright = { mean_tone: 90, avg_lightness: 0.9 };
 * const desktop = () => Promise.resolve({ scheme: "dark" as const, source: "gsettings" });
 * const silent = () => Promise.resolve(null);
 * assert.deepEqual(await resolveMode("dark", bright, silent), { mode: "dark", from: "config" });
 * assert.deepEqual(await resolveMode("system", bright, desktop), { mode: "dark", from: "gsettings" });
 * assert.deepEqual(await resolveMode("system", bright, silent), { mode: "light", from: "wallpaper" });
 * ```
 */
export async function resolveMode(
  setting: ThemeMode,
  palette: ModeInputs,
  system: () => Promise<{ scheme: LightDark; source: string } | null>,
): Promise<ResolvedMode> {
  if (setting === "dark" || setting === "light") return { mode: setting, from: "config" };
  if (setting === "system") {
    const s = await system();
    if (s) return { mode: s.scheme, from: s.source };
  }
  return { mode: autoMode(palette), from: "wallpaper" };
}
