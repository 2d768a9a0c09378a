/**
 * Watches the desktop's light/dark preference by polling it (each poll
 * runs the cheap look-ups of `color_scheme.ts`: one short command or a file
 * read), and reports when it changes. The daemon uses it for
 * `[theme] mode = "system"`, so that the theme follows the desktop.
 *
 * @module
 */
import type { Config } from "../config/schema.ts";
import type { Paths } from "../config/paths.ts";
import type { CommandRunner } from "../process/run_command.ts";
import type { ColorScheme } from "./color_scheme.ts";

/** Options for {@linkcode watchColorScheme}. */
export interface WatchOptions {
  /** Reads the current preference (null when unknown). */
  detect: () => Promise<ColorScheme | null>;
  /** Called with the new preference after a change. */
  onChange: (scheme: ColorScheme) => void;
  /** Milliseconds between polls. @default 5000 */
  intervalMs?: number;
  /** Whether to poll now (e.g. only while `theme.mode` is "system"). @default always */
  active?: () => boolean;
}

/** A running watch. */
export interface ColorSchemeWatch {
  /** Resolves once the first reading is taken (changes are reported after it). */
  ready: Promise<void>;
  /** Stops polling. */
  stop(): void;
}

/**
 * Polls the preference and calls `onChange` when it differs from the last
 * known one. An unknown reading (null) changes nothing.
 */
export function watchColorScheme(options: WatchOptions): ColorSchemeWatch {
  const intervalMs = options.intervalMs ?? 5000;
  const active = options.active ?? (() => true);
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wake: (() => void) | undefined;
  let last: ColorScheme | null = null;
  const read = async () => {
    try {
      return active() ? await options.detect() : null;
    } catch {
      return null;
    }
  };
  const ready = (async () => {
    last = await read();
  })();
  void (async () => {
    await ready;
    while (!stopped) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, intervalMs);
      });
      if (stopped) break;
      const now = await read();
      if (now && now !== last) {
        const changed = last !== null;
        last = now;
        if (changed && !stopped) options.onChange(now);
      }
    }
  })();
  return {
    ready,
    stop() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
    },
  };
}

/**
 * The daemon's watch: while `theme.mode` is "system" (the config is read on
 * every poll, so a reload takes effect), a change of the desktop's
 * preference calls `onChange`.
 */
export function watchForDaemon(
  current: () => {
    config: Config;
    paths: Paths;
    env: (k: string) => string | undefined;
    run?: CommandRunner;
  },
  onChange: (scheme: ColorScheme) => void,
  intervalMs?: number,
): ColorSchemeWatch {
  return watchColorScheme({
    active: () => current().config.theme.mode === "system",
    detect: async () => {
      const { config: _c, paths, env, run } = current();
      const { detectColorScheme } = await import("./color_scheme.ts");
      const found = await detectColorScheme({
        configHome: paths.configHome,
        path: env("PATH"),
        ...(run ? { run } : {}),
      });
      return found?.scheme ?? null;
    },
    onChange,
    ...(intervalMs !== undefined ? { intervalMs } : {}),
  });
}
