/**
 * Weight factors for selection (pure: no clock, no database, no I/O).
 *
 * The weight of an image is the product of its factors. Every factor is a
 * small function with a stated range whose neutral value is 1.0; times are
 * milliseconds since the epoch and `now` is always passed in.
 *
 * @module
 */
import { deltaE, type Lab } from "../palette/color.ts";
import type { PaletteSummary } from "../palette/summary.ts";
import type { SelectionConfig } from "../config/schema.ts";

const DAY_MS = 86_400_000;

/** The lower bound of the source factor, so a lone folder still gets shown. */
export const SOURCE_FLOOR = 0.05;

/** The selection knobs a weight needs, with cooldowns resolved to milliseconds. */
export interface WeightParams {
  /** Milliseconds for a shown image to recover full weight (> 0). */
  imageCooldownMs: number;
  /** Milliseconds for a recently used folder to recover (> 0). */
  sourceCooldownMs: number;
  /** Exponent k of `min(1, age / cooldown)^k`. */
  exponent: number;
  unseenBoost: number;
  timesShownWeight: number;
  favoriteBoost: number;
  similarityStrength: number;
}

/**
 * The default image cooldown: long enough that the whole collection gets its
 * turn, `max(1 day, N × interval / 2)`.
 *
 * @param images Number of images in the collection.
 * @param intervalSeconds The rotation interval (`daemon.interval`).
 * @returns Milliseconds.
 * @example A small collection waits a day, a large one half its rotation
 * ```ts
 * import assert from "node:assert/strict";
 * import { autoImageCooldownMs } from "./weights.ts";
 *
 * const DAY_MS = 86_400_000;
 * assert.equal(autoImageCooldownMs(10, 900), DAY_MS); // 10 images × 15 min: at least a day
 * assert.equal(autoImageCooldownMs(1000, 900), 1000 * 900 * 1000 / 2);
 * ```
 */
export function autoImageCooldownMs(images: number, intervalSeconds: number): number {
  return Math.max(DAY_MS, (images * intervalSeconds * 1000) / 2);
}

/**
 * The default folder cooldown: `source_memory` rotations (at least 1 minute).
 *
 * @param memory `selection.source_memory`.
 * @param intervalSeconds The rotation interval (`daemon.interval`).
 * @returns Milliseconds.
 * @example Three rotations of 15 minutes, at least a minute
 * ```ts
 * import assert from "node:assert/strict";
 * import { autoSourceCooldownMs } from "./weights.ts";
 *
 * assert.equal(autoSourceCooldownMs(3, 900), 3 * 900 * 1000);
 * assert.equal(autoSourceCooldownMs(0, 10), 60_000);
 * ```
 */
export function autoSourceCooldownMs(memory: number, intervalSeconds: number): number {
  return Math.max(60_000, Math.max(1, memory) * intervalSeconds * 1000);
}

/**
 * Resolves config knobs to {@linkcode WeightParams}.
 *
 * @param cfg The `[selection]` section.
 * @param images Number of images (for the automatic image cooldown).
 * @param intervalSeconds `daemon.interval`.
 * @example Resolve the default settings for 1,000 images
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULTS } from "../config/schema.ts";
 * import { autoImageCooldownMs, weightParams } from "./weights.ts";
 *
 * const p = weightParams(DEFAULTS.selection, 1000, 900);
 * assert.equal(p.imageCooldownMs, autoImageCooldownMs(1000, 900)); // image_cooldown = "auto"
 * assert.equal(p.exponent, 2);
 * assert.equal(p.favoriteBoost, 3);
 * ```
 */
export function weightParams(
  cfg: SelectionConfig,
  images: number,
  intervalSeconds: number,
): WeightParams {
  return {
    imageCooldownMs: cfg.image_cooldown === null
      ? autoImageCooldownMs(images, intervalSeconds)
      : Math.max(1, cfg.image_cooldown * 1000),
    sourceCooldownMs: cfg.source_cooldown === null
      ? autoSourceCooldownMs(cfg.source_memory, intervalSeconds)
      : Math.max(1, cfg.source_cooldown * 1000),
    exponent: cfg.recency_exponent,
    unseenBoost: cfg.unseen_boost,
    timesShownWeight: cfg.times_shown_weight,
    favoriteBoost: cfg.favorite_boost,
    similarityStrength: cfg.similarity_strength,
  };
}

