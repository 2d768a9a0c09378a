/**
 * Finding a template by name, the one rule for config entries, `theme
 * list` and `theme render`: a path is itself; a bare name is a file in the
 * user's templates folder, then a built-in. Requires `--allow-read` for
 * {@linkcode findTemplate} and {@linkcode loadTemplate}.
 *
 * @module
 */
import type { Syntax } from "../config/choices.ts";
import { type Builtin, builtinSyntax, findBuiltin } from "./builtins.ts";
import type { LoadedTemplate, TemplateCache } from "./template_cache.ts";
import { checkFile } from "../file_check.ts";
import { guessSyntax, syntaxWarning } from "./compile_template.ts";

/** One place a template may be, tried in order. */
export interface TemplateCandidate {
  /** The file. */
  path: string;
  /** The folder its `{% include %}` names are relative to. */
  root: string;
  /** A built-in (never changes while the program runs). */
  builtin?: boolean;
  /** The built-in's own syntax (see {@linkcode builtinSyntax}); absent for user files. */
  syntax?: Syntax;
}

/** Options for {@linkcode templateCandidates}. */
export interface TemplateCandidatesOptions {
  /**
   * The folder a relative name given on the command line is tried in first
   * (`theme render ./bar.css`); such a file's includes are relative to its
   * own folder unless it lies in the user's folder. Absent for `[[templates]]`
   * entries, where a bare name is never a path and an absolute one includes
   * from the user's folder. @default undefined
   */
  cwd?: string;
}

/**
 * Where a template named `name` may be, in the order to try.
 *
 * @param name A path (absolute, or relative to `options.cwd`) or a bare name
 *   ("bar.css" in the user's folder, or a built-in such as "kitty").
 * @param userDir The user's templates folder.
 * @param builtins The built-in templates.
 * @returns The candidates, first match wins (see {@linkcode loadTemplate}).
 * @example
 * ```ts
 * import { templateCandidates } from "./template_lookup.ts";
 * const kitty = { name: "kitty", file: "kitty.conf", path: "/t/kitty.conf" };
 * const c = templateCandidates("kitty", "/home/u/.config/varietal/templates", [kitty]);
 * if (c.map((x) => x.path).join() !== "/home/u/.config/varietal/templates/kitty,/t/kitty.conf") {
 *   throw new Error("user folder first, then the built-in");
 * }
 * ```
 */
export function templateCandidates(
  name: string,
  userDir: string,
  builtins: readonly Builtin[],
  options: TemplateCandidatesOptions = {},
): TemplateCandidate[] {
  const { cwd } = options;
  const out: TemplateCandidate[] = [];
  // (`./bar.css` is named without its `./` in messages: `/home/me/bar.css:3:14`.)
  name = name.replace(/^(?:\.\/+)+/, "");
  if (cwd !== undefined) {
    const path = name.startsWith("/") ? name : `${cwd}/${name}`;
    out.push({ path, root: path.startsWith(`${userDir}/`) ? userDir : dirOf(path) });
  } else if (name.startsWith("/")) {
    return [{ path: name, root: userDir }];
  }
  if (!name.startsWith("/")) out.push({ path: `${userDir}/${name}`, root: userDir });
  const b = findBuiltin(builtins, name);
  if (b) out.push(builtinCandidate(b));
  return out;
}

/** The candidate of a built-in template. */
export function builtinCandidate(b: Builtin): TemplateCandidate {
  return { path: b.path, root: dirOf(b.path), builtin: true, syntax: builtinSyntax(b) };
}

/** No candidate of a template exists. */
export class TemplateNotFoundError extends Error {
  /** The files looked for. */
  readonly candidates: readonly TemplateCandidate[];
  /**
   * @param candidates The files looked for.
   * @param folders Those of them that are folders (said, so that a folder is not
   *   taken for a missing file).
   */
  constructor(candidates: readonly TemplateCandidate[], folders: readonly string[] = []) {
    super(
      `template not found (looked for ${candidates.map((c) => c.path).join(" or ")}${
        folders.length
          ? `; ${folders.join(", ")} ${folders.length > 1 ? "are folders" : "is a folder"}`
          : ""
      })`,
    );
    this.name = "TemplateNotFoundError";
    this.candidates = candidates;
  }
}

/**
 * The first candidate that is a file, without reading it.
 *
 * @returns The candidate, or undefined when none exists.
 */
export function findTemplate(
  candidates: readonly TemplateCandidate[],
): TemplateCandidate | undefined {
  return candidates.find((c) => checkFile(c.path) === "ok");
}

/**
 * Loads (through the cache) the first candidate that exists, with blocking
 * calls (a theme reads a dozen small files: faster so than through Deno's
 * thread pool).
 *
 * @param cache The compiled-template cache.
 * @param candidates From {@linkcode templateCandidates}.
 * @param syntax The syntax asked for; null takes a built-in's own, else guesses from the file.
 * @returns The loaded template and the candidate it came from.
 * @throws {TemplateNotFoundError} When no candidate is a file.
 * @throws {TemplateError} When the template (or an include) does not compile.
 */
export function loadTemplate(
  cache: TemplateCache,
  candidates: readonly TemplateCandidate[],
  syntax: Syntax | null,
): LoadedTemplate & { candidate: TemplateCandidate } {
  const folders: string[] = [];
  for (const c of candidates) {
    try {
      const loaded = cache.loadSync(c.path, {
        syntax: syntax ?? c.syntax ?? null,
        root: c.root,
        name: c.path,
        immutable: c.builtin,
      });
      return { ...loaded, candidate: c };
    } catch (e) {
      if (e instanceof Deno.errors.IsADirectory) folders.push(c.path);
      if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.IsADirectory) continue;
      throw e;
    }
  }
  throw new TemplateNotFoundError(candidates, folders);
}

function dirOf(p: string): string {
  return p.replace(/\/[^/]*$/, "");
}

/**
 * What {@linkcode syntaxWarning} says of a configured template whose syntax is
 * guessed (none for a configured syntax, a built-in, or a file not there).
 *
 * @param candidates From {@linkcode templateCandidates}.
 * @param syntax The configured syntax, or null.
 */
export function guessedSyntaxWarning(
  candidates: readonly TemplateCandidate[],
  syntax: Syntax | null,
): string | null {
  if (syntax !== null) return null;
  const found = findTemplate(candidates);
  if (!found || found.builtin || found.syntax) return null;
  let source: string;
  try {
    source = Deno.readTextFileSync(found.path);
  } catch {
    return null; // said by loading it
  }
  return syntaxWarning(found.path, source, guessSyntax(found.path, source));
}
