/**
 * Weighted sampling without replacement (pure: the caller supplies the
 * seeded random source and, for rejection sampling, the proposals).
 *
 * Two exact methods draw from the same distribution — successive sampling,
 * where each draw picks among the remaining items with probability
 * proportional to weight:
 *
 * - {@linkcode rejectionSample}: propose items uniformly at random (the
 *   caller draws random rowids), accept each with probability
 *   `weight / bound`. Its cost depends on the acceptance rate, not on the
 *   number of items.
 * - {@linkcode keyedSample}: Efraimidis–Spirakis keys `u^(1/w)` over an
 *   explicit candidate list (cost linear in the list), for small or sparse
 *   candidate sets.
 *
 * Zero-weight items are drawn only after every positive one, uniformly.
 *
 * @module
 */

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/**
 * A seeded random source (sfc32, seeded through splitmix32).
 *
 * @param seed Any integer; the same seed gives the same sequence.
 * @example The same seed gives the same sequence
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRng } from "./sampler.ts";
 *
 * const a = createRng(7), b = createRng(7);
 * const first = [a(), a(), a()];
 * assert.deepEqual([b(), b(), b()], first);
 * assert.ok(first.every((x) => x >= 0 && x < 1));
 * ```
 */
export function createRng(seed: number): Rng {
  const n = Math.trunc(Math.abs(seed));
  let s = (n ^ Math.imul(Math.floor(n / 4294967296), 0x85ebca6b) ^ 0x9e3779b9) >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(), b = split(), c = split(), d = split();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) next();
  return () => next() / 4294967296;
}

/**
 * A uniform integer in [lo, hi].
 *
 * @example Dice from a seeded source
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRng, randomInt } from "./sampler.ts";
 *
 * const rng = createRng(1);
 * const rolls = Array.from({ length: 600 }, () => randomInt(rng, 1, 6));
 * assert.ok(rolls.every((r) => Number.isInteger(r) && r >= 1 && r <= 6));
 * assert.equal(new Set(rolls).size, 6);
 * ```
 */
export function randomInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

/** Options of {@linkcode rejectionSample}. */
export interface RejectionOptions<C> {
  /** How many distinct items to draw. */
  count: number;
  /** An upper bound of every weight (> 0); a larger weight throws a RangeError (a bug). */
  bound: number;
  /**
   * Draws `n` independent uniform proposals over the whole id space; an
   * entry is undefined when the proposal hit no qualifying item.
   */
  propose: (n: number) => readonly (C | undefined)[];
  /** A stable identity (for "without replacement"). */
  key: (c: C) => number;
  weight: (c: C) => number;
  /** A last check on an accepted item (e.g. the file exists); false drops it for good. */
  accept?: (c: C) => boolean;
  rng: Rng;
  /** Give up after this many proposals. */
  maxProposals: number;
  /** Keys never to return (already shown, picked or dropped). */
  taken?: Set<number>;
  /** Proposals fetched per call of `propose`. @default 128 */
  batch?: number;
}

/** What {@linkcode rejectionSample} found. */
export interface RejectionResult<C> {
  picks: C[];
  /** Proposals made. */
  proposals: number;
  /** Proposals that hit a qualifying item. */
  hits: number;
  /** Sum of the weights of those hits (with `hits` and `bound`, estimates the acceptance rate). */
  hitWeight: number;
  /** Keys dropped by `accept`. */
  dropped: number[];
}

/**
 * Successive weighted sampling by rejection: each proposal is a uniform item;
 * it is accepted with probability `weight / bound`. Processing a batch of
 * proposals in order is the same as making them one by one, so batching
 * only saves round trips. Stops at `count` picks or `maxProposals`.
 *
 * @example Draw two of five ids, proposing uniformly
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRng, randomInt, rejectionSample } from "./sampler.ts";
 *
 * const weights = new Map([[1, 1], [2, 4], [3, 0], [4, 2], [5, 4]]);
 * const rng = createRng(42);
 * const res = rejectionSample<number>({
 *   count: 2,
 *   bound: 4, // the largest weight
 *   propose: (n) => Array.from({ length: n }, () => randomInt(rng, 1, 6)).map((id) =>
 *     weights.has(id) ? id : undefined // 6 is a gap in the ids
 *   ),
 *   key: (id) => id,
 *   weight: (id) => weights.get(id)!,
 *   rng,
 *   maxProposals: 1000,
 * });
 * assert.equal(res.picks.length, 2);
 * assert.equal(new Set(res.picks).size, 2); // without replacement
 * assert.ok(!res.picks.includes(3)); // weight 0 is never accepted
 * ```
 */
