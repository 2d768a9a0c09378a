// std-style assertions on top of node:assert (JSR's @std/assert is unreachable here).
import nodeAssert from "node:assert/strict";

/** Asserts a truthy value. */
export function assert(value: unknown, message?: string): asserts value {
  nodeAssert.ok(value, message);
}

/** Deep strict equality. */
export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  nodeAssert.deepStrictEqual(actual, expected, message);
}

/** Deep strict inequality. */
export function assertNotEquals<T>(actual: T, expected: T, message?: string): void {
  nodeAssert.notDeepStrictEqual(actual, expected, message);
}

/** Asserts that text contains a substring. */
export function assertStringIncludes(actual: string, expected: string, message?: string): void {
  if (!actual.includes(expected)) {
    throw new nodeAssert.AssertionError({
      message: message ??
        `Expected ${JSON.stringify(actual)} to include ${JSON.stringify(expected)}`,
    });
  }
}

/** Asserts that text matches a pattern. */
export function assertMatch(actual: string, re: RegExp, message?: string): void {
  nodeAssert.match(actual, re, message);
}

/** Asserts |actual − expected| ≤ tolerance. */
export function assertAlmostEquals(actual: number, expected: number, tolerance = 1e-7): void {
  if (!(Math.abs(actual - expected) <= tolerance)) {
    throw new nodeAssert.AssertionError({
      message: `Expected ${actual} to be within ${tolerance} of ${expected}`,
    });
  }
}

type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

/** Asserts that `fn` throws (optionally an instance of `cls` whose message includes `text`). */
export function assertThrows<E extends Error = Error>(
  fn: () => unknown,
  cls?: ErrorClass<E>,
  text?: string,
): E {
  try {
    fn();
  } catch (e) {
    return check(e, cls, text);
  }
  throw new nodeAssert.AssertionError({ message: "Expected function to throw" });
}

/** Asserts that `fn` rejects (optionally with `cls` and a message including `text`). */
export async function assertRejects<E extends Error = Error>(
  fn: () => Promise<unknown>,
  cls?: ErrorClass<E>,
  text?: string,
): Promise<E> {
  try {
    await fn();
  } catch (e) {
    return check(e, cls, text);
  }
  throw new nodeAssert.AssertionError({ message: "Expected promise to reject" });
}

function check<E extends Error>(e: unknown, cls?: ErrorClass<E>, text?: string): E {
  if (cls && !(e instanceof cls)) {
    throw new nodeAssert.AssertionError({
      message: `Expected ${cls.name}, got ${(e as Error)?.name}: ${(e as Error)?.message}`,
    });
  }
  if (text !== undefined && !String((e as Error)?.message).includes(text)) {
    throw new nodeAssert.AssertionError({
      message: `Expected error message to include ${JSON.stringify(text)}, got ${
        JSON.stringify((e as Error)?.message)
      }`,
    });
  }
  return e as E;
}
