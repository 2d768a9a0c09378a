/**
 * Chooses wallpapers: reads the collection facts from the database
 * (`_candidates.ts`), turns constraints into SQL (`constraints.ts`), and
 * hands the draw to `_draw.ts`, which weighs with the factors of
 * `weights.ts` and samples with `sampler.ts`.
 *
 * Large collections are sampled by proposing random rowids (one indexed
 * lookup per batch) and accepting with probability `weight / bound`, so the
 * cost depends on the acceptance rate and not on the number of images.
 * Sparse colour constraints propose among the ids their covering indexes
 * match, and a similarity target (`--similar-to`, the second monitor)
 * proposes in proportion to similarity and accepts by the other factors.
 * When proposals rarely qualify (a small collection, a very sparse
 * constraint) it falls back to an indexed query of the qualifying images and
 * exact keyed sampling over them. Only picked files are checked on disk; a
 * vanished pick is marked `missing_since` and another is drawn, a bounded
 * number of times per call. Each enabled source is checked once per call:
 * an offline source (unplugged drive, unmounted share) is left out as a
 * whole, its images neither checked nor marked. Images below
 * `[selection] min_width` × `min_height` are never drawn.
 *
 * Folders may be ordered (`sequential`, `shuffle`: see `_ordered.ts` and
 * docs/selection.md, "Playlists"), and a request may be limited to a named
 * group of folders. Neither costs anything when not configured.
 *
 * Requires `--allow-read` (to check sources and picked files) and
 * `--allow-write` (the database, for missing marks).
 *
 * @module
 */
import type { Config, TimeRule } from "../config/schema.ts";
import type { Database } from "../db/database.ts";
import { checkFile } from "../file_check.ts";
import { CLOCK_FAST_MAX_MS, newestShowTime } from "../db/show_time.ts";
import { NOT_DECODE_FAILED } from "../db/decode_failures.ts";
import { getImages, type ImageRow, markMissing, sourcesHolding } from "../db/images.ts";
import { hasPresentImages, listSources, type SourceRow } from "../db/sources.ts";
import { sourceAvailability, type SourceCheck } from "../scan/availability.ts";
import { configEntryPath } from "../scan/source_path.ts"; // (loaded by playlists.ts anyway)
import { countPendingFigures } from "../db/palettes.ts";
import {
  activeTimeRule,
  type Constraints,
  constraintSql,
  describeConstraints,
  needsPalette,
  paletteIdsSql,
  paletteSql,
  type SqlClause,
  timeRuleSql,
} from "./constraints.ts";
import { collectionFacts, sourceFacts } from "./_candidates.ts";
import {
  candidateSummary,
  type Draw,
  type DrawContext,
  drawImages,
  type Drawn,
  type Strategy,
} from "./_draw.ts";

export type { Strategy };
import { createRng } from "./sampler.ts";
import { paletteSignature, sourceFactor, weightParams } from "./weights.ts";
import { drawOrdered, type OrderedFolder, type PickOrder, playlist } from "./_ordered.ts";
import {
  anyOrdered,
  configDisabled,
  folderOrders,
  groupFolders,
  subfolderSql,
} from "./playlists.ts";

export type { PickOrder };

/** A monitor to fill; width and height (pixels) make orientation fit. */
export interface OutputSpec {
  name: string;
  width?: number;
  height?: number;
}

/** What to select. */
export interface SelectRequest {
  /** How many distinct images (ignored when `outputs` is given: one per output). */
  count: number;
  constraints: Constraints;
  /** One image per output, with palettes close to the first one's. */
  outputs?: OutputSpec[];
  /** Image ids never to return. */
  exclude?: number[];
  /** Only the folders of this `[groups]` entry. */
  group?: string;
}

/** One chosen image with the factors of its weight. */
export interface Pick {
  image: ImageRow;
  weight: number;
  factors: Record<string, number>;
  /** The output it is for, when outputs were requested. */
  output?: string;
  /** For a pick from an ordered folder: the rule and its place in the order. */
  order?: PickOrder;
}

