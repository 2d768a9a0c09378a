/**
 * The `next` pipeline: lock → select → set → palette → record → theme.
 *
 * A failing setter stops the run before anything is recorded. After `prev`,
 * `next` steps forward through history instead of picking (like a browser).
 *
 * @module
 */
import type { DisplayMode, SetterName, TransitionType } from "../config/choices.ts";
import type { Config } from "../config/schema.ts";
import {
  countBans,
  countImages,
  countSmallerImages,
  countWithoutPalette,
  getImage,
  getImageByPath,
} from "../db/images.ts";
import { getPalette } from "../db/palettes.ts";
import { type Constraints, needsPalette } from "../select/constraints.ts";
import { emptyCollectionMessage, noPickMessage, sizeOnlyClause } from "../select/no_pick.ts";
import type { ShowPlan, ShowResult } from "./apply_show.ts";
import {
  browsable,
  browseFile,
  currentShow,
  neighbourShowTime,
  newestShowTime,
  readBrowseState,
  showRows,
} from "./browse.ts";
import { maxPixelsOf } from "../palette/pixel_limit.ts";
import { knownUndecodable, startDecoder } from "./decode_marks.ts";
import { resolveOutputs } from "./resolve_outputs.ts";
import { type PipelineDeps, resolveSetter } from "./pipeline_deps.ts";
import { SetterError } from "../wallpaper/setter_error.ts";
import { runShow } from "./run_show.ts";
import type { LockPlace } from "./lock.ts";
import { load } from "./services.ts";
import { checkFile, notFoundReason } from "../file_check.ts";
import { printable } from "../text/printable.ts";
import { fileErrorReason } from "../text/not_capable.ts";

/** The scanner's single-file indexing (and its header reader), for `--image` of a new file. */
type Loose = typeof import("../scan/loose.ts");

/** Options for {@linkcode runNext}. */
export interface NextOptions {
  /** Selection constraints. @default {} */
  constraints?: Constraints;
  /** Show this image instead of selecting one. */
  image?: string;
  /** Pick only from the folders of this `[groups]` entry. */
  group?: string;
  /** Overrides `[wallpaper] setter`. */
  setter?: SetterName;
  /** Overrides `[wallpaper] mode` for this change. */
  mode?: DisplayMode;
  /** Overrides `[wallpaper.transition] type` for this change (swww/awww). */
  transition?: TransitionType;
  /** Extract the palette of new images. @default true */
  palette?: boolean;
  /** Render the theme. @default config.theme.enabled */
  theme?: boolean;
  /** Decide and report; change nothing. @default false */
  dryRun?: boolean;
  /** Milliseconds to wait for another varietal. @default 60000 */
  lockTimeoutMs?: number;
  /** A place in the lock's queue taken when the request came (a daemon's hand-off). */
  lockPlace?: LockPlace;
  /** Output names (overrides config and detection). */
  outputs?: string[];
  /** Step forward through history after `prev`. @default true unless image/constraints/group given */
  browse?: boolean;
  /** Use the engine's debounced apply (the daemon). @default false */
  debounceTheme?: boolean;
  /** Report the process's start-up time in the timings (one-shot commands). @default false */
  startup?: boolean;
  /** The folder a relative `image` is taken from. @default Deno.cwd() */
  cwd?: string;
}

/**
 * Shows the next wallpaper.
 *
 * @throws {BusyError} When another varietal holds the lock past the timeout.
 * @throws {SetterError} When the setter fails (nothing recorded).
 * @throws {Error} For a bad `--image`, an empty collection or invalid templates.
 */
export async function runNext(deps: PipelineDeps, options: NextOptions = {}): Promise<ShowResult> {
  deps = { ...deps, config: withWallpaperOverrides(deps.config, options) };
  const { config } = deps;
  // A bad --image is the user's mistake to hear of first (before a missing setter, say).
  const located = options.image === undefined
    ? undefined
    : await locateImage(options.image, options.cwd);
  const setterName = options.setter ?? config.wallpaper.setter;
  let previewNote: string | undefined;
  const setter = await resolveSetter(setterName, deps.env).catch(async (e: unknown) => {
    // A preview changes nothing, so it needs no desktop: without one it decides for one screen.
    if (!options.dryRun || setterName !== "auto" || !(e instanceof SetterError)) throw e;
    previewNote = `${e.message.split(";")[0]}: decided for one screen`;
    return await resolveSetter("none", deps.env);
  });
  const image = located === undefined
    ? undefined
    : await resolveImage(deps, located, !options.dryRun);
  const constraints = options.constraints ?? {};
  const browse = options.browse ??
    (image === undefined && options.group === undefined && Object.keys(constraints).length === 0);
  // An image named on the command line without a palette will be decoded: start its
  // decoding thread (and have it load its code) now, while the theme engine loads and
  // the lock is taken; the image itself is decoded after the setter, as always.
  // (A caller that keeps a decoding thread, the daemon, has one ready already.)
  const decoder = !deps.decoder && image && !options.dryRun && (options.palette ?? true) &&
      !getPalette(deps.db, image.id)
    ? await startDecoder({ format: getImage(deps.db, image.id)?.format }, {
      scheme: (options.theme ?? true) && config.theme.enabled,
    })
    : undefined;
  const result = await runShow(deps, {
    ...options,
    purpose: "next",
    setter,
    ...(decoder ? { decoder } : {}),
  }, async (timer) => {
    const state = await readBrowseState(browseFile(deps.paths.state));
    return await timer.stage("select", () =>
      decide(deps, {
        setter: setter.name,
        image,
        constraints,
        group: options.group,
        outputs: options.outputs,
        browse,
        cursor: state.cursor,
        perOutput: setter.perOutput(config.wallpaper),
      }));
  });
  if (previewNote) result.warnings.unshift(previewNote);
  return result;
}

