/**
 * The second half of every wallpaper change (`next`, `prev`, forward
 * browsing): set → palette → record → theme, then a desktop notification
 * when `[notify] enabled` (after everything the user sees; its failure is
 * only a warning).
 *
 * @module
 */
import { databaseFailure } from "../db/errors.ts";
import { clearDecodeFailure } from "../db/decode_failures.ts";
import { getImage } from "../db/images.ts";
import { getCredit, plainCredit } from "../db/attribution.ts";
import { recordShows } from "../db/history.ts";
import { showTime } from "../db/show_time.ts";
import { getPalette, plainPalette, savePalette, type StoredPalette } from "../db/palettes.ts";
import type { PaletteRecord } from "../palette/palette_record.ts";
import type { Database } from "../db/database.ts";
import type { Config } from "../config/schema.ts";
import { notifyShow } from "../notify/notify.ts";
import type { NotificationSubject } from "../notify/notification_text.ts";
import { applySetter, type Setter } from "../wallpaper/setter.ts";
import { InterruptedAfterSetError, PartialSetError } from "../wallpaper/setter_error.ts";
import { browseFile, writeBrowseState } from "./browse.ts";
import { osDeniedMessage } from "../text/not_capable.ts";
import { knownUndecodable, markIfUndecodable, startDecoder } from "./decode_marks.ts";
import { maxPixelsOf } from "../palette/pixel_limit.ts";
import type { PipelineDeps } from "./pipeline_deps.ts";
import { load, type ThemeApplier } from "./services.ts";
import type { ThemeReport } from "../theme/theme_report.ts";
import type { DecodeWorker } from "../palette/guarded_decode.ts";
import type { SchemeStore } from "../theme/matugen_context.ts";
import type { MaterialScheme } from "../palette/material/roles.ts";
import { getImageScheme, saveImageScheme } from "../db/material_schemes.ts";
import type { StageTimer, Timings } from "./stage_timer.ts";
import { fitToOutputs } from "./fit_outputs.ts";
import { resolveOutputs } from "./resolve_outputs.ts";

/** wallust's runner, loaded only for a palette that came from wallust. */
type Wallust = typeof import("../palette/wallust.ts");

/** One image on one output (`null` = all outputs). */
export interface ShowItem {
  imageId: number;
  path: string;
  output: string | null;
  /** Selection weight, for new picks. */
  weight?: number;
}

/** What a run decided to show. */
export interface ShowPlan {
  /** new pick, `--image`, forward or back through history, or the current one again. */
  kind: "new" | "image" | "forward" | "back" | "restore";
  /** Whether this is a new show (history row) or a revisit. */
  record: boolean;
  /** The browse cursor after a revisit (null = back at the newest). */
  cursor?: number | null;
  /** Primary output first. */
  items: ShowItem[];
  warnings: string[];
}

/** An image as shown, with its palette. */
export interface ShownImage extends ShowItem {
  palette: PaletteRecord | null;
  /** Where the palette came from. */
  paletteFrom: "stored" | "extracted" | "none";
}

/** What a wallpaper change did. */
export interface ShowResult {
  kind: ShowPlan["kind"];
  setter: string;
  dryRun: boolean;
  /** Whether history rows were written. */
  recorded: boolean;
  /** The `shown_at` of the new history rows. */
  shownAt: number | null;
  shows: ShownImage[];
  /** The theme run (null when skipped or debounced). */
  theme: ThemeReport | null;
  timings: Timings;
  warnings: string[];
}

/** How {@linkcode applyShow} runs. */
export interface ApplyOptions {
  setter: Setter;
  timer: StageTimer;
  /** Extract missing palettes. */
  palette: boolean;
  /** The theme engine, or null to skip theming. */
  theme: ThemeApplier | null;
  debounceTheme: boolean;
  dryRun: boolean;
  /**
   * A decoding thread the caller started early (warmed, nothing decoded), for
   * the first image whose palette is extracted; terminated when none is.
   */
  decoder?: DecodeWorker;
}

/**
 * Whether a stored palette can stand for a fresh extraction: newer than the
 * file, of the configured origin (any under "auto"), with current figures
 * (not from an older version), and of the variant that origin makes now —
 * `palette.variant` for built-in palettes, the palette wallust is set to use
 * (`wallustVariant`, e.g. "dark" from wallust's default config) for wallust's.
 *
 * @param wallustVariant What `currentWallustVariant()` (palette/wallust.ts) says; when
 * undefined a wallust palette is not fresh.
 */
export function paletteIsFresh(
  stored: StoredPalette | undefined,
  imageMtime: number,
  config: Config,
  wallustVariant?: string,
): stored is StoredPalette {
  if (!stored || stored.hue_mask === null || stored.extracted_at < imageMtime) return false;
  const origin = config.palette.origin;
  if (origin !== "auto" && stored.origin !== origin) return false;
  // A palette stored before Material source colours were kept is extracted once more.
  if (!stored.source_color) return false;
  const variant = stored.origin === "wallust" ? wallustVariant : config.palette.variant;
  return stored.variant === variant;
}

