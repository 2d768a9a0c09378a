/**
 * The images a setter is given: SVGs replaced by PNGs drawn from them for
 * setters that read raster images only (see `src/palette/svg_raster.ts`),
 * within the setter's own deadline (`[wallpaper] timeout`).
 *
 * @module
 */
import type { Assignment, Setter } from "../wallpaper/setter.ts";
import { SetterError } from "../wallpaper/setter_error.ts";

/** Options for {@linkcode svgForSetter}. */
export interface SvgForSetterOptions {
  /** varietal's cache folder (`Paths.cache`). */
  cacheDir: string;
  /** When the whole setter, drawing included, must be done (epoch ms). */
  deadline: number;
  /** The `[wallpaper] timeout` the deadline comes from, for errors (seconds). */
  timeout: number;
  /** The pixel limit for the images an SVG embeds (`[palette] max_megapixels`). */
  maxPixels: number;
  signal?: AbortSignal;
}

/**
 * `assignments` as `setter` is to be given them: unchanged when it shows
 * SVG itself (GNOME, KDE, none; callers on a key press's path check
 * `setter.svg` first and need not load this module), else each SVG (told
 * by its first bytes) replaced by its PNG.
 *
 * @throws {SetterError} When an SVG cannot be drawn (exit code 1), or not
 *   before the deadline (124).
 */
export async function svgForSetter(
  setter: Setter,
  assignments: readonly Assignment[],
  o: SvgForSetterOptions,
): Promise<Assignment[]> {
  if (setter.svg) return [...assignments];
  const raster = await import("../palette/svg_raster.ts");
  const out: Assignment[] = [];
  const drawn = new Map<string, string>();
  for (const a of assignments) {
    let path = drawn.get(a.path);
    if (path === undefined) {
      path = a.path;
      if (await raster.isSvgFile(a.path)) {
        try {
          path = await raster.rasterizeSvg(a.path, {
            cacheDir: o.cacheDir,
            timeoutMs: Math.max(0, o.deadline - Date.now()),
            maxPixels: o.maxPixels,
            signal: o.signal,
          });
        } catch (e) {
          if (!(e instanceof raster.SvgRasterError)) throw e;
          const why = e.timedOut
            ? `drawing ${a.path} to a PNG ran past [wallpaper] timeout (${o.timeout}s for the ` +
              `whole setter)`
            : e.message;
          throw new SetterError(
            setter.name,
            `setter '${setter.name}' failed: ${why} ('${setter.name}' reads no SVG, so varietal ` +
              `draws it to a PNG)`,
            e.timedOut ? 124 : 1,
            "",
            { cause: e },
          );
        }
      }
      drawn.set(a.path, path);
    }
    out.push({ ...a, path });
  }
  return out;
}
