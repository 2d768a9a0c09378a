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
      return t.template.render(v, { alpha, include: t.include });
    },
  };
  return inputs;
}
