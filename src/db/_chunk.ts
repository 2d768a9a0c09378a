// Splits long id lists so `IN (…)` stays below SQLite's parameter limit.

/** Largest number of parameters one statement gets. */
export const CHUNK = 500;

/** Yields consecutive slices of at most `size` items. */
export function* chunks<T>(items: readonly T[], size = CHUNK): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** `?, ?, ?` for n parameters. */
export function placeholders(n: number): string {
  return new Array(n).fill("?").join(", ");
}
