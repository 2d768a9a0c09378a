/**
 * What the pipeline needs from selection, palettes and themes, as an
 * interface: the real modules are loaded lazily by
 * {@linkcode defaultServices}; tests may give fakes.
 *
 * @module
 */
import type { Config } from "../config/schema.ts";
import type { Paths } from "../config/paths.ts";
import type { Database } from "../db/database.ts";
import type { PaletteRecord } from "../palette/palette_record.ts";
import type { DecodeWorker } from "../palette/guarded_decode.ts";
import type { SelectRequest, SelectResult } from "../select/selector.ts";
import type { ThemeReport } from "../theme/theme_report.ts";
import type { ThemeApplierOptions } from "./theme_applier.ts";
import type { SchemeStore } from "../theme/matugen_context.ts";
import type { MaterialScheme } from "../palette/material/roles.ts";

export type { SelectRequest, SelectResult };

/** A theme engine as the pipeline uses it (`ThemeEngine` of `src/theme/engine.ts` is one). */
export interface ThemeApplier {
  /**
   * `options.schemes`: Material schemes kept with the palette (see `SchemeStore`);
   * `options.signal` stops it before writing and stops its hooks.
   */
  apply(
    palette: PaletteRecord,
    wallpaper: string,
    options?: { schemes?: SchemeStore; signal?: AbortSignal },
  ): Promise<ThemeReport>;
  /** Debounced apply (the daemon's). */
  applySoon(palette: PaletteRecord, wallpaper: string): void;
  /** Waits for a pending debounced apply. */
  flush(): Promise<unknown>;
  close(): void | Promise<void>;
}

/** The outside services of the pipeline. */
export interface PipelineServices {
  select(
    db: Database,
    config: Config,
    request: SelectRequest,
    options: { now: number; seed?: number; systemMode?: "dark" | "light" },
  ): SelectResult | Promise<SelectResult>;
  /** `options.scheme`: also the Material scheme of `[material]` (see `paletteForImage`). */
  palette(
    path: string,
    options: {
      config: Config;
      paths: Paths;
      signal?: AbortSignal;
      decoder?: DecodeWorker;
      scheme?: boolean;
    },
  ): Promise<{ palette: PaletteRecord; warnings: string[]; scheme?: MaterialScheme }>;
  /**
   * A theme engine for this config. `options.onDebounced` is told what each
   * debounced apply did (nobody waits for those: the daemon logs their problems);
   * `options.debounceGuard` runs around each (see `ThemeEngineOptions`).
   * @throws {Error} When templates are missing or invalid (checked before anything changes).
   */
  theme(
    config: Config,
    paths: Paths,
    options?: ThemeApplierOptions,
  ): Promise<ThemeApplier>;
  /**
   * Starts loading what {@linkcode PipelineServices.palette} will need, as
   * soon as a palette is known to be wanted (before the setter runs).
   */
  preparePalette?(config: Config): void;
}

/**
 * Imports a module of ours (path relative to `src/pipeline/`) by a specifier
 * built at run time: Deno prepares every literal `import("…")` target (and
 * theirs, npm packages included) when the importing module loads, so a `next`
 * whose palette is stored would otherwise load the image decoders too. The
 * pipeline's modules use it for everything only some runs need.
 */
export function load<T>(relative: string): Promise<T> {
  return import(new URL(relative, import.meta.url).href) as Promise<T>;
}

/** The real services, each module imported on first use. */
export function defaultServices(): PipelineServices {
  return {
    async select(db, config, request, options) {
      const { selectImages } = await load<typeof import("../select/selector.ts")>(
        "../select/selector.ts",
      );
      return selectImages(db, config, request, options);
    },
    async palette(path, options) {
      const { paletteForImage } = await load<typeof import("../palette/palette_for_image.ts")>(
        "../palette/palette_for_image.ts",
      );
      return await paletteForImage(path, options);
    },
    preparePalette(config) {
      void load<typeof import("../palette/palette_for_image.ts")>(
        "../palette/palette_for_image.ts",
      ).then((m) => m.preloadPaletteModules(config), () => {});
    },
    async theme(config, paths, options) {
      const { createThemeApplier } = await load<typeof import("./theme_applier.ts")>(
        "./theme_applier.ts",
      );
      return await createThemeApplier(config, paths, options);
    },
  };
}
