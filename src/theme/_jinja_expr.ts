/**
 * Tokens of one Jinja tag and the expression grammar (pure): literals,
 * names, `.attr`, `[index]`, `[a:b]`, calls like `range(n)`, filters with
 * arguments, `is` tests, `not and or`, comparisons, `in`, `+ - * / // %`,
 * `~` and `a if c else b`.
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

/** A token of a tag. */
export type Tok = { t: "name" | "str" | "num" | "op" | "end"; v: string; at: number };

const OPS = ["//", "==", "!=", "<=", ">=", "|", ".", ",", "(", ")", "[", "]", "<", ">", "+", "-"]
  .concat(["*", "/", "%", "~", "=", ":"]);

/**
 * Lexes one tag's contents, from `start` (after the opening delimiter) to
 * its `closer`.
 *
 * @returns The tokens (ending with an "end" token), the offset after the
 *   closer, and whether the closer trims the text after it (`-%}`).
 * @throws {TemplateError} On an unclosed tag or string, or a stray character.
 * @example The tokens of an output tag
 * ```ts
 * import assert from "node:assert/strict";
 * import { lexTag } from "./_jinja_expr.ts";
 * import { SourceMap } from "./template_error.ts";
 *
 * const src = "{{ color1 | lighten(0.2) }}";
 * const { toks, next, trim } = lexTag(src, 2, "}}", 0, new SourceMap("t", src));
 * assert.deepEqual(toks.map((t) => t.v), ["color1", "|", "lighten", "(", "0.2", ")", "}}"]);
 * assert.equal(next, src.length);
 * assert.equal(trim, false);
 * ```
 */
export function lexTag(
  src: string,
  start: number,
  closer: "}}" | "%}" | "*>",
  open: number,
  map: SourceMap,
  options: { braces?: boolean } = {},
): { toks: Tok[]; next: number; trim: boolean } {
  const toks: Tok[] = [];
  const ops = options.braces ? ["{{", "}}", ...OPS] : OPS;
  let i = start;
  for (;;) {
    while (i < src.length && /\s/.test(src[i])) i++;
    if (i >= src.length) {
      throw map.error(
        open,
        `unclosed '${src.slice(open, open + 2)}' (expected '${closer}')`,
      );
    }
    if (src.startsWith(closer, i) || (src[i] === "-" && src.startsWith(closer, i + 1))) {
      const trim = src[i] === "-";
      toks.push({ t: "end", v: closer, at: i });
      return { toks, next: i + closer.length + (trim ? 1 : 0), trim };
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
      if (j >= src.length) throw map.error(i, "unclosed string");
      toks.push({ t: "str", v: s, at: i });
      i = j + 1;
    } else {
      const op = ops.find((o) => src.startsWith(o, i));
      if (!op) throw map.error(i, `unexpected character '${c}'`);
      toks.push({ t: "op", v: op, at: i });
      i += op.length;
    }
  }
}

/** How filters take arguments: Jinja's `f(a, b)` or matugen's `f: a, b`. */
export type FilterArgStyle = "call" | "colon";

/**
 * A tag's tokens and the expression grammar over them.
 *
 * @example Parse the expression of a tag
 * ```ts
 * import assert from "node:assert/strict";
 * import { lexTag, TokenStream } from "./_jinja_expr.ts";
 * import { SourceMap } from "./template_error.ts";
 *
 * const src = "{{ color1 | lighten(0.2) }}";
 * const map = new SourceMap("t", src);
 * const e = new TokenStream(lexTag(src, 2, "}}", 0, map).toks, map).expr();
 * assert.equal(e.k, "filter");
 * assert.equal(e.k === "filter" && e.name, "lighten");
 * ```
 */
export class TokenStream {
  i = 0;
  constructor(
    readonly toks: Tok[],
    readonly map: SourceMap,
    readonly filterArgs: FilterArgStyle = "call",
  ) {}

  /** The current token. */
  peek(): Tok {
    return this.toks[this.i];
  }
  /** Takes the current token (the end token is never passed). */
  next(): Tok {
    const t = this.toks[this.i];
    if (t.t !== "end") this.i++;
    return t;
  }
  /** Whether the current token is this operator. */
  isOp(v: string): boolean {
    const t = this.peek();
    return t.t === "op" && t.v === v;
  }
  /** Whether the current token is this name. */
  isWord(v: string): boolean {
    const t = this.peek();
    return t.t === "name" && t.v === v;
  }
  /** Takes this operator or throws. */
  expectOp(v: string): Tok {
    const t = this.next();
    if (t.t !== "op" || t.v !== v) throw this.map.error(t.at, `expected '${v}', found ${show(t)}`);
    return t;
  }
  /** Throws unless the tag ends here. */
  expectEnd(what: string): void {
    const t = this.peek();
    if (t.t !== "end") throw this.map.error(t.at, `expected ${what}, found ${show(t)}`);
  }

  // ---- expressions ----------------------------------------------------------

  /** Parses one expression. */
  expr(): Expr {
    const e = this.#or();
    if (this.isWord("if")) {
      const at = this.next().at;
      const test = this.#or();
      let other: Expr | null = null;
      if (this.isWord("else")) {
        this.next();
        other = this.expr();
      }
      return { k: "cond", test, then: e, else: other, at };
    }
    return e;
  }

  #or(): Expr {
    let l = this.#and();
    while (this.isWord("or")) {
      const at = this.next().at;
      l = { k: "bin", op: "or", l, r: this.#and(), at };
    }
    return l;
  }

  #and(): Expr {
    let l = this.#not();
    while (this.isWord("and")) {
      const at = this.next().at;
      l = { k: "bin", op: "and", l, r: this.#not(), at };
    }
    return l;
  }

