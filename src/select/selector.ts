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
import { getImages, type ImageRow, markMissing } from "../db/images.ts";
import {
  activeTimeRule,
  type Constraints,
  constraintSql,
  describeConstraints,
  type SqlClause,
  timeRuleSql,
} from "./constraints.ts";
import {
  allCandidates,
  type Candidate,
  type CollectionFacts,
  collectionFacts,
  lookupIds,
  sourceFacts,
} from "./_candidates.ts";
import { createRng, keyedSample, randomInt, rejectionSample, type Rng } from "./sampler.ts";
import {
  paletteSignature,
  type PaletteSummary,
  type Signature,
  signatureDistance,
  sourceFactor,
  timesShownFactor,
  weigh,
  type Weighed,
  type WeightParams,
  weightParams,
} from "./weights.ts";

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

/** Collections whose rowid span is at most this are sampled exactly in one query. */
const SMALL_SPAN = 2048;
/** Proposals per lookup query. */
const BATCH = 128;

interface Draw {
  where: SqlClause;
  /** Signature to be close to, with whether images without a palette are allowed. */
  target?: { signature: Signature; allowUnpaletted: boolean };
}

/**
 * Selects images. Returns fewer than requested (with a warning) when fewer
 * qualify; never returns banned or missing images or images of disabled
 * folders; marks picked files that vanished as missing.
 *
 * @param db An open database.
 * @param config The validated configuration (`[selection]`, `daemon.interval`).
 * @param request Count, constraints, outputs, exclusions.
 * @param options `now`, `seed`, file check.
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
  const rng = createRng(seed);
  const check = options.check ?? checkFile;
  const warnings: string[] = [];
  const facts = collectionFacts(db);
  const sel = config.selection;
  const params = weightParams(sel, facts.images, config.daemon.interval);
  const sources = sourceFacts(db, sel.source_memory);
  const sourceWeight = new Map<number, number>();
  for (const id of sources.enabled) {
    sourceWeight.set(
      id,
      sourceFactor(sources.recent.get(id) ?? null, now, params.sourceCooldownMs, params.exponent),
    );
  }
  const maxSource = Math.max(0, ...sourceWeight.values());

  let timeRule: TimeRule | undefined;
  let base = constraintSql(c);
  if (!c.lightness && !c.ignoreTimeRules && sel.time_rules.length) {
    const d = new Date(now);
    timeRule = activeTimeRule(sel.time_rules, d.getHours() * 60 + d.getMinutes());
    if (timeRule && timeRule.lightness !== "any") {
      base = and(base, timeRuleSql(timeRule.lightness));
    } else timeRule = undefined;
  }
  const explicitTarget = c.similarTo
    ? { signature: paletteSignature(c.similarTo), allowUnpaletted: false }
    : undefined;

  const taken = new Set<number>(request.exclude ?? []);
  const missing: string[] = [];
  const ctx: DrawContext = {
    db,
    rng,
    now,
    params,
    facts,
    sourceWeight,
    maxSource,
    taken,
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

  const chosen: { cand: Candidate; w: Weighed; output?: string }[] = [];
  let requested: number;
  if (request.outputs?.length) {
    requested = request.outputs.length;
    let first: Candidate | undefined;
    for (const o of request.outputs) {
      let target = explicitTarget;
      if (!target && first?.has_palette) {
        target = { signature: paletteSignature(summary(first)), allowUnpaletted: true };
      }
      const fit = !c.orientation && o.width && o.height
        ? (o.width >= o.height ? "landscape" : "portrait")
        : undefined;
      let got = fit
        ? draw(ctx, 1, { where: and(base, constraintSql({ orientation: fit })), target })
        : [];
      if (fit && got.length === 0) {
        warnings.push(`No ${fit} image qualifies for output ${o.name}; using any orientation`);
      }
      if (got.length === 0) got = draw(ctx, 1, { where: base, target });
      if (got.length === 0) break;
      first ??= got[0].cand;
      chosen.push({ ...got[0], output: o.name });
    }
  } else {
    requested = request.count;
    chosen.push(...draw(ctx, request.count, { where: base, target: explicitTarget }));
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
  const picks: Pick[] = chosen.map((x) => ({
    image: rows.get(x.cand.id)!,
    weight: x.w.weight,
    factors: x.w.factors,
    ...(x.output === undefined ? {} : { output: x.output }),
  }));
  return { picks, requested, warnings, ...(timeRule ? { timeRule } : {}) };
}

interface DrawContext {
  db: Database;
  rng: Rng;
  now: number;
  params: WeightParams;
  facts: CollectionFacts;
  sourceWeight: Map<number, number>;
  maxSource: number;
  taken: Set<number>;
  accept: (c: Candidate) => boolean;
}

function and(a: SqlClause, b: SqlClause): SqlClause {
  if (a.sql === "1") return b;
  if (b.sql === "1") return a;
  return { sql: `${a.sql} AND ${b.sql}`, params: [...a.params, ...b.params] };
}

function summary(x: Candidate): PaletteSummary {
  return {
    avg_hue: x.avg_hue,
    avg_saturation: x.avg_saturation ?? 0,
    avg_lightness: x.avg_lightness ?? 0,
    background: x.background ?? "#000000",
  };
}

/** Distance used for images without a palette when unpaletted images are allowed. */
const UNKNOWN_DISTANCE = 0.25;

