/**
 * matugen templates (pure): `{{ colors.primary.default.hex | set_alpha: 0.5 }}`,
 * `<* for name, value in colors *> … <* endfor *>`, `<* if {{ is_dark_mode }} *>`
 * … `<* else *>` … `<* endif *>`, `<* include "file" *>`. Parsed and compiled by
 * the Jinja machinery in matugen's dialect (see `jinja_parse.ts`), with
 * matugen's filters and loop variables (`loop.index` from 0, `loop.first`,
 * `loop.last`). Colour paths are checked when the template is compiled, so
 * an unknown role, variant or format is an error with file, line and column
 * even in a branch that is not taken.
 *
 * @module
 */
import { type CompiledTemplate, type CompileOptions, linkJinja } from "./jinja_compile.ts";
import { type Expr, MATUGEN, type Node, parseJinja } from "./jinja_parse.ts";
import { MATUGEN_FILTERS } from "./matugen_filters.ts";
import { MATUGEN_FORMATS } from "./matugen_format.ts";
import { MATUGEN_NAMES, MATUGEN_VARIANTS } from "./matugen_variables.ts";
import { TEMPLATE_COLOR_NAMES } from "../palette/material/roles.ts";
import { SourceMap } from "./template_error.ts";

/**
 * Compiles a matugen template.
 *
 * @param options `included`: names it uses may be set by its includer.
 * @throws {TemplateError} On a syntax error, an unknown variable, filter,
 *   colour role, variant or format.
 * @example A variable through a filter
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileMatugen } from "./matugen_compile.ts";
 *
 * const t = compileMatugen("{{ mode | to_upper }}", "x");
 * assert.equal(t.render({ mode: "dark" }, { alpha: 100 }), "DARK");
 * ```
 */
export function compileMatugen(
  source: string,
  name: string,
  options: { included?: boolean } = {},
): CompiledTemplate {
  return linkMatugen(parseMatugen(source, name), source, name, options);
}

/**
 * Parses a matugen template (the cacheable half of {@linkcode compileMatugen}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseMatugen } from "./matugen_compile.ts";
 *
 * assert.ok(parseMatugen("{{ mode }}", "t").length > 0);
 * ```
 */
export function parseMatugen(source: string, name: string): Node[] {
  return parseJinja(source, new SourceMap(name, source), MATUGEN);
}

/**
 * Compiles what {@linkcode parseMatugen} gave for `source`: the colour paths
 * are checked and names, filters and argument counts too, as in a fresh compile.
 *
 * @throws {TemplateError} On an unknown variable, filter, colour role, variant or format.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { linkMatugen, parseMatugen } from "./matugen_compile.ts";
 *
 * const source = "{{ mode | to_upper }}";
 * const t = linkMatugen(parseMatugen(source, "t"), source, "t");
 * assert.equal(t.render({ mode: "dark" }, { alpha: 100 }), "DARK");
 * ```
 */
export function linkMatugen(
  nodes: readonly Node[],
  source: string,
  name: string,
  options: { included?: boolean } = {},
): CompiledTemplate {
  const o: CompileOptions = {
    globals: MATUGEN_NAMES,
    strictNames: !options.included,
    dialect: MATUGEN,
    filters: MATUGEN_FILTERS,
    loop: "matugen",
    validate: validateColorPaths,
    syntax: "matugen",
    unknownHint: (kind, n) =>
      (kind === "variable" ? MATUGEN4_NAMES : MATUGEN4_FILTERS).has(n)
        ? "matugen 4's, which varietal does not have yet: see docs/theme.md"
        : undefined,
  };
  return linkJinja(nodes, source, name, o);
}

/** matugen 4's names beyond those of matugen 2–3 that varietal implements. */
const MATUGEN4_NAMES: ReadonlySet<string> = new Set(["base16"]);

/** matugen 4's filters beyond those of matugen 2–3 that varietal implements. */
const MATUGEN4_FILTERS: ReadonlySet<string> = new Set([
  "to_color",
  "saturate",
  "desaturate",
  "blend",
  "harmonize",
  "set_red",
  "set_green",
  "set_blue",
  "format",
  "lower_case",
  "upper_case",
  "snake_case",
  "kebab_case",
  "pascal_case",
]);

const ROLES = new Set(TEMPLATE_COLOR_NAMES);
const VARIANTS: ReadonlySet<string> = new Set(MATUGEN_VARIANTS);
const FORMATS: ReadonlySet<string> = new Set(MATUGEN_FORMATS);

