// One weighted draw of COUNT distinct images for the selector: rejection
// sampling over random rowids while that is cheap; random ids from the colour
// indexes for sparse colours and similarity targets; else the indexed
// candidate query with keyed sampling. Only the selector imports this.
import type { Database } from "../db/database.ts";
import type { SqlClause } from "./constraints.ts";
import {
  allCandidates,
  type Candidate,
  type CollectionFacts,
  imagePath,
  lookupIds,
  paletteIds,
  paletteSummaries,
} from "./_candidates.ts";
import { keyedSample, randomInt, rejectionSample, type Rng } from "./sampler.ts";
import {
  paletteSignature,
  type Signature,
  signatureDistance,
  similarityFactor,
  type SimilaritySummary,
  timesShownFactor,
  weigh,
  type Weighed,
  type WeightInput,
  weightOf,
  type WeightParams,
} from "./weights.ts";

/** What every draw of one selection shares. */
export interface DrawContext {
  db: Database;
  rng: Rng;
  now: number;
  params: WeightParams;
  facts: CollectionFacts;
  /** Enabled folders → their source factor. */
  sourceWeight: Map<number, number>;
  /** Enabled folders among the last shows → when they were shown. */
  sourceRecent: Map<number, number>;
  /** Ids already picked, dropped or excluded. */
  taken: Set<number>;
  /** The final check of a pick (file exists); false drops it. */
  accept: (c: Candidate) => boolean;
  /**
   * True once too many picks were dropped by `accept` in this call (the
   * redraw budget is spent): the draw stops with what it has.
   */
  exhausted?: () => boolean;
  /** Which sampling paths may run (tests and benches force one). @default "auto" */
  strategy?: Strategy;
}

/**
 * Sampling paths: "auto" chooses by cost; "rowid" forces random rowids,
 * "index" random ids from the colour indexes (when colours are constrained
 * or a similarity target is set), "scan" keyed sampling over every
 * qualifying image. All draw from the same distribution; a forced path still
 * falls back to "scan" for what it lacks.
 */
export type Strategy = "auto" | "rowid" | "index" | "scan";

/** One draw's filter and similarity target. */
export interface Draw {
  where: SqlClause;
  /** Whether `where` or the target needs the palettes join. */
  palettes: boolean;
  /** The palette-only part of `where`, for a scan of the covering colour indexes. */
  narrow?: SqlClause;
  /** A query of the ids to propose from when colours are sparse (`paletteIdsSql`). */
  narrowIds?: SqlClause;
  /** A palette to be close to (images without a palette are then left out). */
  target?: Signature;
  /** The output (monitor) this draw fills: an ordered folder goes on from its last show there. */
  output?: string;
}

/** A picked candidate with its factors. */
export interface Drawn {
  cand: Candidate;
  w: Weighed;
}

/** Rowid spans up to this are sampled exactly with one query. */
const SMALL_SPAN = 2048;
/** Batch sizes of the rowid lookup (a fixed few, so prepared statements are reused). */
const SIZES = [16, 32, 64, 128] as const;
/** Relative cost of one rowid proposal and of one row of the candidate query. */
const PROPOSAL_COST = 3;
/** Proposals after which rejection gives up whatever the estimate says. */
const MAX_PROPOSALS = 100_000;
const ROW_COST = 1;

const size = (n: number) => SIZES.find((s) => s >= n) ?? SIZES[SIZES.length - 1];

/** The colour summary of a candidate (valid only when it has a palette). */
export function candidateSummary(x: Candidate): SimilaritySummary {
  return {
    avg_hue: x.avg_hue,
    avg_saturation: x.avg_saturation ?? 0,
    avg_lightness: x.avg_lightness ?? 0,
  };
}

function weightInput(ctx: DrawContext, x: Candidate, d: Draw | undefined): WeightInput {
  return {
    last_shown_at: x.last_shown_at,
    times_shown: x.times_shown,
    favorite: x.favorite === 1,
    sourceShownAt: ctx.sourceRecent.get(x.source_id) ?? null,
    distance: d?.target && x.has_palette
      ? signatureDistance(paletteSignature(candidateSummary(x)), d.target)
      : undefined,
  };
}