/** What {@linkcode selectImages} returns. */
export interface SelectResult {
  picks: Pick[];
  requested: number;
  /**
   * Human-readable notes: fewer images than asked (when at least one was
   * found), vanished files, relaxed constraints.
   */
  warnings: string[];
  /** The time-of-day rule that was applied, if any. */
  timeRule?: TimeRule;
  /** The desktop's mode that was followed instead of the time rules (`selection.follow_system`). */
  systemMode?: "dark" | "light";
  /** The seed of the draw (pass it back as `seed` to repeat the draw on the same data). */
  seed: number;
  /** The smallest size drawn (flags over `[selection] min_width`/`min_height`; 0 = none). */
  minSize?: { width: number; height: number };
  /** Enabled sources left out because they are offline, with the reason (absent: none). */
  offline?: { path: string; reason: string }[];
  /** True when the redraw budget ran out (too many vanished or unreadable picks). */
  redrawStopped?: boolean;
  /** The group the draw was limited to, with its folders' paths. */
  group?: { name: string; sources: string[] };
  /** The ids of the sources the draw could take images from (enabled, online, in the group). */
  sourceIds?: number[];
  /** How many sources the draw left out as disabled (of the group's, when limited to one). */
  disabled?: number;
  /**
   * Set only when nothing was picked and none of the draw's folders holds an image: the
   * folders no scan has reached yet and those whose last scan found no image.
   */
  notIndexed?: NotIndexed;
}

/** The folders of a draw that hold no image, by why (see {@linkcode SelectResult.notIndexed}). */
export interface NotIndexed {
  /** Added (`sources add`, config.toml's `[[sources]]`) and not scanned yet. */
  unscanned: string[];
  /** Scanned, and no image found there. */
  empty: string[];
}

/** Options of {@linkcode selectImages}. */
export interface SelectOptions {
  /** Milliseconds since the epoch. @default Date.now() */
  now?: number;
  /** Seed for a reproducible draw. @default constraints.seed, else random */
  seed?: number;
  /**
   * Checks a picked file: "ok", "missing" (marked missing) or a reason it
   * cannot be used. @default a stat of the path
   */
  check?: (path: string) => "ok" | "missing" | string;
  /** Force a sampling path (for tests and benches). @default "auto" */
  strategy?: Strategy;
  /**
   * The desktop's light/dark preference. With `selection.follow_system` and
   * `theme.mode = "system"` it stands in for the time-of-day rules: dark
   * wallpapers while the desktop is dark, light ones while it is light.
   */
  systemMode?: "dark" | "light";
  /** Checks whether a source is reachable (once per source per call). @default sourceAvailability */
  sourceCheck?: SourceCheck;
  /**
   * How many unusable picks (vanished or unreadable files) one call redraws,
   * and for how long after the first one, before it stops with what it has.
   * @default REDRAW_LIMIT
   */
  redrawLimit?: { picks: number; ms: number };
  /** The home folder, for `~` in config paths (`[[sources]] order`, `[groups]`). @default "/" */
  home?: string;
  /**
   * Count where ordered picks stand in their folder (`Pick.order.position`
   * and `total`): one count over the folder's rows each. @default false
   */
  positions?: boolean;
}

/** Whether a pick should follow the desktop's mode (and so the caller should ask for it). */
export function followsSystem(config: Config): boolean {
  return config.selection.follow_system && config.theme.mode === "system";
}

/** Default bound of the redraw loop of one call. */
export const REDRAW_LIMIT: Readonly<{ picks: number; ms: number }> = { picks: 64, ms: 1000 };

/**
 * Selects images. Returns fewer than requested (with a warning) when fewer
 * qualify; never returns banned or missing images or images of disabled
 * folders; marks picked files that vanished as missing.
 *
 * Requires `--allow-read` (to stat the picks) and `--allow-write` (the
 * database, for missing marks).
 *
 * @param db An open database.
 * @param config The validated configuration (`[selection]`, `daemon.interval`).
 * @param request Count, constraints, outputs, exclusions.
 * @param options `now`, `seed`, file check.
 * @returns The picks in draw order, with their factors, and warnings.
 * @throws {UnknownGroupError} When `request.group` is not in `[groups]`.
 * @example Three dark images
 * ```ts ignore
 * const { picks, warnings } = selectImages(db, config, {
 *   count: 3,
 *   constraints: { lightness: "dark" },
 * });
 * ```
 */