  #not(): Expr {
    if (this.isWord("not")) {
      const at = this.next().at;
      return { k: "not", e: this.#not(), at };
    }
    return this.#compare();
  }

  #compare(): Expr {
    let l = this.#concat();
    for (;;) {
      const t = this.peek();
      if (t.t === "op" && ["==", "!=", "<", ">", "<=", ">="].includes(t.v)) {
        this.next();
        l = { k: "bin", op: t.v, l, r: this.#concat(), at: t.at };
      } else if (t.t === "name" && t.v === "in") {
        this.next();
        l = { k: "bin", op: "in", l, r: this.#concat(), at: t.at };
      } else if (
        t.t === "name" && t.v === "not" && this.toks[this.i + 1]?.t === "name" &&
        this.toks[this.i + 1].v === "in"
      ) {
        this.next();
        this.next();
        l = { k: "not", e: { k: "bin", op: "in", l, r: this.#concat(), at: t.at }, at: t.at };
      } else if (t.t === "name" && t.v === "is") {
        this.next();
        const negate = this.isWord("not") && !!this.next();
        const name = this.next();
        if (name.t !== "name") throw this.map.error(name.at, "expected a test name after 'is'");
        const v = name.v === "none" || name.v === "None" ? "none" : name.v;
        l = { k: "test", e: l, name: v, negate, at: name.at };
      } else return l;
    }
  }

  #concat(): Expr {
    let l = this.#add();
    while (this.isOp("~")) {
      const at = this.next().at;
      l = { k: "bin", op: "~", l, r: this.#add(), at };
    }
    return l;
  }

  #add(): Expr {
    let l = this.#mul();
    while (this.isOp("+") || this.isOp("-")) {
      const t = this.next();
      l = { k: "bin", op: t.v, l, r: this.#mul(), at: t.at };
    }
    return l;
  }

  #mul(): Expr {
    let l = this.#unary();
    while (this.isOp("*") || this.isOp("/") || this.isOp("//") || this.isOp("%")) {
      const t = this.next();
      l = { k: "bin", op: t.v, l, r: this.#unary(), at: t.at };
    }
    return l;
  }

  #unary(): Expr {
    if (this.isOp("-")) {
      const at = this.next().at;
      return { k: "neg", e: this.#unary(), at };
    }
    let e = this.#postfix();
    while (this.isOp("|")) {
      this.next();
      const name = this.next();
      if (name.t !== "name") throw this.map.error(name.at, `expected a filter name after '|'`);
      const args: Expr[] = [];
      if (this.filterArgs === "colon") {
        if (this.isOp(":")) {
          this.next();
          do args.push(this.#colonArg()); while (this.isOp(",") && this.next());
        }
      } else if (this.isOp("(")) {
        this.next();
        if (!this.isOp(")")) {
          do args.push(this.expr()); while (this.isOp(",") && this.next());
        }
        this.expectOp(")");
      }
      e = { k: "filter", value: e, name: name.v, args, at: name.at };
    }
    return e;
  }

  /**
   * One matugen filter argument: a signed number, a string, a dotted path,
   * or a bare word, which matugen reads as a string (`saturate: 20, hsl`).
   */
  #colonArg(): Expr {
    const t = this.peek();
    if (t.t === "op" && (t.v === "-" || t.v === "+")) {
      this.next();
      const n = this.next();
      if (n.t !== "num") throw this.map.error(n.at, `expected a number after '${t.v}'`);
      return { k: "lit", v: (t.v === "-" ? -1 : 1) * Number(n.v), at: t.at };
    }
    const after = this.toks[this.i + 1];
    if (
      t.t === "name" && !["true", "false", "True", "False", "none", "None"].includes(t.v) &&
      (after.t === "end" || (after.t === "op" && (after.v === "," || after.v === "|")))
    ) {
      this.next();
      return { k: "lit", v: t.v, at: t.at };
    }
    return this.#postfix();
  }

  #postfix(): Expr {
    let e = this.#primary();
    for (;;) {
      if (this.isOp(".")) {
        const at = this.next().at;
        const n = this.next();
        if (n.t === "name") e = { k: "attr", obj: e, name: n.v, at };
        else if (n.t === "num" && /^\d+$/.test(n.v)) {
          e = { k: "index", obj: e, index: { k: "lit", v: Number(n.v), at: n.at }, at };
        } else throw this.map.error(n.at, `expected an attribute name after '.'`);
      } else if (this.isOp("[")) {
        const at = this.next().at;
        const start = this.isOp(":") ? null : this.expr();
        if (this.isOp(":")) {
          this.next();
          const end = this.isOp("]") ? null : this.expr();
          this.expectOp("]");
          e = { k: "slice", obj: e, start, end, at };
        } else {
          this.expectOp("]");
          e = { k: "index", obj: e, index: start!, at };
        }
      } else if (this.isOp("(")) {
        if (e.k !== "name") {
          throw this.map.error(this.peek().at, "only functions like range() can be called");
        }
        this.next();
        const args: Expr[] = [];
        if (!this.isOp(")")) {
          do args.push(this.expr()); while (this.isOp(",") && this.next());
        }
        this.expectOp(")");
        e = { k: "call", name: e.name, args, at: e.at };
      } else return e;
    }
  }

  #primary(): Expr {
    const t = this.next();
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
          this.expectOp(")");
          return e;
        }
        if (t.v === "[") {
          const items: Expr[] = [];
          if (!this.isOp("]")) {
            do items.push(this.expr()); while (this.isOp(",") && this.next());
          }
          this.expectOp("]");
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
