/**
 * The Material facts of decoded pixels — the source colour and mean tone
 * (`source_color.ts`), and on request the scheme of that source colour
 * (`scheme.ts`) — computed where the pixels are: in the decoding thread for
 * the guarded decoder, so that the calling thread never loads
 * material-color-utilities for a new image. The library is loaded on first
 * use (see `load.ts`); {@linkcode preloadMaterial} loads it ahead.
 *
 * @module
 */
import type { MaterialSchemeName } from "../../config/choices.ts";
import type { Pixels } from "../downscale.ts";
import { loadScheme, loadSourceColor } from "./load.ts";
import type { MaterialScheme } from "./roles.ts";
import { withStatusRoles } from "./status_roles.ts";

/** What to compute besides the source colour. */
export interface MaterialRequest {
  /** Also the scheme of the source colour, with this scheme and contrast. */
  scheme?: { scheme: MaterialSchemeName; contrast: number };
}

/** The Material facts of an image. */
export interface PixelsMaterial {
  /** The source colour, `#rrggbb`. */
  source: string;
  /** HCT tone (L*, 0–100) of the image's mean colour. */
  meanTone: number;
  /** The scheme, when asked for. */
  scheme?: MaterialScheme;
}

/** Computes the source colour (and the scheme asked for) of decoded pixels. */
export async function materialOfPixels(
  px: Pixels,
  want: MaterialRequest = {},
): Promise<PixelsMaterial> {
  const { sourceColorFromPixels } = await loadSourceColor();
  const r = sourceColorFromPixels(px);
  if (!want.scheme) return { source: r.source, meanTone: r.meanTone };
  const { materialScheme } = await loadScheme();
  // Made here, off the main thread, and kept with the palette: a theme needs them.
  const scheme = withStatusRoles(materialScheme(r.source, want.scheme));
  return { source: r.source, meanTone: r.meanTone, scheme };
}

/** Loads the modules {@linkcode materialOfPixels} needs (the scheme's only when `scheme`). */
export async function preloadMaterial(scheme: boolean): Promise<void> {
  await loadSourceColor();
  if (scheme) await loadScheme();
}