/**
 * The largest weight any image can have right now (the rejection bound):
 * the larger of the best never-shown image (unseen boost, a favourite only if
 * some never-shown image is one) and the best shown one; recency and
 * similarity are at most 1.
 */
function weightBound(ctx: DrawContext): number {
  const p = ctx.params, f = ctx.facts;
  const fav = Math.max(1, p.favoriteBoost);
  const unseen = f.anyUnseen ? p.unseenBoost * (f.anyUnseenFavorite ? fav : 1) : 0;
  const shown = f.anyFavorite ? fav : 1;
  return Math.max(unseen, shown) * timesShownFactor(f.minTimesShown, p.timesShownWeight) *
    Math.max(0, ...ctx.sourceWeight.values());
}

/** How a rejection round proposes: a uniform id from some universe of ids. */
interface Universe {
  size: number;
  randomId: () => number;
}

/**
 * Draws up to `count` distinct images (fewer when fewer qualify), each with
 * probability proportional to its weight among those not yet taken.
 */
export function drawImages(ctx: DrawContext, count: number, d: Draw): Drawn[] {
  if (count <= 0 || ctx.sourceWeight.size === 0) return [];
  const weights = new Map<number, number>();
  const cachedWeight = (x: Candidate) => {
    let w = weights.get(x.id);
    if (w === undefined) {
      weights.set(x.id, w = weightOf(weightInput(ctx, x, d), ctx.params, ctx.now));
    }
    return w;
  };
  const qualifies = (x: Candidate | undefined) =>
    x !== undefined && ctx.sourceWeight.has(x.source_id) && (x.has_palette === 1 || !d.target);
  const bound = weightBound(ctx);
  const out: Candidate[] = [];
  const strategy = ctx.strategy ?? "auto";
  const spent = () => ctx.exhausted?.() === true;
  const reject = (u: Universe, forced: boolean, weight = cachedWeight) => {
    if (spent()) return;
    const big = u.size > SMALL_SPAN && u.size > 8 * (count - out.length);
    if (bound > 0 && u.size > 0 && (big || forced)) {
      out.push(
        ...rejectAdaptive(ctx, count - out.length, u, d, bound, weight, qualifies, forced),
      );
    }
  };
  // 1. Random rowids over the whole id span (not for a similarity target: its
  //    factor makes most proposals fail; stage 2 proposes by it instead).
  if (strategy === "rowid" || (strategy === "auto" && !d.target)) {
    const { minId, maxId } = ctx.facts;
    reject(
      { size: maxId - minId + 1, randomId: () => randomInt(ctx.rng, minId, maxId) },
      strategy === "rowid",
    );
  }
  // 2a. A similarity target: propose images in proportion to their similarity,
  //     computed from the covering colour index, and accept by the other factors
  //     (weight / similarity), which gives exactly weight-proportional draws.
  if (out.length < count && d.target && (strategy === "auto" || strategy === "index")) {
    const target = d.target;
    const rows = paletteSummaries(ctx.db, d.narrow);
    const cumulative = new Float64Array(rows.length);
    let total = 0;
    rows.forEach((r, i) => {
      const sig = paletteSignature({ avg_hue: r[1], avg_saturation: r[2], avg_lightness: r[3] });
      total += similarityFactor(signatureDistance(sig, target), ctx.params.similarityStrength);
      cumulative[i] = total;
    });
    if (total > 0) {
      const randomId = () => {
        const x = ctx.rng() * total;
        let lo = 0, hi = rows.length - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cumulative[mid] > x) hi = mid;
          else lo = mid + 1;
        }
        return rows[lo][0];
      };
      const rest = (x: Candidate) => weightOf(weightInput(ctx, x, undefined), ctx.params, ctx.now);
      reject({ size: rows.length, randomId }, strategy === "index", rest);
    }
  }
  // 2b. Sparse colours: random ids among those the covering colour index matches.
  let narrowIds: number[] | undefined;
  if (
    out.length < count && d.narrowIds && !d.target &&
    (strategy === "auto" || strategy === "index")
  ) {
    const ids = narrowIds = paletteIds(ctx.db, d.narrowIds);
    reject(
      { size: ids.length, randomId: () => ids[randomInt(ctx.rng, 0, ids.length - 1)] },
      strategy === "index",
    );
  }
  // 3. Exact keyed sampling over every qualifying image.
  if (out.length < count && !spent()) {
    // With colour constraints, the ids the colour indexes match (read in stage 2b,
    // or here) drive the query, so that a hue range's per-image share sums run
    // for those images only.
    const where = narrowIds
      ? {
        sql: `${d.where.sql} AND i.id IN (SELECT value FROM json_each(?))`,
        params: [...d.where.params, JSON.stringify(narrowIds)],
      }
      : d.narrow
      ? {
        sql: `${d.where.sql} AND i.id IN (SELECT p.image_id FROM palettes p WHERE ${d.narrow.sql})`,
        params: [...d.where.params, ...d.narrow.params],
      }
      : d.where;
    const rest = allCandidates(ctx.db, where, d.palettes).filter((x) =>
      qualifies(x) && !ctx.taken.has(x.id)
    );
    const weighOnce = (x: Candidate) =>
      weights.get(x.id) ?? weightOf(weightInput(ctx, x, d), ctx.params, ctx.now);
    const res = keyedSample(rest, count - out.length, weighOnce, ctx.rng, (x) => {
      x.path = imagePath(ctx.db, x.id);
      return ctx.accept(x);
    }, spent);
    for (const x of [...res.picks, ...res.dropped]) ctx.taken.add(x.id);
    out.push(...res.picks);
  }
  return out.map((cand) => ({ cand, w: weigh(weightInput(ctx, cand, d), ctx.params, ctx.now) }));
}

