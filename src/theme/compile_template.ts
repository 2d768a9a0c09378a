/**
 * One entry point for both syntaxes, and the guess used when a template's
 * syntax is not configured (pure).
 *
 * @module
 */
import type { Syntax } from "../config/choices.ts";
import { type CompiledTemplate, compileJinja } from "./jinja_compile.ts";
import { compilePywal } from "./pywal_template.ts";
import { compileMatugen } from "./matugen_compile.ts";
import { VARIABLE_NAMES } from "./variables.ts";

/**
 * Compiles a template in the given syntax.
 *
 * @param options `included`: the file is included by another, so names it
 *   uses may be set by its includer (checked when rendered instead).
 * @throws {TemplateError} On any syntax error, unknown variable or filter.
 * @example Each syntax through one entry point
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileTemplate } from "./compile_template.ts";
 *
 * const vars = { background: "#102030", color1: "#AABBCC" };
 * const env = { alpha: 100 };
 * assert.equal(compileTemplate("bg {{ background | strip }}", "a", "jinja").render(vars, env), "bg 102030");
 * assert.equal(compileTemplate("fg {color1.strip}", "b", "pywal").render(vars, env), "fg AABBCC");
 * assert.throws(() => compileTemplate("{{ colr1 }}", "bar.css", "jinja"), /unknown variable 'colr1'/);
 * ```
 */
export function compileTemplate(
  source: string,
  name: string,
  syntax: Syntax,
  options: { included?: boolean } = {},
): CompiledTemplate {
  if (syntax === "matugen") return compileMatugen(source, name, options);
  return syntax === "pywal"
    ? compilePywal(source, name)
    : compileJinja(source, name, { globals: VARIABLE_NAMES, strictNames: !options.included });
}

const PYWAL_FIELD =
  /(?<!\{)\{(color1[0-5]|color\d|background|foreground|cursor|wallpaper|alpha)(\.[\w().,]*)?\}(?!\})/;
