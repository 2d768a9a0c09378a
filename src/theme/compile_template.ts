/**
 * One entry point for both syntaxes, and the guess used when a template's
 * syntax is not configured (pure).
 *
 * @module
 */
import type { Syntax } from "../config/choices.ts";
import { type CompiledTemplate, compileJinja } from "./jinja_compile.ts";
import { compilePywal } from "./pywal_template.ts";
import { VARIABLE_NAMES } from "./variables.ts";

/**
 * Compiles a template in the given syntax.
 *
 * @param options `included`: the file is included by another, so names it
 *   uses may be set by its includer (checked when rendered instead).
 * @throws {TemplateError} On any syntax error, unknown variable or filter.
 */
export function compileTemplate(
  source: string,
  name: string,
  syntax: Syntax,
  options: { included?: boolean } = {},
): CompiledTemplate {
  return syntax === "pywal"
    ? compilePywal(source, name)
    : compileJinja(source, name, { globals: VARIABLE_NAMES, strictNames: !options.included });
}

const PYWAL_FIELD =
  /(?<!\{)\{(color1[0-5]|color\d|background|foreground|cursor|wallpaper|alpha)(\.[\w().,]*)?\}(?!\})/;
const JINJA_TAG = /\{\{|\{%|\{#/;

/**
 * Guesses a template's syntax: `.wallust`/`.jinja`/`.j2` files are Jinja;
 * otherwise a file with a pywal placeholder (`{color1}`, `{background.rgb}`)
 * and no Jinja tag is pywal, and pywal templates with `{{` literal braces are
 * recognised by their single-brace colour fields. Everything else is Jinja.
 */
export function guessSyntax(path: string, source: string): Syntax {
  if (/\.(wallust|jinja2?|j2)$/i.test(path)) return "jinja";
  if (PYWAL_FIELD.test(source)) return "pywal";
  if (JINJA_TAG.test(source)) return "jinja";
  return "jinja";
}