/**
 * Rejection rounds over uniform proposals from `u`. The first rounds measure
 * the hit rate (proposals that qualify) and the acceptance rate; it goes on
 * only while the expected cost stays below one query over every qualifying
 * image (unless `forced`), and returns what it has otherwise.
 */
function rejectAdaptive(
  ctx: DrawContext,
  count: number,
  u: Universe,
  d: Draw,
  bound: number,
  weight: (x: Candidate) => number,
  qualifies: (x: Candidate | undefined) => boolean,
  forced: boolean,
): Candidate[] {
  const out: Candidate[] = [];
  let proposals = 0, hits = 0, hitWeight = 0;
  let batch = size(8 * count);
  while (out.length < count) {
    const res = rejectionSample<Candidate>({
      count: count - out.length,
      bound,
      propose: (n) => {
        const ids = Array.from({ length: n }, u.randomId);
        return lookupIds(ctx.db, ids, d.where, d.palettes).map((x) => qualifies(x) ? x : undefined);
      },
      key: (x) => x.id,
      weight,
      accept: ctx.accept,
      rng: ctx.rng,
      maxProposals: batch,
      taken: ctx.taken,
      batch,
    });
    out.push(...res.picks);
    proposals += res.proposals;
    hits += res.hits;
    hitWeight += res.hitWeight;
    const left = count - out.length;
    if (left === 0 || ctx.exhausted?.()) break;
    if (hits < 8 && proposals < 512) {
      batch = size(batch * 2);
      continue;
    }
    if (hits === 0 || hitWeight === 0) break;
    const hitRate = hits / proposals;
    const acceptance = hitWeight / (hits * bound);
    const needed = left / (hitRate * acceptance);
    if (!forced && needed * PROPOSAL_COST > hitRate * u.size * ROW_COST) break;
    if (proposals > Math.min(4 * needed + 4096 + 64 * count, MAX_PROPOSALS)) break;
    batch = size(needed * 1.2);
  }
  return out;
}