const JINJA_TAG = /\{\{|\{%|\{#/;
/** What only Jinja writes: a block or comment tag. */
const JINJA_BLOCK = /\{%|\{#/;
/** `{{ name }}`, `{{ name.attr | filter }}`: Jinja when `name` is a template variable. */
const JINJA_EXPR = /\{\{-?\s*([A-Za-z_]\w*)[\w.]*\s*(\|[^{}\n]*)?-?\}\}/g;

/** Whether `source` uses Jinja for sure (pywal writes `{{NAME}}` for a literal `{NAME}`). */
function surelyJinja(source: string): boolean {
  if (JINJA_BLOCK.test(source)) return true;
  for (const m of source.matchAll(JINJA_EXPR)) if (VARIABLE_NAMES.has(m[1])) return true;
  return false;
}
// (`colors.NAME.VARIANT`, a mistyped variant too: varietal's own `colors` is a list.)
const MATUGEN_TAG = /\{\{\s*colors\.[a-z_]\w*\.\w+|<\*\s*(for|if|include|endfor|endif)\b/;
/**
 * matugen's top-level names that no Jinja template variable has (matugen_variables.ts'
 * MATUGEN_NAMES, and matugen 4's `base16`): a hyprpaper template of matugen's users is
 * `preload = {{image}}` alone.
 */
const MATUGEN_ONLY: ReadonlySet<string> = new Set(["image", "mode", "is_dark_mode", "base16"]);

/** Whether `source`'s `{{ … }}` expressions name matugen's variables (and no Jinja one). */
function matugenNames(source: string): boolean {
  for (const m of source.matchAll(JINJA_EXPR)) if (MATUGEN_ONLY.has(m[1])) return true;
  return false;
}

/**
 * Guesses a template's syntax: `.wallust`/`.jinja`/`.j2` files are Jinja;
 * a file with matugen's colour paths (`{{ colors.primary.default.hex }}`)
 * or block tags (`<* for`) is matugen; one with a Jinja block or comment tag
 * or a `{{ name }}` expression of a template variable is Jinja; one whose
 * expressions name matugen's `image`, `mode`, `is_dark_mode` or `base16` is
 * matugen; otherwise a file with a pywal
 * placeholder (`{color1}`, `{background.rgb}`) is pywal (pywal templates
 * write literal braces as `{{`, which is why a bare `{{` decides nothing).
 * Everything else is Jinja.
 *
 * @example By extension, then by what the text uses
 * ```ts
 * import assert from "node:assert/strict";
 * import { guessSyntax } from "./compile_template.ts";
 *
 * assert.equal(guessSyntax("colors.css", "{color1}"), "pywal");
 * assert.equal(guessSyntax("gtk.css", "{{ colors.primary.default.hex }}"), "matugen");
 * assert.equal(guessSyntax("bar.j2", "{color1}"), "jinja"); // the extension decides
 * assert.equal(guessSyntax("plain.txt", "no tags"), "jinja");
 * assert.equal(guessSyntax("colors.sh", 'bg="{{ background }}"; echo "${background}"'), "jinja");
 * assert.equal(guessSyntax("pywal.css", "* {{ color: {color1}; }}"), "pywal");
 * assert.equal(guessSyntax("hyprpaper.conf", "preload = {{image}}"), "matugen");
 * ```
 */
export function guessSyntax(path: string, source: string): Syntax {
  if (/\.(wallust|jinja2?|j2)$/i.test(path)) return "jinja";
  if (MATUGEN_TAG.test(source)) return "matugen";
  // (A shell's `${background}` in a Jinja template looks like a pywal field.)
  if (surelyJinja(source)) return "jinja";
  if (matugenNames(source)) return "matugen";
  if (PYWAL_FIELD.test(source)) return "pywal";
  if (JINJA_TAG.test(source)) return "jinja";
  return "jinja";
}

/** A pywal field in single braces, not a shell's `${name}`. */
const PYWAL_LEFTOVER = new RegExp(`(?<!\\$)${PYWAL_FIELD.source}`);
/** `{name}` or `{name.prop}` in single braces, not a shell's `${name}`. */
const BRACED_NAME = /(?<![{$\w])\{([A-Za-z_]\w*)(\.[\w().,]*)?\}(?!\})/;

/**
 * Why a template whose syntax was guessed may not render as its author meant,
 * or null: one guessed Jinja (or matugen) that also writes pywal fields in
 * single braces (`{foreground}`: written out as they are), or one with no tag
 * at all but `{name}` placeholders (a pywal template whose only fields are
 * misspelt or unknown to pywal, such as `{colr1}`). `theme list` and `doctor`
 * say so; rendering is not changed by it.
 *
 * @param path The template file (for the message).
 * @param source Its text.
 * @param guessed What {@linkcode guessSyntax} made of it.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { guessSyntax, syntaxWarning } from "./compile_template.ts";
 *
 * const mixed = "bg={{background}}\nfg={foreground}\n";
 * assert.match(syntaxWarning("c.conf", mixed, guessSyntax("c.conf", mixed))!, /c\.conf:2:4: /);
 * assert.match(syntaxWarning("b.conf", "b {colr1}", "jinja")!, /'\{colr1\}' is no pywal field/);
 * assert.equal(syntaxWarning("s.sh", 'echo "${background}" {{ color1 }}', "jinja"), null);
 * ```
 */
export function syntaxWarning(path: string, source: string, guessed: Syntax): string | null {
  if (guessed === "pywal") return null;
  const where = (index: number) => {
    const before = source.slice(0, index);
    const line = before.split("\n").length;
    return `${path}:${line}:${index - before.lastIndexOf("\n")}`;
  };
  const field = PYWAL_LEFTOVER.exec(source);
  if (field) {
    return `${where(field.index)}: '${field[0]}' is pywal syntax, but the file is read as ` +
      `${guessed === "matugen" ? "matugen" : "Jinja"} (it uses ${
        guessed === "matugen" ? "matugen's" : "Jinja"
      } tags too), so it is written out as it is; set syntax = "pywal" in its [[templates]] ` +
      "entry (pywal writes a literal brace as {{ or }}), or write it the other way";
  }
  if (guessed !== "jinja" || JINJA_TAG.test(source)) return null;
  const named = BRACED_NAME.exec(source);
  if (!named) return null;
  return `${where(named.index)}: '${named[0]}' is no pywal field (a typo?) and the file has no ` +
    "Jinja tag, so it is written out as it is; pywal's fields are color0…color15, background, " +
    'foreground, cursor, wallpaper and alpha (set syntax = "jinja" in its [[templates]] entry ' +
    "if the braces are meant as text)";
}
