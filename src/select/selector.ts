/**
 * Chooses wallpapers: reads the collection from the database, filters with
 * constraints, weighs with the factors of `weights.ts` and draws with the
 * samplers of `sampler.ts`.
 *
 * Large collections are sampled by proposing random rowids (one indexed
 * lookup per batch) and accepting with probability `weight / bound`, so the
 * cost depends on the acceptance rate and not on the number of images. When
 * proposals rarely qualify (a sparse constraint, a small collection) it
 * falls back to an indexed query of the qualifying images and exact keyed
 * sampling over them. Only picked files are checked on disk; a vanished pick
 * is marked `missing_since` and another is drawn.
 *
 * Requires `--allow-read` (to check picked files) and `--allow-write` (the
 * database, for missing marks).
 *
 * @module
 */
import type { Config, TimeRule } from "../config/schema.ts";
import type { Database } from "../db/database.ts";
import { NOT_DECODE_FAILED } from "../db/decode_failures.ts";
import { getImages, type ImageRow, markMissing } from "../db/images.ts";
import {
  activeTimeRule,
  type Constraints,
  constraintSql,
  describeConstraints,
  needsPalette,
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
}

/** One chosen image with the factors of its weight. */
export interface Pick {
  image: ImageRow;
  weight: number;
  factors: Record<string, number>;
  /** The output it is for, when outputs were requested. */
  output?: string;
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
  /** The seed of the draw (pass it back as `seed` to repeat the draw on the same data). */
  seed: number;
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
}

/** Default file check: a regular file that can be stat-ed. */
export function checkFile(path: string): "ok" | "missing" | string {
  try {
    return Deno.statSync(path).isFile ? "ok" : "missing";
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) {
      return "missing";
    }
    return (e as Error).message;
  }
}

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
  const now = options.now ?? Date.now();
  const c = request.constraints;
  const seed = options.seed ?? c.seed ?? Math.floor(Math.random() * 2 ** 32);
  const check = options.check ?? checkFile;
  const warnings: string[] = [];
  const sel = config.selection;
  const facts = collectionFacts(db);
  const params = weightParams(sel, facts.images, config.daemon.interval);
  const sources = sourceFacts(db, sel.source_memory);
  const sourceWeight = new Map<number, number>();
  const sourceRecent = new Map<number, number>();
  for (const id of sources.enabled) {
    const at = sources.recent.get(id);
    if (at !== undefined) sourceRecent.set(id, at);
    sourceWeight.set(id, sourceFactor(at ?? null, now, params.sourceCooldownMs, params.exponent));
  }

  let timeRule: TimeRule | undefined;
  // Images that failed to decode are left out until their file changes.
  let base = and(constraintSql(c), { sql: NOT_DECODE_FAILED, params: [] });
  if (!c.lightness && !c.ignoreTimeRules && sel.time_rules.length) {
    const d = new Date(now);
    timeRule = activeTimeRule(sel.time_rules, d.getHours() * 60 + d.getMinutes());
    if (timeRule && timeRule.lightness !== "any") {
      base = and(base, timeRuleSql(timeRule.lightness));
    } else timeRule = undefined;
  }
  const outputs = request.outputs ?? [];
  const palettes = needsPalette(c) || timeRule !== undefined || outputs.length > 0;
  // Time rules keep images without a palette, so only explicit colours narrow by index.
  const narrow = paletteSql(c);
  const explicitTarget = c.similarTo ? paletteSignature(c.similarTo) : undefined;

  const missing: string[] = [];
  const ctx: DrawContext = {
    db,
    rng: createRng(seed),
    now,
    params,
    facts,
    sourceWeight,
    sourceRecent,
    taken: new Set<number>(request.exclude ?? []),
    strategy: options.strategy,
    accept: (cand) => {
      const r = check(cand.path);
      if (r === "ok") return true;
      if (r === "missing") {
        markMissing(db, [cand.id], now);
        missing.push(cand.path);
      } else warnings.push(`Cannot use ${cand.path}: ${r}; skipped`);
      return false;
    },
  };

  const chosen: (Drawn & { output?: string })[] = [];
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
        attempts.push({ where, palettes, narrow, target: matching });
        if (matching && !explicitTarget) attempts.push({ where, palettes, narrow });
      }
      let got: Drawn[] = [];
      for (const draw of attempts) {
        got = drawImages(ctx, 1, draw);
        if (got.length) {
          if (fitted && draw.where === base) {
            warnings.push(`No ${fit} image qualifies for output ${o.name}; using any orientation`);
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
      ...drawImages(ctx, request.count, {
        where: base,
        palettes,
        narrow,
        target: explicitTarget,
      }),
    );
  }

  if (missing.length) {
    warnings.push(
      `Marked ${missing.length} vanished file(s) missing: ${missing.slice(0, 3).join(", ")}${
        missing.length > 3 ? ", …" : ""
      } (run 'varietal scan' to refresh)`,
    );
  }
  if (chosen.length > 0 && chosen.length < requested) {
    const what = describeConstraints(c);
    warnings.push(
      `Only ${chosen.length} of ${requested} requested image(s) qualify${what ? ` (${what})` : ""}${
        timeRule ? ` (time rule ${timeRule.from}–${timeRule.to}: ${timeRule.lightness})` : ""
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
  }));
  return { picks, requested, warnings, seed, ...(timeRule ? { timeRule } : {}) };
}

function and(a: SqlClause, b: SqlClause): SqlClause {
  if (a.sql === "1") return b;
  if (b.sql === "1") return a;
  return { sql: `${a.sql} AND ${b.sql}`, params: [...a.params, ...b.params] };
}