/** Whether the file at `path` still has the size and modification time indexed. */
function sameFile(path: string, size: number, mtime: number): boolean {
  try {
    const st = Deno.statSync(path);
    return st.size === size && (st.mtime?.getTime() ?? 0) === mtime;
  } catch {
    return false;
  }
}

/**
 * What a notification names: the picture's title and author from a
 * downloaded image's credit, else from its KDE wallpaper package's metadata.
 */
async function notificationSubject(
  db: Database,
  show: { imageId: number; path: string },
): Promise<NotificationSubject> {
  const credit = getCredit(db, show.imageId);
  if (credit) {
    return {
      path: show.path,
      title: credit.title ?? undefined,
      author: credit.author ?? undefined,
    };
  }
  const { readPackagePicture } = await load<typeof import("../scan/package_info.ts")>(
    "../scan/package_info.ts",
  );
  const pkg = readPackagePicture(show.path);
  return {
    path: show.path,
    title: pkg?.name ?? undefined,
    author: pkg?.authors.join(", ") || undefined,
  };
}

/**
 * The palette to theme an image with: a downloaded wallpaper's credit rides
 * along for the templates' `image_*` variables.
 */
export function withCredit(db: Database, imageId: number, palette: PaletteRecord): PaletteRecord {
  const credit = getCredit(db, imageId);
  return credit ? Object.assign({ image: plainCredit(credit) }, palette) : palette;
}

/**
 * The Material schemes kept with an image's palette in the database (stored
 * when the palette was extracted or first themed), for the theme engine: one
 * is looked up only for the palette's own source colour, and one computed
 * for it is stored. A failure to store is a warning.
 */
export function imageSchemes(
  db: Database,
  imageId: number,
  palette: PaletteRecord,
  warnings: string[],
): SchemeStore {
  const own = (source: string) =>
    !!palette.source_color && source.toLowerCase() === palette.source_color.toLowerCase();
  return {
    get: (source, scheme, contrast) =>
      own(source) ? getImageScheme(db, imageId, source, scheme, contrast) : undefined,
    put(s) {
      if (!own(s.source)) return;
      try {
        saveImageScheme(db, imageId, s);
      } catch (e) {
        warnings.push(`Material scheme not stored: ${(e as Error).message}`);
      }
    },
  };
}

/**
 * Sets, extracts, records and themes one plan. Must be called under the
 * pipeline lock unless `dryRun`.
 *
 * @throws {SetterError} When the setter fails; nothing is recorded then. (A setter
 * that set some outputs and failed on others is not a failure: those it set are
 * recorded, and the others named in the warnings.)
 */
