/**
 * Jinja's binary operators and value tests on plain values (pure). Errors
 * are {@linkcode OpError}s; the compiler adds the template location.
 *
 * @module
 */
import { toText, typeName, type Value } from "./value.ts";

/**
 * An operator applied to values it cannot handle.
 *
 * @example Dividing by zero
 * ```ts
 * import assert from "node:assert/strict";
 * import { binaryOp, OpError } from "./_jinja_ops.ts";
 *
 * assert.throws(() => binaryOp("/", 1, 0), OpError);
 * ```
 */
export class OpError extends Error {
  /** Creates the error; the message says what was wrong. */
  constructor(message: string) {
    super(message);
    this.name = "OpError";
  }
}

/**
 * A value as a number (booleans count as 0/1).
 *
 * @throws {OpError} Otherwise.
 * @example Numbers and booleans
 * ```ts
 * import assert from "node:assert/strict";
 * import { OpError, toNumber } from "./_jinja_ops.ts";
 *
 * assert.equal(toNumber(2.5), 2.5);
 * assert.equal(toNumber(true), 1);
 * assert.throws(() => toNumber("x"), OpError);
 * ```
 */
export function toNumber(v: Value): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  throw new OpError(
    `expected a number, got a ${typeName(v)}${typeof v === "string" ? ` "${v}"` : ""}`,
  );
}

/**
 * Jinja equality: by value, lists and maps compared structurally.
 *
 * @example Equality by value
 * ```ts
 * import assert from "node:assert/strict";
 * import { same } from "./_jinja_ops.ts";
 *
 * assert.equal(same([1, { a: 2 }], [1, { a: 2 }]), true);
 * assert.equal(same(1, "1"), false);
 * ```
 */
export function same(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a === "object" && typeof b === "object" && a !== null && b !== null) {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  return false;
}

/**
 * Applies a binary operator other than `and`/`or` (those short-circuit in the compiler).
 *
 * @throws {OpError} On wrong operand types or a division by zero.
 * @example Jinja's arithmetic, concatenation and membership
 * ```ts
 * import assert from "node:assert/strict";
 * import { binaryOp } from "./_jinja_ops.ts";
 *
 * assert.equal(binaryOp("+", 1, 2), 3);
 * assert.equal(binaryOp("~", "color", 1), "color1");
 * assert.equal(binaryOp("//", 7, 2), 3);
 * assert.equal(binaryOp("%", -7, 3), 2); // floored, as in Python
 * assert.equal(binaryOp("in", 2, [1, 2]), true);
 * ```
 */
export function binaryOp(op: string, a: Value, b: Value): Value {
  switch (op) {
    case "~":
      return toText(a) + toText(b);
    case "==":
      return same(a, b);
    case "!=":
      return !same(a, b);
    case "in":
      if (typeof b === "string") return b.includes(toText(a));
      if (Array.isArray(b)) return b.some((x) => same(x, a));
      if (b !== null && typeof b === "object" && typeof a === "string") return Object.hasOwn(b, a);
      throw new OpError(`'in' needs a string, list or map on the right, got a ${typeName(b)}`);
    case "+":
      if (typeof a === "string" && typeof b === "string") return a + b;
      return toNumber(a) + toNumber(b);
  }
  if (["<", ">", "<=", ">="].includes(op) && typeof a === "string" && typeof b === "string") {
    return op === "<" ? a < b : op === ">" ? a > b : op === "<=" ? a <= b : a >= b;
  }
  const x = toNumber(a), y = toNumber(b);
  switch (op) {
    case "<":
      return x < y;
    case ">":
      return x > y;
    case "<=":
      return x <= y;
    case ">=":
      return x >= y;
    case "-":
      return x - y;
    case "*":
      return x * y;
  }
  if (y === 0) throw new OpError("division by zero");
  switch (op) {
    case "/":
      return x / y;
    case "//":
      return Math.floor(x / y);
    case "%":
      return x - y * Math.floor(x / y);
  }
  throw new OpError(`unknown operator '${op}'`);
}

/**
 * The `is` tests that look at a value (`defined` is handled by the compiler).
 *
 * @example The value tests of `x is …`
 * ```ts
 * import assert from "node:assert/strict";
 * import { TESTS } from "./_jinja_ops.ts";
 *
 * assert.equal(TESTS.odd(3), true);
 * assert.equal(TESTS.none(null), true);
 * assert.equal(TESTS.string(1), false);
 * ```
 */
export const TESTS: Readonly<Record<string, (v: Value) => boolean>> = Object.freeze({
  none: (v) => v === null,
  number: (v) => typeof v === "number",
  string: (v) => typeof v === "string",
  odd: (v) => toNumber(v) % 2 !== 0,
  even: (v) => toNumber(v) % 2 === 0,
});

/**
 * `range(n)`, `range(a, b)`, `range(a, b, step)`.
 *
 * @throws {OpError} On a zero step or a huge range.
 * @example Like Python's range
 * ```ts
 * import assert from "node:assert/strict";
 * import { range } from "./_jinja_ops.ts";
 *
 * assert.deepEqual(range([3]), [0, 1, 2]);
 * assert.deepEqual(range([1, 7, 2]), [1, 3, 5]);
 * assert.deepEqual(range([5, 0, -2]), [5, 3, 1]);
 * ```
 */
export function range(args: readonly number[]): number[] {
  const [from, to, step] = args.length === 1 ? [0, args[0], 1] : [args[0], args[1], args[2] ?? 1];
  if (step === 0) throw new OpError("range() step cannot be 0");
  const out: number[] = [];
  for (let i = from; step > 0 ? i < to : i > to; i += step) {
    out.push(i);
    if (out.length > 100_000) throw new OpError("range() is too long");
  }
  return out;
}
