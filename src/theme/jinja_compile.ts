/**
 * Compiles a parsed Jinja template into closures (pure): parse once, render
 * many times with different palettes. Names and filters are checked at
 * compile time, so a typo fails even inside a branch that is not taken.
 *
 * @module
 */
import { type Dialect, type Expr, JINJA, type Node, parseJinja } from "./jinja_parse.ts";
import { type FilterEnv, FilterError, FILTERS, type FilterSpec } from "./filters.ts";
import { SourceMap, TemplateError } from "./template_error.ts";
import { toText, truthy, typeName, type Value } from "./value.ts";
import { binaryOp, OpError, range, TESTS, toNumber } from "./_jinja_ops.ts";

/** What a render needs besides the variables. */
export interface RenderEnv extends FilterEnv {
  /** Finds an included template (already loaded); undefined when missing. */
  include?: (name: string) => CompiledTemplate | undefined;
}

/** A compiled template: render it with variables. */
export interface CompiledTemplate {
  /** The template's name (used in error messages). */
  readonly name: string;
  /** The template syntax. */
  readonly syntax: "jinja" | "pywal" | "matugen";
  /** Files named by `{% include %}`, to load before rendering. */
  readonly includes: readonly string[];
  /**
   * Renders with the given variables.
   * @throws {TemplateError} On a filter applied to a wrong value or a missing include.
   */
  render(vars: Readonly<Record<string, Value>>, env: RenderEnv): string;
}

type Scope = Record<string, Value>;
type Run = (s: Scope, out: string[], env: RenderState) => void;
type Eval = (s: Scope, env: RenderState) => Value;
interface RenderState extends RenderEnv {
  depth: number;
}

/** Options for {@linkcode compileJinja}. */
export interface CompileOptions {
  /** Names templates may use; anything else is an error. */
  globals: ReadonlySet<string>;
  /**
   * Whether an unknown name is a compile error. Included files are compiled
   * with `false`, since they may use names their includer sets; a missing
   * name is then an error when rendered. @default true
   */
  strictNames?: boolean;
  /** The surface syntax. @default JINJA */
  dialect?: Dialect;
  /** The filters templates may use. @default the wallust/Jinja filters */
  filters?: Readonly<Record<string, FilterSpec>>;
  /**
   * `loop` inside `for`: Jinja's (`index` from 1, `index0`, `revindex`, …)
   * or matugen's (`index` from 0, `first`, `last`). @default "jinja"
   */
  loop?: "jinja" | "matugen";
  /**
   * Checks the parsed template before it is compiled (matugen's colour
   * names); throws a {@linkcode TemplateError}.
   */
  validate?: (nodes: readonly Node[], map: SourceMap) => void;
  /** The syntax name the compiled template reports. @default "jinja" */
  syntax?: "jinja" | "matugen";
  /** Words added to an unknown variable's or filter's error (e.g. that it is a newer tool's). */
  unknownHint?: (kind: "variable" | "filter", name: string) => string | undefined;
}

/**
 * Parses and compiles a Jinja/wallust template.
 *
 * @param source The template text.
 * @param name The name used in error messages (usually the path).
 * @throws {TemplateError} On a syntax error, an unknown variable or filter, or a wrong argument count.
 * @example A filter, a loop, and a typo caught before rendering
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileJinja } from "./jinja_compile.ts";
 *
 * const globals = new Set(["c", "colors"]);
 * const t = compileJinja("{{ c | strip }}{% for x in colors %} {{ loop.index }}{% endfor %}", "x", {
 *   globals,
 * });
 * assert.equal(t.render({ c: "#AABBCC", colors: ["a", "b"] }, { alpha: 100 }), "AABBCC 1 2");
 * assert.throws(() => compileJinja("{{ colr }}", "bar.css", { globals }), /bar.css:1:4: unknown variable/);
 * ```
 */
export function compileJinja(
  source: string,
  name: string,
  options: CompileOptions,
): CompiledTemplate {
  const nodes = parseJinja(source, new SourceMap(name, source), options.dialect ?? JINJA);
  return linkJinja(nodes, source, name, options);
}

