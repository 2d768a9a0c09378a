/**
 * Parses the Jinja subset wallust templates use into a small syntax tree
 * (pure): `{{ expr }}`, `{% if %}/{% elif %}/{% else %}`, `{% for x in … %}`
 * (with `loop.*`), `{% set %}`, `{% include "file" %}`, `{% raw %}`,
 * comments `{# #}` and whitespace control (`{%-`, `-%}`). Expressions:
 * literals, names, `.attr`, `[index]`, filters with arguments, `not and or`,
 * comparisons, `in`, `+ - * / // %`, `~` and `a if c else b`.
 *
 * @module
 */
import type { Value } from "./value.ts";
import type { SourceMap } from "./template_error.ts";

/** An expression; `at` is its offset in the source. */
export type Expr =
  | { k: "lit"; v: Value; at: number }
  | { k: "name"; name: string; at: number }
  | { k: "attr"; obj: Expr; name: string; at: number }
  | { k: "index"; obj: Expr; index: Expr; at: number }
  | { k: "filter"; value: Expr; name: string; args: Expr[]; at: number }
  | { k: "not"; e: Expr; at: number }
  | { k: "neg"; e: Expr; at: number }
  | { k: "bin"; op: string; l: Expr; r: Expr; at: number }
  | { k: "cond"; test: Expr; then: Expr; else: Expr | null; at: number }
  | { k: "list"; items: Expr[]; at: number }
  | { k: "slice"; obj: Expr; start: Expr | null; end: Expr | null; at: number }
  | { k: "test"; e: Expr; name: string; negate: boolean; at: number }
  | { k: "call"; name: string; args: Expr[]; at: number };

/** A template node. */
export type Node =
  | { k: "text"; text: string }
  | { k: "out"; e: Expr }
  | { k: "if"; branches: { test: Expr; body: Node[] }[]; else: Node[] | null }
  | { k: "for"; target: string; iter: Expr; body: Node[]; else: Node[] | null; at: number }
  | { k: "set"; name: string; e: Expr; at: number }
  | { k: "include"; name: string; at: number };

type Tok = { t: "name" | "str" | "num" | "op" | "end"; v: string; at: number };

const OPS = ["//", "==", "!=", "<=", ">=", "|", ".", ",", "(", ")", "[", "]", "<", ">", "+", "-"]
  .concat(["*", "/", "%", "~", "=", ":"]);

/** Parses a template source into nodes. @throws {TemplateError} On a syntax error. */
export function parseJinja(src: string, map: SourceMap): Node[] {
  const p = new Parser(src, map);
  return p.template();
}

