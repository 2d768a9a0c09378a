// `varietal status`: is the daemon running or paused, when is the next change,
// what is on screen. Works without a daemon too.
import type { CommandSpec, Invocation } from "./_command.ts";
import type { Context } from "./_context.ts";
import { boolFlag, expectArgs, stringFlag } from "./_parse.ts";
import { JSON_FLAG, withHelp } from "./_flags.ts";
import { EXIT, UsageError } from "./errors.ts";
import { printable } from "../text/printable.ts";
import {
  formatStatusText,
  formatWaybar,
  type StatusImage,
  type StatusReport,
} from "./_status_format.ts";
import type { DaemonStatus } from "../pipeline/control_protocol.ts";
import { daemonStateFile, readDaemonState, runningDaemonPid } from "../pipeline/daemon_files.ts";
import { browseFile, currentShow, readBrowseState } from "../pipeline/browse.ts";

/** Output formats of `--format`. */
export const STATUS_FORMATS = ["text", "json", "waybar"] as const;

/** How long `status` waits for the daemon's answer. */
const ASK_TIMEOUT_MS = 5000;

export const spec: CommandSpec = {
  name: "status",
  summary: "Show whether the daemon runs or is paused, the next change and the wallpaper",
  description:
    "Asks the running daemon (through its private control FIFO) whether it is paused,\n" +
    "its interval and when it changes the wallpaper next, and prints the wallpaper on\n" +
    "screen. Without a daemon it says so and shows what it can.\n\n" +
    "--format waybar prints one line of JSON for a waybar custom module\n" +
    '("return-type": "json"): text (time to the next change, "paused" or "off"),\n' +
    "alt and class (running, paused or stopped) and a tooltip; it always exits 0.\n\n" +
    "Exit codes: 0 the daemon runs (paused or not), 3 it does not run, 1 error.",
  options: {
    json: withHelp(
      JSON_FLAG,
      'Print {"running","pid","paused","paused_at","interval","next_change_at",' +
        '"next_change_in","busy","current","warnings"} (same as --format json)',
    ),
    format: {
      type: "string",
      value: "FORMAT",
      choices: STATUS_FORMATS,
      description: "Output: text (default), json, or waybar (a custom module's JSON)",
    },
  },
  examples: [
    "varietal status",
    "varietal status --json",
    'varietal status --format waybar   # waybar: "exec", "return-type": "json"',
  ],
};

export async function run(ctx: Context, inv: Invocation): Promise<number> {
  expectArgs(inv, 0, 0, "status");
  const given = stringFlag(inv, "format") as typeof STATUS_FORMATS[number] | undefined;
  if (boolFlag(inv, "json") && given !== undefined && given !== "json") {
    throw new UsageError(`--json and --format ${given} do not go together`, "status");
  }
  const format = boolFlag(inv, "json") ? "json" : given ?? "text";
  const report = await gatherStatus(ctx);
  if (format === "waybar") {
    ctx.out.line(JSON.stringify(formatWaybar(report)));
    return EXIT.ok;
  }
  if (format === "json") ctx.out.json(report);
  else {
    for (const line of formatStatusText(report)) ctx.out.line(line);
    // On stderr, as every command's warnings: a script reading the lines above gets only them.
    for (const w of report.warnings) ctx.out.err(`varietal: warning: ${printable(w)}`);
  }
  return report.running ? EXIT.ok : EXIT.notRunning;
}

/** Asks the daemon, falling back to the state it left on disk, and reads the current show. */
async function gatherStatus(ctx: Context): Promise<StatusReport> {
  const warnings: string[] = [];
  let pid = await runningDaemonPid(ctx.paths.runtime);
  let live: DaemonStatus | undefined;
  if (pid !== null) {
    const { sendControl, DaemonNotRunningError } = await import(
      "../pipeline/control_client.ts"
    );
    try {
      const sent = await sendControl(ctx.paths.runtime, "status", { timeoutMs: ASK_TIMEOUT_MS });
      live = sent.reply.status;
      if (!live) warnings.push(`the daemon did not report its state: ${sent.reply.message}`);
      else if (live.outdated) {
        const { outdatedDaemonWarning } = await import("../pipeline/control_protocol.ts");
        warnings.push(outdatedDaemonWarning(live.pid));
      }
      if (live) warnings.push(...await configWarnings(ctx, live));
    } catch (e) {
      if (e instanceof DaemonNotRunningError) pid = null;
      else warnings.push((e as Error).message);
    }
  }
  const now = Date.now();
  let report: StatusReport;
  if (live) {
    report = {
      running: true,
      pid: live.pid,
      paused: live.paused,
      paused_at: live.paused_at,
      interval: live.interval,
      next_change_at: live.next_change_at,
      next_change_in: live.next_change_at === null
        ? null
        : Math.max(0, Math.round((live.next_change_at - now) / 1000)),
      busy: live.busy,
      current: [],
      warnings,
    };
  } else {
    const saved = await readDaemonState(daemonStateFile(ctx.paths.state));
    // A daemon that runs but did not answer may have been started with --interval: its
    // interval is unknown. With none running, the config's is what a daemon would use.
    let interval: number | null = null;
    if (pid === null) {
      try {
        interval = (await ctx.config()).daemon.interval;
      } catch (e) {
        warnings.push((e as Error).message);
      }
    }
    report = {
      running: pid !== null,
      pid,
      paused: saved.paused,
      paused_at: saved.pausedAt,
      interval,
      next_change_at: null,
      next_change_in: null,
      busy: null,
      current: [],
      warnings,
    };
  }
  try {
    report.current = await currentImages(ctx);
  } catch (e) {
    report.current = null;
    warnings.push((e as Error).message);
  }
  return report;
}

/**
 * What a running daemon's status leaves out about config.toml: that it does not read (the
 * daemon keeps the config it has, while `varietal next` fails on it), or that it changed since
 * the daemon read it (a reload applies it; until then `next` runs by itself).
 */
async function configWarnings(ctx: Context, live: DaemonStatus): Promise<string[]> {
  try {
    await ctx.config();
  } catch (e) {
    return [
      `${(e as Error).message}; the daemon keeps the config it read ('varietal daemon --send ` +
      "reload' once the file is fixed)",
    ];
  }
  if (live.config_stamp === undefined) return [];
  const { configStamp } = await import("../config/config_stamp.ts");
  return live.config_stamp === configStamp(ctx.paths.configFile) ? [] : [
    "config.toml changed since the daemon read it: 'varietal daemon --send reload' applies it",
  ];
}

async function currentImages(ctx: Context): Promise<StatusImage[]> {
  const db = await ctx.db();
  const rows = currentShow(db, await readBrowseState(browseFile(ctx.paths.state)));
  return rows.map((r) => ({ path: r.path, output: r.output, shown_at: r.shown_at }));
}
