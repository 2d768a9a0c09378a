// The import rules of docs/architecture.md, checked against the code: which room may
// import which, the pure modules, and the stated exceptions. Type-only imports are free
// (they are erased at run time) except into src/cli/.
import { assert, assertEquals } from "../_helpers/assert.ts";
import { type ImportEdge, importGraph, importRefs } from "../_helpers/imports.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/** The room of a file: its folder under src/, or its name for a top-level module. */
function roomOf(file: string): string {
  const parts = file.split("/"); // "src/select/weights.ts", "src/file_check.ts"
  return parts.length === 2 ? parts[1].replace(/\.ts$/, "") : parts[1];
}

/** Rooms at the bottom, which any room may use. */
const LEAVES = [
  "atomic_write",
  "config",
  "process",
  "text",
  "file_check",
  "normal_path",
  "periodic",
  "private_folder",
  "read_bytes",
  "read_text",
  "sleep",
  "timeout",
  "trash",
  "version",
];

/**
 * What each room may import at run time besides itself, the leaves and pure
 * modules (keep in step with the table in docs/architecture.md).
 */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  cli: [
    "pipeline",
    "remote",
    "select",
    "palette",
    "theme",
    "wallpaper",
    "scan",
    "stats",
    "notify",
    "desktop",
    "db",
  ],
  install: [],
  pipeline: [
    "remote",
    "select",
    "palette",
    "theme",
    "wallpaper",
    "scan",
    "stats",
    "notify",
    "desktop",
    "db",
  ],
  remote: ["scan", "db"],
  select: ["scan", "palette", "db"],
  theme: ["palette", "desktop"],
  stats: ["palette", "db"],
  palette: ["db"],
  scan: ["db"],
  wallpaper: [],
  notify: [],
  desktop: [],
  db: [],
  atomic_write: [],
  config: [],
  process: [],
  text: [],
  file_check: [],
  normal_path: [],
  periodic: [],
  private_folder: [],
  read_bytes: [],
  read_text: [],
  sleep: [],
  timeout: [],
  trash: [],
  version: [],
};

/** Imports that break a room rule on purpose, each with its reason (docs/architecture.md). */
const EXCEPTIONS: readonly { from: string; to: string; why: string }[] = [
  {
    from: "src/remote/*",
    to: "src/pipeline/lock.ts",
    why: "a fetch adds files under the lock every change of wallpaper takes",
  },
  {
    from: "src/remote/quota.ts",
    to: "src/pipeline/browse.ts",
    why: "the quota never deletes the wallpaper on screen, which the browse state names",
  },
];

/**
 * Modules without I/O (no database, no files, no processes, no clock): they
 * import only each other (type-only imports aside) and the npm packages
 * listed in PURE_PACKAGES, and may be imported from any room.
 */
const PURE_MODULES: readonly string[] = [
  ...["weights", "constraints", "sampler", "lightness_switch", "play_keys"].map((m) =>
    `src/select/${m}.ts`
  ),
  ...[
    "ansi",
    "builtin",
    "color",
    "contrast",
    "derive",
    "downscale",
    "from_color",
    "hue_ranges",
    "image_format",
    "image_header",
    "jpeg_dc",
    "palette_record",
    "pixel_limit",
    "svg_header",
    "png_stream",
    "quantize",
    "summary",
    "wallust_cache",
    "webp_frame",
    "material/roles",
    "material/scheme",
    "material/source_color",
    "material/status_roles",
  ].map((m) => `src/palette/${m}.ts`),
  ...[
    "_jinja_expr",
    "_jinja_ops",
    "compile_template",
    "expand_path",
    "filters",
    "jinja_compile",
    "jinja_parse",
    "matugen_compile",
    "matugen_filters",
    "matugen_format",
    "matugen_variables",
    "mode",
    "pywal_template",
    "quoting",
    "template_error",
    "template_ir",
    "terminal_sequences",
    "theme_report",
    "value",
    "variables",
  ].map((m) => `src/theme/${m}.ts`),
  ...["_svg", "buckets", "chart_rows", "report_html", "summarize"].map((m) => `src/stats/${m}.ts`),
  ...["_validate", "byte_size", "choices", "duration", "errors", "key_line", "remote", "schema"]
    .map((
      m,
    ) => `src/config/${m}.ts`),
  ...["credit", "hosts", "planner"].map((m) => `src/remote/${m}.ts`),
  "src/scan/kde_package.ts",
  "src/notify/notification_text.ts",
  ...["local_time", "name_hash", "not_capable", "printable", "shell_word", "suggest", "text_width"]
    .map((m) => `src/text/${m}.ts`),
  "src/pipeline/fit_outputs.ts",
  "src/install/launcher.ts",
  "src/wallpaper/transition.ts",
  "src/version.ts",
  "src/normal_path.ts",
];

/**
 * Modules a pure module runs that are pure only as it runs them (see docs/architecture.md).
 */
const PURE_RUNS: readonly { from: string; to: string; why: string }[] = [
  {
    from: "src/palette/material/source_color.ts",
    to: "src/palette/material/celebi.ts",
    why: "its k-means draws from Math.random, which source_color replaces with a seeded generator",
  },
];

/** npm packages pure modules may import (computation only). */
const PURE_PACKAGES = ["@material/material-color-utilities"];

