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
import type { PaletteRecord } from "../db/palettes.ts";
import type { DecodeWorker } from "../palette/guarded_decode.ts";
import type { SelectRequest, SelectResult } from "../select/selector.ts";

export type { SelectRequest, SelectResult };

/** What a theme run reports. */
export interface ThemeReport {
  /** Files written. */
  written: readonly unknown[];
  /** Templates or hooks that failed (each names itself). */
  failed: readonly unknown[];
  hooks?: readonly unknown[];
  ms: number;
}

/** A theme engine as the pipeline uses it. */
export interface ThemeApplier {
  apply(palette: PaletteRecord, wallpaper: string): Promise<ThemeReport>;
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
    options: { now: number; seed?: number },
  ): SelectResult | Promise<SelectResult>;
  palette(
    path: string,
    options: { config: Config; paths: Paths; signal?: AbortSignal; decoder?: DecodeWorker },
  ): Promise<{ palette: PaletteRecord; warnings: string[] }>;
  /**
   * A theme engine for this config.
   * @throws {Error} When templates are missing or invalid (checked before anything changes).
   */
  theme(config: Config, paths: Paths): Promise<ThemeApplier>;
}

/** The real services, each module imported on first use. */
export function defaultServices(): PipelineServices {
  return {
    async select(db, config, request, options) {
      const { selectImages } = await import("../select/selector.ts");
      return selectImages(db, config, request, options);
    },
    async palette(path, options) {
      const { paletteForImage } = await import("../palette/palette_for_image.ts");
      return await paletteForImage(path, options);
    },
    async theme(config, paths) {
      const { createThemeApplier } = await import("./theme_applier.ts");
      return await createThemeApplier(config, paths);
    },
  };
}
