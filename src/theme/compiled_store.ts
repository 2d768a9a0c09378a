/**
 * Parsed templates kept across processes, so that a `next` does not parse
 * the same dozen templates again (a cold parse is most of compiling). One
 * JSON file per syntax and template file in `$XDG_CACHE_HOME/varietal/compiled/`:
 *
 * - verified: an entry is used only when it records exactly this source and
 *   syntax, and the identity (size, time, inode) of the parser's own modules
 *   (an edited parser never meets an old result); the file name is only a
 *   hash of the syntax and the template's path, so an edited template
 *   replaces its entry;
 * - data, never code: what is read back is checked field by field and
 *   compiled with the same name and filter checks as a fresh parse; anything
 *   else (damaged, edited, from another version) is parsed again and
 *   replaced;
 * - private: files 0600 in a 0700 folder, and a folder that is not ours or
 *   that others may write is not used at all.
 *
 * Requires `--allow-read`, `--allow-write` and `--allow-sys=uid`.
 *
 * @module
 */
import { nameHash } from "../text/name_hash.ts";
import type { Syntax } from "../config/choices.ts";
import { writeAtomicSync } from "../atomic_write.ts";
import { compileTemplate } from "./compile_template.ts";
import type { CompiledTemplate } from "./jinja_compile.ts";
import { TEMPLATE_IR, type TemplateIr } from "./template_ir.ts";

/** Bump when the entry layout changes. */
const FORMAT = 1;
/** Entries kept; past this a write removes the older half. */
export const MAX_ENTRIES = 256;

interface Entry {
  format: number;
  parser: string;
  syntax: string;
  source: string;
  ir: unknown;
}

/** Where parsed templates are kept (`$XDG_CACHE_HOME/varietal/compiled`). */
export function compiledStoreDir(cacheDir: string): string {
  return `${cacheDir}/compiled`;
}

/** A folder of parsed templates; see the module documentation. */
export class CompiledStore {
  /** The folder. */
  readonly dir: string;
  /** Compiles that used a kept parse, and that parsed (for tests and the bench). */
  readonly stats = { hits: 0, misses: 0 };
  #usable: boolean | undefined;
  #pruned = false;
  readonly #parsers = new Map<Syntax, string | null>();

  /** A store in `dir` (created 0700 on first use). */
  constructor(dir: string) {
    this.dir = dir;
  }

  /**
   * Compiles a template, using a kept parse of the same source when there
   * is one and keeping this one otherwise. Same result and errors as
   * `compileTemplate`.
   *
   * @throws {TemplateError} On any syntax error, unknown variable or filter.
   */
  compile(
    source: string,
    name: string,
    syntax: Syntax,
    options: { included?: boolean; path?: string } = {},
  ): CompiledTemplate {
    const ir = Object.hasOwn(TEMPLATE_IR, syntax) ? TEMPLATE_IR[syntax] : undefined;
    const parser = ir ? this.#parser(syntax, ir) : null;
    if (!ir || !parser || !this.#folderIsOurs()) {
      return compileTemplate(source, name, syntax, options);
    }
    // Hashing a short path is cheap in a cold process; hashing sources would not be.
    const file = `${this.dir}/${syntax}-${nameHash(options.path ?? `\0${name}`)}.json`;
    const kept = this.#read(file, parser, syntax, source);
    if (kept !== undefined) {
      try {
        const t = ir.link(kept.ir, source, name, options);
        this.stats.hits++;
        return t;
      } catch { /* not a parse result, or one that disagrees with the source: parse */ }
    }
    this.stats.misses++;
    const parsed = ir.parse(source, name);
    const template = ir.link(parsed, source, name, options);
    this.#write(file, { format: FORMAT, parser, syntax, source, ir: parsed });
    return template;
  }

  /**
   * Which parser this is: size, modification time and inode of each of its
   * modules (any edit changes them; hashing their text would cost more in a
   * cold process than the cache saves). Null when a file cannot be stat'ed
   * or has no time: nothing is kept then.
   */
  #parser(syntax: Syntax, ir: TemplateIr): string | null {
    let fp = this.#parsers.get(syntax);
    if (fp === undefined) {
      try {
        fp = ir.sources.map((u) => {
          const st = Deno.statSync(u);
          if (st.mtime === null) throw new Error("no modification time");
          return `${st.size}:${st.mtime.getTime()}:${st.ino ?? ""}`;
        }).join(",");
      } catch {
        fp = null;
      }
      this.#parsers.set(syntax, fp);
    }
    return fp;
  }

  /** Whether the folder is a real folder of ours that only we may write (made if absent). */
  #folderIsOurs(): boolean {
    if (this.#usable !== undefined) return this.#usable;
    let ok = false;
    try {
      let st: Deno.FileInfo;
      try {
        st = Deno.lstatSync(this.dir);
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
        Deno.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
        st = Deno.lstatSync(this.dir);
      }
      ok = st.isDirectory && st.uid === Deno.uid() && st.mode !== null &&
        (st.mode & 0o022) === 0;
    } catch { /* unreadable, or no uid to compare with */ }
    return this.#usable = ok;
  }

  #read(file: string, parser: string, syntax: string, source: string): Entry | undefined {
    let e: Partial<Entry>;
    try {
      e = JSON.parse(Deno.readTextFileSync(file));
    } catch {
      return undefined;
    }
    return e !== null && typeof e === "object" && e.format === FORMAT && e.parser === parser &&
        e.syntax === syntax && e.source === source
      ? e as Entry
      : undefined;
  }

  #write(file: string, entry: Entry): void {
    try {
      this.#prune();
      writeAtomicSync(file, JSON.stringify(entry), { mode: 0o600, forceMode: true });
    } catch { /* a read-only cache only costs the next process a parse */ }
  }

  /** Keeps the folder bounded (once per store): past {@linkcode MAX_ENTRIES}, removes the older half. */
  #prune(): void {
    if (this.#pruned) return;
    this.#pruned = true;
    const files = [...Deno.readDirSync(this.dir)].filter((e) =>
      e.isFile && e.name.endsWith(".json")
    );
    if (files.length < MAX_ENTRIES) return;
    const aged = files.map((e) => {
      const path = `${this.dir}/${e.name}`;
      return { path, mtime: Deno.lstatSync(path).mtime?.getTime() ?? 0 };
    }).sort((a, b) => a.mtime - b.mtime);
    for (const f of aged.slice(0, aged.length - Math.floor(MAX_ENTRIES / 2))) {
      try {
        Deno.removeSync(f.path);
      } catch { /* gone */ }
    }
  }
}