const matches = (pattern: string, file: string) =>
  pattern.endsWith("/*") ? file.startsWith(pattern.slice(0, -1)) : pattern === file;

/** Every import that breaks a rule, as "from → to: why". */
function ruleViolations(graph: ReadonlyMap<string, readonly ImportEdge[]>): string[] {
  const pure = new Set(PURE_MODULES);
  const out: string[] = [];
  for (const [from, edges] of graph) {
    const a = roomOf(from);
    for (const e of edges) {
      const b = roomOf(e.to);
      if (b === "cli" && a !== "cli") out.push(`${from} → ${e.to}: nothing below cli imports it`);
      if (e.typeOnly) continue;
      // Also within its own room: a pure module's import of engine code is I/O all the same.
      if (
        pure.has(from) && !pure.has(e.to) &&
        !PURE_RUNS.some((x) => x.from === from && x.to === e.to)
      ) {
        out.push(`${from} → ${e.to}: a pure module imports only pure modules`);
      } else if (a === b) continue;
      else if (
        !pure.has(e.to) && !LEAVES.includes(b) && !(MAY_IMPORT[a] ?? []).includes(b) &&
        !EXCEPTIONS.some((x) => matches(x.from, from) && matches(x.to, e.to))
      ) {
        out.push(`${from} → ${e.to}: ${a} may not import ${b}`);
      }
    }
  }
  return out.sort();
}

Deno.test("roomOf() names the folder under src/, or a top-level module", () => {
  assertEquals(roomOf("src/select/weights.ts"), "select");
  assertEquals(roomOf("src/palette/material/scheme.ts"), "palette");
  assertEquals(roomOf("src/file_check.ts"), "file_check");
});

Deno.test("ruleViolations() finds a pure module importing I/O, a room importing upward, and imports of cli", () => {
  const edge = (from: string, to: string, typeOnly = false): [string, ImportEdge[]] => [
    from,
    [{ from, to, specifier: to, dynamic: false, typeOnly }],
  ];
  const graph = new Map([
    edge("src/select/weights.ts", "src/db/images.ts"),
    edge("src/db/images.ts", "src/select/selector.ts"),
    edge("src/scan/scanner.ts", "src/cli/_output.ts", true),
    edge("src/db/palettes.ts", "src/palette/hue_ranges.ts"), // pure: fine from anywhere
    edge("src/theme/variables.ts", "src/db/images.ts", true), // type-only: fine
    edge("src/remote/fetch_remotes.ts", "src/pipeline/lock.ts"), // a stated exception
    edge("src/theme/filters.ts", "src/theme/engine.ts"), // pure → its own room's I/O
  ]);
  assertEquals(ruleViolations(graph), [
    "src/db/images.ts → src/select/selector.ts: db may not import select",
    "src/scan/scanner.ts → src/cli/_output.ts: nothing below cli imports it",
    "src/select/weights.ts → src/db/images.ts: a pure module imports only pure modules",
    "src/theme/filters.ts → src/theme/engine.ts: a pure module imports only pure modules",
  ]);
});

Deno.test("src/ follows the import rules of docs/architecture.md", async () => {
  const graph = await importGraph(`${ROOT}/src`, ROOT);
  assert(graph.size > 150, "the reader found the sources");
  for (const f of PURE_MODULES) assert(graph.has(f), `${f} (listed as pure) does not exist`);
  for (const room of new Set([...graph.keys()].map(roomOf))) {
    assert(room in MAY_IMPORT, `room ${room} has no rule; add it to docs/architecture.md and here`);
  }
  assertEquals(ruleViolations(graph), []);
});

Deno.test("pure modules do no I/O and read no clock: no Deno API, no node: module, only listed npm packages", async () => {
  const problems: string[] = [];
  for (const f of PURE_MODULES) {
    const src = await Deno.readTextFile(`${ROOT}/${f}`);
    for (const r of importRefs(src)) {
      if (r.typeOnly || r.specifier.startsWith(".")) continue;
      if (!PURE_PACKAGES.includes(r.specifier)) problems.push(`${f} imports ${r.specifier}`);
    }
    // Code only: comments (where JSDoc examples live) are left out.
    const code = src.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
    if (/\bDeno\.(?!errors\b)/.test(code)) problems.push(`${f} uses the Deno API`);
    // Time and randomness come in as arguments (`now`, a seeded `rng`).
    if (/Date\.now\(|new Date\(\)|performance\.now\(|Math\.random\(\)/.test(code)) {
      problems.push(`${f} reads the clock or the global random source`);
    }
  }
  assertEquals(problems, []);
});

Deno.test("every exported function of the pure modules of select, palette, theme and stats has a runnable example", async () => {
  const missing: string[] = [];
  for (const f of PURE_MODULES) {
    if (!/^src\/(select|palette|theme|stats)\//.test(f)) continue;
    const src = await Deno.readTextFile(`${ROOT}/${f}`);
    for (const m of src.matchAll(/^export (?:async )?function\*? ?(\w+)/gm)) {
      // The JSDoc block right above it (blank lines aside) must hold a ```ts example.
      const before = src.slice(0, m.index).trimEnd();
      const doc = before.endsWith("*/") ? before.slice(before.lastIndexOf("/**")) : "";
      if (!doc.includes("```ts")) missing.push(`${f}: ${m[1]}`);
    }
  }
  assertEquals(missing, []);
});