export function selectImages(
  db: Database,
  config: Config,
  request: SelectRequest,
  options: SelectOptions = {},
): SelectResult {
  const clock = options.now ?? Date.now();
  // Ages count from the clock, unless it is far behind the newest show (a reset clock:
  // see showTime in src/db/show_time.ts): then from just after that show, so that what
  // was shown last still weighs least. Time rules keep the clock's time of day.
  const newest = newestShowTime(db);
  const now = newest !== undefined && newest > clock + CLOCK_FAST_MAX_MS ? newest + 1 : clock;
  const sel = config.selection;
  const c = withMinSize(request.constraints, sel);
  const minSize = { width: c.minWidth ?? 0, height: c.minHeight ?? 0 };
  const seed = options.seed ?? c.seed ?? Math.floor(Math.random() * 2 ** 32);
  const check = options.check ?? ((path: string) => checkFile(path, { read: true }));
  const sourceCheck = options.sourceCheck ?? ((s) => sourceAvailability(db, s));
  const limit = options.redrawLimit ?? REDRAW_LIMIT;
  const warnings: string[] = [];
  const facts = collectionFacts(db);
  const params = weightParams(sel, facts.images, config.daemon.interval);
  const sources = sourceFacts(db, sel.source_memory);
  const sourceWeight = new Map<number, number>();
  const sourceRecent = new Map<number, number>();
  const offline: { path: string; reason: string }[] = [];
  const unusable: number[] = [];
  const home = options.home ?? "/";
  const folders = listSources(db);
  const group = request.group === undefined
    ? undefined
    : groupFolders(config, folders, home, request.group, (path) => sourcesHolding(db, path));
  for (const g of group?.notFolders ?? []) {
    warnings.push(
      `group ${group!.name}: ${g} is inside a wallpaper folder but is no folder (mistyped, gone, ` +
        "or a file); left out — check [groups] in config.toml",
    );
  }
  for (const g of group?.unknown ?? []) {
    warnings.push(
      `group ${
        group!.name
      }: ${g} is neither a wallpaper folder of varietal's nor inside one (see 'varietal sources list')`,
    );
  }
  // An entry of config.toml turned off counts from the next command, as its order does.
  for (const id of configDisabled(config, folders, home)) sources.enabled.delete(id);
  let disabled = 0;
  for (const s of folders) {
    if (!sources.enabled.has(s.id) || (group && !group.ids.has(s.id))) {
      if (!sources.enabled.has(s.id) && (!group || group.ids.has(s.id))) disabled++;
      unusable.push(s.id);
      continue;
    }
    const a = sourceCheck(s);
    if (!a.online) {
      offline.push({ path: s.path, reason: a.reason });
      unusable.push(s.id);
      continue;
    }
    const at = sources.recent.get(s.id);
    if (at !== undefined) sourceRecent.set(s.id, at);
    sourceWeight.set(s.id, sourceFactor(at ?? null, now, params.sourceCooldownMs, params.exponent));
  }
  for (const o of offline) {
    warnings.push(
      `source ${o.path} is offline (${o.reason}); its images are kept and drawn again once it is back`,
    );
  }

  let timeRule: TimeRule | undefined;
  let systemMode: "dark" | "light" | undefined;
  // Images that failed to decode are left out until their file changes.
  let base = and(
    and(constraintSql(c), availabilitySql([...sourceWeight.keys()], unusable)),
    { sql: NOT_DECODE_FAILED, params: [] },
  );
  if (group) base = and(base, subfolderSql(group.subfolders));
  if (!c.lightness && !c.ignoreTimeRules && options.systemMode && followsSystem(config)) {
    systemMode = options.systemMode;
    base = and(base, timeRuleSql(systemMode));
  } else if (!c.lightness && !c.ignoreTimeRules && sel.time_rules.length) {
    const d = new Date(clock);
    timeRule = activeTimeRule(sel.time_rules, d.getHours() * 60 + d.getMinutes());
    if (timeRule && timeRule.lightness !== "any") {
      base = and(base, timeRuleSql(timeRule.lightness));
    } else timeRule = undefined;
  }
  const outputs = request.outputs ?? [];
  const palettes = needsPalette(c) || timeRule !== undefined || systemMode !== undefined ||
    outputs.length > 0;
  // Time rules keep images without a palette, so only explicit colours narrow by index.
  const narrow = paletteSql(c);
  const narrowIds = paletteIdsSql(c);
  const explicitTarget = c.similarTo ? paletteSignature(c.similarTo) : undefined;

  // Ordered folders (none unless an order is configured: no extra SQL then).
  const ordered = new Map<number, OrderedFolder>();
  if (anyOrdered(config, folders)) {
    const orders = folderOrders(config, folders, home);
    for (const s of folders) {
      const order = orders.get(s.id);
      if (!sourceWeight.has(s.id) || order === undefined || order === "smart") continue;
      ordered.set(s.id, { id: s.id, path: s.path, order, lastShownAt: s.last_shown_at });
    }
  }
  const list = ordered.size ? playlist(ordered, options.positions ?? false) : undefined;
  const draw = (n: number, d: Draw): (Drawn & { order?: PickOrder })[] =>
    list ? drawOrdered(ctx, n, d, list) : drawImages(ctx, n, d);

  const excluded = new Set(request.exclude ?? []);
  const missing: { id: number; path: string }[] = [];
  const unreadable: string[] = [];
  let dropped = 0;
  let firstDropAt = 0;
  let spent = false;
  const ctx: DrawContext = {
    db,
    rng: createRng(seed),
    now,
    params,
    facts,
    sourceWeight,
    sourceRecent,
    taken: new Set<number>(c.similarToImage === undefined ? [] : [c.similarToImage]),
    strategy: options.strategy,
    accept: (cand) => {
      // Excluded ids are drawn and then passed over, as a missing file is, not left out
      // beforehand: the random draws stay those of the same request without them, so
      // `next --seed N` picks what `select --seed N` shows unless that is on screen.
      if (excluded.has(cand.id)) return false;
      if (spent) return false;
      const r = check(cand.path);
      if (r === "ok") return true;
      if (r === "missing") missing.push({ id: cand.id, path: cand.path });
      else unreadable.push(`${cand.path}: ${r}`);
      if (dropped++ === 0) firstDropAt = performance.now();
      spent = dropped >= limit.picks || performance.now() - firstDropAt > limit.ms;
      return false;
    },
    exhausted: () => spent,
  };

  const chosen: (Drawn & { output?: string; order?: PickOrder })[] = [];
  let requested: number;
  if (outputs.length) {
    requested = outputs.length;
    let first: Drawn["cand"] | undefined;
    for (const o of outputs) {
      // Closeness to the first output's palette is preferred, orientation
      // required when the output's size is known; each is dropped only when
      // nothing qualifies with it (orientation last, with a warning).
      const matching = explicitTarget ??
        (first?.has_palette ? paletteSignature(candidateSummary(first)) : undefined);
      const fit = !c.orientation && o.width && o.height
        ? (o.width >= o.height ? "landscape" : "portrait")
        : undefined;
      const fitted = fit ? and(base, constraintSql({ orientation: fit })) : undefined;
      const attempts: Draw[] = [];
      for (const where of fitted ? [fitted, base] : [base]) {
        attempts.push({ where, palettes, narrow, narrowIds, target: matching, output: o.name });
        if (matching && !explicitTarget) {
          attempts.push({ where, palettes, narrow, narrowIds, output: o.name });
        }
      }
      let got: (Drawn & { order?: PickOrder })[] = [];
      for (const attempt of attempts) {
        got = draw(1, attempt);
        if (got.length) {
          if (fitted && attempt.where === base) {
            warnings.push(`no ${fit} image qualifies for output ${o.name}; using any orientation`);
          }
          break;
        }
      }
      if (got.length === 0) break;
      first ??= got[0].cand;
      chosen.push({ ...got[0], output: o.name });
    }
  } else {
    requested = request.count;
    chosen.push(
      ...draw(request.count, {
        where: base,
        palettes,
        narrow,
        narrowIds,
        target: explicitTarget,
      }),
    );
  }

  if (missing.length) {
    db.transaction(() => markMissing(db, missing.map((m) => m.id), now));
    warnings.push(
      `marked ${missing.length} vanished file(s) missing: ${
        missing.slice(0, 3).map((m) => m.path).join(", ")
      }${missing.length > 3 ? ", …" : ""} (run 'varietal scan' to refresh)`,
    );
  }
  if (unreadable.length) {
    warnings.push(
      `cannot use ${unreadable.length} picked file(s), skipped: ${
        unreadable.slice(0, 3).join("; ")
      }${unreadable.length > 3 ? "; …" : ""}`,
    );
  }
  if (spent) {
    warnings.push(
      `stopped redrawing after ${dropped} unusable pick(s) in ${
        Math.round(performance.now() - firstDropAt)
      } ms; run 'varietal scan' to bring the collection up to date`,
    );
  }
  if (c.hue || c.minSaturation !== undefined || c.maxSaturation !== undefined) {
    const pending = countPendingFigures(db);
    if (pending > 0) {
      warnings.push(
        `${pending} palette(s) have colour figures from an older version of varietal and match ` +
          `no hue or saturation constraint until 'varietal extract' recomputes them`,
      );
    }
  }
  if (chosen.length > 0 && chosen.length < requested) {
    const what = [
      describeConstraints(c),
      timeRule ? `time rule ${timeRule.from}–${timeRule.to}: ${timeRule.lightness}` : "",
      group ? `group ${group.name}` : "",
    ].filter(Boolean).join("; ");
    warnings.push(
      `only ${chosen.length} of ${requested} requested image(s) can be drawn${
        what ? ` (in force: ${what})` : ""
      }`,
    );
  }
  const rows = getImages(db, chosen.map((x) => x.cand.id));
  // A row deleted meanwhile by another process (prune, sources remove) is left out.
  const picks: Pick[] = chosen.filter((x) => rows.has(x.cand.id)).map((x) => ({
    image: rows.get(x.cand.id)!,
    weight: x.w.weight,
    factors: x.w.factors,
    ...(x.output === undefined ? {} : { output: x.output }),
    ...(x.order ? { order: x.order } : {}),
  }));
  // Files this draw found gone are for a scan to confirm: not "the folder holds none".
  const idle = picks.length === 0 && missing.length === 0 && !spent
    ? notIndexed(db, config, folders, sourceWeight, {
      home,
      grouped: group !== undefined,
      offline: offline.length > 0,
    })
    : undefined;
  return {
    picks,
    requested,
    warnings,
    seed,
    minSize,
    offline,
    redrawStopped: spent,
    sourceIds: [...sourceWeight.keys()],
    disabled,
    ...(group ? { group: { name: group.name, sources: group.paths } } : {}),
    ...(timeRule ? { timeRule } : {}),
    ...(systemMode ? { systemMode } : {}),
    ...(idle ? { notIndexed: idle } : {}),
  };
}