/**
 * Compiles parsed nodes (the second half of {@linkcode compileJinja}, for
 * nodes kept from an earlier parse of the same source): checks names,
 * filters and argument counts, and builds the closures.
 *
 * @param nodes What `parseJinja` gave for `source`.
 * @param source The template text (for error locations).
 * @throws {TemplateError} On an unknown variable or filter, or a wrong argument count.
 * @example A parse kept, linked again
 * ```ts
 * import assert from "node:assert/strict";
 * import { linkJinja } from "./jinja_compile.ts";
 * import { parseJinja } from "./jinja_parse.ts";
 * import { SourceMap } from "./template_error.ts";
 *
 * const source = "bg={{ background | strip }}";
 * const nodes = parseJinja(source, new SourceMap("t", source));
 * const t = linkJinja(nodes, source, "t", { globals: new Set(["background"]) });
 * assert.equal(t.render({ background: "#102030" }, { alpha: 100 }), "bg=102030");
 * ```
 */
export function linkJinja(
  nodes: readonly Node[],
  source: string,
  name: string,
  options: CompileOptions,
): CompiledTemplate {
  const map = new SourceMap(name, source);
  options.validate?.(nodes, map);
  const includes: string[] = [];
  const c = new Compiler(
    map,
    options.globals,
    includes,
    options.strictNames ?? true,
    options.filters ?? FILTERS,
    options.loop ?? "jinja",
    options.unknownHint,
  );
  const run = c.block(nodes, new Set());
  const self: CompiledTemplate = {
    name,
    syntax: options.syntax ?? "jinja",
    includes,
    render(vars, env) {
      const out: string[] = [];
      run(Object.create(vars) as Scope, out, { ...env, depth: 0 });
      return out.join("");
    },
  };
  renderers.set(self, run);
  return self;
}

/** The closures behind compiled templates, for includes that share the caller's scope. */
const renderers = new WeakMap<CompiledTemplate, Run>();

class Compiler {
  constructor(
    readonly map: SourceMap,
    readonly globals: ReadonlySet<string>,
    readonly includes: string[],
    readonly strict: boolean,
    readonly filters: Readonly<Record<string, FilterSpec>>,
    readonly loopStyle: "jinja" | "matugen",
    readonly unknownHint?: CompileOptions["unknownHint"],
  ) {}

  /** "unknown variable 'x'", with the caller's hint if it has one. */
  unknown(kind: "variable" | "filter", name: string): string {
    const hint = this.unknownHint?.(kind, name);
    return `unknown ${kind} '${name}'${hint ? ` (${hint})` : ""}`;
  }

  /** Compiles nodes; `locals` holds the names bound so far (mutated by `set`). */
  block(nodes: readonly Node[], locals: Set<string>): Run {
    const runs = nodes.map((n) => this.node(n, locals));
    if (runs.length === 1) return runs[0];
    return (s, out, env) => {
      for (const r of runs) r(s, out, env);
    };
  }

  node(n: Node, locals: Set<string>): Run {
    switch (n.k) {
      case "text": {
        const t = n.text;
        return (_s, out) => void out.push(t);
      }
      case "out": {
        const e = this.expr(n.e, locals);
        return (s, out, env) => void out.push(toText(e(s, env)));
      }
      case "if": {
        // `if` does not open a scope in Jinja: names set inside stay visible after it.
        const branches = n.branches.map((b) => ({
          test: this.expr(b.test, locals),
          body: this.block(b.body, locals),
        }));
        const other = n.else ? this.block(n.else, locals) : null;
        return (s, out, env) => {
          for (const b of branches) {
            if (truthy(b.test(s, env))) return b.body(s, out, env);
          }
          other?.(s, out, env);
        };
      }
      case "for": {
        const iter = this.expr(n.iter, locals);
        const inner = new Set(locals).add(n.target).add("loop");
        if (n.target2) inner.add(n.target2);
        const body = this.block(n.body, inner);
        const other = n.else ? this.block(n.else, new Set(locals)) : null;
        const target = n.target, target2 = n.target2, at = n.at, map = this.map;
        const matugenLoop = this.loopStyle === "matugen";
        return (s, out, env) => {
          const v = iter(s, env);
          let items: readonly Value[];
          let map2: Record<string, Value> | undefined;
          if (target2 !== undefined) {
            if (v === null || typeof v !== "object" || Array.isArray(v)) {
              throw map.error(
                at,
                `'for ${target}, ${target2} in …' needs a map, got a ${typeName(v)}`,
              );
            }
            map2 = v as Record<string, Value>;
            items = Object.keys(v);
          } else if (Array.isArray(v)) items = v;
          else if (typeof v === "string") items = [...v];
          else if (v !== null && typeof v === "object") items = Object.keys(v);
          else throw map.error(at, `cannot loop over a ${typeName(v)}`);
          if (items.length === 0) return other?.(s, out, env);
          const length = items.length;
          items.forEach((item, i) => {
            // Each pass has a scope of its own, as in Jinja: a `set` inside the body is
            // gone at the next pass (and after the loop).
            const scope = Object.create(s) as Scope;
            scope[target] = item;
            if (map2 && target2 !== undefined) scope[target2] = map2[item as string];
            scope.loop = matugenLoop ? { index: i, first: i === 0, last: i === length - 1 } : {
              index: i + 1,
              index0: i,
              revindex: length - i,
              revindex0: length - i - 1,
              first: i === 0,
              last: i === length - 1,
              length,
            };
            body(scope, out, env);
          });
        };
      }
      case "set": {
        const e = this.expr(n.e, locals);
        locals.add(n.name);
        const name = n.name;
        return (s, _out, env) => {
          s[name] = e(s, env);
        };
      }
      case "include": {
        if (!this.includes.includes(n.name)) this.includes.push(n.name);
        const { name, at } = n, map = this.map;
        return (s, out, env) => {
          const t = env.include?.(name);
          const run = t && renderers.get(t);
          if (!t || !run) throw map.error(at, `cannot include "${name}": template not found`);
          if (env.depth > 20) throw map.error(at, `include of "${name}" nested too deeply`);
          env.depth++;
          try {
            run(s, out, env);
          } finally {
            env.depth--;
          }
        };
      }
    }
  }

