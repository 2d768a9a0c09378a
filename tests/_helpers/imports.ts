// The import graph of src/, read from the import statements of each file (for
// architecture tests): a small tokenizer skips comments, strings, template
// literals and regular expressions, so JSDoc examples and text do not count.
import { dirname, relative, resolve } from "node:path";

/** One import of a module. */
export interface ImportRef {
  /** The specifier as written ("./x.ts", "node:fs", "fdir"). */
  specifier: string;
  /** `import(…)` (including `typeof import(…)` in types), not a static import. */
  dynamic: boolean;
  /** `import type …` / `export type … from` (erased at run time). */
  typeOnly: boolean;
}

type Token = { kind: "id" | "str" | "punct"; text: string };

/** Words after which a `/` starts a regular expression, not a division. */
const BEFORE_EXPRESSION = new Set([
  "return",
  "typeof",
  "instanceof",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "case",
  "do",
  "else",
  "yield",
  "await",
]);

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  // One entry per open template literal `${`: how many `{` are open inside it.
  const templates: number[] = [];
  let i = 0;
  const regexAllowed = () => {
    const last = out[out.length - 1];
    if (!last) return true;
    if (last.kind === "str") return false;
    if (last.kind === "id") return BEFORE_EXPRESSION.has(last.text);
    return !")]}".includes(last.text);
  };
  /** Reads a template literal's text from `i` (after "`" or "}") to "`" or "${". */
  const templateChunk = (): { text: string; open: boolean } => {
    let text = "";
    while (i < src.length) {
      const c = src[i];
      if (c === "\\") {
        text += src.slice(i, i + 2);
        i += 2;
      } else if (c === "`") {
        i++;
        return { text, open: false };
      } else if (c === "$" && src[i + 1] === "{") {
        i += 2;
        return { text, open: true };
      } else {
        text += c;
        i++;
      }
    }
    return { text, open: false };
  };
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "/" && src[i + 1] === "/") {
      while (i < src.length && src[i] !== "\n") i++;
    } else if (c === "/" && src[i + 1] === "*") {
      const end = src.indexOf("*/", i + 2);
      i = end < 0 ? src.length : end + 2;
    } else if (c === '"' || c === "'") {
      let j = i + 1, text = "";
      while (j < src.length && src[j] !== c && src[j] !== "\n") {
        if (src[j] === "\\") j++;
        text += src[j++];
      }
      out.push({ kind: "str", text });
      i = j + 1;
    } else if (c === "`") {
      i++;
      const chunk = templateChunk();
      if (chunk.open) {
        templates.push(0);
        out.push({ kind: "punct", text: "${" });
      } else out.push({ kind: "str", text: chunk.text });
    } else if (c === "/" && regexAllowed()) {
      let j = i + 1, inClass = false;
      while (j < src.length && src[j] !== "\n") {
        if (src[j] === "\\") j++;
        else if (src[j] === "[") inClass = true;
        else if (src[j] === "]") inClass = false;
        else if (src[j] === "/" && !inClass) break;
        j++;
      }
      j++;
      while (j < src.length && /[a-z]/i.test(src[j])) j++;
      out.push({ kind: "str", text: "/regexp/" });
      i = j;
    } else if (/[A-Za-z0-9_$]/.test(c)) {
      let j = i;
      while (j < src.length && /[A-Za-z0-9_$]/.test(src[j])) j++;
      out.push({ kind: "id", text: src.slice(i, j) });
      i = j;
    } else {
      i++;
      if (templates.length > 0 && c === "{") templates[templates.length - 1]++;
      if (templates.length > 0 && c === "}") {
        if (templates[templates.length - 1] === 0) {
          templates.pop();
          const chunk = templateChunk();
          if (chunk.open) templates.push(0);
          out.push({ kind: "str", text: chunk.text });
          continue;
        }
        templates[templates.length - 1]--;
      }
      out.push({ kind: "punct", text: c });
    }
  }
  return out;
}

