/**
 * An in-process async mutex: callers run one at a time, in arrival order.
 *
 * @module
 */

/**
 * A FIFO async mutex. `acquire()` resolves to a Disposable that releases it.
 *
 * @example Exclusive section
 * ```ts
 * import { AsyncMutex } from "./mutex.ts";
 * const m = new AsyncMutex();
 * {
 *   using _held = await m.acquire();
 *   // only one caller at a time here
 * }
 * ```
 */
export class AsyncMutex {
  #tail: Promise<void> = Promise.resolve();
  #held = 0;

  /** Whether someone holds or waits for the mutex. */
  get locked(): boolean {
    return this.#held > 0;
  }

  /** Waits for the mutex; dispose the result to release it. */
  acquire(): Promise<Disposable> {
    this.#held++;
    let release!: () => void;
    const next = new Promise<void>((r) => release = r);
    const prev = this.#tail;
    this.#tail = prev.then(() => next);
    return prev.then(() => {
      let done = false;
      return {
        [Symbol.dispose]: () => {
          if (done) return;
          done = true;
          this.#held--;
          release();
        },
      };
    });
  }

  /** Runs `fn` while holding the mutex. */
  async run<T>(fn: () => Promise<T> | T): Promise<T> {
    using _held = await this.acquire();
    return await fn();
  }
}