/** How far ahead of the clock a show may be and count as just shown (a clock kept fast). */
const FAST_CLOCK_MAX_MS = 15 * 3_600_000;

/**
 * Recovery after a show: `min(1, age / cooldown)^k`. Range [0, 1]; 1 when
 * never shown. A show up to 15 hours "in the future" (recorded while the clock
 * was fast) counts as just shown: 0; one further ahead, as long ago: 1.
 *
 * @example Half-way through the cooldown, with k = 2
 * ```ts
 * import assert from "node:assert/strict";
 * import { recencyFactor } from "./weights.ts";
 *
 * const HOUR = 3_600_000;
 * assert.equal(recencyFactor(0, 12 * HOUR, 24 * HOUR, 2), 0.25); // (12 / 24)²
 * assert.equal(recencyFactor(0, 48 * HOUR, 24 * HOUR, 2), 1); // cooled down
 * assert.equal(recencyFactor(null, 0, 24 * HOUR, 2), 1); // never shown
 * assert.equal(recencyFactor(2 * HOUR, 0, 24 * HOUR, 2), 0); // by a clock 2 hours fast
 * assert.equal(recencyFactor(400 * 24 * HOUR, 0, 24 * HOUR, 2), 1); // the clock was reset
 * ```
 */
export function recencyFactor(
  lastShownAt: number | null,
  now: number,
  cooldownMs: number,
  exponent: number,
): number {
  if (lastShownAt === null) return 1;
  const age = now - lastShownAt;
  // Shown "in the future": by a clock that was fast (see showTime in src/db/show_time.ts),
  // so just now; far ahead, the clock is the one that is wrong, and the age unknown.
  if (age < 0) return age >= -FAST_CLOCK_MAX_MS ? 0 : 1;
  return Math.min(1, age / cooldownMs) ** exponent;
}

/**
 * `unseen_boost` for a never-shown image, else 1. Range [0, ∞).
 *
 * @example Never-shown images get the boost
 * ```ts
 * import assert from "node:assert/strict";
 * import { unseenFactor } from "./weights.ts";
 *
 * assert.equal(unseenFactor(null, 2), 2);
 * assert.equal(unseenFactor(1_700_000_000_000, 2), 1);
 * ```
 */
export function unseenFactor(lastShownAt: number | null, boost: number): number {
  return lastShownAt === null ? boost : 1;
}

/**
 * Folder recency: the folders of the last few shows weigh less, recovering
 * over the source cooldown; never below {@linkcode SOURCE_FLOOR}. Range
 * [SOURCE_FLOOR, 1]; 1 for folders not among the recent shows.
 *
 * @param recentShownAt When the folder was last shown if it is among the
 * last `source_memory` shows, else null.
 *
 * @example A folder shown this instant still keeps the floor
 * ```ts
 * import assert from "node:assert/strict";
 * import { SOURCE_FLOOR, sourceFactor } from "./weights.ts";
 *
 * const now = 1_700_000_000_000;
 * assert.equal(sourceFactor(now, now, 60_000, 2), SOURCE_FLOOR);
 * assert.equal(sourceFactor(null, now, 60_000, 2), 1); // not among the recent shows
 * ```
 */
export function sourceFactor(
  recentShownAt: number | null,
  now: number,
  cooldownMs: number,
  exponent: number,
): number {
  return Math.max(SOURCE_FLOOR, recencyFactor(recentShownAt, now, cooldownMs, exponent));
}

