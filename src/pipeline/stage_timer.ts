/**
 * Times the stages of a pipeline run.
 *
 * @module
 */

/** The stages of a `next`, in order. */
export const STAGES = ["lock", "select", "set", "palette", "record", "theme", "notify"] as const;
/** One of {@linkcode STAGES}. */
export type Stage = typeof STAGES[number];

/**
 * Milliseconds per stage that ran, and the total (from the start of the
 * pipeline). `startup`, when measured, is the time before the pipeline.
 */
export type Timings = { startup?: number; total: number } & Partial<Record<Stage, number>>;

/** Options for {@linkcode StageTimer}. */
export interface StageTimerOptions {
  /**
   * Report `startup`: the time from the start of Deno's runtime to this
   * timer's creation (module loading, config, database), i.e.
   * `performance.now()`, whose origin is the runtime's start. It leaves out
   * the few milliseconds Deno spends before its runtime starts (most of a
   * bare `deno run`): a process cannot read its own start time from `/proc`
   * without `--allow-all`. For one-shot commands; the daemon leaves it out.
   * @default false
   */
  startup?: boolean;
}

/** Accumulates the time spent in each stage. */
export class StageTimer {
  readonly #start = performance.now();
  readonly #startup: number | undefined;
  readonly #ms: Partial<Record<Stage, number>> = {};

  /** Starts timing the pipeline now. */
  constructor(options: StageTimerOptions = {}) {
    if (options.startup) this.#startup = this.#start;
  }

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
    const total = round(performance.now() - this.#start);
    const out: Timings = this.#startup === undefined
      ? { total }
      : { startup: round(this.#startup), total };
    for (const s of STAGES) if (this.#ms[s] !== undefined) out[s] = round(this.#ms[s]!);
    return out;
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
