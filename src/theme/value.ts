/**
 * Values inside templates and how they print (pure).
 *
 * @module
 */

/** A template value: what variables, literals and filters produce. */
export type Value =
  | string
  | number
  | boolean
  | null
  | readonly Value[]
  | { readonly [key: string]: Value };

/**
 * Prints a value the way minijinja does for the common cases: strings as
 * they are, whole numbers without a fraction, `none` as an empty string,
 * lists as `[a, b]`.
 *
 * @example How values print in a template
 * ```ts
 * import assert from "node:assert/strict";
 * import { toText } from "./value.ts";
 *
 * assert.equal(toText("#4B7A85"), "#4B7A85");
 * assert.equal(toText(3), "3");
 * assert.equal(toText(null), ""); // none prints nothing
 * assert.equal(toText(["a", 1]), '["a", 1]');
 * ```
 */
export function toText(v: Value): string {
  if (typeof v === "string") return v;
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v === null) return "";
  if (Array.isArray(v)) return `[${v.map((x) => JSON.stringify(x)).join(", ")}]`;
  return JSON.stringify(v);
}

/**
 * Shortest round-trip form (whole numbers print without a fraction).
 *
 * @example Whole numbers without a fraction
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatNumber } from "./value.ts";
 *
 * assert.equal(formatNumber(100), "100");
 * assert.equal(formatNumber(0.85), "0.85");
 * ```
 */
export function formatNumber(n: number): string {
  return String(n);
}

/**
 * Jinja truthiness: empty strings, 0, none, empty lists and maps are false.
 *
 * @example Jinja truthiness
 * ```ts
 * import assert from "node:assert/strict";
 * import { truthy } from "./value.ts";
 *
 * assert.equal(truthy(""), false);
 * assert.equal(truthy([]), false);
 * assert.equal(truthy(0), false);
 * assert.equal(truthy("0"), true); // a non-empty string
 * ```
 */
export function truthy(v: Value): boolean {
  if (v === null || v === false || v === 0 || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v).length > 0;
  return true;
}

/**
 * A name for the value's type in error messages.
 *
 * @example Type names in error messages
 * ```ts
 * import assert from "node:assert/strict";
 * import { typeName } from "./value.ts";
 *
 * assert.equal(typeName(null), "none");
 * assert.equal(typeName([1]), "list");
 * assert.equal(typeName({ a: 1 }), "map");
 * assert.equal(typeName("x"), "string");
 * ```
 */
export function typeName(v: Value): string {
  if (v === null) return "none";
  if (Array.isArray(v)) return "list";
  if (typeof v === "object") return "map";
  return typeof v;
}
