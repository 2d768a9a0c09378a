// `varietal daemon`: rotate on an interval; signals control it.
import type { CommandSpec, Invocation } from "./_command.ts";
import type { Context } from "./_context.ts";
import { boolFlag, expectArgs, stringFlag } from "./_parse.ts";
import { CliError, EXIT, UsageError } from "./errors.ts";
import { type SetterName, SETTERS } from "../config/choices.ts";
import { parseDuration } from "../config/duration.ts";
import { cliError, pipelineDeps, waitFlag } from "./next.ts";

export const spec: CommandSpec = {
  name: "daemon",
  summary: "Rotate wallpapers on an interval (signals: USR1 next, USR2 theme, HUP reload)",
  description:
    "Runs in the foreground (start it from your compositor or a systemd user unit) and\n" +
    "shows a new wallpaper every interval, through the same lock as 'varietal next'; a\n" +
    "manual next or prev restarts the interval. One instance per user: a second daemon\n" +
    "exits with code 75. Logs one line per rotation to stderr.\n\n" +
    "Signals: SIGUSR1 next wallpaper now, SIGUSR2 re-apply the theme, SIGHUP reload\n" +
    "config.toml, SIGTERM/SIGINT finish the current step and exit 0.",
  options: {
    interval: {
      type: "string",
      value: "DURATION",
      description: "Time between wallpapers, e.g. 15m or 1h (default: [daemon] interval, 15m)",
    },
    setter: {
      type: "string",
      choices: SETTERS,
      description: "Setter to use instead of [wallpaper] setter",
    },
    wait: {
      type: "string",
      value: "DURATION",
      description: "How long a rotation waits for a manual next (default 60s)",
    },
    quiet: { type: "boolean", short: "q", description: "Log only errors" },
    send: {
      type: "string",
      choices: ["next", "theme", "reload", "stop"],
      description: "Tell the running daemon to do this (USR1, USR2, HUP, TERM) and exit",
    },
  },
  examples: [
    "varietal daemon --interval 30m",
    "varietal daemon --send reload     # after editing config.toml",
    "systemctl --user kill -s USR2 varietal.service",
  ],
};

export async function run(ctx: Context, inv: Invocation): Promise<number> {
  expectArgs(inv, 0, 0, "daemon");
  const send = stringFlag(inv, "send");
  if (send !== undefined) {
    const { signalDaemon } = await import("../pipeline/daemon.ts");
    try {
      const pid = await signalDaemon(
        ctx.paths.runtime,
        send as "next" | "theme" | "reload" | "stop",
      );
      ctx.out.err(`varietal: sent '${send}' to the daemon (pid ${pid})`);
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    return EXIT.ok;
  }
  const given = stringFlag(inv, "interval");
  let interval: number | undefined;
  if (given !== undefined) {
    try {
      interval = parseDuration(given);
    } catch {
      interval = NaN;
    }
    if (!(interval >= 1)) {
      throw new UsageError(
        `invalid value '${given}' for --interval (expected a duration of at least 1s, like 15m)`,
        "daemon",
      );
    }
  }
  const lockTimeoutMs = waitFlag(inv, "daemon");
  const deps = await pipelineDeps(ctx);
  const { runDaemon } = await import("../pipeline/daemon.ts");
  const { loadConfig } = await import("../config/load.ts");
  try {
    await runDaemon(deps, {
      interval,
      quiet: boolFlag(inv, "quiet"),
      setter: stringFlag(inv, "setter") as SetterName | undefined,
      lockTimeoutMs,
      reloadConfig: () => loadConfig(ctx.paths.configFile),
      log: (line) => ctx.out.err(`varietal daemon: ${line}`),
    });
  } catch (e) {
    throw cliError(e);
  }
  return EXIT.ok;
}
