/**
 * The palette of one image, from wallust or the built-in extractor as the
 * configuration says. Importing this module is cheap: decoders and the
 * wallust runner are loaded on first use.
 *
 * @module
 */
import type { Origin, Variant } from "../config/choices.ts";
import type { Paths } from "../config/paths.ts";
import type { Config } from "../config/schema.ts";
import type { PaletteRecord } from "./palette_record.ts";
import type { DecodeWorker } from "./guarded_decode.ts";
import { maxPixelsOf } from "./pixel_limit.ts";
import { loadScheme, loadSourceColor } from "./material/load.ts";
import type { MaterialScheme } from "./material/roles.ts";
import { withStatusRoles } from "./material/status_roles.ts";

/** Options for {@linkcode paletteForImage}. */
export interface PaletteForImageOptions {
  /** The configuration (`palette.*`). */
  config: Config;
  /** XDG paths (wallust's cache and config live beside ours). */
  paths: Paths;
  /** Overrides `palette.origin`. */
  origin?: Origin;
  /**
   * Overrides `palette.variant`. When given it is also passed to wallust as
   * `--palette`; otherwise wallust uses the palette in its own wallust.toml.
   */
  variant?: Variant;
  /** Stops the work (wallust is killed, a decoding thread terminated). */
  signal?: AbortSignal;
  /**
   * Where the built-in decoder runs: a {@linkcode DecodeWorker} started
   * early, `false` for this thread (callers that already run in a worker
   * they terminate on timeout), or undefined for a worker of its own.
   */
  decoder?: DecodeWorker | false;
  /**
   * Also pick the Material source colour (`source_color`, `mean_tone`), as
   * palettes that are stored need; loads material-color-utilities (in the
   * decoding thread for the built-in extractor).
   * @default true
   */
  material?: boolean;
  /**
   * With `material`: also compute the Material scheme of `[material]`
   * (scheme and contrast) for the source colour, to be stored with the
   * palette so that theming does not compute it again. @default false
   */
  scheme?: boolean;
}

/** A palette and what went wrong on the way without stopping it. */
export interface PaletteForImageResult {
  palette: PaletteRecord;
  /** E.g. why wallust was not used under `origin = "auto"`. */
  warnings: string[];
  /** The Material scheme of the palette's source colour, when `scheme` asked for it. */
  scheme?: MaterialScheme;
}

/**
 * Gets the palette of an image.
 *
 * - `auto`: wallust when `palette.wallust` is found (on PATH or as a path),
 *   falling back to the built-in extractor if it fails (the reason goes
 *   to `warnings`); the built-in extractor when wallust is absent, and for
 *   SVGs (which wallust cannot read).
 * - `wallust`: wallust only; its failures are thrown.
 * - `builtin`: the built-in extractor.
 *
 * Either way the header is checked first: an image over
 * `[palette] max_megapixels`, or whose header the file cannot be true to,
 * is refused before wallust or a decoder sees it. The built-in decoder
 * runs in a worker stopped after `[palette] decode_timeout`; wallust is
 * stopped after `[palette] wallust_timeout`.
 *
 * Requires `--allow-read`, `--allow-env`, and `--allow-run` for wallust.
 *
 * @throws {WallustError} (a subclass) under `origin = "wallust"`.
 * @throws {ImageTooLargeError} / {ImageDecodeError} / {DecodeTimeoutError}
 *   for images that cannot be decoded (see `isDecodeFailure`).
 * @throws {UnsupportedFormatError} from the built-in extractor.
 * @throws {DOMException} AbortError when `signal` aborts.
 */