/**
 * The imports of one TypeScript source: `import … from`, `import "…"`,
 * `export … from` and `import("…")` with a literal specifier. Comments,
 * strings and template literals are skipped.
 */
export function importRefs(source: string): ImportRef[] {
  const toks = tokenize(source);
  const refs: ImportRef[] = [];
  const at = (k: number) => toks[k] ?? { kind: "punct", text: "" };
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k];
    if (t.kind !== "id" || (t.text !== "import" && t.text !== "export")) continue;
    if (at(k - 1).text === "." || at(k + 1).text === ".") continue; // import.meta, x.import
    if (t.text === "import" && at(k + 1).text === "(") {
      if (at(k + 2).kind === "str" && at(k + 3).text === ")") {
        refs.push({ specifier: at(k + 2).text, dynamic: true, typeOnly: false });
      }
      continue;
    }
    if (t.text === "import" && at(k + 1).kind === "str") {
      refs.push({ specifier: at(k + 1).text, dynamic: false, typeOnly: false });
      continue;
    }
    // import|export [type] (names, braces, *, as, commas) from "x"
    const typeOnly = at(k + 1).text === "type";
    let j = k + 1;
    while (j < toks.length && (toks[j].kind === "id" || "{},*".includes(toks[j].text))) {
      if (toks[j].text === "from" && at(j + 1).kind === "str") {
        refs.push({ specifier: at(j + 1).text, dynamic: false, typeOnly });
        break;
      }
      // `export function from(…)` or `export const x = …` are not re-exports
      if (t.text === "export" && toks[j].kind === "id" && j === k + 1 && toks[j].text !== "type") {
        break;
      }
      j++;
    }
  }
  return refs;
}

/** An import edge between two files under the root, as paths relative to the repository. */
export interface ImportEdge extends ImportRef {
  from: string;
  to: string;
}

/**
 * The relative imports between the `.ts` files under `dir` (recursively),
 * keyed by importing file; paths relative to `base`.
 */
export async function importGraph(dir: string, base: string): Promise<Map<string, ImportEdge[]>> {
  const graph = new Map<string, ImportEdge[]>();
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      const p = `${d}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else if (e.isFile && p.endsWith(".ts")) {
        const from = relative(base, p);
        const edges = importRefs(await Deno.readTextFile(p))
          .filter((r) => r.specifier.startsWith("."))
          .map((r) => ({ ...r, from, to: relative(base, resolve(dirname(p), r.specifier)) }));
        graph.set(from, edges);
      }
    }
  };
  await walk(dir);
  return graph;
}

/**
 * The import cycles of a graph: for each strongly connected group of files
 * (Tarjan), one cycle through it, as a list of files ending where it started.
 */
export function importCycles(graph: ReadonlyMap<string, readonly { to: string }[]>): string[][] {
  const next = (v: string) => [...new Set((graph.get(v) ?? []).map((e) => e.to))].sort();
  const index = new Map<string, number>(), low = new Map<string, number>();
  const stack: string[] = [], onStack = new Set<string>();
  const groups: string[][] = [];
  let counter = 0;
  const strong = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || next(v).includes(v)) groups.push(group);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) strong(v);
  // One concrete cycle per group: a breadth-first path from its first file back to itself.
  return groups.map((group) => {
    const members = new Set(group);
    const start = [...group].sort()[0];
    const prev = new Map<string, string>();
    const queue = [start];
    while (queue.length) {
      const v = queue.shift()!;
      for (const w of next(v)) {
        if (!members.has(w)) continue;
        if (w === start) {
          const path = [start];
          for (let u: string | undefined = v; u !== undefined && u !== start; u = prev.get(u)) {
            path.splice(1, 0, u);
          }
          return [...path, start];
        }
        if (!prev.has(w)) {
          prev.set(w, v);
          queue.push(w);
        }
      }
    }
    return [...group, group[0]];
  }).sort((a, b) => a[0].localeCompare(b[0]));
}
