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
import { CommandError, spawnCommand, type SpawnedCommand } from "../../process/run_command.ts";
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
    const pid = await start(swaybgArgv(assignments, ctx.config), ctx);
    await Deno.mkdir(ctx.runtimeDir, { recursive: true, mode: 0o700 });
    // A new file, never through whatever is at that name (a link would be followed).
    await Deno.remove(pidFile).catch(() => {});
    await Deno.writeTextFile(pidFile, `${pid}\n`, { mode: 0o600, createNew: true });
    for (const old of await findProcesses("swaybg", { uid: Deno.uid(), run: ctx.run })) {
      if (old === pid) continue;
      try {
        Deno.kill(old, "SIGTERM");
      } catch { /* gone or not ours */ }
    }
  },
};
