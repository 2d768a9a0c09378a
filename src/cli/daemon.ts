// `varietal daemon`: rotate on an interval; `--send` controls the running one.
import type { CommandSpec, Invocation } from "./_command.ts";
import type { Context } from "./_context.ts";
import { boolFlag, expectArgs, stringFlag } from "./_parse.ts";
import { CliError, EXIT, UsageError } from "./errors.ts";
import { parseDuration } from "../config/duration.ts";
import {
  GROUP_FLAG,
  groupFlag,
  JSON_FLAG,
  QUIET_FLAG,
  SETTER_FLAG,
  setterFlag,
  WAIT_FLAG,
  waitFlag,
  withHelp,
} from "./_flags.ts";
import { cliError, pipelineDeps } from "./_show.ts";
import { printable } from "./_status_format.ts";

/** What `--send` accepts: every control command but `status` (see `varietal status`). */
export const SEND_COMMANDS = [
  "next",
  "theme",
  "reload",
  "stop",
  "pause",
  "resume",
  "toggle",
] as const;

export const spec: CommandSpec = {
  name: "daemon",
  summary: "Rotate wallpapers on an interval (control it with --send)",
  description:
    "Runs in the foreground (start it from your compositor or a systemd user unit) and\n" +
    "shows a new wallpaper every interval, through the same lock as 'varietal next'; a\n" +
    "manual next or prev restarts the interval. One instance per user: a second daemon\n" +
    "exits with code 75. Logs one line per rotation to stderr. A plain 'varietal next'\n" +
    "(same config, database and desktop session) is run by the daemon, which is faster;\n" +
    "see 'varietal next --help'. Your folders are scanned again every [daemon] rescan\n" +
    "(default 1h, the first time ~30 s after start; 0 never), as 'varietal scan' does.\n" +
    "The interval runs by the wall clock (a change overdue after a suspend comes within a\n" +
    "minute of waking). When a [[selection.time_rules]] rule of the other lightness begins\n" +
    "(or, with [selection] follow_system, the desktop switches light/dark), a wallpaper\n" +
    "that no longer fits is changed at once.\n\n" +
    "--send talks to the running daemon through a private FIFO in $XDG_RUNTIME_DIR/varietal/\n" +
    "(no network port) and prints its answer: next (new wallpaper now), theme (re-apply\n" +
    "the theme), reload (re-read config.toml), stop, pause (no timer changes; 'next'\n" +
    "still works), resume, toggle. Paused stays paused across reloads and restarts.\n" +
    "Exit codes: 0 done, 1 failed or no answer, 3 no daemon is running.\n\n" +
    "--group NAME (or [daemon] group) rotates only the folders of that [groups] entry;\n" +
    "ordered folders (sequential, shuffle) rotate in their order.\n\n" +
    "Signals, for systemd: SIGHUP reloads config.toml, SIGTERM/SIGINT finish the current\n" +
    "step and exit 0. Never send SIGUSR1: Deno opens a debugger port on it.",
  options: {
    interval: {
      type: "string",
      value: "DURATION",
      description: "Time between wallpapers, e.g. 15m or 1h (default: [daemon] interval, 15m)",
    },
    setter: SETTER_FLAG,
    group: withHelp(GROUP_FLAG, "Rotate only the folders of this group (default: [daemon] group)"),
    wait: withHelp(WAIT_FLAG, "How long a rotation waits for a manual next (default 60s)"),
    quiet: withHelp(QUIET_FLAG, "Log only errors"),
    send: {
      type: "string",
      value: "COMMAND",
      choices: SEND_COMMANDS,
      description: "Tell the running daemon to do this, print its answer and exit",
    },
    json: withHelp(
      JSON_FLAG,
      'With --send: print the answer as JSON {"ok","running","pid","message"} (and "status" for pause, resume, toggle)',
    ),
  },
  examples: [
    "varietal daemon --interval 30m",
    "varietal daemon --group work",
    "varietal daemon --send next        # a new wallpaper now",
    "varietal daemon --send toggle      # pause or resume the timer",
    "varietal daemon --send reload      # after editing config.toml",
  ],
};

/** The config.toml key of a start-only flag, where it has one (--wait and --quiet have none). */
const CONFIG_KEY_OF: Record<string, string | undefined> = {
  interval: "[daemon] interval",
  setter: "[wallpaper] setter",
};

