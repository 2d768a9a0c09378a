// The command model: every command declares a spec (flags, arguments, help)
// and a run function. Help, parsing and completions all read the same spec.
import type { Context } from "./_context.ts";

/**
 * What a flag's value or a positional argument completes to: files, folders, or
 * the user's own names (the remotes or the `[groups]` of config.toml, which the
 * scripts ask `varietal completions names` for at completion time); "template"
 * is template names (built-in and `[[templates]]`) and files; "source" is the
 * wallpaper folders of the database (also those gone from disk) and folders.
 */
export type CompletionKind = "file" | "dir" | "remote" | "group" | "template" | "source";

/** The kinds whose arguments are paths, which a name starting with '-' may be. */
const PATH_KINDS: readonly CompletionKind[] = ["file", "dir", "template", "source"];

/** One flag of a command. */
export interface OptionSpec {
  type: "boolean" | "string";
  short?: string;
  description: string;
  /** Name of the value in help, e.g. "N" or "DIR". */
  value?: string;
  /** Allowed values (shown in help, checked, completed). */
  choices?: readonly string[];
  multiple?: boolean;
  /** Completion hint for the value. */
  complete?: CompletionKind;
  /** Words completion offers besides `complete`, e.g. `current` after `--similar-to`. */
  completeAlso?: readonly string[];
  /**
   * This is an old name of another option of the same command: it parses as
   * that option and is left out of help and completions.
   */
  aliasOf?: string;
  /** Values completion offers without limiting the flag to them (e.g. hue names). */
  suggest?: readonly string[];
}

/** A command or subcommand. */
export interface CommandSpec {
  name: string;
  summary: string;
  /** Positional arguments for the usage line, e.g. "[DIR…]". */
  args?: string;
  /**
   * What the positional arguments complete to: a kind, or a closed list of words.
   * Without it, `args` naming a DIR/FOLDER completes folders and a FILE/IMAGE/PATH/TEMPLATE files.
   */
  complete?: CompletionKind | readonly string[];
  /**
   * Words completion offers besides that kind, e.g. `sources order`'s orders
   * after its folders (`DIR… ORDER`).
   */
  completeAlso?: readonly string[];
  /** Longer text shown under the usage line. */
  description?: string;
  options?: Record<string, OptionSpec>;
  /** Lines shown under "Examples:". */
  examples?: string[];
  /** Subcommands; the first is the default when none is given, unless `requireSub`. */
  subcommands?: CommandSpec[];
  requireSub?: boolean;
}

/** Parsed command line handed to a command. */
export interface Invocation {
  /** The subcommand chosen, if the command has subcommands. */
  sub?: string;
  flags: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** A command implementation; `run` returns the exit code. */
export interface CommandModule {
  spec: CommandSpec;
  run(ctx: Context, inv: Invocation): Promise<number>;
}

/**
 * What a command's positional arguments complete to: its `complete`, else a kind
 * guessed from the names in `args` (DIR or FOLDER: folders; FILE, IMAGE, PATH or
 * TEMPLATE: files), else "none" (it takes none, or names no completion can know).
 */
export function argumentKind(spec: CommandSpec): CompletionKind | readonly string[] | "none" {
  if (spec.complete) return spec.complete;
  const args = spec.args;
  if (!args) return "none";
  if (/DIR|FOLDER/.test(args)) return "dir";
  if (/FILE|IMAGE|PATH|TEMPLATE/.test(args)) return "file";
  return "none";
}

/** Whether a command's positional arguments are paths (files or folders). */
export function takesPaths(spec: CommandSpec): boolean {
  const kind = argumentKind(spec);
  return typeof kind === "string" && (PATH_KINDS as readonly string[]).includes(kind);
}