/** The config with `--mode` and `--transition` applied to `[wallpaper]`. */
function withWallpaperOverrides(
  config: Config,
  o: Pick<NextOptions, "mode" | "transition">,
): Config {
  if (o.mode === undefined && o.transition === undefined) return config;
  const w = config.wallpaper;
  return {
    ...config,
    wallpaper: {
      ...w,
      mode: o.mode ?? w.mode,
      transition: { ...w.transition, type: o.transition ?? w.transition.type },
    },
  };
}

/** What `--image` was given, the path it names and the file it resolves to. */
interface LocatedImage {
  given: string;
  abs: string;
  real: string;
}

/**
 * The file `--image` names, checked to exist and be readable (reading no
 * database and changing nothing).
 */
async function locateImage(given: string, cwd = Deno.cwd()): Promise<LocatedImage> {
  // What a file picker bound to a key passes when it is cancelled (README's fuzzel/zenity bindings).
  if (given.trim() === "") {
    throw new Error("--image was given no path (a cancelled file picker?); nothing was changed");
  }
  const abs = given.startsWith("/") ? given : `${cwd}/${given}`;
  const shown = printable(given); // a newline in a name is not a line of the message
  let real: string;
  try {
    real = await Deno.realPath(abs);
  } catch (e) {
    // Not found, or not ours to touch (a system file Deno keeps from us), or refused.
    const why = e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory
      ? notFoundReason(given)
      : fileErrorReason(e);
    throw new Error(`--image ${shown}: ${why}`);
  }
  // What the setter and the decoder will do; a file they cannot read is refused before the lock.
  const readable = checkFile(real, { read: true });
  if (readable === "missing") {
    // There (realPath found it) but no regular file: never opened, as a FIFO would block
    // the setter or the decoder for good (also one now in the place of an indexed picture).
    let folder = false;
    try {
      folder = Deno.statSync(real).isDirectory;
    } catch { /* gone since: said as not a regular file */ }
    throw new Error(
      `--image ${shown}: ${
        folder
          ? "is a folder; give an image file (or add the folder with 'varietal sources add')"
          : "is not a regular file (a FIFO, socket or device?)"
      }`,
    );
  }
  if (readable !== "ok") throw new Error(`--image ${shown}: cannot read it: ${readable}`);
  return { given, abs, real };
}

/**
 * The image `--image` names, in the collection. A file outside it is probed
 * and indexed on the spot (see src/scan/loose.ts) unless `index` is false (a
 * dry run: probed only, id 0).
 */
async function resolveImage(
  deps: PipelineDeps,
  { given, abs, real }: LocatedImage,
  index: boolean,
): Promise<{ id: number; path: string }> {
  const shown = printable(given);
  let row = getImageByPath(deps.db, real) ?? getImageByPath(deps.db, abs);
  if (!row) {
    const loose = await load<Loose>("../scan/loose.ts");
    try {
      // Over [palette] max_megapixels it is refused, as scan leaves it out: no setter sees it.
      const max = maxPixelsOf(deps.config);
      if (!index) return { id: 0, path: loose.probeFile(real, max).path };
      row = loose.indexFile(deps.db, real, (deps.now ?? Date.now)(), max);
    } catch (e) {
      if (e instanceof loose.NotAnImageError) throw new Error(`--image ${shown}: ${e.message}`);
      if (e instanceof Deno.errors.NotFound) throw new Error(`--image ${shown}: no such file`);
      throw e;
    }
  }
  if (row.banned) {
    throw new Error(`--image ${shown}: this image is banned; 'varietal unban' it first to show it`);
  }
  const failed = await knownUndecodable(deps.db, row.id, row.path, maxPixelsOf(deps.config));
  if (failed) {
    throw new Error(
      `--image ${shown}: not shown: it failed to decode (${failed.reason}); ` +
        (failed.pixels !== null
          ? "it is left out until the file changes or [palette] max_megapixels is raised"
          : "it is left out until the file changes ('varietal extract --force' tries it again)"),
    );
  }
  return { id: row.id, path: row.path };
}

