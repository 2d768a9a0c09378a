/**
 * `swaybg`: starts a new swaybg with every output's image, waits until it
 * is up, then stops the previous instances (so there is no flash of an
 * empty background). swaybg is started with {@linkcode spawnCommand} and
 * keeps running after varietal exits; its pid is kept in the runtime dir.
 * `setter_args` go right after `swaybg`; `fill_color` becomes each
 * output's `--color`.
 *
 * @module
 */
import type { WallpaperConfig } from "../../config/schema.ts";
import {
  type Assignment,
  modeArg,
  type ModeMap,
  type Setter,
  type SetterContext,
} from "../setter.ts";
import { SetterError } from "../setter_error.ts";
import {
  CommandError,
  runCommand,
  spawnCommand,
  type SpawnedCommand,
} from "../../process/run_command.ts";
import { findProcesses } from "../../process/which.ts";
import { swaybgPidFile } from "../started_swaybg.ts";

/** How long a new swaybg must stay up to count as started (ms). */
export const SWAYBG_SETTLE_MS = 400;

/** swaybg's `--mode` value for each mode (it has them all). */
export const SWAYBG_MODES: ModeMap = {
  fill: "fill",
  fit: "fit",
  center: "center",
  tile: "tile",
  stretch: "stretch",
};

/** The argv of one swaybg showing every assignment. */
export function swaybgArgv(
  assignments: readonly Assignment[],
  config?: Pick<WallpaperConfig, "mode" | "setter_args" | "fill_color">,
): string[] {
  const mode = config ? modeArg(SWAYBG_MODES, config) : "fill";
  const color = config?.fill_color ? ["--color", config.fill_color] : [];
  return [
    "swaybg",
    ...(config?.setter_args ?? []),
    ...assignments.flatMap((a) => [
      ...(a.output === null ? [] : ["--output", a.output]),
      "--image",
      a.path,
      "--mode",
      mode,
      ...color,
    ]),
  ];
}

async function start(argv: string[], ctx: SetterContext): Promise<number> {
  let child: SpawnedCommand;
  try {
    child = (ctx.spawn ?? spawnCommand)(argv);
  } catch (e) {
    if (e instanceof CommandError) {
      throw new SetterError("swaybg", `setter 'swaybg' failed: ${e.message}`, e.exitCode, "", {
        cause: e,
      });
    }
    throw e;
  }
  const exited = child.status.then((s) => s);
  const settled = await Promise.race([
    exited,
    new Promise<null>((r) => setTimeout(() => r(null), SWAYBG_SETTLE_MS)),
  ]);
  if (settled !== null) {
    throw new SetterError(
      "swaybg",
      `setter 'swaybg' failed: it exited with code ${settled.code} right after starting (is this a Wayland session with layer-shell?)`,
      settled.code || 1,
    );
  }
  child.unref();
  ctx.signal?.throwIfAborted();
  return child.pid;
}

/** swaybg's options that take a value, by their long name. */
const SWAYBG_VALUE_OPTIONS: Record<string, string> = {
  "-o": "--output",
  "--output": "--output",
  "-i": "--image",
  "--image": "--image",
  "-m": "--mode",
  "--mode": "--mode",
  "-c": "--color",
  "--color": "--color",
};

/**
 * The outputs a swaybg command line draws, each with its own options (`*`:
 * those given before any `--output`, for every output not named), or
 * undefined when it holds an option this does not know (its outputs are
 * then not carried over).
 *
 * @param args The arguments after `swaybg`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { swaybgOutputs } from "./swaybg.ts";
 *
 * assert.deepEqual(
 *   swaybgOutputs(["-o", "DP-1", "-i", "/w/a.jpg", "--output=HDMI-A-1", "-m", "fit"]),
 *   new Map([["DP-1", ["--image", "/w/a.jpg"]], ["HDMI-A-1", ["--mode", "fit"]]]),
 * );
 * ```
 */
export function swaybgOutputs(args: readonly string[]): Map<string, string[]> | undefined {
  const outputs = new Map<string, string[]>();
  let output = "*";
  for (let i = 0; i < args.length; i++) {
    let name = args[i];
    let value: string | undefined;
    const eq = name.startsWith("--") ? name.indexOf("=") : -1;
    if (eq > 0) [name, value] = [name.slice(0, eq), name.slice(eq + 1)];
    else if (/^-[oimc]./.test(name)) [name, value] = [name.slice(0, 2), name.slice(2)];
    const option = SWAYBG_VALUE_OPTIONS[name];
    if (option === undefined) return undefined;
    value ??= args[++i];
    if (value === undefined) return undefined;
    if (option === "--output") output = value;
    const own = outputs.get(output) ?? [];
    outputs.set(output, own);
    if (option !== "--output") own.push(option, value);
  }
  return outputs;
}

/**
 * The options of what the running swaybgs draw on outputs the new one does not
 * set (`[wallpaper] outputs` naming some monitors): stopping them would leave
 * those monitors blank, so the new swaybg draws them on as they were.
 */
async function otherOutputs(
  pids: readonly number[],
  ours: ReadonlySet<string>,
  ctx: SetterContext,
): Promise<string[]> {
  const kept = new Map<string, string[]>();
  for (const pid of pids) {
    // Read by `cat`: Deno lets a program read /proc/PID/cmdline only with --allow-all.
    const r = await (ctx.run ?? runCommand)(["cat", `/proc/${pid}/cmdline`], {
      timeoutMs: 2000,
      check: false,
    }).catch(() => null);
    if (!r || r.code !== 0) continue; // gone, or not ours to read
    const argv = r.stdout.split("\0");
    // (A script's command line starts with its interpreter.)
    const at = argv.findIndex((a) => a === "swaybg" || a.endsWith("/swaybg"));
    const outputs = at < 0
      ? undefined
      : swaybgOutputs(argv.slice(at + 1).filter((a, i, all) => i < all.length - 1 || a !== ""));
    for (const [output, options] of outputs ?? []) {
      if (!ours.has(output) && !kept.has(output) && options.length) kept.set(output, options);
    }
  }
  return [...kept].flatMap(([output, options]) => ["--output", output, ...options]);
}

/** swaybg, per output, replacing the user's running instances. */
export const swaybg: Setter = {
  name: "swaybg",
  description: "a new swaybg replaces the running one (wlroots compositors)",
  programs: ["swaybg"],
  modes: SWAYBG_MODES,
  extras: ["fill_color"],
  perOutput: () => true,
  async apply(assignments, ctx) {
    const pidFile = swaybgPidFile(ctx.runtimeDir);
    // The user's swaybgs, stopped once the new one is up. Some monitors named: the others
    // keep what those draw there.
    const running = await findProcesses("swaybg", { uid: Deno.uid(), run: ctx.run });
    const named = assignments.every((a) => a.output !== null);
    const kept = named
      ? await otherOutputs(running, new Set(assignments.map((a) => a.output!)), ctx)
      : [];
    const pid = await start([...swaybgArgv(assignments, ctx.config), ...kept], ctx);
    await Deno.mkdir(ctx.runtimeDir, { recursive: true, mode: 0o700 });
    // A new file, never through whatever is at that name (a link would be followed).
    await Deno.remove(pidFile).catch(() => {});
    await Deno.writeTextFile(pidFile, `${pid}\n`, { mode: 0o600, createNew: true });
    for (const old of running) {
      if (old === pid) continue;
      try {
        Deno.kill(old, "SIGTERM");
      } catch { /* gone or not ours */ }
    }
  },
};
