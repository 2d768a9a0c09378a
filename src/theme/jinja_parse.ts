/**
 * Parses the Jinja subset wallust templates use into a small syntax tree
 * (pure): `{{ expr }}`, `{% if %}/{% elif %}/{% else %}`, `{% for x in … %}`
 * (with `loop.*`), `{% set %}`, `{% include "file" %}`, `{% raw %}`,
 * comments `{# #}` and whitespace control (`{%-`, `-%}`). Expressions are
 * parsed by `_jinja_expr.ts`.
 *
 * @module
 */
import type { SourceMap } from "./template_error.ts";
import { type Expr, lexTag, type Tok, TokenStream } from "./_jinja_expr.ts";

export type { Expr };

/** A template node. */
export type Node =
  | { k: "text"; text: string }
  | { k: "out"; e: Expr }
  | { k: "if"; branches: { test: Expr; body: Node[] }[]; else: Node[] | null }
  | {
    k: "for";
    target: string;
    /** The value name of `for key, value in map` (matugen). */
    target2?: string;
    iter: Expr;
    body: Node[];
    else: Node[] | null;
    at: number;
  }
  | { k: "set"; name: string; e: Expr; at: number }
  | { k: "include"; name: string; at: number };

/**
 * The surface syntax a template is written in. Jinja (wallust) and matugen
 * share expressions, `if`/`for` blocks and the compiler; they differ in
 * delimiters and a few details.
 */
export interface Dialect {
  /** Opens and closes a block tag: `{%` `%}` or matugen's `<*` `*>`. */
  blockOpen: "{%" | "<*";
  blockClose: "%}" | "*>";
  /** `{# comments #}` and the `-` whitespace markers (`{%-`, `-}}`). */
  jinjaExtras: boolean;
  /** A block tag alone on its line removes the whole line (matugen). */
  standaloneBlocks: boolean;
  /** `f(a, b)` or matugen's `f: a, b`. */
  filterArgs: "call" | "colon";
  /** `<* if {{ x }} *>`: braces around the condition (matugen). */
  braceConditions: boolean;
  /** `for key, value in map` (matugen). */
  pairLoops: boolean;
}

/** Jinja as wallust (minijinja) reads it. */
export const JINJA: Dialect = {
  blockOpen: "{%",
  blockClose: "%}",
  jinjaExtras: true,
  standaloneBlocks: false,
  filterArgs: "call",
  braceConditions: false,
  pairLoops: false,
};

/** matugen's template syntax. */
export const MATUGEN: Dialect = {
  blockOpen: "<*",
  blockClose: "*>",
  jinjaExtras: false,
  standaloneBlocks: true,
  filterArgs: "colon",
  braceConditions: true,
  pairLoops: true,
};

/**
 * Parses a template source into nodes. @throws {TemplateError} On a syntax error.
 *
 * @example Text, an output and an if block
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseJinja } from "./jinja_parse.ts";
 * import { SourceMap } from "./template_error.ts";
 *
 * const src = "a {{ x }}{% if y %}b{% endif %}";
 * const nodes = parseJinja(src, new SourceMap("t", src));
 * assert.deepEqual(nodes.map((n) => n.k), ["text", "out", "if"]);
 * ```
 */
export function parseJinja(src: string, map: SourceMap, dialect: Dialect = JINJA): Node[] {
  const p = new Parser(src, map, dialect);
  return p.template();
}

class Parser {
  #pos = 0;
  #ts: TokenStream | null = null;
  #trimNext = false;

  constructor(readonly src: string, readonly map: SourceMap, readonly d: Dialect) {}