/**
 * Why a draw that found nothing had nothing to draw from, when that is why: none of its
 * folders holds an image (not marked missing), because no scan reached them yet or
 * because the last one found none. Runs only after an empty draw: one index probe per
 * folder.
 * config.toml's `[[sources]]` reach the database at their first scan, so before any scan
 * its enabled entries count as not scanned (unless the draw is limited to a group); after
 * one, an entry still not there is unusable, which `scan` and `sources list` say. With
 * folders offline, empty ones are not the news (the offline ones are): only unscanned
 * ones count. (Pure SQL and config: nothing more is loaded for a draw.)
 */
function notIndexed(
  db: Database,
  config: Config,
  folders: readonly SourceRow[],
  usable: ReadonlyMap<number, unknown>,
  draw: { home: string; grouped: boolean; offline: boolean },
): NotIndexed | undefined {
  const { home, grouped, offline } = draw;
  const own = folders.filter((s) => usable.has(s.id));
  if (own.some((s) => hasPresentImages(db, s.id))) return undefined;
  const mine = own.filter((s) => s.kind === "folder");
  const unscanned = mine.filter((s) => s.last_scanned_at === null).map((s) => s.path);
  const empty = offline ? [] : mine.filter((s) => s.last_scanned_at !== null).map((s) => s.path);
  if (!grouped && !folders.some((s) => s.last_scanned_at !== null)) {
    const known = new Set(folders.map((s) => s.path));
    for (const e of config.sources) {
      const path = configEntryPath(e.path, home);
      if (e.enabled && !known.has(path)) unscanned.push(path);
    }
  }
  return unscanned.length || empty.length ? { unscanned, empty } : undefined;
}

