/**
 * The palette record: the data type every stage hands on (extractors and
 * palette files produce it, the database stores it, selection and the
 * theme engine read it). Types only; no I/O.
 *
 * @module
 */
import type { HueShare } from "./hue_ranges.ts";
import type { PaletteSummary } from "./summary.ts";

/** Where a palette came from. */
export type PaletteOrigin = "wallust" | "builtin";

/**
 * A terminal palette with its summary figures.
 *
 * Colours are `#rrggbb` (wallust's may be upper case; kept as given).
 * `avg_hue` is degrees in [0, 360) or null for a grey palette;
 * `avg_saturation` and `avg_lightness` are in [0, 1]; `temperature` is in
 * [-1, 1], positive for warm; `hue_shares` are the coloured shares of the
 * picture per 5° hue bucket (see `src/palette/hue_ranges.ts`).
 */
export interface PaletteRecord extends Omit<PaletteSummary, "hue_shares"> {
  origin: PaletteOrigin;
  variant: string;
  background: string;
  foreground: string;
  cursor: string;
  /** color0 … color15 */
  colors: string[];
  /**
   * The Material source colour of the image, `#rrggbb` (matugen's pick), so
   * that re-theming never decodes the image again. Absent or null when not
   * known (palettes read from files, rows stored before it existed).
   */
  source_color?: string | null;
  /** HCT tone (L*, 0–100) of the image's mean colour, for `[theme] mode = "auto"`. */
  mean_tone?: number | null;
  /**
   * The picture's hue shares. A record without them is saved with its
   * figures marked as from an older version (`varietal extract` recomputes
   * them); stored palettes are read without them (see `getHueShares` in
   * `src/db/palettes.ts`).
   */
  hue_shares?: HueShare[];
}