/**
 * Balances show counts: `(1 + times_shown)^-w`. Range (0, 1]; 1 for a
 * never-shown image or w = 0; never increases with `timesShown`.
 *
 * @example Shown three times, with the default weight 0.5
 * ```ts
 * import assert from "node:assert/strict";
 * import { timesShownFactor } from "./weights.ts";
 *
 * assert.equal(timesShownFactor(3, 0.5), 0.5); // (1 + 3)^-0.5
 * assert.equal(timesShownFactor(3, 0), 1); // balancing off
 * ```
 */
export function timesShownFactor(timesShown: number, w: number): number {
  return (1 + Math.max(0, timesShown)) ** -w;
}

/**
 * `favorite_boost` for favourites, else 1. Range [0, ∞).
 *
 * @example Favourites get the boost
 * ```ts
 * import assert from "node:assert/strict";
 * import { favoriteFactor } from "./weights.ts";
 *
 * assert.equal(favoriteFactor(true, 3), 3);
 * assert.equal(favoriteFactor(false, 3), 1);
 * ```
 */
export function favoriteFactor(favorite: boolean, boost: number): number {
  return favorite ? boost : 1;
}

/**
 * The part of a palette's {@linkcode PaletteSummary} that similarity
 * compares (columns of the colour indexes; temperature is left out).
 */
export type SimilaritySummary = Pick<
  PaletteSummary,
  "avg_hue" | "avg_saturation" | "avg_lightness"
>;

/** A point in OKLab standing for a palette. */
export type Signature = Lab;

/** OKLab chroma given to a fully saturated average colour in a signature. */
export const SIGNATURE_CHROMA = 0.2;

/**
 * The perceptual signature of a palette: an OKLab point with L = the
 * average lightness (which is OKLab L), and hue angle and chroma from the
 * average hue and saturation (chroma `SIGNATURE_CHROMA × saturation`; a
 * palette without a dominant hue is grey).
 *
 * @example A red-ish mid-light palette, and a grey one
 * ```ts
 * import assert from "node:assert/strict";
 * import { paletteSignature } from "./weights.ts";
 *
 * // hue 0° points along +a; chroma 0.2 × saturation
 * assert.deepEqual(paletteSignature({ avg_hue: 0, avg_saturation: 0.5, avg_lightness: 0.6 }), {
 *   L: 0.6,
 *   a: 0.1,
 *   b: 0,
 * });
 * // no dominant hue: a grey point at the same lightness
 * assert.deepEqual(
 *   paletteSignature({ avg_hue: null, avg_saturation: 0.5, avg_lightness: 0.6 }),
 *   { L: 0.6, a: 0, b: 0 },
 * );
 * ```
 */
export function paletteSignature(p: SimilaritySummary): Signature {
  const chroma = p.avg_hue === null ? 0 : SIGNATURE_CHROMA * p.avg_saturation;
  const h = (p.avg_hue ?? 0) * Math.PI / 180;
  return { L: p.avg_lightness, a: chroma * Math.cos(h), b: chroma * Math.sin(h) };
}

/**
 * Distance of two signatures: OKLab ΔE (0 = same).
 *
 * @example The OKLab distance of two signatures
 * ```ts
 * import assert from "node:assert/strict";
 * import { signatureDistance } from "./weights.ts";
 *
 * const d = signatureDistance({ L: 0.5, a: 0, b: 0 }, { L: 0.5, a: 0.03, b: 0.04 });
 * assert.ok(Math.abs(d - 0.05) < 1e-12); // a 3-4-5 triangle
 * ```
 */
export function signatureDistance(a: Signature, b: Signature): number {
  return deltaE(a, b);
}

/**
 * The palette distance that costs a factor `e^-strength`: 0.05 in OKLab, a
 * clearly visible difference (in a real collection a palette's nearest
 * neighbour is typically ~0.03 away, a random pair ~0.16).
 */
export const SIMILARITY_SCALE = 0.05;

