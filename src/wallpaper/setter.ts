/**
 * What a wallpaper setter is, and the helper most setters are built with:
 * a list of argv templates run in order through {@linkcode runCommand}.
 * Each setter declares how it maps the display modes as data
 * ({@linkcode ModeMap}); {@linkcode applySetter} warns once per process
 * about settings a setter cannot honour.
 *
 * @module
 */
import type { DisplayMode, SetterName } from "../config/choices.ts";
import type { WallpaperConfig } from "../config/schema.ts";
import {
  CommandError,
  type CommandRunner,
  type CommandSpawner,
  runCommand,
} from "../process/run_command.ts";
import {
  InterruptedAfterSetError,
  type OutputFailure,
  PartialSetError,
  SetterError,
} from "./setter_error.ts";

/** One image for one output (`null` = every output). */
export interface Assignment {
  path: string;
  output: string | null;
}

/**
 * How a setter names each display mode (a flag, a value or a prefix); a
 * mode it lacks falls back to its `fill` entry with a warning.
 */
export type ModeMap = Readonly<{ fill: string } & Partial<Record<DisplayMode, string>>>;

/** Settings besides the mode that only some setters honour. */
export type SetterExtra = "transition" | "fill_color";

/** What a setter gets besides the images. */
export interface SetterContext {
  /** The `[wallpaper]` section (command, timeout, mode, setter_args, …). */
  config: WallpaperConfig;
  /** Where a setter may keep small state (e.g. swaybg's pid file). */
  runtimeDir: string;
  /**
   * Where a setter may keep files that must outlive the session (KDE's links to files whose
   * names Plasma refuses). Without it such a file is refused.
   */
  cacheDir?: string;
  /** Runs commands; tests replace it. @default runCommand */
  run?: CommandRunner;
  /** Starts long-running commands (swaybg); tests replace it. @default spawnCommand */
  spawn?: CommandSpawner;
  signal?: AbortSignal;
  /** Reads the session's environment (PATH for finding swww or awww). @default Deno.env.get */
  env?: (name: string) => string | undefined;
  /** Receives warnings (a mode or option the setter cannot honour); deduplicated per process. */
  warn?: (message: string) => void;
  /**
   * When the whole setter must be done (epoch ms): `[wallpaper] timeout` bounds all
   * its commands together, not each. @default set by {@linkcode applySetter}
   */
  deadline?: number;
}

/** A way of setting the wallpaper. */
export interface Setter {
  name: Exclude<SetterName, "auto">;
  /** One line for `doctor` and the docs. */
  description: string;
  /** Programs it needs on PATH (empty for none/custom). */
  programs: readonly string[];
  /** How it names each display mode it supports. */
  modes: ModeMap;
  /** The modes it honours with this config, when that depends on the config (custom). */
  modesFor?(config: WallpaperConfig): ModeMap;
  /** Settings besides the mode it honours. @default [] */
  extras?: readonly SetterExtra[];
  /**
   * The programs it would run on this PATH, when there is a choice (swww or
   * awww), with a note for `doctor` naming the one chosen.
   */
  resolvePrograms?(path: string | undefined): Promise<{ programs: string[]; note: string }>;
  /**
   * Whether it shows SVG files itself (GNOME, KDE); the pipeline gives the
   * others a PNG drawn from the SVG (`src/pipeline/svg_for_setter.ts`).
   * @default false
   */
  svg?: boolean;
  /** Whether it can give each output its own image. */
  perOutput(config: WallpaperConfig): boolean;
  /**
   * Sets the wallpaper and waits for the setter to finish.
   * @throws {SetterError} When a command is missing, fails or times out.
   */
  apply(assignments: readonly Assignment[], ctx: SetterContext): Promise<void>;
}

/** Replaces `{path}`, `{output}` and `{mode}` in every argument. */
export function fillTemplate(
  template: readonly string[],
  a: Assignment,
  mode: DisplayMode = "fill",
): string[] {
  // One pass: a placeholder inside a value (a file named "{mode}.jpg") stays as it is.
  const values: Record<string, string> = { path: a.path, output: a.output ?? "", mode };
  return template.map((arg) => arg.replace(/\{(path|output|mode)\}/g, (_, k: string) => values[k]));
}

/** The setter's name for the configured mode, or its `fill` entry when it lacks that mode. */
export function modeArg(modes: ModeMap, config: Pick<WallpaperConfig, "mode">): string {
  return modes[config.mode] ?? modes.fill;
}

/** Whether any `[wallpaper.transition]` setting is given. */
export function hasTransition(config: WallpaperConfig): boolean {
  return Object.values(config.transition).some((v) => v !== null);
}

/**
 * What a setter cannot honour in this config, one sentence each (pure).
 *
 * @returns Warnings; empty when everything applies.
 */
export function setterWarnings(setter: Setter, config: WallpaperConfig): string[] {
  const out: string[] = [];
  const modes = setter.modesFor?.(config) ?? setter.modes;
  if (modes[config.mode] === undefined) {
    out.push(
      setter.name === "custom"
        ? `mode "${config.mode}" is not passed on: [wallpaper] command has no {mode} placeholder`
        : `setter '${setter.name}' has no "${config.mode}" mode; using "fill" (modes it has: ${
          Object.keys(modes).join(", ")
        })`,
    );
  }
  const extras = setter.extras ?? [];
  if (setter.name !== "none") {
    if (hasTransition(config) && !extras.includes("transition")) {
      out.push(
        `[wallpaper.transition] applies to swww/awww only; setter '${setter.name}' ignores it`,
      );
    }
    if (config.fill_color !== null && !extras.includes("fill_color")) {
      out.push(
        `[wallpaper] fill_color applies to swww/awww and swaybg only; setter '${setter.name}' ignores it`,
      );
    }
    if (config.outputs.length > 0 && !setter.perOutput(config)) {
      out.push(
        setter.name === "custom"
          ? "[wallpaper] outputs is not passed on: [wallpaper] command has no {output} placeholder"
          : `[wallpaper] outputs is ignored: setter '${setter.name}' sets one image on every screen` +
            " (swww, swaybg, hyprpaper, xwallpaper and xfce set each output)",
      );
    }
  }
  return out;
}