function weighCandidate(ctx: DrawContext, x: Candidate, d: Draw): Weighed {
  let distance: number | undefined;
  if (d.target) {
    distance = x.has_palette
      ? signatureDistance(paletteSignature(summary(x)), d.target.signature)
      : UNKNOWN_DISTANCE;
  }
  const w = weigh(
    {
      last_shown_at: x.last_shown_at,
      times_shown: x.times_shown,
      favorite: x.favorite === 1,
      sourceShownAt: null,
      distance,
    },
    ctx.params,
    ctx.now,
  );
  const source = ctx.sourceWeight.get(x.source_id) ?? 0;
  w.factors.source = source;
  let weight = 1;
  for (const v of Object.values(w.factors)) weight *= v;
  return { weight, factors: w.factors };
}

/** The largest weight any image can have right now (the rejection bound). */
function weightBound(ctx: DrawContext): number {
  const p = ctx.params;
  const f = ctx.facts;
  return (f.anyUnseen ? Math.max(1, p.unseenBoost) : 1) *
    (f.anyFavorite ? Math.max(1, p.favoriteBoost) : 1) *
    timesShownFactor(f.minTimesShown, p.timesShownWeight) * ctx.maxSource;
}

function draw(
  ctx: DrawContext,
  count: number,
  d: Draw,
): { cand: Candidate; w: Weighed }[] {
  if (count <= 0 || ctx.maxSource <= 0) return [];
  const weights = new Map<number, Weighed>();
  const weightOf = (x: Candidate) => {
    let w = weights.get(x.id);
    if (!w) weights.set(x.id, w = weighCandidate(ctx, x, d));
    return w.weight;
  };
  const qualifies = (x: Candidate | undefined) =>
    x !== undefined && ctx.sourceWeight.has(x.source_id) &&
    (x.has_palette === 1 || !d.target || d.target.allowUnpaletted);
  const out: Candidate[] = [];
  const { minId, maxId } = ctx.facts;
  const span = maxId - minId + 1;
  const bound = weightBound(ctx);
  if (span > SMALL_SPAN && span > 8 * count && bound > 0) {
    const res = rejectionSample<Candidate>({
      count,
      bound,
      propose: (n) => {
        const ids = Array.from({ length: n }, () => randomInt(ctx.rng, minId, maxId));
        return lookupIds(ctx.db, ids, d.where).map((x) => qualifies(x) ? x : undefined);
      },
      key: (x) => x.id,
      weight: weightOf,
      accept: ctx.accept,
      rng: ctx.rng,
      maxProposals: 2048 + 256 * count,
      taken: ctx.taken,
      batch: BATCH,
    });
    out.push(...res.picks);
  }
  if (out.length < count) {
    const rest = allCandidates(ctx.db, d.where).filter((x) => qualifies(x) && !ctx.taken.has(x.id));
    const res = keyedSample(rest, count - out.length, weightOf, ctx.rng, ctx.accept);
    for (const x of [...res.picks, ...res.dropped]) ctx.taken.add(x.id);
    out.push(...res.picks);
  }
  return out.map((cand) => ({ cand, w: weights.get(cand.id)! }));
}
