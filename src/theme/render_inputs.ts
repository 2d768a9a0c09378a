/**
 * What templates are rendered with, from one palette: the `[palette] style`
 * applied, the alpha rule (the palette's own, else `[theme] alpha`), the
 * wallpaper, the Jinja/pywal variables and, on first need, the Material
 * variables of matugen templates. The theme engine and `theme render` both
 * render through {@linkcode renderInputs}.
 *
 * @module
 */
import type { PaletteStyle } from "../config/choices.ts";
import type { PaletteRecord } from "../palette/palette_record.ts";
import type { ImageCredit } from "../remote/credit.ts";
import { loadAnsi } from "../palette/material/load.ts";
import {
  type MatugenContext,
  matugenContext,
  type MatugenContextOptions,
} from "./matugen_context.ts";
import type { LoadedTemplate } from "./template_cache.ts";
import type { Value } from "./value.ts";
import { templateVariables } from "./variables.ts";
import { withDepthGuard } from "./template_error.ts";

/**
 * A palette as given to the theme; pywal files may carry an alpha and a
 * wallpaper, and a downloaded wallpaper's palette its credit (for the
 * `image_*` variables).
 */
export type ThemePalette = PaletteRecord & {
  alpha?: number;
  wallpaper?: string;
  image?: ImageCredit | null;
};

/** What shapes rendering besides the palette: config values, or flags over them. */
export interface RenderSettings {
  /** `[theme] alpha` (0–100), used when the palette carries none. */
  alpha: number;
  /** `[palette] style`: "ansi" renders Material-harmonised ANSI colours 1–6 and 9–14. */
  style: PaletteStyle;
  /** Scheme, contrast, mode and source colour for matugen templates. */
  material: MatugenContextOptions;
}

/** A palette made ready for templates; the variables are computed once and shared. */
export interface RenderInputs {
  /** The palette after `style`. */
  palette: ThemePalette;
  /** The wallpaper given, else the palette's own (pywal files), else null. */
  wallpaper: string | null;
  /** The palette's alpha, else the settings'. */
  alpha: number;
  /** The variables of Jinja and pywal templates. */
  vars: Readonly<Record<string, Value>>;
  /**
   * The variables (and light/dark mode) of matugen templates; made on the
   * first call (loading material-color-utilities), then shared.
   */
  material(): Promise<MatugenContext>;
  /**
   * Renders a loaded template with the variables of its syntax.
   *
   * @throws {TemplateError} On an error while rendering.
   * @throws {Error} When the Material variables cannot be made (matugen templates).
   */
  render(t: LoadedTemplate): Promise<string>;
}

/**
 * Prepares a palette for rendering.
 *
 * @param palette The palette.
 * @param wallpaper The wallpaper for `{{ wallpaper }}` / `{{ image }}`; null takes the palette's.
 * @param settings See {@linkcode RenderSettings}.
 * @returns The inputs every template of one apply renders with.
 * @example Inputs shared by every template of one apply
 * ```ts
 * import assert from "node:assert/strict";
 * import type { PaletteRecord } from "../palette/palette_record.ts";
 * import { compileTemplate } from "./compile_template.ts";
 * import { renderInputs } from "./render_inputs.ts";
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
 * const inputs = await renderInputs(palette, "/w/a.jpg", {
 *   alpha: 100,
 *   style: "wallpaper",
 *   material: { scheme: "tonal-spot", contrast: 0, mode: "dark", system: () => Promise.resolve(null) },
 * });
 * assert.equal(inputs.vars.wallpaper, "/w/a.jpg");
 * const template = compileTemplate("{{ color1 | strip }}", "x", "jinja");
 * assert.equal(await inputs.render({ template, include: () => undefined }), "c82828");
 * ```
 */
export async function renderInputs(
  palette: ThemePalette,
  wallpaper: string | null,
  settings: RenderSettings,
): Promise<RenderInputs> {
  if (settings.style === "ansi") {
    const { ansiPalette } = await loadAnsi();
    palette = {
      ...palette,
      ...ansiPalette(palette, settings.material.sourceColor ?? palette.source_color ?? null),
    };
  }
  const styled = palette;
  const image = wallpaper ?? styled.wallpaper ?? null;
  const alpha = styled.alpha ?? settings.alpha;
  const vars = templateVariables(styled, { wallpaper: image, alpha, image: styled.image ?? null });
  let material: Promise<MatugenContext> | undefined;
  const inputs: RenderInputs = {
    palette: styled,
    wallpaper: image,
    alpha,
    vars,
    material: () => (material ??= matugenContext(styled, image, settings.material)),
    async render(t) {
      const v = t.template.syntax === "matugen" ? (await inputs.material()).vars : vars;
      return withDepthGuard(
        t.template.name,
        () => t.template.render(v, { alpha, include: t.include }),
      );
    },
  };
  return inputs;
}