const warned = new Set<string>();

/**
 * Passes a warning to `ctx.warn` the first time this process sees it, so a
 * daemon logs an unsupported mode once instead of at every rotation.
 */
export function warnOnce(ctx: Pick<SetterContext, "warn">, message: string): void {
  if (!ctx.warn || warned.has(message)) return;
  warned.add(message);
  ctx.warn(message);
}

/** Forgets which warnings were given (tests). */
export function resetWarnOnce(): void {
  warned.clear();
}

/**
 * Runs a setter's command for each target of each assignment in turn (an
 * assignment for all outputs may have a target per output). An output that
 * fails does not stop the others: when some assignment got at least one
 * target set, a {@linkcode PartialSetError} names those and the failures;
 * when none did, the first failure is thrown. A timeout, a missing program
 * or anything but a {@linkcode SetterError} (an interruption) stops at once;
 * an interruption after some outputs were set is an
 * {@linkcode InterruptedAfterSetError} naming them.
 *
 * @param setter The setter's name.
 * @param groups The targets of each assignment, in the assignments' order.
 * @param run Sets one target.
 * @throws {PartialSetError} When some outputs were set and others failed.
 * @throws {SetterError} When nothing was set.
 */
export async function setEach<T extends { output: string | null }>(
  setter: string,
  groups: readonly (readonly T[])[],
  run: (target: T) => Promise<void>,
): Promise<void> {
  const set = new Set<number>();
  const failures: OutputFailure[] = [];
  const lone = groups.reduce((n, g) => n + g.length, 0) < 2;
  all: for (const [i, group] of groups.entries()) {
    for (const target of group) {
      try {
        await run(target);
        set.add(i);
      } catch (e) {
        // Interrupted once some outputs show their new picture: those are to be recorded.
        if (!(e instanceof SetterError) && set.size > 0) {
          throw new InterruptedAfterSetError([...set].sort((a, b) => a - b), e);
        }
        if (
          lone || !(e instanceof SetterError) ||
          (set.size === 0 && failures.length === 0 && gaveUp(e))
        ) {
          throw e;
        }
        failures.push({ output: target.output, error: e });
        if (gaveUp(e)) break all;
      }
    }
  }
  if (failures.length === 0) return;
  if (set.size === 0) throw failures[0].error;
  throw new PartialSetError(setter, [...set].sort((a, b) => a - b), failures);
}

/** A failure that the other outputs would meet too: out of time, or no such program. */
const gaveUp = (e: SetterError) => e.exitCode === 124 || e.exitCode === 127;

/**
 * Sets the wallpaper with `setter`, first warning (once per process) about
 * settings it cannot honour.
 *
 * @throws {SetterError} When a command is missing, fails or times out.
 * @throws {PartialSetError} When a setter that sets outputs one by one set some of them.
 */
export async function applySetter(
  setter: Setter,
  assignments: readonly Assignment[],
  ctx: SetterContext,
): Promise<void> {
  for (const w of setterWarnings(setter, ctx.config)) warnOnce(ctx, w);
  await setter.apply(assignments, {
    ...ctx,
    deadline: ctx.deadline ?? Date.now() + ctx.config.timeout * 1000,
  });
}

/**
 * Runs one command for a setter, turning failures into a {@linkcode SetterError}.
 *
 * @returns The command's stdout.
 * @throws {SetterError} With the command's exit code and stderr.
 */
export async function runSetterCommand(
  setter: string,
  argv: readonly string[],
  ctx: SetterContext,
  env?: Record<string, string>,
): Promise<string> {
  const run = ctx.run ?? runCommand;
  const all = `[wallpaper] timeout (${ctx.config.timeout}s for the whole setter)`;
  const left = ctx.deadline === undefined ? ctx.config.timeout * 1000 : ctx.deadline - Date.now();
  if (left <= 0) {
    throw new SetterError(setter, `setter '${setter}' failed: it ran past ${all}`, 124);
  }
  try {
    const r = await run(argv, { timeoutMs: left, signal: ctx.signal, ...(env ? { env } : {}) });
    return r.stdout;
  } catch (e) {
    if (e instanceof CommandError && e.exitCode === 124 && ctx.deadline !== undefined) {
      throw new SetterError(
        setter,
        `setter '${setter}' failed: '${argv[0]}' was still running at the end of ${all}`,
        124,
        e.stderr,
        { cause: e },
      );
    }
    if (e instanceof CommandError) {
      throw new SetterError(
        setter,
        `setter '${setter}' failed: ${e.message}`,
        e.exitCode,
        e.stderr,
        {
          cause: e,
        },
      );
    }
    throw e;
  }
}

/**
 * Builds a setter from a function that turns the assignments into argv lists,
 * run one after the other.
 */
export function argvSetter(
  base: Omit<Setter, "apply">,
  build: (assignments: readonly Assignment[], config: WallpaperConfig) => string[][],
): Setter {
  return {
    ...base,
    async apply(assignments, ctx) {
      for (const argv of build(assignments, ctx.config)) {
        await runSetterCommand(base.name, argv, ctx);
      }
    },
  };
}
