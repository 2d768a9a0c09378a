/**
 * The error a template raises when it cannot be parsed or rendered: it names
 * the template, the line and the column (both 1-based).
 *
 * @module
 */

/**
 * A template problem at a known place.
 *
 * @example FILE:LINE:COLUMN: problem
 * ```ts
 * import assert from "node:assert/strict";
 * import { TemplateError } from "./template_error.ts";
 *
 * const e = new TemplateError("bar.css", 3, 14, "unknown variable 'colr1'");
 * assert.equal(e.message, "bar.css:3:14: unknown variable 'colr1'");
 * assert.equal(e.problem, "unknown variable 'colr1'");
 * ```
 */
export class TemplateError extends Error {
  /** The template's name or path. */
  readonly template: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  /** The problem without the location. */
  readonly problem: string;

  /** Creates the error for a place in a template (line and column are 1-based). */
  constructor(template: string, line: number, column: number, problem: string) {
    super(`${template}:${line}:${column}: ${problem}`);
    this.name = "TemplateError";
    this.template = template;
    this.line = line;
    this.column = column;
    this.problem = problem;
  }
}

/**
 * Maps string offsets to 1-based line and column numbers (binary search over
 * the line starts, so locating is O(log lines)).
 *
 * @example Offsets to lines and columns
 * ```ts
 * import assert from "node:assert/strict";
 * import { SourceMap } from "./template_error.ts";
 *
 * const map = new SourceMap("bar.css", "ab\ncd");
 * assert.deepEqual(map.locate(4), { line: 2, column: 2 }); // the "d"
 * assert.equal(map.error(4, "boom").message, "bar.css:2:2: boom");
 * ```
 */
export class SourceMap {
  readonly #starts: number[] = [0];
  /** Indexes the line starts of a template source. */
  constructor(readonly name: string, source: string) {
    for (let i = source.indexOf("\n"); i !== -1; i = source.indexOf("\n", i + 1)) {
      this.#starts.push(i + 1);
    }
  }

  /** The line and column of an offset. */
  locate(offset: number): { line: number; column: number } {
    let lo = 0, hi = this.#starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.#starts[lo] + 1 };
  }

  /** A {@linkcode TemplateError} at an offset. */
  error(offset: number, problem: string): TemplateError {
    const { line, column } = this.locate(offset);
    return new TemplateError(this.name, line, column, problem);
  }
}

/**
 * Runs `fn` (a parse or a render of template `name`), turning the engine's
 * stack overflow on a template nested thousands deep into a
 * {@linkcode TemplateError} that names the template.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { withDepthGuard } from "./template_error.ts";
 *
 * const deep = (n: number): number => n === 0 ? 0 : 1 + deep(n - 1);
 * assert.throws(() => withDepthGuard("t.conf", () => deep(1e7)), /t\.conf:1:1: nested too deeply/);
 * ```
 */
export function withDepthGuard<T>(name: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throw new TemplateError(
        name,
        1,
        1,
        "nested too deeply (blocks, parentheses or includes) to be read; simplify it",
      );
    }
    throw e;
  }
}