export async function applyShow(
  deps: PipelineDeps,
  plan: ShowPlan,
  o: ApplyOptions,
): Promise<ShowResult> {
  const { db, config } = deps;
  const now = deps.now ?? Date.now;
  // A past show again: its pictures fitted to the outputs there are now (renamed, plugged in).
  if (!plan.record && !o.dryRun && plan.items.some((it) => it.output !== null)) {
    if (o.setter.perOutput(config.wallpaper)) {
      const names = (await resolveOutputs(deps, o.setter.name, true)).map((x) => x.name);
      plan = { ...plan, items: fitToOutputs(plan.items, names) };
    }
  }
  const warnings = [...plan.warnings];
  // wallust.toml is read once, and only when a stored palette came from wallust.
  let wallustVariant: Promise<string | undefined> | undefined;
  const stored = async (id: number) => {
    const p = getPalette(db, id);
    const img = getImage(db, id);
    if (p?.origin === "wallust") {
      wallustVariant ??= load<Wallust>("../palette/wallust.ts").then((w) =>
        w.currentWallustVariant(deps.paths.configHome)
      );
    }
    const fresh = paletteIsFresh(
      p,
      img?.mtime ?? Infinity,
      config,
      p?.origin === "wallust" ? await wallustVariant : undefined,
    );
    // The file itself, not only the row: replaced since the last scan (`cp`, or `mv` and
    // `rsync -a`, which keep an older time), the stored palette is another picture's.
    return fresh && img && sameFile(img.path, img.size, img.mtime) ? p : undefined;
  };
  const base = { kind: plan.kind, setter: o.setter.name, dryRun: o.dryRun };
  if (o.dryRun) {
    const shows: ShownImage[] = [];
    for (const it of plan.items) {
      const p = await stored(it.imageId);
      shows.push({
        ...it,
        palette: p ? plainPalette(p) : null,
        paletteFrom: p ? "stored" : "none",
      });
    }
    return {
      ...base,
      recorded: false,
      shownAt: null,
      shows,
      theme: null,
      timings: o.timer.timings(),
      warnings,
    };
  }

  // A new image's palette is decoded in a worker that a timeout can stop. The worker starts
  // (and loads its decoder) while the setter runs; the image itself is decoded in the
  // palette stage, after the setter (the pipeline's order).
  const extract = new Map<number, ShowItem>();
  const undecodable = new Map<number, string>();
  if (o.palette) {
    for (const it of plan.items) {
      if (extract.has(it.imageId) || undecodable.has(it.imageId) || (await stored(it.imageId))) {
        continue;
      }
      const failed = await knownUndecodable(db, it.imageId, it.path, maxPixelsOf(config));
      if (failed) undecodable.set(it.imageId, failed.reason);
      else extract.set(it.imageId, it);
    }
  }
  // A new palette keeps its Material scheme when a theme is rendered (matugen templates
  // would otherwise compute it in this thread, loading material-color-utilities).
  const withScheme = o.theme !== null;
  const first = [...extract.values()][0];
  if (!first) o.decoder?.terminate();
  // The palette stage's code loads while the setter runs.
  else deps.services.preparePalette?.(config);
  const decoder = first
    ? o.decoder ?? deps.decoder ??
      await startDecoder({ format: getImage(db, first.imageId)?.format }, { scheme: withScheme })
    : undefined;
  // The caller's own thread (deps.decoder) stays; one started for this run stops with it.
  const done = () => {
    if (decoder !== deps.decoder) decoder?.terminate();
  };
  /** What was set: all of the plan, or the outputs a partly failing setter set. */
  let items = plan.items;
  /** An interruption after some outputs were set (see InterruptedAfterSetError). */
  let interruption: unknown;
  try {
    await o.timer.stage("set", async () => {
      // [wallpaper] timeout bounds the setter and the drawing of SVGs for it together
      const deadline = Date.now() + config.wallpaper.timeout * 1000;
      let assignments = plan.items.map((it) => ({ path: it.path, output: it.output }));
      if (!o.setter.svg) {
        // setters that read raster images only get a PNG for each SVG
        const { svgForSetter } = await import("./svg_for_setter.ts");
        assignments = await svgForSetter(o.setter, assignments, {
          cacheDir: deps.paths.cache,
          deadline,
          timeout: config.wallpaper.timeout,
          maxPixels: maxPixelsOf(config),
          signal: deps.signal,
        });
      }
      await applySetter(o.setter, assignments, {
        config: config.wallpaper,
        runtimeDir: deps.paths.runtime,
        cacheDir: deps.paths.cache,
        run: deps.run,
        signal: deps.signal,
        env: deps.env,
        warn: (w) => warnings.push(w),
        deadline,
      });
    });
  } catch (e) {
    if (e instanceof InterruptedAfterSetError) {
      // Ctrl-C between outputs: what is on screen is recorded (with the palettes stored
      // already; none is extracted, no theme rendered), then the interruption goes on.
      items = e.set.map((i) => plan.items[i]);
      interruption = e.cause;
    } else if (!(e instanceof PartialSetError)) {
      done();
      throw e;
    } else {
      // Some outputs changed, others (one unplugged, say) kept their pictures: what is on
      // screen is recorded and themed, and the others are named.
      items = e.set.map((i) => plan.items[i]);
      for (const f of e.failures) {
        warnings.push(`${f.output ?? "all outputs"} keeps its picture: ${f.error.message}`);
      }
      // A past show set again in part (`prev`, `next` forward): the screen now holds
      // pictures of two shows, which no place in history names; what changed is recorded
      // as a new show, as a new pick's outputs are, so `current` names what is there.
      if (plan.kind === "back" || plan.kind === "forward") {
        plan = { ...plan, record: true, cursor: null };
      }
    }
  }

  const fresh = new Map<number, PaletteRecord>();
  const freshSchemes = new Map<number, MaterialScheme>();
  const shows = await o.timer.stage("palette", async () => {
    const byImage = new Map<
      number,
      { palette: PaletteRecord | null; from: ShownImage["paletteFrom"] }
    >();
    for (const it of items) {
      if (byImage.has(it.imageId)) continue;
      const p = await stored(it.imageId);
      if (p) byImage.set(it.imageId, { palette: plainPalette(p), from: "stored" });
      else if (!extract.has(it.imageId) || interruption !== undefined) {
        // No extraction wanted, or the image failed to decode before: keep what is stored.
        const failed = undecodable.get(it.imageId);
        if (failed !== undefined) {
          warnings.push(`no palette for ${it.path}: it could not be decoded before (${failed})`);
        }
        const old = getPalette(db, it.imageId);
        byImage.set(it.imageId, {
          palette: old ? plainPalette(old) : null,
          from: old ? "stored" : "none",
        });
      } else {
        try {
          const r = await deps.services.palette(it.path, {
            config,
            paths: deps.paths,
            signal: deps.signal,
            ...(decoder ? { decoder } : {}),
            scheme: withScheme,
          });
          warnings.push(...r.warnings);
          fresh.set(it.imageId, r.palette);
          if (r.scheme) freshSchemes.set(it.imageId, r.scheme);
          byImage.set(it.imageId, { palette: r.palette, from: "extracted" });
          clearDecodeFailure(db, it.imageId);
        } catch (e) {
          if (deps.signal?.aborted) {
            // Ctrl-C or SIGTERM while the palette was made: the screen changed, so the show
            // is recorded (no palette, no theme), and the interruption goes on (exit 130/143),
            // saying what to run; an interruption is no image that cannot be decoded.
            const reason = deps.signal.reason as Error | undefined;
            interruption = new DOMException(
              `the wallpaper was set and recorded, not its palette or theme ('varietal theme ` +
                `apply' themes from it): ${reason?.message ?? "interrupted"}`,
              "AbortError",
            );
            byImage.set(it.imageId, { palette: null, from: "none" });
            continue;
          }
          const marked = await markIfUndecodable(deps, it.imageId, it.path, e);
          warnings.push(
            `no palette for ${it.path}: ${(e as Error).message}` +
              (marked ? "; it will not be drawn again until the file changes" : ""),
          );
          byImage.set(it.imageId, { palette: null, from: "none" });
        }
      }
    }
    return items.map((it): ShownImage => {
      const p = byImage.get(it.imageId)!;
      return { ...it, palette: p.palette, paletteFrom: p.from };
    });
  }).finally(done);

  const shownAt = await o.timer.stage("record", async () => {
    let at: number | null = null;
    const t = now();
    if (plan.record) {
      try {
        db.transaction(() => {
          at = showTime(db, t);
          recordShows(
            db,
            shows.map((s) => ({
              imageId: s.imageId,
              shownAt: at!,
              output: s.output,
              palette: fresh.get(s.imageId) ?? null,
            })),
          );
          for (const [id, s] of freshSchemes) saveImageScheme(db, id, s);
        });
      } catch (e) {
        // Taken by another program after the check before the setter (run_show.ts), or the
        // disk filled up: the screen changed, the record did not.
        const unrecorded = "the wallpaper was set but not recorded";
        const before = "'varietal current' and the theme still name the one before";
        throw databaseFailure(
          e,
          db.path,
          `${unrecorded} (${before}; 'varietal next' again once it is free)`,
          `${unrecorded}: ${before}`,
        );
      }
    } else if (fresh.size > 0) {
      db.transaction(() => {
        for (const [id, p] of fresh) savePalette(db, id, p, t);
        for (const [id, s] of freshSchemes) saveImageScheme(db, id, s);
      });
    }
    // Restoring the current wallpaper (daemon start-up) neither moves the cursor nor
    // restarts the daemon's interval.
    if (plan.kind !== "restore") {
      try {
        await writeBrowseState(browseFile(deps.paths.state), {
          cursor: plan.record ? null : plan.cursor ?? null,
          changedAt: at ?? t,
        });
      } catch (e) {
        // The show is set and recorded: its theme still follows (a full disk, a read-only
        // state folder), and the user is told what `prev` and `next` will miss.
        warnings.push(
          `the place in history was not saved (${
            osDeniedMessage(e) ?? (e as Error).message
          }); 'prev' and 'next' step from the one before`,
        );
      }
    }
    return at;
  });
  if (interruption !== undefined) throw interruption;

  let theme: ThemeReport | null = null;
  const primary = shows[0];
  if (o.theme && primary.palette) {
    const engine = o.theme;
    const themed = withCredit(db, primary.imageId, primary.palette);
    if (o.debounceTheme) engine.applySoon(themed, primary.path);
    else {
      const schemes = imageSchemes(db, primary.imageId, primary.palette, warnings);
      try {
        theme = await o.timer.stage(
          "theme",
          () => engine.apply(themed, primary.path, { schemes, signal: deps.signal }),
        );
      } catch (e) {
        // Interrupted (Ctrl-C, SIGTERM): the show is recorded, the command still ends as one.
        if (deps.signal?.aborted) throw e;
        warnings.push(`theme: ${(e as Error).message}`);
      }
    }
  } else if (o.theme && !primary.palette) {
    warnings.push("theme not rendered: the image has no palette");
  }
  if (config.notify.enabled && plan.kind !== "restore") {
    const w = await o.timer.stage(
      "notify",
      async () => notifyShow(await notificationSubject(db, primary), config.notify, deps.run),
    );
    if (w) warnings.push(w);
  }
  return {
    ...base,
    recorded: plan.record,
    shownAt,
    shows,
    theme,
    timings: o.timer.timings(),
    warnings,
  };
}