  template(): Node[] {
    const root: Node[] = [];
    // Stack of open blocks: each knows how to take its body and which end tags close it.
    type Frame = {
      tag: string;
      at: number;
      body: Node[];
      /** Handles an inner or closing tag: "close" ends the block, "no" means not ours. */
      onTag(tag: string, at: number): "close" | "handled" | "no";
    };
    const stack: Frame[] = [];
    const current = () => (stack.length ? stack[stack.length - 1].body : root);
    const src = this.src;
    const d = this.d;
    while (this.#pos < src.length) {
      const open = findOpen(src, this.#pos, d);
      let text = src.slice(this.#pos, open === -1 ? src.length : open);
      if (this.#trimNext) text = text.replace(/^\s+/, "");
      this.#trimNext = false;
      if (open === -1) {
        if (text) current().push({ k: "text", text });
        break;
      }
      const kind = src.startsWith(d.blockOpen, open) ? "%" : src[open + 1];
      const trimBefore = d.jinjaExtras && src[open + 2] === "-";
      if (trimBefore) text = text.replace(/\s+$/, "");
      // matugen: a block tag alone on its line takes the line with it.
      let standaloneEnd = -1;
      if (kind === "%" && d.standaloneBlocks) {
        const lineStart = src.lastIndexOf("\n", open - 1) + 1;
        const close = src.indexOf(d.blockClose, open + 2);
        const after = close === -1 ? null : /^[ \t]*(\r?\n|$)/.exec(src.slice(close + 2));
        if (
          lineStart >= this.#pos && after && /^[ \t]*$/.test(src.slice(lineStart, open))
        ) {
          text = text.slice(0, text.length - (open - lineStart));
          standaloneEnd = close + 2 + after[0].length;
        }
      }
      if (text) current().push({ k: "text", text });
      const inner = open + (trimBefore ? 3 : 2);
      if (kind === "#") {
        const close = src.indexOf("#}", inner);
        if (close === -1) throw this.map.error(open, "unclosed comment '{#'");
        this.#trimNext = src[close - 1] === "-";
        this.#pos = close + 2;
        continue;
      }
      const closer = kind === "{" ? "}}" : d.blockClose;
      const lexed = lexTag(src, inner, closer, open, this.map, {
        braces: kind !== "{" && d.braceConditions,
      });
      const toks = kind !== "{" && d.braceConditions ? unbrace(lexed.toks) : lexed.toks;
      this.#ts = new TokenStream(toks, this.map, d.filterArgs);
      this.#trimNext = d.jinjaExtras && lexed.trim;
      this.#pos = standaloneEnd === -1 ? lexed.next : Math.max(lexed.next, standaloneEnd);
      if (kind === "{") {
        const e = this.#ts!.expr();
        this.#ts!.expectEnd(`'}}'`);
        current().push({ k: "out", e });
        continue;
      }
      // A statement.
      const head = this.#ts!.next();
      if (head.t !== "name") throw this.map.error(head.at, "expected a tag name after '{%'");
      const tag = head.v;
      switch (tag) {
        case "if": {
          const node: Node & { k: "if" } = { k: "if", branches: [], else: null };
          const test = this.#ts!.expr();
          this.#ts!.expectEnd("'%}'");
          node.branches.push({ test, body: [] });
          current().push(node);
          const frame: Frame = {
            tag: "if",
            at: head.at,
            body: node.branches[0].body,
            onTag: (t, at) => {
              if (t === "elif" || t === "else") {
                if (node.else) throw this.map.error(at, `'${t}' after 'else' in this 'if'`);
                if (t === "elif") {
                  const b = { test: this.#ts!.expr(), body: [] as Node[] };
                  node.branches.push(b);
                  frame.body = b.body;
                } else {
                  node.else = [];
                  frame.body = node.else;
                }
                this.#ts!.expectEnd("'%}'");
                return "handled";
              }
              if (t === "endif") return this.#ts!.expectEnd("'%}'"), "close";
              return "no";
            },
          };
          stack.push(frame);
          break;
        }
        case "for": {
          const target = this.#ts!.next();
          if (target.t !== "name") throw this.map.error(target.at, "expected a loop variable");
          let target2: string | undefined;
          if (d.pairLoops && this.#ts!.isOp(",")) {
            this.#ts!.next();
            const t2 = this.#ts!.next();
            if (t2.t !== "name") throw this.map.error(t2.at, "expected a second loop variable");
            if (t2.v === target.v) {
              throw this.map.error(t2.at, `loop variable '${t2.v}' given twice`);
            }
            target2 = t2.v;
          }
          const kw = this.#ts!.next();
          if (kw.t !== "name" || kw.v !== "in") throw this.map.error(kw.at, "expected 'in'");
          const iter = this.#ts!.expr();
          this.#ts!.expectEnd("'%}'");
          const node: Node & { k: "for" } = {
            k: "for",
            target: target.v,
            ...(target2 ? { target2 } : {}),
            iter,
            body: [],
            else: null,
            at: head.at,
          };
          current().push(node);
          const frame: Frame = {
            tag: "for",
            at: head.at,
            body: node.body,
            onTag: (t, at) => {
              if (t === "else") {
                if (node.else) throw this.map.error(at, "second 'else' in this 'for'");
                node.else = [];
                frame.body = node.else;
                this.#ts!.expectEnd("'%}'");
                return "handled";
              }
              if (t === "endfor") return this.#ts!.expectEnd("'%}'"), "close";
              return "no";
            },
          };
          stack.push(frame);
          break;
        }
        case "set": {
          if (!d.jinjaExtras) throw this.map.error(head.at, `unknown tag 'set'`);
          const name = this.#ts!.next();
          if (name.t !== "name") throw this.map.error(name.at, "expected a variable name");
          const eq = this.#ts!.next();
          if (eq.v !== "=" || eq.t !== "op") throw this.map.error(eq.at, "expected '='");
          const e = this.#ts!.expr();
          this.#ts!.expectEnd("'%}'");
          current().push({ k: "set", name: name.v, e, at: head.at });
          break;
        }
        case "include": {
          const name = this.#ts!.next();
          if (name.t !== "str") {
            throw this.map.error(name.at, "'include' needs a quoted file name");
          }
          this.#ts!.expectEnd("'%}'");
          current().push({ k: "include", name: name.v, at: head.at });
          break;
        }
        case "raw": {
          if (!d.jinjaExtras) throw this.map.error(head.at, `unknown tag 'raw'`);
          this.#ts!.expectEnd("'%}'");
          const re = /\{%-?\s*endraw\s*-?%\}/g;
          re.lastIndex = this.#pos;
          const m = re.exec(src);
          if (!m) throw this.map.error(head.at, "'raw' without 'endraw'");
          let raw = src.slice(this.#pos, m.index);
          if (this.#trimNext) raw = raw.replace(/^\s+/, "");
          if (m[0].startsWith("{%-")) raw = raw.replace(/\s+$/, "");
          if (raw) current().push({ k: "text", text: raw });
          this.#trimNext = m[0].endsWith("-%}");
          this.#pos = m.index + m[0].length;
          break;
        }
        default: {
          const frame = stack[stack.length - 1];
          const r = frame ? frame.onTag(tag, head.at) : "no";
          if (r === "close") stack.pop();
          else if (r === "no") {
            const known = ["elif", "else", "endif", "endfor"];
            throw this.map.error(
              head.at,
              known.includes(tag)
                ? `unexpected '${tag}'${frame ? ` inside '${frame.tag}'` : ""}`
                : `unknown tag '${tag}'`,
            );
          }
        }
      }
    }
    if (stack.length) {
      const f = stack[stack.length - 1];
      throw this.map.error(f.at, `'${f.tag}' is never closed (expected 'end${f.tag}')`);
    }
    return root;
  }
}

/** The next `{{` or block opener (or `{#` in Jinja) at or after `from`, or -1. */
function findOpen(src: string, from: number, d: Dialect): number {
  if (d.jinjaExtras) {
    for (let i = src.indexOf("{", from); i !== -1; i = src.indexOf("{", i + 1)) {
      const c = src[i + 1];
      if (c === "{" || c === "%" || c === "#") return i;
    }
    return -1;
  }
  const a = src.indexOf("{{", from), b = src.indexOf(d.blockOpen, from);
  return a === -1 ? b : b === -1 ? a : Math.min(a, b);
}

/** matugen conditions wrap values in braces (`if {{ x }}`): read them as parentheses. */
function unbrace(toks: Tok[]): Tok[] {
  return toks.map((t) =>
    t.t === "op" && (t.v === "{{" || t.v === "}}") ? { ...t, v: t.v === "{{" ? "(" : ")" } : t
  );
}