interface Decision {
  setter: string;
  image?: { id: number; path: string };
  constraints: Constraints;
  group?: string;
  outputs?: string[];
  browse: boolean;
  cursor: number | null;
  perOutput: boolean;
}

async function decide(deps: PipelineDeps, d: Decision): Promise<ShowPlan> {
  const { db, config } = deps;
  const outputs = await resolveOutputs(deps, d.setter, d.perOutput, d.outputs);
  if (d.image) {
    return {
      kind: "image",
      record: true,
      items: (outputs.length ? outputs.map((o) => o.name) : [null]).map((output) => ({
        imageId: d.image!.id,
        path: d.image!.path,
        output,
      })),
      warnings: [],
    };
  }
  if (d.browse && d.cursor !== null) {
    // Forward as `prev` goes back: past shows whose files are gone, banned or in a folder
    // disabled since.
    let t = neighbourShowTime(db, d.cursor, "forward");
    while (t !== undefined && !browsable(db, showRows(db, t))) {
      t = neighbourShowTime(db, t, "forward");
    }
    if (t !== undefined) {
      const rows = showRows(db, t);
      return {
        kind: "forward",
        record: false,
        cursor: t === newestShowTime(db) ? null : t,
        items: rows.map((r) => ({ imageId: r.image_id, path: r.path, output: r.output })),
        warnings: [],
      };
    }
  }
  const now = (deps.now ?? Date.now)();
  // Not the wallpaper on screen (after `prev`, the cursor's show, not the newest).
  const exclude = currentShow(db, { cursor: d.cursor, changedAt: 0 }).map((r) => r.image_id);
  const request = {
    count: Math.max(1, outputs.length),
    constraints: d.constraints,
    ...(outputs.length > 1 ? { outputs } : {}),
    ...(d.group === undefined ? {} : { group: d.group }),
  };
  const systemMode = await desktopModeForSelection(deps);
  const options = {
    now,
    home: deps.paths.home,
    ...(d.constraints.seed === undefined ? {} : { seed: d.constraints.seed }),
    ...(systemMode ? { systemMode } : {}),
  };
  let sel = await deps.services.select(db, config, { ...request, exclude }, options);
  if (sel.picks.length < request.count && exclude.length > 0) {
    // A tiny collection: showing the current image again beats showing nothing.
    const again = await deps.services.select(db, config, request, options);
    if (again.picks.length > sel.picks.length) sel = again;
  }
  if (sel.picks.length === 0) {
    if (countImages(db) === 0) {
      throw new Error(emptyCollectionMessage(sel)); // no folder, folders not scanned, or empty
    }
    const { countDisabledSources } = await import("../db/sources.ts");
    const counts = {
      smaller: countSmallerImages(
        db,
        sel.minSize,
        sel.sourceIds,
        sizeOnlyClause(d.constraints, sel),
      ),
      withoutPalette: needsPalette(d.constraints) ? countWithoutPalette(db, sel.sourceIds) : 0,
      disabled: sel.sourceIds?.length === 0 ? sel.disabled ?? countDisabledSources(db) : 0,
      ...countBans(db, sel.sourceIds),
    };
    const why = sel.warnings.length ? ` (${sel.warnings.join("; ")})` : "";
    throw new Error(`${noPickMessage(d.constraints, sel, counts)}${why}`);
  }
  const warnings = [...sel.warnings];
  const slots = outputs.length ? outputs.map((o) => o.name) : [null];
  if (sel.picks.length < slots.length) {
    warnings.push(`only ${sel.picks.length} image(s) for ${slots.length} outputs; repeating`);
  }
  return {
    kind: "new",
    record: true,
    items: slots.map((output, i) => {
      const pick = sel.picks.find((p) => p.output === output) ?? sel.picks[i % sel.picks.length];
      return { imageId: pick.image.id, path: pick.image.path, output, weight: pick.weight };
    }),
    warnings,
  };
}

/**
 * The desktop's light/dark preference when selection follows it
 * (`selection.follow_system` with `theme.mode = "system"`), else undefined.
 */
async function desktopModeForSelection(deps: PipelineDeps): Promise<"dark" | "light" | undefined> {
  const { config } = deps;
  if (!config.selection.follow_system || config.theme.mode !== "system") return undefined;
  const { detectColorScheme } = await load<typeof import("../desktop/color_scheme.ts")>(
    "../desktop/color_scheme.ts",
  );
  const found = await detectColorScheme({
    configHome: deps.paths.configHome,
    path: deps.env("PATH"),
    ...(deps.run ? { run: deps.run } : {}),
  });
  return found?.scheme;
}