/**
 * Soft preference for palettes close to a target:
 * `exp(-strength × d / SIMILARITY_SCALE)` with d the OKLab distance.
 * Range (0, 1]; 1 at d = 0 or strength 0.
 *
 * @example One scale away costs e^-strength
 * ```ts
 * import assert from "node:assert/strict";
 * import { SIMILARITY_SCALE, similarityFactor } from "./weights.ts";
 *
 * assert.equal(similarityFactor(SIMILARITY_SCALE, 4), Math.exp(-4));
 * assert.equal(similarityFactor(0, 4), 1);
 * assert.equal(similarityFactor(0.3, 0), 1); // strength 0 turns it off
 * ```
 */
export function similarityFactor(distance: number, strength: number): number {
  return Math.exp(-strength * Math.max(0, distance) / SIMILARITY_SCALE);
}

/** What a weight needs to know about one image. */
export interface WeightInput {
  last_shown_at: number | null;
  times_shown: number;
  favorite: boolean;
  /** Recent show time of its folder (see {@linkcode sourceFactor}), or null. */
  sourceShownAt: number | null;
  /** Distance to the similarity target, or undefined when there is none. */
  distance?: number;
}

/** Every factor of one image by name, and their product. */
export interface Weighed {
  weight: number;
  factors: Record<string, number>;
}

/**
 * Computes every factor of one image and the final weight.
 *
 * @param x The image's facts.
 * @param p Resolved knobs.
 * @param now Milliseconds since the epoch.
 * @example Every factor of a never-shown favourite
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULTS } from "../config/schema.ts";
 * import { weigh, weightParams } from "./weights.ts";
 *
 * const p = weightParams(DEFAULTS.selection, 1000, 900);
 * const image = { last_shown_at: null, times_shown: 0, favorite: true, sourceShownAt: null };
 * const w = weigh(image, p, 1_700_000_000_000);
 * assert.deepEqual(w.factors, { recency: 1, unseen: 2, source: 1, times_shown: 1, favorite: 3 });
 * assert.equal(w.weight, 6);
 * ```
 */
export function weigh(x: WeightInput, p: WeightParams, now: number): Weighed {
  const factors: Record<string, number> = {
    recency: recencyFactor(x.last_shown_at, now, p.imageCooldownMs, p.exponent),
    unseen: unseenFactor(x.last_shown_at, p.unseenBoost),
    source: sourceFactor(x.sourceShownAt, now, p.sourceCooldownMs, p.exponent),
    times_shown: timesShownFactor(x.times_shown, p.timesShownWeight),
    favorite: favoriteFactor(x.favorite, p.favoriteBoost),
  };
  if (x.distance !== undefined) {
    factors.similarity = similarityFactor(x.distance, p.similarityStrength);
  }
  let weight = 1;
  for (const v of Object.values(factors)) weight *= v;
  return { weight, factors };
}

/**
 * The same weight as {@linkcode weigh} (bit for bit: the same factors
 * multiplied in the same order) without building the factor record — for
 * weighing many candidates.
 *
 * @example The same weight without the factor record
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULTS } from "../config/schema.ts";
 * import { weigh, weightOf, weightParams } from "./weights.ts";
 *
 * const p = weightParams(DEFAULTS.selection, 1000, 900);
 * const now = 1_700_000_000_000;
 * const image = {
 *   last_shown_at: now - 3_600_000,
 *   times_shown: 4,
 *   favorite: false,
 *   sourceShownAt: now - 60_000,
 *   distance: 0.02,
 * };
 * assert.equal(weightOf(image, p, now), weigh(image, p, now).weight);
 * ```
 */
export function weightOf(x: WeightInput, p: WeightParams, now: number): number {
  let w = 1 * recencyFactor(x.last_shown_at, now, p.imageCooldownMs, p.exponent);
  w *= unseenFactor(x.last_shown_at, p.unseenBoost);
  w *= sourceFactor(x.sourceShownAt, now, p.sourceCooldownMs, p.exponent);
  w *= timesShownFactor(x.times_shown, p.timesShownWeight);
  w *= favoriteFactor(x.favorite, p.favoriteBoost);
  if (x.distance !== undefined) w *= similarityFactor(x.distance, p.similarityStrength);
  return w;
}
