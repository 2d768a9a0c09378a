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
 */
export function toText(v: Value): string {
  if (typeof v === "string") return v;
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v === null) return "";
  if (Array.isArray(v)) return `[${v.map((x) => JSON.stringify(x)).join(", ")}]`;
  return JSON.stringify(v);
}

/** Shortest round-trip form (whole numbers print without a fraction). */
export function formatNumber(n: number): string {
  return String(n);
}

/** Jinja truthiness: empty strings, 0, none, empty lists and maps are false. */
export function truthy(v: Value): boolean {
  if (v === null || v === false || v === 0 || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v).length > 0;
  return true;
}

/** A name for the value's type in error messages. */
export function typeName(v: Value): string {
  if (v === null) return "none";
  if (Array.isArray(v)) return "list";
  if (typeof v === "object") return "map";
  return typeof v;
}