class Parser {
  #pos = 0;
  #toks: Tok[] = [];
  #i = 0;
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
      this.#lex(inner, closer, open);
      if (kind === "{") {
        const e = this.expr();
        this.#expectEnd(`'}}'`);
        current().push({ k: "out", e });
        continue;
      }
      // A statement.
      const head = this.#next();
      if (head.t !== "name") throw this.map.error(head.at, "expected a tag name after '{%'");
      const tag = head.v;
      switch (tag) {
        case "if": {
          const node: Node & { k: "if" } = { k: "if", branches: [], else: null };
          const test = this.expr();
          this.#expectEnd("'%}'");
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
                  const b = { test: this.expr(), body: [] as Node[] };
                  node.branches.push(b);
                  frame.body = b.body;
                } else {
                  node.else = [];
                  frame.body = node.else;
                }
                this.#expectEnd("'%}'");
                return "handled";
              }
              if (t === "endif") return this.#expectEnd("'%}'"), "close";
              return "no";
            },
          };
          stack.push(frame);
          break;
        }
        case "for": {
          const target = this.#next();
          if (target.t !== "name") throw this.map.error(target.at, "expected a loop variable");
          const kw = this.#next();
          if (kw.t !== "name" || kw.v !== "in") throw this.map.error(kw.at, "expected 'in'");
          const iter = this.expr();
          this.#expectEnd("'%}'");
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
                this.#expectEnd("'%}'");
                return "handled";
              }
              if (t === "endfor") return this.#expectEnd("'%}'"), "close";
              return "no";
            },
          };
          stack.push(frame);
          break;
        }
        case "set": {
          const name = this.#next();
          if (name.t !== "name") throw this.map.error(name.at, "expected a variable name");
          const eq = this.#next();
          if (eq.v !== "=" || eq.t !== "op") throw this.map.error(eq.at, "expected '='");
          const e = this.expr();
          this.#expectEnd("'%}'");
          current().push({ k: "set", name: name.v, e, at: head.at });
          break;
        }
        case "include": {
          const name = this.#next();
          if (name.t !== "str") {
            throw this.map.error(name.at, "'include' needs a quoted file name");
          }
          this.#expectEnd("'%}'");
          current().push({ k: "include", name: name.v, at: head.at });
          break;
        }
        case "raw": {
          this.#expectEnd("'%}'");
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

  // ---- tokens ---------------------------------------------------------------

  /** Lexes one tag's contents, from `start` to its `closer`. */
  #lex(start: number, closer: "}}" | "%}", open: number): void {
    const src = this.src;
    const toks: Tok[] = [];
    let i = start;
    for (;;) {
      while (i < src.length && /\s/.test(src[i])) i++;
      if (i >= src.length) {
        throw this.map.error(
          open,
          `unclosed '${src.slice(open, open + 2)}' (expected '${closer}')`,
        );
      }
      if (src.startsWith(closer, i) || (src[i] === "-" && src.startsWith(closer, i + 1))) {
        const trim = src[i] === "-";
        toks.push({ t: "end", v: closer, at: i });
        this.#trimNext = trim;
        this.#pos = i + closer.length + (trim ? 1 : 0);
        break;
      }
      const c = src[i];
      if (/[A-Za-z_]/.test(c)) {
        let j = i + 1;
        while (j < src.length && /\w/.test(src[j])) j++;
        toks.push({ t: "name", v: src.slice(i, j), at: i });
        i = j;
      } else if (/\d/.test(c)) {
        const m = /^\d+(\.\d+)?/.exec(src.slice(i, i + 40))!;
        toks.push({ t: "num", v: m[0], at: i });
        i += m[0].length;
      } else if (c === '"' || c === "'") {
        let j = i + 1, s = "";
        while (j < src.length && src[j] !== c) {
          if (src[j] === "\\" && j + 1 < src.length) {
            const e = src[j + 1];
            s += e === "n" ? "\n" : e === "t" ? "\t" : e;
            j += 2;
          } else s += src[j++];
        }
        if (j >= src.length) throw this.map.error(i, "unclosed string");
        toks.push({ t: "str", v: s, at: i });
        i = j + 1;
      } else {
        const op = OPS.find((o) => src.startsWith(o, i));
        if (!op) throw this.map.error(i, `unexpected character '${c}'`);
        toks.push({ t: "op", v: op, at: i });
        i += op.length;
      }
    }
    this.#toks = toks;
    this.#i = 0;
  }

  #peek(): Tok {
    return this.#toks[this.#i];
  }
  #next(): Tok {
    const t = this.#toks[this.#i];
    if (t.t !== "end") this.#i++;
    return t;
  }
  #isOp(v: string): boolean {
    const t = this.#peek();
    return t.t === "op" && t.v === v;
  }
  #isWord(v: string): boolean {
    const t = this.#peek();
    return t.t === "name" && t.v === v;
  }
  #expectOp(v: string): Tok {
    const t = this.#next();
    if (t.t !== "op" || t.v !== v) throw this.map.error(t.at, `expected '${v}', found ${show(t)}`);
    return t;
  }
  #expectEnd(what: string): void {
    const t = this.#peek();
    if (t.t !== "end") throw this.map.error(t.at, `expected ${what}, found ${show(t)}`);
  }

  // ---- expressions ----------------------------------------------------------

  expr(): Expr {
    const e = this.#or();
    if (this.#isWord("if")) {
      const at = this.#next().at;
      const test = this.#or();
      let other: Expr | null = null;
      if (this.#isWord("else")) {
        this.#next();
        other = this.expr();
      }
      return { k: "cond", test, then: e, else: other, at };
    }
    return e;
  }

  #or(): Expr {
    let l = this.#and();
    while (this.#isWord("or")) {
      const at = this.#next().at;
      l = { k: "bin", op: "or", l, r: this.#and(), at };
    }
    return l;
  }

  #and(): Expr {
    let l = this.#not();
    while (this.#isWord("and")) {
      const at = this.#next().at;
      l = { k: "bin", op: "and", l, r: this.#not(), at };
    }
    return l;
  }

  #not(): Expr {
    if (this.#isWord("not")) {
      const at = this.#next().at;
      return { k: "not", e: this.#not(), at };
    }
    return this.#compare();
  }

  #compare(): Expr {
    let l = this.#concat();
    for (;;) {
      const t = this.#peek();
      if (t.t === "op" && ["==", "!=", "<", ">", "<=", ">="].includes(t.v)) {
        this.#next();
        l = { k: "bin", op: t.v, l, r: this.#concat(), at: t.at };
      } else if (t.t === "name" && t.v === "in") {
        this.#next();
        l = { k: "bin", op: "in", l, r: this.#concat(), at: t.at };
      } else if (
        t.t === "name" && t.v === "not" && this.#toks[this.#i + 1]?.t === "name" &&
        this.#toks[this.#i + 1].v === "in"
      ) {
        this.#next();
        this.#next();
        l = { k: "not", e: { k: "bin", op: "in", l, r: this.#concat(), at: t.at }, at: t.at };
      } else if (t.t === "name" && t.v === "is") {
        this.#next();
        const negate = this.#isWord("not") && !!this.#next();
        const name = this.#next();
        if (name.t !== "name") throw this.map.error(name.at, "expected a test name after 'is'");
        const v = name.v === "none" || name.v === "None" ? "none" : name.v;
        l = { k: "test", e: l, name: v, negate, at: name.at };
      } else return l;
    }
  }

  #concat(): Expr {
    let l = this.#add();
    while (this.#isOp("~")) {
      const at = this.#next().at;
      l = { k: "bin", op: "~", l, r: this.#add(), at };
    }
    return l;
  }

  #add(): Expr {
    let l = this.#mul();
    while (this.#isOp("+") || this.#isOp("-")) {
      const t = this.#next();
      l = { k: "bin", op: t.v, l, r: this.#mul(), at: t.at };
    }
    return l;
  }

  #mul(): Expr {
    let l = this.#unary();
    while (this.#isOp("*") || this.#isOp("/") || this.#isOp("//") || this.#isOp("%")) {
      const t = this.#next();
      l = { k: "bin", op: t.v, l, r: this.#unary(), at: t.at };
    }
    return l;
  }

  #unary(): Expr {
    if (this.#isOp("-")) {
      const at = this.#next().at;
      return { k: "neg", e: this.#unary(), at };
    }
    let e = this.#postfix();
    while (this.#isOp("|")) {
      this.#next();
      const name = this.#next();
      if (name.t !== "name") throw this.map.error(name.at, `expected a filter name after '|'`);
      const args: Expr[] = [];
      if (this.#isOp("(")) {
        this.#next();
        if (!this.#isOp(")")) {
          do args.push(this.expr()); while (this.#isOp(",") && this.#next());
        }
        this.#expectOp(")");
      }
      e = { k: "filter", value: e, name: name.v, args, at: name.at };
    }
    return e;
  }

  #postfix(): Expr {
    let e = this.#primary();
    for (;;) {
      if (this.#isOp(".")) {
        const at = this.#next().at;
        const n = this.#next();
        if (n.t === "name") e = { k: "attr", obj: e, name: n.v, at };
        else if (n.t === "num" && /^\d+$/.test(n.v)) {
          e = { k: "index", obj: e, index: { k: "lit", v: Number(n.v), at: n.at }, at };
        } else throw this.map.error(n.at, `expected an attribute name after '.'`);
      } else if (this.#isOp("[")) {
        const at = this.#next().at;
        const start = this.#isOp(":") ? null : this.expr();
        if (this.#isOp(":")) {
          this.#next();
          const end = this.#isOp("]") ? null : this.expr();
          this.#expectOp("]");
          e = { k: "slice", obj: e, start, end, at };
        } else {
          this.#expectOp("]");
          e = { k: "index", obj: e, index: start!, at };
        }
      } else if (this.#isOp("(")) {
        if (e.k !== "name") {
          throw this.map.error(this.#peek().at, "only functions like range() can be called");
        }
        this.#next();
        const args: Expr[] = [];
        if (!this.#isOp(")")) {
          do args.push(this.expr()); while (this.#isOp(",") && this.#next());
        }
        this.#expectOp(")");
        e = { k: "call", name: e.name, args, at: e.at };
      } else return e;
    }
  }

  #primary(): Expr {
    const t = this.#next();
    switch (t.t) {
      case "num":
        return { k: "lit", v: Number(t.v), at: t.at };
      case "str":
        return { k: "lit", v: t.v, at: t.at };
      case "name": {
        const lits: Record<string, Value> = {
          true: true,
          True: true,
          false: false,
          False: false,
          none: null,
          None: null,
        };
        if (t.v in lits) return { k: "lit", v: lits[t.v], at: t.at };
        return { k: "name", name: t.v, at: t.at };
      }
      case "op":
        if (t.v === "(") {
          const e = this.expr();
          this.#expectOp(")");
          return e;
        }
        if (t.v === "[") {
          const items: Expr[] = [];
          if (!this.#isOp("]")) {
            do items.push(this.expr()); while (this.#isOp(",") && this.#next());
          }
          this.#expectOp("]");
          return { k: "list", items, at: t.at };
        }
    }
    throw this.map.error(t.at, `expected a value, found ${show(t)}`);
  }
}

function show(t: Tok): string {
  if (t.t === "end") return `'${t.v}'`;
  if (t.t === "str") return `string "${t.v}"`;
  return `'${t.v}'`;
}

/** The next `{{`, `{%` or `{#` at or after `from`, or -1. */
function findOpen(src: string, from: number): number {
  for (let i = src.indexOf("{", from); i !== -1; i = src.indexOf("{", i + 1)) {
    const c = src[i + 1];
    if (c === "{" || c === "%" || c === "#") return i;
  }
  return -1;
}