export async function paletteForImage(
  path: string,
  options: PaletteForImageOptions,
): Promise<PaletteForImageResult> {
  const { config, paths, signal } = options;
  const material = options.material ?? true;
  const origin = options.origin ?? config.palette.origin;
  const variant = options.variant ?? config.palette.variant;
  const warnings: string[] = [];
  const guarded = await import("./guarded_decode.ts");
  const maxPixels = maxPixelsOf(config);
  // wallust is looked for while the header is read (it runs only after the check)
  const wallustExe = origin === "builtin" ? undefined : findWallust(config);
  wallustExe?.catch(() => {}); // awaited below, unless the check throws first
  const { format } = await guarded.checkImageFile(path, maxPixels);
  const decode = {
    maxPixels,
    timeoutMs: config.palette.decode_timeout * 1000,
    worker: options.decoder,
    signal,
  };
  // wallust reads raster images only: an SVG goes to the built-in extractor unless asked for
  if (origin === "wallust" || (origin === "auto" && format !== "svg")) {
    const w = await import("./wallust.ts");
    const exe = await wallustExe;
    if (!exe && origin === "wallust") throw new w.WallustNotFoundError(config.palette.wallust);
    if (exe) {
      try {
        const palette = await w.runWallust(path, {
          executable: exe,
          timeoutMs: config.palette.wallust_timeout * 1000,
          cacheHome: paths.cacheHome,
          configHome: paths.configHome,
          palette: options.variant,
          signal,
        });
        // Describe the image the same way as built-in palettes do (wallust's colours are
        // arranged for a terminal, not a measure of the picture); keep the palette-based
        // figures when the built-in decoders cannot read the file.
        try {
          const { imageSummary } = await import("./builtin_file.ts");
          Object.assign(palette, await imageSummary(path, { ...decode, material }));
        } catch (e) {
          // e.g. a format only wallust reads: the source colour comes from the palette
          if (signal?.aborted) throw e;
          if (e instanceof guarded.DecodeTimeoutError) {
            warnings.push(`${e.message}; the figures come from wallust's palette`);
          }
          if (material) {
            const { sourceColorFromColors, toneOfHex } = await loadSourceColor();
            palette.source_color = sourceColorFromColors(palette.colors.slice(1, 7));
            palette.mean_tone = toneOfHex(palette.background);
          }
        }
        if (!material || !options.scheme || !palette.source_color) return { palette, warnings };
        const { materialScheme } = await loadScheme();
        return {
          palette,
          warnings,
          scheme: withStatusRoles(materialScheme(palette.source_color, {
            scheme: config.material.scheme,
            contrast: config.material.contrast,
          })),
        };
      } catch (e) {
        if (origin === "wallust" || signal?.aborted || !(e instanceof w.WallustError)) throw e;
        warnings.push(`${e.message}; used the built-in extractor instead`);
      }
    }
  }
  const { builtinPaletteAndScheme } = await import("./builtin_file.ts");
  const r = await builtinPaletteAndScheme(path, {
    variant,
    material,
    ...(material && options.scheme
      ? { scheme: { scheme: config.material.scheme, contrast: config.material.contrast } }
      : {}),
    ...decode,
  });
  return { palette: r.palette, warnings, ...(r.scheme ? { scheme: r.scheme } : {}) };
}

/** Where `palette.wallust` is installed, if it is. */
async function findWallust(config: Config): Promise<string | undefined> {
  const { which } = await import("../process/which.ts");
  return await which(config.palette.wallust);
}

/**
 * Loads the modules {@linkcode paletteForImage} will need for `config`'s
 * origin (the built-in extractor's, and wallust's runner unless the origin
 * is `builtin`), so that a caller about to extract a palette, e.g. while a
 * wallpaper setter runs, does not load them when the palette is wanted.
 * Failures are left for the extraction to report.
 */
export function preloadPaletteModules(config: Config): Promise<void> {
  const origin = config.palette.origin;
  return Promise.all([
    import("./guarded_decode.ts"),
    import("./builtin_file.ts"),
    ...(origin === "builtin" ? [] : [import("./wallust.ts"), import("../process/which.ts")]),
  ]).then(() => {}, () => {});
}
