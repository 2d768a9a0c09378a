/**
 * What a template syntax keeps of a parse so that a later process can skip
 * parsing the same source (see `compiled_store.ts`): plain JSON data,
 * checked field by field when read back, then compiled with the same name,
 * filter and argument checks as a fresh parse. A syntax without an entry in
 * {@linkcode TEMPLATE_IR} is simply compiled every time (pure).
 *
 * @module
 */
import type { Syntax } from "../config/choices.ts";
import { type CompiledTemplate, linkJinja } from "./jinja_compile.ts";
import { type Expr, type Node, parseJinja } from "./jinja_parse.ts";
import { linkMatugen, parseMatugen } from "./matugen_compile.ts";
import { SourceMap } from "./template_error.ts";
import { VARIABLE_NAMES } from "./variables.ts";

/** A parse result read back that is not one (damaged or edited): parse again. */
export class InvalidIrError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "InvalidIrError";
  }
}

/** How one syntax splits compiling into a cacheable parse and a link. */
export interface TemplateIr {
  /**
   * The modules whose text defines what `parse` returns: their text is part
   * of every cache key, so a changed parser never meets an old result.
   */
  readonly sources: readonly URL[];
  /**
   * Parses a source into JSON data: what `JSON.parse(JSON.stringify(x))`
   * gives back unchanged (no `undefined`, no non-finite numbers).
   * @throws {TemplateError} On a syntax error.
   */
  parse(source: string, name: string): unknown;
  /**
   * Compiles what `parse` returned for `source`, checking its shape first.
   * @throws {InvalidIrError} When `ir` is not a parse result.
   * @throws {TemplateError} On an unknown variable or filter, a wrong argument count.
   */
  link(
    ir: unknown,
    source: string,
    name: string,
    options: { included?: boolean },
  ): CompiledTemplate;
}

/** The syntaxes whose parse is cached. */
export const TEMPLATE_IR: Readonly<Partial<Record<Syntax, TemplateIr>>> = {
  jinja: {
    sources: [
      new URL("./jinja_parse.ts", import.meta.url),
      new URL("./_jinja_expr.ts", import.meta.url),
    ],
    parse: (source, name) => parseJinja(source, new SourceMap(name, source)),
    link(ir, source, name, options) {
      if (!isNodes(ir)) throw new InvalidIrError(`not a parsed Jinja template: ${name}`);
      return linkJinja(ir, source, name, {
        globals: VARIABLE_NAMES,
        strictNames: !options.included,
      });
    },
  },
  // The same parser in matugen's dialect; linking checks the colour paths again.
  matugen: {
    sources: [
      new URL("./jinja_parse.ts", import.meta.url),
      new URL("./_jinja_expr.ts", import.meta.url),
    ],
    parse: parseMatugen,
    link(ir, source, name, options) {
      if (!isNodes(ir)) throw new InvalidIrError(`not a parsed matugen template: ${name}`);
      return linkMatugen(ir, source, name, options);
    },
  },
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === "string";
const isAt = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * Whether `v` has the shape of `parseJinja`'s nodes (all the way down).
 *
 * @example A parse, and JSON that is none
 * ```ts
 * import assert from "node:assert/strict";
 * import { isNodes } from "./template_ir.ts";
 * import { parseJinja } from "./jinja_parse.ts";
 * import { SourceMap } from "./template_error.ts";
 *
 * const source = "{{ color1 }}";
 * assert.equal(isNodes(JSON.parse(JSON.stringify(parseJinja(source, new SourceMap("t", source))))), true);
 * assert.equal(isNodes([{ k: "nope" }]), false);
 * ```
 */
export function isNodes(v: unknown): v is Node[] {
  return Array.isArray(v) && v.every(isNode);
}

function isNode(v: unknown): boolean {
  if (!isObj(v)) return false;
  switch (v.k) {
    case "text":
      return isStr(v.text);
    case "out":
      return isExpr(v.e);
    case "if":
      return Array.isArray(v.branches) && v.branches.length > 0 &&
        v.branches.every((b) => isObj(b) && isExpr(b.test) && isNodes(b.body)) &&
        (v.else === null || isNodes(v.else));
    case "for":
      return isStr(v.target) && (v.target2 === undefined || isStr(v.target2)) &&
        isExpr(v.iter) && isNodes(v.body) &&
        (v.else === null || isNodes(v.else)) && isAt(v.at);
    case "set":
      return isStr(v.name) && isExpr(v.e) && isAt(v.at);
    case "include":
      return isStr(v.name) && isAt(v.at);
  }
  return false;
}

function isExprs(v: unknown): boolean {
  return Array.isArray(v) && v.every(isExpr);
}

function isExpr(v: unknown): v is Expr {
  if (!isObj(v) || !isAt(v.at)) return false;
  switch (v.k) {
    case "lit":
      return "v" in v;
    case "name":
      return isStr(v.name);
    case "attr":
      return isExpr(v.obj) && isStr(v.name);
    case "index":
      return isExpr(v.obj) && isExpr(v.index);
    case "filter":
      return isExpr(v.value) && isStr(v.name) && isExprs(v.args);
    case "not":
    case "neg":
      return isExpr(v.e);
    case "bin":
      return isStr(v.op) && isExpr(v.l) && isExpr(v.r);
    case "cond":
      return isExpr(v.test) && isExpr(v.then) && (v.else === null || isExpr(v.else));
    case "list":
      return isExprs(v.items);
    case "slice":
      return isExpr(v.obj) && (v.start === null || isExpr(v.start)) &&
        (v.end === null || isExpr(v.end));
    case "test":
      return isExpr(v.e) && isStr(v.name) && typeof v.negate === "boolean";
    case "call":
      return isStr(v.name) && isExprs(v.args);
  }
  return false;
}
