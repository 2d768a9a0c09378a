/**
 * The built-in templates shipped in the repository's `templates/` folder.
 * A built-in is named by its file name without extension (`kitty` for
 * `kitty.conf`); `README.md` and dot files are not templates. Requires
 * `--allow-read`.
 *
 * @module
 */

/** One built-in template. */
export interface Builtin {
  /** The name used in config and on the command line, e.g. "kitty". */
  name: string;
  /** The file name, e.g. "kitty.conf" (also the name of its cached output). */
  file: string;
  /** The absolute path. */
  path: string;
}

/**
 * The built-ins written in matugen's syntax (Material 3 schemes); the
 * others are Jinja.
 */
export const MATERIAL_BUILTINS: readonly string[] = [
  "gtk3",
  "gtk4",
  "hyprland-material",
  "qt5ct",
  "qt6ct",
];

/** The syntax of a built-in. */
export function builtinSyntax(b: Builtin): "jinja" | "matugen" {
  return MATERIAL_BUILTINS.includes(b.name) ? "matugen" : "jinja";
}

/** The default folder of built-in templates (next to `src/`). */
export const DEFAULT_BUILTIN_DIR: string = decodeURIComponent(
  new URL("../../templates", import.meta.url).pathname,
);

/** The name of a built-in file: up to its last dot ("kitty.conf" → "kitty"), but "colors.sh" → "colors-sh". */
export function builtinName(file: string): string {
  // `colors.sh` and `colors.json` would both be "colors": keep their extension after a dash.
  if (file.startsWith("colors.")) return file.replace(".", "-");
  const dot = file.lastIndexOf(".");
  return dot > 0 ? file.slice(0, dot) : file;
}

/** Lists the built-ins in a folder, sorted by name; an absent folder has none. */
export async function listBuiltins(dir: string = DEFAULT_BUILTIN_DIR): Promise<Builtin[]> {
  const out: Builtin[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (!e.isFile || e.name.startsWith(".") || e.name === "README.md") continue;
      out.push({ name: builtinName(e.name), file: e.name, path: `${dir}/${e.name}` });
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Finds a built-in by name or file name. */
export function findBuiltin(builtins: readonly Builtin[], name: string): Builtin | undefined {
  return builtins.find((b) => b.name === name || b.file === name);
}