  expr(e: Expr, locals: ReadonlySet<string>): Eval {
    const map = this.map;
    switch (e.k) {
      case "lit": {
        const v = e.v;
        return () => v;
      }
      case "name": {
        const name = e.name, at = e.at;
        if (this.strict && !locals.has(name) && !this.globals.has(name)) {
          throw map.error(at, this.unknown("variable", name));
        }
        return (s) => {
          const v = s[name];
          if (v === undefined) throw map.error(at, `unknown variable '${name}'`);
          return v;
        };
      }
      case "attr": {
        const obj = this.expr(e.obj, locals);
        const name = e.name, at = e.at;
        return (s, env) => {
          const o = obj(s, env);
          if (o !== null && typeof o === "object" && !Array.isArray(o) && Object.hasOwn(o, name)) {
            return (o as Record<string, Value>)[name];
          }
          throw map.error(at, `a ${typeName(o)} has no attribute '${name}'`);
        };
      }
      case "index": {
        const obj = this.expr(e.obj, locals), index = this.expr(e.index, locals);
        const at = e.at;
        return (s, env) => {
          const o = obj(s, env), i = index(s, env);
          if (Array.isArray(o) && typeof i === "number" && Number.isInteger(i)) {
            const v = o[i < 0 ? o.length + i : i];
            if (v === undefined) {
              throw map.error(at, `index ${i} is out of range (${o.length} items)`);
            }
            return v;
          }
          if (o !== null && typeof o === "object" && !Array.isArray(o) && typeof i === "string") {
            if (Object.hasOwn(o, i)) return (o as Record<string, Value>)[i];
            throw map.error(at, `no key "${i}"`);
          }
          throw map.error(at, `cannot index a ${typeName(o)} with a ${typeName(i)}`);
        };
      }
      case "filter": {
        if ((e.name === "default" || e.name === "d") && this.filters === FILTERS) {
          return this.defaultFilter(e, locals);
        }
        const filters = this.filters;
        const spec = Object.hasOwn(filters, e.name) ? filters[e.name] : undefined;
        if (!spec) throw map.error(e.at, this.unknown("filter", e.name));
        const n = e.args.length;
        if (n < spec.minArgs || n > spec.maxArgs) {
          const want = spec.minArgs === spec.maxArgs
            ? `${spec.minArgs}`
            : `${spec.minArgs} to ${spec.maxArgs}`;
          throw map.error(e.at, `filter '${e.name}' takes ${want} argument(s), got ${n}`);
        }
        const value = this.expr(e.value, locals);
        const args = e.args.map((a) => this.expr(a, locals));
        const fn = spec.fn, at = e.at, fname = e.name;
        return (s, env) => {
          const v = value(s, env);
          const a = args.map((x) => x(s, env));
          try {
            return fn(v, a, env);
          } catch (err) {
            if (err instanceof FilterError) throw map.error(at, err.message);
            if (err instanceof TemplateError) throw err;
            throw map.error(at, `filter '${fname}' failed: ${(err as Error).message}`);
          }
        };
      }
      case "not": {
        const x = this.expr(e.e, locals);
        return (s, env) => !truthy(x(s, env));
      }
      case "neg": {
        const x = this.expr(e.e, locals), at = e.at;
        return (s, env) => -num(x(s, env), at, map);
      }
      case "cond": {
        const test = this.expr(e.test, locals), then = this.expr(e.then, locals);
        const other = e.else ? this.expr(e.else, locals) : null;
        return (s, env) => truthy(test(s, env)) ? then(s, env) : other ? other(s, env) : null;
      }
      case "list": {
        const items = e.items.map((x) => this.expr(x, locals));
        return (s, env) => items.map((x) => x(s, env));
      }
      case "bin":
        return this.binary(e, locals);
      case "slice": {
        const obj = this.expr(e.obj, locals);
        const start = e.start ? this.expr(e.start, locals) : null;
        const end = e.end ? this.expr(e.end, locals) : null;
        const at = e.at;
        return (s, env) => {
          const o = obj(s, env);
          const a = start ? num(start(s, env), at, map) : undefined;
          const b = end ? num(end(s, env), at, map) : undefined;
          if (Array.isArray(o) || typeof o === "string") return o.slice(a, b);
          throw map.error(at, `cannot slice a ${typeName(o)}`);
        };
      }
      case "test":
        return this.test(e, locals);
      case "call": {
        if (e.name !== "range") throw map.error(e.at, `unknown function '${e.name}'`);
        if (e.args.length < 1 || e.args.length > 3) {
          throw map.error(e.at, `range() takes 1 to 3 arguments, got ${e.args.length}`);
        }
        const args = e.args.map((a) => this.expr(a, locals)), at = e.at;
        return (s, env) => located(map, at, () => range(args.map((a) => toNumber(a(s, env)))));
      }
    }
  }

