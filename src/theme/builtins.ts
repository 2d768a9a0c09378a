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
export function listBuiltins(dir: string = DEFAULT_BUILTIN_DIR): Promise<Builtin[]> {
  try {
    return Promise.resolve(listBuiltinsSync(dir));
  } catch (e) {
    return Promise.reject(e);
  }
}

/** {@linkcode listBuiltins} with one blocking call. */
export function listBuiltinsSync(dir: string = DEFAULT_BUILTIN_DIR): Builtin[] {
  const out: Builtin[] = [];
  try {
    for (const e of Deno.readDirSync(dir)) {
      if (!e.isFile || e.name.startsWith(".") || e.name === "README.md") continue;
      out.push({ name: builtinName(e.name), file: e.name, path: `${dir}/${e.name}` });
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out.sort((a, b) => compareNames(a.name, b.name));
}

/**
 * Orders names as `localeCompare` does for the letters, digits and `-` of
 * template names (case-insensitively, then lower case first), without it:
 * its first call loads ICU's collation data, 7–20 ms of every `next`.
 */
export function compareNames(a: string, b: string): number {
  const la = a.toLowerCase(), lb = b.toLowerCase();
  if (la !== lb) return la < lb ? -1 : 1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] === la[i] ? -1 : 1;
  }
  return 0;
}

/** Finds a built-in by name or file name. */
export function findBuiltin(builtins: readonly Builtin[], name: string): Builtin | undefined {
  return builtins.find((b) => b.name === name || b.file === name);
}
