/**
 * Loads templates from disk and keeps them compiled, keyed by path and
 * modification time (plus size), so a template is parsed once and re-parsed
 * only after it changes. Included files are loaded (and checked) the same
 * way. Requires `--allow-read`.
 *
 * @module
 */
import type { Syntax } from "../config/choices.ts";
import type { CompiledStore } from "./compiled_store.ts";
import { compileTemplate, guessSyntax } from "./compile_template.ts";
import type { CompiledTemplate } from "./jinja_compile.ts";
import { checkTextStat, NotATextFileError } from "../read_text.ts";
import { TemplateError, withDepthGuard } from "./template_error.ts";

interface Entry {
  mtime: number;
  ctime: number;
  size: number;
  syntax: Syntax;
  template: CompiledTemplate;
}

/** A loaded template and how to find its includes. */
export interface LoadedTemplate {
  /** The compiled template. */
  template: CompiledTemplate;
  /** Resolves an include name to its compiled template (for {@linkcode RenderEnv.include}). */
  include: (name: string) => CompiledTemplate | undefined;
}

/** Options for {@linkcode TemplateCache.load}. */
export interface LoadOptions {
  /** The syntax; null guesses from the file. @default null */
  syntax?: Syntax | null;
  /** The folder `{% include %}` names are relative to. @default the template's folder */
  root?: string;
  /** The name used in error messages. @default the path */
  name?: string;
  /**
   * The file never changes while this process runs (built-in templates ship
   * with the program): once compiled it is not stat'ed again. @default false
   */
  immutable?: boolean;
}

/** Options for {@linkcode TemplateCache}. */
export interface TemplateCacheOptions {
  /** Parses kept across processes (see `compiled_store.ts`). @default none */
  store?: CompiledStore;
}

/** Compiled templates keyed by path + mtime + size. */
export class TemplateCache {
  readonly #entries = new Map<string, Entry>();
  readonly #loaded = new Map<string, LoadedTemplate>();
  readonly #store: CompiledStore | undefined;
  /** How many times a file was (re)compiled; for tests and the bench. */
  compiles = 0;

  /** An empty cache. */
  constructor(options: TemplateCacheOptions = {}) {
    this.#store = options.store;
  }

  /**
   * Loads (or reuses) a compiled template and the templates it includes.
   *
   * @throws {Deno.errors.NotFound} When the file does not exist.
   * @throws {TemplateError} When it (or an include) does not compile.
   */
  load(path: string, options: LoadOptions = {}): Promise<LoadedTemplate> {
    try {
      return Promise.resolve(this.loadSync(path, options));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * {@linkcode TemplateCache.load} with blocking calls (a theme reads a dozen
   * small files: several times faster so than through Deno's thread pool).
   *
   * @throws {Deno.errors.NotFound} When the file does not exist.
   * @throws {TemplateError} When it (or an include) does not compile.
   */
  loadSync(path: string, options: LoadOptions = {}): LoadedTemplate {
    const root = options.root ?? path.replace(/\/[^/]*$/, "") ?? ".";
    const name = options.name ?? path;
    if (options.immutable) {
      const hit = this.#loaded.get(path);
      if (hit && hit.template.name === name) return hit;
    }
    const template = this.#get(path, options.syntax ?? null, name);
    const resolved = new Map<string, CompiledTemplate>();
    const pending = [...template.includes];
    const seen = new Set<string>();
    while (pending.length) {
      const name = pending.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const file = name.startsWith("/") ? name : `${root}/${name}`;
      let t: CompiledTemplate;
      try {
        // Named by its file in errors (an include name alone does not say where it is).
        t = this.#get(file, template.syntax === "matugen" ? "matugen" : "jinja", file, true);
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) continue; // reported where it is included
        throw e;
      }
      resolved.set(name, t);
      pending.push(...t.includes);
    }
    const loaded: LoadedTemplate = { template, include: (n) => resolved.get(n) };
    if (options.immutable && resolved.size === 0) this.#loaded.set(path, loaded);
    return loaded;
  }

  /** Forgets every compiled template. */
  clear(): void {
    this.#entries.clear();
    this.#loaded.clear();
  }

  #get(path: string, syntax: Syntax | null, name: string, included = false): CompiledTemplate {
    const st = Deno.statSync(path);
    // ctime too: it changes on every write, even one within the same mtime tick.
    const mtime = st.mtime?.getTime() ?? 0, ctime = st.ctime?.getTime() ?? 0;
    const key = `${syntax ?? "?"}\0${included ? "i" : "t"}\0${path}`;
    const hit = this.#entries.get(key);
    if (
      hit && hit.mtime === mtime && hit.ctime === ctime && hit.size === st.size &&
      hit.template.name === name
    ) {
      return hit.template;
    }
    try {
      checkTextStat(path, st);
    } catch (e) {
      // Reports name the template, not always its file: say which file.
      if (e instanceof NotATextFileError) throw new NotATextFileError(path, `${path} ${e.message}`);
      throw e;
    }
    const source = utf8(Deno.readFileSync(path), name);
    const chosen = syntax ?? guessSyntax(path, source);
    const template = withDepthGuard(
      name,
      () =>
        this.#store
          ? this.#store.compile(source, name, chosen, { included, path })
          : compileTemplate(source, name, chosen, { included }),
    );
    this.compiles++;
    this.#entries.set(key, { mtime, ctime, size: st.size, syntax: chosen, template });
    return template;
  }
}

// A byte-order mark is kept, as pywal (Python's utf-8 codec) and wallust (Rust) keep it.
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A template's text; one that is not UTF-8 is an error (not rendered with U+FFFD in it). */
function utf8(bytes: Uint8Array, name: string): string {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    // The first line that does not decode (a line break never sits inside a UTF-8 sequence).
    let line = 1;
    for (let start = 0; start < bytes.length; line++) {
      const nl = bytes.indexOf(10, start);
      const end = nl < 0 ? bytes.length : nl;
      try {
        STRICT_UTF8.decode(bytes.subarray(start, end));
      } catch {
        break;
      }
      start = end + 1;
    }
    throw new TemplateError(name, line, 1, "is not UTF-8 text: save it as UTF-8");
  }
}