/**
 * Leaves out disabled and offline folders in SQL too, so the fallback query
 * over the qualifying images never reads their rows: `source_id IN (usable)`
 * when few folders are usable (the `images_source` index then reads only
 * theirs), else `NOT IN (unusable)` (random-rowid lookups keep the primary
 * key).
 */
function availabilitySql(usable: readonly number[], unusable: readonly number[]): SqlClause {
  if (unusable.length === 0) return { sql: "1", params: [] };
  const [op, ids] = usable.length <= unusable.length ? ["IN", usable] : ["NOT IN", unusable];
  return { sql: `i.source_id ${op} (${ids.map(() => "?").join(", ")})`, params: [...ids] };
}

/**
 * The constraints with `[selection] min_width`/`min_height` filled in where
 * no `--min-width`/`--min-height` was given (a flag replaces the setting;
 * 0 disables it).
 */
export function withMinSize(
  c: Constraints,
  sel: { min_width: number; min_height: number },
): Constraints {
  const out = { ...c };
  if (out.minWidth === undefined && sel.min_width > 0) out.minWidth = sel.min_width;
  if (out.minHeight === undefined && sel.min_height > 0) out.minHeight = sel.min_height;
  return out;
}

function and(a: SqlClause, b: SqlClause): SqlClause {
  if (a.sql === "1") return b;
  if (b.sql === "1") return a;
  return { sql: `${a.sql} AND ${b.sql}`, params: [...a.params, ...b.params] };
}
