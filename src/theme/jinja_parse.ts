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
import { type Expr, lexTag, TokenStream } from "./_jinja_expr.ts";

export type { Expr };

/** A template node. */
export type Node =
  | { k: "text"; text: string }
  | { k: "out"; e: Expr }
  | { k: "if"; branches: { test: Expr; body: Node[] }[]; else: Node[] | null }
  | { k: "for"; target: string; iter: Expr; body: Node[]; else: Node[] | null; at: number }
  | { k: "set"; name: string; e: Expr; at: number }
  | { k: "include"; name: string; at: number };

/** Parses a template source into nodes. @throws {TemplateError} On a syntax error. */
export function parseJinja(src: string, map: SourceMap): Node[] {
  const p = new Parser(src, map);
  return p.template();
}

class Parser {
  #pos = 0;
  #ts: TokenStream | null = null;
  #trimNext = false;

  constructor(readonly src: string, readonly map: SourceMap) {}

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
    while (this.#pos < src.length) {
      const open = findOpen(src, this.#pos);
      let text = src.slice(this.#pos, open === -1 ? src.length : open);
      if (this.#trimNext) text = text.replace(/^\s+/, "");
      this.#trimNext = false;
      if (open === -1) {
        if (text) current().push({ k: "text", text });
        break;
      }
      const kind = src[open + 1];
      const trimBefore = src[open + 2] === "-";
      if (trimBefore) text = text.replace(/\s+$/, "");
      if (text) current().push({ k: "text", text });
      const inner = open + (trimBefore ? 3 : 2);
      if (kind === "#") {
        const close = src.indexOf("#}", inner);
        if (close === -1) throw this.map.error(open, "unclosed comment '{#'");
        this.#trimNext = src[close - 1] === "-";
        this.#pos = close + 2;
        continue;
      }
      const closer = kind === "{" ? "}}" : "%}";
      const lexed = lexTag(src, inner, closer, open, this.map);
      this.#ts = new TokenStream(lexed.toks, this.map);
      this.#trimNext = lexed.trim;
      this.#pos = lexed.next;
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
          const kw = this.#ts!.next();
          if (kw.t !== "name" || kw.v !== "in") throw this.map.error(kw.at, "expected 'in'");
          const iter = this.#ts!.expr();
          this.#ts!.expectEnd("'%}'");
          const node: Node & { k: "for" } = {
            k: "for",
            target: target.v,
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

/** The next `{{`, `{%` or `{#` at or after `from`, or -1. */
function findOpen(src: string, from: number): number {
  for (let i = src.indexOf("{", from); i !== -1; i = src.indexOf("{", i + 1)) {
    const c = src[i + 1];
    if (c === "{" || c === "%" || c === "#") return i;
  }
  return -1;
}
