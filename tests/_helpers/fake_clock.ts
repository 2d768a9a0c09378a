// A clock for code that takes `now` and `sleep(ms, signal)`: time moves only when
// the test says so (std's FakeTime is on JSR, which is unreachable here).

interface Sleeper {
  until: number;
  resolve: () => void;
}

/** Fake time: `now()` and `sleep()` to inject, `advance()` to move on. */
export class FakeClock {
  #now: number;
  #sleepers = new Set<Sleeper>();

  /** @param start The time to start at (ms since the epoch). */
  constructor(start = Date.UTC(2030, 0, 1)) {
    this.#now = start;
  }

  /** The fake time. */
  now = (): number => this.#now;

  /** Resolves once the fake time has moved `ms` on, or when `signal` aborts. */
  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const s: Sleeper = { until: this.#now + Math.max(0, ms), resolve };
      const wake = () => {
        this.#sleepers.delete(s);
        resolve();
      };
      s.resolve = () => {
        signal?.removeEventListener("abort", wake);
        wake();
      };
      signal?.addEventListener("abort", wake, { once: true });
      this.#sleepers.add(s);
    });

  /** How many callers sleep now. */
  get sleeping(): number {
    return this.#sleepers.size;
  }

  /** Moves time on by `ms`, waking every sleeper whose time has come. */
  advance(ms: number): void {
    this.#now += ms;
    for (const s of [...this.#sleepers]) if (s.until <= this.#now) s.resolve();
  }

  /**
   * A suspend of the machine for `ms`: the wall clock moves on, the timers do not
   * count it (as CLOCK_MONOTONIC, which Deno's timers follow, stops while asleep).
   */
  suspend(ms: number): void {
    this.#now += ms;
    for (const s of this.#sleepers) s.until += ms;
  }

  /**
   * The wall clock set to another time by `ms` (negative: back), as by hand or by
   * NTP; the timers do not count it (they follow CLOCK_MONOTONIC).
   */
  step(ms: number): void {
    this.suspend(ms);
  }

  /**
   * Waits (in real time, at most `timeoutMs`) until the code under test
   * sleeps, i.e. has done all it can at this fake time.
   */
  async idle(timeoutMs = 10_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    // Let a sleeper that is being woken leave first.
    await new Promise((r) => setTimeout(r, 0));
    while (this.#sleepers.size === 0) {
      if (Date.now() > end) throw new Error("timed out waiting for the code under test to sleep");
      await new Promise((r) => setTimeout(r, 2));
    }
  }
}