export function rejectionSample<C>(o: RejectionOptions<C>): RejectionResult<C> {
  const taken = o.taken ?? new Set<number>();
  const batch = o.batch ?? 128;
  const picks: C[] = [];
  const dropped: number[] = [];
  let proposals = 0, hits = 0, hitWeight = 0;
  while (picks.length < o.count && proposals < o.maxProposals) {
    const got = o.propose(Math.min(batch, o.maxProposals - proposals));
    for (const c of got) {
      proposals++;
      if (c === undefined) continue;
      hits++;
      const k = o.key(c);
      if (taken.has(k)) continue;
      const w = o.weight(c);
      if (w > o.bound * (1 + 1e-9)) {
        throw new RangeError(`Cannot sample: weight ${w} exceeds the bound ${o.bound}`);
      }
      hitWeight += w;
      if (!(w > 0) || o.rng() * o.bound >= w) continue;
      taken.add(k);
      if (o.accept && !o.accept(c)) {
        dropped.push(k);
        continue;
      }
      picks.push(c);
      if (picks.length >= o.count) break;
    }
  }
  return { picks, proposals, hits, hitWeight, dropped };
}

/**
 * Orders candidates as successive weighted sampling would draw them, using
 * Efraimidis–Spirakis keys `log(u) / w` (largest first); zero weights come
 * last in random order. Callers walk the order and skip what they must
 * (missing files) — which is the same as drawing again without it.
 *
 * @param items Candidates.
 * @param weight Weight of a candidate (≥ 0).
 * @param rng Seeded random source.
 * @returns An iterator over the candidates in draw order (lazy: taking the
 * first k of n costs O(k·n) for small k, O(n log n) past 8).
 *
 * @example Zero weights come last
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRng, keyedOrder } from "./sampler.ts";
 *
 * const items = [{ id: "a", w: 0 }, { id: "b", w: 5 }, { id: "c", w: 1 }];
 * const order = [...keyedOrder(items, (x) => x.w, createRng(3))].map((x) => x.id);
 * assert.equal(order.length, 3);
 * assert.equal(order[2], "a");
 * ```
 */
export function* keyedOrder<C>(
  items: readonly C[],
  weight: (c: C) => number,
  rng: Rng,
): Generator<C> {
  const n = items.length;
  // Key = log(u) / w, largest first; ties (zero weights, or weights so small
  // that the key overflows) are broken by a second random number.
  const keys = new Float64Array(n);
  const ties = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const w = weight(items[i]);
    const u = rng();
    ties[i] = rng();
    keys[i] = w > 0 ? Math.max(-Number.MAX_VALUE, Math.log(1 - u) / w) : -Infinity;
  }
  const before = (i: number, j: number) =>
    keys[i] > keys[j] || (keys[i] === keys[j] && ties[i] > ties[j]);
  const used = new Uint8Array(n);
  const first = Math.min(8, n);
  for (let k = 0; k < first; k++) {
    let best = -1;
    for (let i = 0; i < n; i++) if (!used[i] && (best < 0 || before(i, best))) best = i;
    used[best] = 1;
    yield items[best];
  }
  if (first >= n) return;
  const rest: number[] = [];
  for (let i = 0; i < n; i++) if (!used[i]) rest.push(i);
  rest.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  for (const i of rest) yield items[i];
}

/**
 * Draws `count` distinct items with {@linkcode keyedOrder}, checking each with
 * `accept` (false drops it and draws the next). `stop` returning true ends
 * the draw early with the picks so far (a spent redraw budget).
 *
 * @example Skip a pick that fails its check
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRng, keyedSample } from "./sampler.ts";
 *
 * const files = ["a.jpg", "gone.jpg", "b.jpg", "c.jpg"];
 * const { picks, dropped } = keyedSample(
 *   files,
 *   2,
 *   (f) => (f === "gone.jpg" ? 100 : 1), // drawn first almost surely
 *   createRng(9),
 *   (f) => f !== "gone.jpg", // the file has vanished
 * );
 * assert.equal(picks.length, 2);
 * assert.ok(!picks.includes("gone.jpg"));
 * assert.deepEqual(dropped, ["gone.jpg"]);
 * ```
 */
export function keyedSample<C>(
  items: readonly C[],
  count: number,
  weight: (c: C) => number,
  rng: Rng,
  accept?: (c: C) => boolean,
  stop?: () => boolean,
): { picks: C[]; dropped: C[] } {
  const picks: C[] = [];
  const dropped: C[] = [];
  if (count <= 0) return { picks, dropped };
  for (const c of keyedOrder(items, weight, rng)) {
    if (accept && !accept(c)) {
      dropped.push(c);
      if (stop?.()) break;
    } else picks.push(c);
    if (picks.length >= count) break;
  }
  return { picks, dropped };
}
