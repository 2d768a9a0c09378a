/**
 * Loads the modules that import material-color-utilities on first use.
 *
 * The specifiers are built at run time on purpose: Deno loads (and
 * resolves the npm packages of) every literal `import("…")` target when the
 * importing module loads, so a literal import here would make every command
 * that merely might theme pay for the library at start-up (see `lazy()` in
 * `src/cli/_context.ts`). `deno compile` is told to `--include src/`.
 *
 * @module
 */

/** The source-colour module (image → Material source colour). */
export type SourceColorModule = typeof import("./source_color.ts");
/** The scheme module (source colour → every role in light and dark). */
export type SchemeModule = typeof import("./scheme.ts");
/** The ANSI-palette module (harmonised terminal colours). */
export type AnsiModule = typeof import("../ansi.ts");

function load<T>(relative: string): Promise<T> {
  return import(new URL(relative, import.meta.url).href) as Promise<T>;
}

/**
 * Imports `source_color.ts`.
 *
 * @example Load the module when it is needed
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSourceColor } from "./load.ts";
 *
 * const { toneOfHex } = await loadSourceColor();
 * assert.equal(toneOfHex("#ffffff"), 100);
 * ```
 */
export function loadSourceColor(): Promise<SourceColorModule> {
  return load<SourceColorModule>("./source_color.ts");
}

/**
 * Imports `scheme.ts`.
 *
 * @example Load the module when it is needed
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadScheme } from "./load.ts";
 *
 * const { materialScheme } = await loadScheme();
 * assert.equal(materialScheme("#4285f4").source, "#4285f4");
 * ```
 */
export function loadScheme(): Promise<SchemeModule> {
  return load<SchemeModule>("./scheme.ts");
}

/**
 * Imports `../ansi.ts`.
 *
 * @example Load the module when it is needed
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadAnsi } from "./load.ts";
 *
 * const { ansiPalette } = await loadAnsi();
 * assert.equal(typeof ansiPalette, "function");
 * ```
 */
export function loadAnsi(): Promise<AnsiModule> {
  return load<AnsiModule>("../ansi.ts");
}
