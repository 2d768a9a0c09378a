/**
 * Times the stages of a pipeline run.
 *
 * @module
 */

/** The stages of a `next`, in order. */
export const STAGES = ["lock", "select", "set", "palette", "record", "theme", "notify"] as const;
/** One of {@linkcode STAGES}. */
export type Stage = typeof STAGES[number];

/** Milliseconds per stage that ran, and the total. */
export type Timings = Partial<Record<Stage, number>> & { total: number };

/** Accumulates the time spent in each stage. */
export class StageTimer {
  readonly #start = performance.now();
  readonly #ms: Partial<Record<Stage, number>> = {};

  /** Runs `fn` and adds its duration to `stage`. */
  async stage<T>(stage: Stage, fn: () => Promise<T> | T): Promise<T> {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      this.#ms[stage] = (this.#ms[stage] ?? 0) + (performance.now() - t);
    }
  }

  /** The timings so far, rounded to 0.1 ms. */
  timings(): Timings {
    const out: Timings = { total: round(performance.now() - this.#start) };
    for (const s of STAGES) if (this.#ms[s] !== undefined) out[s] = round(this.#ms[s]!);
    return out;
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
