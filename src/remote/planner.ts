/**
 * The fetch plan's pure rules: how many images a remote wants, which listed
 * images are worth downloading, which shown images make room under a quota,
 * and how long to leave a failing remote alone.
 *
 * @module
 */
import type { FailureInfo, RemoteItem, RemoteSpec } from "./protocol.ts";
import type { RemoteKind } from "./kinds/_kind.ts";
import { imageHostAllowed } from "./hosts.ts";

/**
 * How many images to download: `count` when given, else enough to have
 * `keepUnseen` never-shown images waiting (downloading follows consumption).
 */
export function wantedImages(keepUnseen: number, unseen: number, count?: number): number {
  if (count !== undefined) return Math.max(0, count);
  return Math.max(0, keepUnseen - unseen);
}

/** What a candidate is checked against. */
export interface CandidateRules {
  kind: RemoteKind;
  spec: RemoteSpec;
  /** `url:…` and `item:kind:id` keys already downloaded or blocked. */
  skip: ReadonlySet<string>;
  maxFileSize: number;
}

/**
 * Why a listed image is not worth downloading, or null when it is: already
 * known or blocked, on a host the kind does not download from, smaller than
 * the minimum or larger than `max_file_size` as listed.
 */
export function candidateProblem(it: RemoteItem, rules: CandidateRules): string | null {
  const { kind, spec, skip } = rules;
  if (skip.has(`url:${it.imageUrl}`) || skip.has(`item:${kind.name}:${it.id}`)) {
    return "already downloaded or blocked";
  }
  if (!imageHostAllowed(kind, spec, it.imageUrl)) return "not on an allowed image host";
  if (it.width !== null && it.height !== null) {
    if (it.width < spec.minWidth || it.height < spec.minHeight) return "too small as listed";
  }
  if (it.fileSize !== null && it.fileSize > rules.maxFileSize) return "too large as listed";
  return null;
}

/**
 * The candidates to try, in listed order: the wanted number plus spares for
 * those that fail their checks.
 */
export function chooseCandidates(
  items: readonly RemoteItem[],
  want: number,
  rules: CandidateRules,
): RemoteItem[] {
  if (want <= 0) return [];
  const seen = new Set<string>();
  const out: RemoteItem[] = [];
  const limit = want * 2 + 2;
  for (const it of items) {
    if (out.length >= limit) break;
    if (seen.has(it.imageUrl) || candidateProblem(it, rules)) continue;
    seen.add(it.imageUrl);
    out.push(it);
  }
  return out;
}

/**
 * Why {@linkcode chooseCandidates} chose none of `items`: how many the
 * service listed and, for each reason, how many it left out, the most first
 * ("the service listed 5 images: 3 smaller than min_width × min_height (1920 × 1080) as listed,
 * 2 already here or blocked").
 *
 * @param known Listed items the listing already left out as here or blocked.
 */
export function noCandidateNote(
  items: readonly RemoteItem[],
  rules: CandidateRules,
  known = 0,
): string {
  if (items.length === 0 && known === 0) return "the service listed no image";
  const { spec } = rules;
  const said: Record<string, string> = {
    "already downloaded or blocked": "already here or blocked",
    "not on an allowed image host": "not on an allowed image host",
    "too small as listed":
      `smaller than min_width × min_height (${spec.minWidth} × ${spec.minHeight}) as listed`,
    "too large as listed": "larger than max_file_size as listed",
  };
  const counts = new Map<string, number>();
  if (known > 0) counts.set("already downloaded or blocked", known);
  for (const it of items) {
    const why = candidateProblem(it, rules) ?? "already downloaded or blocked"; // a repeat
    counts.set(why, (counts.get(why) ?? 0) + 1);
  }
  const parts = [...counts].sort((a, b) => b[1] - a[1]).map(([why, n]) =>
    `${n} ${said[why] ?? why}`
  );
  const n = items.length + known;
  return `the service listed ${n} image${n === 1 ? "" : "s"}, none to download: ${
    parts.join(", ")
  }`;
}

/** A downloaded image, as quota enforcement sees it. */
export interface StoredImage {
  id: number;
  size: number;
  last_shown_at: number | null;
  favorite: boolean;
}

/**
 * The images to delete to bring `usage` under `quota`: already-shown,
 * non-favourite images that are not on screen, the one shown longest ago
 * first (then the older download).
 *
 * @returns Their ids and the usage after deleting them (may still be over
 * when only unseen, favourite or current images are left).
 */
export function planEviction(
  images: readonly StoredImage[],
  usage: number,
  quota: number,
  protectedIds: ReadonlySet<number>,
): { ids: number[]; usage: number } {
  const ids: number[] = [];
  let left = usage;
  if (left <= quota) return { ids, usage: left };
  const evictable = images
    .filter((i) => i.last_shown_at !== null && !i.favorite && !protectedIds.has(i.id))
    .sort((a, b) => a.last_shown_at! - b.last_shown_at! || a.id - b.id);
  for (const i of evictable) {
    if (left <= quota) break;
    ids.push(i.id);
    left -= i.size;
  }
  return { ids, usage: left };
}

const MINUTE = 60_000;

/**
 * When to contact a remote again after a failure: the time the server named,
 * else for a rate limit 15 minutes doubling per failure in a row (at most a
 * day), for a transient failure (timeout, 5xx, network) 5 minutes doubling
 * (at most 6 hours); other failures (a wrong key, a bad answer) are retried
 * at the next fetch.
 *
 * @param failures Failures in a row before this one.
 * @returns Milliseconds since the epoch, or null for no back-off.
 */
export function nextBackoff(failures: number, info: FailureInfo, now: number): number | null {
  if (info.retryAt !== undefined && info.retryAt !== null) {
    return Math.max(info.retryAt, now + MINUTE);
  }
  const step = Math.min(Math.max(0, failures), 10);
  if (info.rateLimited) return now + Math.min(15 * MINUTE * 2 ** step, 24 * 60 * MINUTE);
  if (info.transient) return now + Math.min(5 * MINUTE * 2 ** step, 6 * 60 * MINUTE);
  return null;
}
