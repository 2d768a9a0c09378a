// "Did you mean …?" for mistyped commands, flags, subcommands and choices (pure).

/**
 * Edit distance between two strings: insertions, deletions, substitutions
 * and swaps of two neighbouring characters each cost 1 (optimal string
 * alignment).
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1, cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 0; j < cols; j++) d[0][j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/**
 * The candidate the user most likely meant: the closest by edit distance
 * when it is close enough for the input's length (1 edit up to 4
 * characters, 2 up to 8, 3 beyond), else the only candidate that starts
 * with the input (at least 3 characters). Ties go to the earlier candidate.
 *
 * @example
 * ```ts
 * import { suggest } from "./suggest.ts";
 * if (suggest("nxet", ["next", "prev"]) !== "next") throw new Error();
 * if (suggest("zzz", ["next", "prev"]) !== undefined) throw new Error();
 * ```
 */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  const wanted = input.toLowerCase();
  const limit = wanted.length <= 4 ? 1 : wanted.length <= 8 ? 2 : 3;
  let best: string | undefined, bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(wanted, c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  if (best !== undefined && bestD <= limit && bestD < wanted.length) return best;
  if (wanted.length >= 3) {
    const prefixed = candidates.filter((c) => c.toLowerCase().startsWith(wanted));
    if (prefixed.length === 1) return prefixed[0];
  }
  return undefined;
}

/** `" (did you mean 'X'?)"`, or "" when nothing is close. */
export function didYouMean(input: string, candidates: readonly string[], prefix = ""): string {
  const s = suggest(input, candidates);
  return s === undefined ? "" : ` (did you mean '${prefix}${s}'?)`;
}