/** How deep inside `colors` a name or path points: 0 = `colors`, 1 = a role, 2 = a variant, 3 = a value. */
type Depth = 0 | 1 | 2 | 3;

/**
 * Checks every `colors.<role>.<variant>.<format>` path (also through loop
 * variables bound from `colors`).
 *
 * @throws {TemplateError} At the first unknown role, variant or format.
 * @example A misspelt role is caught at parse time
 * ```ts
 * import assert from "node:assert/strict";
 * import { MATUGEN, parseJinja } from "./jinja_parse.ts";
 * import { SourceMap } from "./template_error.ts";
 * import { validateColorPaths } from "./matugen_compile.ts";
 *
 * const src = "{{ colors.primry.default.hex }}";
 * const map = new SourceMap("gtk.css", src);
 * assert.throws(
 *   () => validateColorPaths(parseJinja(src, map, MATUGEN), map),
 *   /gtk.css:1:11: unknown colour 'primry'/,
 * );
 * ```
 */
export function validateColorPaths(nodes: readonly Node[], map: SourceMap): void {
  walk(nodes, new Map(), map);
}

function walk(nodes: readonly Node[], scope: Map<string, Depth>, map: SourceMap): void {
  for (const n of nodes) {
    switch (n.k) {
      case "out": {
        const d = expr(n.e, scope, map);
        if (d !== undefined && d < 3) {
          const what = ["colors", "a colour", "a colour variant"][d];
          throw map.error(
            startOf(n.e),
            `${what} cannot be printed: add a format, e.g. .default.hex`,
          );
        }
        break;
      }
      case "if":
        for (const b of n.branches) {
          expr(b.test, scope, map);
          walk(b.body, scope, map);
        }
        if (n.else) walk(n.else, scope, map);
        break;
      case "for": {
        const depth = expr(n.iter, scope, map);
        const inner = new Map(scope);
        inner.delete(n.target);
        if (n.target2) {
          inner.delete(n.target2);
          if (depth !== undefined && depth < 3) inner.set(n.target2, (depth + 1) as Depth);
        }
        walk(n.body, inner, map);
        if (n.else) walk(n.else, scope, map);
        break;
      }
      case "set":
        expr(n.e, scope, map);
        break;
      default:
        break;
    }
  }
}

/** Checks an expression; returns the depth inside `colors` it points at, if any. */
function expr(e: Expr, scope: Map<string, Depth>, map: SourceMap): Depth | undefined {
  switch (e.k) {
    case "name":
      return scope.has(e.name) ? scope.get(e.name) : e.name === "colors" ? 0 : undefined;
    case "attr": {
      const d = expr(e.obj, scope, map);
      if (d === undefined) return undefined;
      const at = e.at + 1;
      if (d === 0 && !ROLES.has(e.name)) {
        throw map.error(at, `unknown colour '${e.name}' (the Material roles and source_color)`);
      }
      if (d === 1 && !VARIANTS.has(e.name)) {
        throw map.error(at, `unknown variant '${e.name}' (expected light, dark or default)`);
      }
      if (d === 2 && !FORMATS.has(e.name)) {
        throw map.error(
          at,
          `unknown format '${e.name}' (expected one of ${MATUGEN_FORMATS.join(", ")})`,
        );
      }
      if (d === 3) throw map.error(at, `a colour format has no attribute '${e.name}'`);
      return (d + 1) as Depth;
    }
    case "filter":
      expr(e.value, scope, map);
      for (const a of e.args) expr(a, scope, map);
      return undefined;
    case "index":
      expr(e.obj, scope, map);
      expr(e.index, scope, map);
      return undefined;
    case "not":
    case "neg":
      expr(e.e, scope, map);
      return undefined;
    case "bin":
      expr(e.l, scope, map);
      expr(e.r, scope, map);
      return undefined;
    case "cond":
      expr(e.test, scope, map);
      expr(e.then, scope, map);
      if (e.else) expr(e.else, scope, map);
      return undefined;
    case "list":
      for (const x of e.items) expr(x, scope, map);
      return undefined;
    case "test":
      expr(e.e, scope, map);
      return undefined;
    default:
      return undefined;
  }
}

/** Where an expression starts in the source (its leftmost name or literal). */
function startOf(e: Expr): number {
  let x = e;
  while (x.k === "attr" || x.k === "index" || x.k === "filter") {
    x = x.k === "filter" ? x.value : x.obj;
  }
  return x.at;
}
