/**
 * What a wallpaper setter is, and the helper most setters are built with:
 * a list of argv templates run in order through {@linkcode runCommand}.
 *
 * @module
 */
import type { SetterName } from "../config/choices.ts";
import type { WallpaperConfig } from "../config/schema.ts";
import {
  CommandError,
  type CommandRunner,
  type CommandSpawner,
  runCommand,
} from "../process/run_command.ts";
import { SetterError } from "./setter_error.ts";

/** One image for one output (`null` = every output). */
export interface Assignment {
  path: string;
  output: string | null;
}

/** What a setter gets besides the images. */
export interface SetterContext {
  /** The `[wallpaper]` section (command, timeout). */
  config: WallpaperConfig;
  /** Where a setter may keep small state (e.g. swaybg's pid file). */
  runtimeDir: string;
  /** Runs commands; tests replace it. @default runCommand */
  run?: CommandRunner;
  /** Starts long-running commands (swaybg); tests replace it. @default spawnCommand */
  spawn?: CommandSpawner;
  signal?: AbortSignal;
}

/** A way of setting the wallpaper. */
export interface Setter {
  name: Exclude<SetterName, "auto">;
  /** One line for `doctor` and the docs. */
  description: string;
  /** Programs it needs on PATH (empty for none/custom). */
  programs: readonly string[];
  /** Whether it can give each output its own image. */
  perOutput(config: WallpaperConfig): boolean;
  /**
   * Sets the wallpaper and waits for the setter to finish.
   * @throws {SetterError} When a command is missing, fails or times out.
   */
  apply(assignments: readonly Assignment[], ctx: SetterContext): Promise<void>;
}

/** Replaces `{path}` and `{output}` in every argument. */
export function fillTemplate(template: readonly string[], a: Assignment): string[] {
  return template.map((arg) =>
    arg.replaceAll("{path}", a.path).replaceAll("{output}", a.output ?? "")
  );
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
): Promise<string> {
  const run = ctx.run ?? runCommand;
  try {
    const r = await run(argv, { timeoutMs: ctx.config.timeout * 1000, signal: ctx.signal });
    return r.stdout;
  } catch (e) {
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
