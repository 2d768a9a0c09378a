// No import circles in src/: every import (static, type-only or dynamic) points one way.
import { assertEquals } from "../_helpers/assert.ts";
import { importCycles, importGraph, importRefs } from "../_helpers/imports.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("importRefs() reads static, type, re-export and dynamic imports, not comments or strings", () => {
  const src = [
    'import { a, type B } from "./a.ts";',
    'import type {\n  C,\n  D,\n} from "../c.ts";',
    'import * as e from "./e.ts";',
    'import "./side.ts";',
    'export { f } from "./f.ts";',
    'export type { G } from "./g.ts";',
    'export * from "./h.ts";',
    'const m = await import("./lazy.ts");',
    'type M = typeof import("./typed.ts");',
    '// import { no } from "./comment.ts";',
    '/** ```ts\n * import { no } from "./jsdoc.ts";\n * ``` */',
    "const s = \"import { no } from './string.ts'\";",
    'const t = `import(${"./template.ts"}) ${`import "./nested.ts"`}`;',
    'const r = /import "\\.\\/regexp.ts"/;',
    'const url = new URL("./worker.ts", import.meta.url);',
    'export const from = "./not-an-import.ts";',
    "export function importer() {}",
  ].join("\n");
  assertEquals(importRefs(src), [
    { specifier: "./a.ts", dynamic: false, typeOnly: false },
    { specifier: "../c.ts", dynamic: false, typeOnly: true },
    { specifier: "./e.ts", dynamic: false, typeOnly: false },
    { specifier: "./side.ts", dynamic: false, typeOnly: false },
    { specifier: "./f.ts", dynamic: false, typeOnly: false },
    { specifier: "./g.ts", dynamic: false, typeOnly: true },
    { specifier: "./h.ts", dynamic: false, typeOnly: false },
    { specifier: "./lazy.ts", dynamic: true, typeOnly: false },
    { specifier: "./typed.ts", dynamic: true, typeOnly: false },
  ]);
});

Deno.test("importCycles() finds each circle once, including two-file and self imports", () => {
  const g = new Map([
    ["a", [{ to: "b" }]],
    ["b", [{ to: "c" }, { to: "d" }]],
    ["c", [{ to: "a" }]],
    ["d", [{ to: "e" }]],
    ["e", [{ to: "d" }]],
    ["f", [{ to: "f" }]],
    ["g", [{ to: "a" }]],
  ]);
  assertEquals(importCycles(g), [["a", "b", "c", "a"], ["d", "e", "d"], ["f", "f"]]);
  assertEquals(importCycles(new Map([["a", [{ to: "b" }]], ["b", []]])), []);
});

Deno.test("src/ has no import cycles (static, type-only or dynamic)", async () => {
  const graph = await importGraph(`${ROOT}/src`, ROOT);
  // The reader sees the real graph: the CLI's entry imports its command list.
  assertEquals(
    graph.get("src/cli/main.ts")?.some((e) => e.to === "src/cli/registry.ts"),
    true,
  );
  assertEquals(importCycles(graph).map((c) => c.join(" → ")), []);
});