export async function run(ctx: Context, inv: Invocation): Promise<number> {
  expectArgs(inv, 0, 0, "daemon");
  const send = stringFlag(inv, "send") as typeof SEND_COMMANDS[number] | undefined;
  if (send !== undefined && stringFlag(inv, "group") !== undefined) {
    throw new UsageError(
      "--group applies when the daemon starts; it cannot be sent (restart the daemon with --group, or set [daemon] group and --send reload)",
      "daemon",
    );
  }
  // The other options of a starting daemon would be silently dropped by --send.
  const startOnly = ["interval", "setter", "wait", "quiet"].filter((f) =>
    inv.flags[f] !== undefined
  );
  if (send !== undefined && startOnly.length > 0) {
    const flag = startOnly[0];
    const key = CONFIG_KEY_OF[flag];
    throw new UsageError(
      `--${flag} applies when the daemon starts; it cannot be sent (restart the daemon with it` +
        (key ? `, or set ${key} in config.toml and --send reload)` : ")"),
      "daemon",
    );
  }
  if (send !== undefined) return await sendToDaemon(ctx, send, boolFlag(inv, "json"));
  if (boolFlag(inv, "json")) throw new UsageError("--json works only with --send", "daemon");
  const given = stringFlag(inv, "interval");
  let interval: number | undefined;
  if (given !== undefined) {
    try {
      interval = parseDuration(given);
    } catch {
      interval = NaN;
    }
    if (!(interval >= 1 && interval <= 366 * 86400)) {
      throw new UsageError(
        `invalid value '${given}' for --interval (expected a duration from 1s to 366d, like 15m)`,
        "daemon",
      );
    }
  }
  const lockTimeoutMs = waitFlag(inv, "daemon");
  const { configStamp } = await import("../config/config_stamp.ts");
  // Taken before the config is read: an edit in between then only makes
  // `varietal next` run by itself (see _next_server.ts).
  let stamp = configStamp(ctx.paths.configFile);
  let read = stamp;
  const deps = await pipelineDeps(ctx);
  // Started before the compositor's variables reached it (a systemd unit ahead of
  // dbus-update-activation-environment): it could only fail at every change, and a daemon that
  // runs on is never restarted with them. Exit 1 lets `Restart=on-failure` try again.
  if (
    (setterFlag(inv) ?? deps.config.wallpaper.setter) === "auto" &&
    !ctx.env("WAYLAND_DISPLAY") && !ctx.env("DISPLAY")
  ) {
    throw new CliError(
      "no graphical session (WAYLAND_DISPLAY and DISPLAY are unset), so no wallpaper setter " +
        "can be chosen; start the daemon from the compositor ('exec varietal daemon'), import " +
        "its variables into systemd first, or set [wallpaper] setter",
    );
  }
  const group = groupFlag(inv, deps.config, "daemon");
  const { runDaemon } = await import("../pipeline/daemon.ts");
  const { loadConfig } = await import("../config/load.ts");
  const { nextServer } = await import("./_next_server.ts");
  const { selectServer } = await import("./_select_server.ts");
  // One decoding thread, warm after its first image: a new image's palette (its
  // rotations', and a `next --image` handed over) skips starting a thread and running the
  // decoder and quantizer cold. A decode that times out restarts it, and one that needed
  // more than DECODE_MEMORY_BUDGET (a full-size PNG, WebP or baseline JPEG of ~8 megapixels
  // or more, whose memory the WebAssembly decoders keep) has it replaced a second later.
  const { startDecoder } = await import("../pipeline/decode_marks.ts");
  const { DECODE_MEMORY_BUDGET } = await import("../palette/guarded_decode.ts");
  deps.decoder = await startDecoder({ format: "jpg" }, { scheme: deps.config.theme.enabled }, {
    recycleAboveBytes: DECODE_MEMORY_BUDGET,
  });
  try {
    await runDaemon(deps, {
      interval,
      quiet: boolFlag(inv, "quiet"),
      setter: setterFlag(inv),
      ...(group === undefined ? {} : { group }),
      lockTimeoutMs,
      reloadConfig: async () => {
        read = configStamp(ctx.paths.configFile);
        return await loadConfig(ctx.paths.configFile, { chosen: ctx.paths.configChosen });
      },
      // Only a config in use (its templates made too) is the one a hand-off may run with: after
      // a failed reload the file differs from it, so `next` runs by itself and fails as it should.
      configAdopted: () => {
        stamp = read;
      },
      configStamp: () => stamp,
      handOff: nextServer(deps, () => stamp),
      handOffSelect: selectServer(deps, () => stamp),
      log: (line) => ctx.out.err(`varietal daemon: ${line}`),
    });
  } catch (e) {
    throw cliError(e);
  } finally {
    deps.decoder.terminate();
  }
  return EXIT.ok;
}

async function sendToDaemon(
  ctx: Context,
  command: typeof SEND_COMMANDS[number],
  json: boolean,
): Promise<number> {
  const { sendControl, DaemonNotRunningError } = await import("../pipeline/control_client.ts");
  let sent;
  try {
    sent = await sendControl(ctx.paths.runtime, command);
  } catch (e) {
    // With --json a failure is an answer too: `ok` false, whether a daemon runs, and why.
    if (e instanceof DaemonNotRunningError) {
      if (json) ctx.out.json({ ok: false, running: false, pid: null, message: e.message });
      throw new CliError(
        command === "stop"
          ? `${e.message} (nothing to stop)`
          : `${e.message}; start it with 'varietal daemon'`,
        EXIT.notRunning,
      );
    }
    const message = (e as Error).message;
    if (json) {
      const { runningDaemonPid } = await import("../pipeline/daemon_files.ts");
      const pid = await runningDaemonPid(ctx.paths.runtime).catch(() => null);
      ctx.out.json({ ok: false, running: pid !== null, pid: pid || null, message });
    }
    throw new CliError(printable(message));
  }
  const { ok, message, status } = sent.reply;
  // The answer is the command's output; a refusal or failure is an error line (with --json too).
  const line = `daemon${sent.pid ? ` (pid ${sent.pid})` : ""}: ${printable(message)}`;
  if (json) {
    ctx.out.json({ ok, running: true, pid: sent.pid, message, ...(status ? { status } : {}) });
  } else if (ok) ctx.out.line(line);
  if (!ok) ctx.out.err(`varietal: ${line}`);
  return ok ? EXIT.ok : EXIT.error;
}