  /**
   * `x | default(y)`: y when x is an unknown or unset name, or none;
   * `x | default(y, true)`: also when x is false, empty or 0 (as in Jinja).
   */
  defaultFilter(e: Expr & { k: "filter" }, locals: ReadonlySet<string>): Eval {
    const map = this.map;
    if (e.args.length > 2) {
      throw map.error(e.at, `filter 'default' takes 0 to 2 argument(s), got ${e.args.length}`);
    }
    const fallback = e.args.length ? this.expr(e.args[0], locals) : () => "";
    const orFalsy = e.args.length > 1 ? this.expr(e.args[1], locals) : undefined;
    const missing = (v: Value | undefined, s: Scope, env: RenderState) =>
      v === undefined || v === null ||
      (orFalsy !== undefined && truthy(orFalsy(s, env)) && !truthy(v));
    if (e.value.k === "name") {
      const name = e.value.name;
      return (s, env) => {
        const v = s[name];
        return missing(v, s, env) ? fallback(s, env) : v!;
      };
    }
    const value = this.expr(e.value, locals);
    return (s, env) => {
      const v = value(s, env);
      return missing(v, s, env) ? fallback(s, env) : v;
    };
  }

  /** `x is [not] defined|none|number|string|odd|even|divisibleby`. */
  test(e: Expr & { k: "test" }, locals: ReadonlySet<string>): Eval {
    const map = this.map, neg = e.negate, at = e.at;
    const wrap = (f: Eval): Eval => neg ? (s, env) => !f(s, env) : f;
    if (e.name === "defined" || e.name === "undefined") {
      if (e.e.k !== "name") throw map.error(at, `'${e.name}' tests a variable name`);
      const name = e.e.name, want = e.name === "defined";
      return wrap((s) => (s[name] !== undefined) === want);
    }
    const check = Object.hasOwn(TESTS, e.name) ? TESTS[e.name] : undefined;
    if (!check) throw map.error(at, `unknown test '${e.name}'`);
    const x = this.expr(e.e, locals);
    return wrap((s, env) => located(map, at, () => check(x(s, env))));
  }

  binary(e: Expr & { k: "bin" }, locals: ReadonlySet<string>): Eval {
    const l = this.expr(e.l, locals), r = this.expr(e.r, locals);
    const { at, op } = e, map = this.map;
    if (op === "and") {
      return (s, env) => {
        const a = l(s, env);
        return truthy(a) ? r(s, env) : a;
      };
    }
    if (op === "or") {
      return (s, env) => {
        const a = l(s, env);
        return truthy(a) ? a : r(s, env);
      };
    }
    return (s, env) => located(map, at, () => binaryOp(op, l(s, env), r(s, env)));
  }
}

/** Runs `fn`, turning an {@linkcode OpError} into a located {@linkcode TemplateError}. */
function located<T>(map: SourceMap, at: number, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof OpError) throw map.error(at, e.message);
    throw e;
  }
}

function num(v: Value, at: number, map: SourceMap): number {
  return located(map, at, () => toNumber(v));
}
