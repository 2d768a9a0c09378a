/**
 * Which monitors (outputs) there are: from config, or asked of the session
 * (`hyprctl monitors -j`, `swaymsg -t get_outputs`, `swww query` or `awww query`,
 * `xrandr --listactivemonitors`).
 *
 * @module
 */
import { type CommandRunner, runCommand } from "../process/run_command.ts";

/** A monitor: its name and, when known, its size in pixels. */
export interface OutputInfo {
  name: string;
  width?: number;
  height?: number;
}

/** Known outputs; the primary one's palette themes the desktop. */
export interface Outputs {
  /** Outputs, primary first; empty = one image for everything. */
  list: OutputInfo[];
  /** Where the list came from ("config", "hyprctl", "swaymsg", "swww", "awww", "xrandr", "none"). */
  via: string;
}

/**
 * Outputs from `hyprctl monitors -j`, focused first. Hyprland gives the mode's
 * size; a monitor turned a quarter (`transform` 1, 3, 5 or 7) shows it the other
 * way round, so a portrait monitor is reported portrait.
 */
export function parseHyprctlMonitors(text: string): OutputInfo[] {
  const list = JSON.parse(text) as {
    name?: string;
    focused?: boolean;
    disabled?: boolean;
    width?: number;
    height?: number;
    transform?: number;
  }[];
  return primaryFirst(
    list.filter((m) => m.name && !m.disabled).map((m) => ({
      name: m.name!,
      ...turned(m.width, m.height, (m.transform ?? 0) % 2 === 1),
      primary: !!m.focused,
    })),
  );
}

/** A width and height, swapped for a monitor turned a quarter. */
function turned(width: number | undefined, height: number | undefined, quarter: boolean) {
  return quarter ? { width: height, height: width } : { width, height };
}

/**
 * Active outputs from `swaymsg -t get_outputs -r`, focused first. sway gives
 * the mode's size and the transform apart: a `90`/`270` output (flipped or not)
 * is reported portrait.
 */
export function parseSwayOutputs(text: string): OutputInfo[] {
  const list = JSON.parse(text) as {
    name?: string;
    active?: boolean;
    focused?: boolean;
    transform?: string;
    current_mode?: { width?: number; height?: number };
  }[];
  return primaryFirst(
    list.filter((o) => o.name && o.active !== false).map((o) => ({
      name: o.name!,
      ...turned(
        o.current_mode?.width,
        o.current_mode?.height,
        /(^|-)(90|270)$/.test(o.transform ?? ""),
      ),
      primary: !!o.focused,
    })),
  );
}

/** Outputs from `swww query` (old "NAME: WxH, …" and new ": NAME: WxH, …" lines). */
export function parseSwwwQuery(text: string): OutputInfo[] {
  const found: OutputInfo[] = [];
  for (const line of text.split("\n")) {
    const m = /^\s*:?\s*([^\s:]+):\s*(\d+)x(\d+)/.exec(line);
    if (m) found.push({ name: m[1], width: Number(m[2]), height: Number(m[3]) });
  }
  return found;
}

/** Monitors from `xrandr --listactivemonitors`, the primary (`*`) first. */
export function parseXrandrMonitors(text: string): OutputInfo[] {
  const found: (OutputInfo & { primary: boolean })[] = [];
  for (const line of text.split("\n")) {
    const m = /^\s*\d+:\s*\+?(\*?)(\S+)\s+(\d+)\/\d+x(\d+)\//.exec(line);
    if (m) {
      found.push({ name: m[2], width: Number(m[3]), height: Number(m[4]), primary: m[1] === "*" });
    }
  }
  return primaryFirst(found);
}

function primaryFirst(list: (OutputInfo & { primary: boolean })[]): OutputInfo[] {
  return [...list.filter((o) => o.primary), ...list.filter((o) => !o.primary)].map((o) => {
    const out: OutputInfo = { name: o.name };
    if (o.width) out.width = o.width;
    if (o.height) out.height = o.height;
    return out;
  });
}

/** Options for {@linkcode detectOutputs}. */
export interface DetectOutputsOptions {
  /** Runs commands; tests replace it. @default runCommand */
  run?: CommandRunner;
  /** Milliseconds each query may take. @default 3000 */
  timeoutMs?: number;
}

/**
 * Asks the session for its outputs. Methods that do not apply or fail are
 * skipped; when none answers the list is empty (one image for all).
 *
 * @param env Reads the session's environment.
 */
export async function detectOutputs(
  env: (name: string) => string | undefined,
  options: DetectOutputsOptions = {},
): Promise<Outputs> {
  const { run = runCommand, timeoutMs = 3000 } = options;
  const methods: [string, string[], (t: string) => OutputInfo[]][] = [];
  if (env("HYPRLAND_INSTANCE_SIGNATURE")) {
    methods.push(["hyprctl", ["hyprctl", "monitors", "-j"], parseHyprctlMonitors]);
  }
  if (env("SWAYSOCK")) {
    methods.push(["swaymsg", ["swaymsg", "-t", "get_outputs", "-r"], parseSwayOutputs]);
  }
  if (env("WAYLAND_DISPLAY")) {
    methods.push(["swww", ["swww", "query"], parseSwwwQuery]);
    // swww's new name; same query output.
    methods.push(["awww", ["awww", "query"], parseSwwwQuery]);
  }
  if (env("DISPLAY")) {
    methods.push(["xrandr", ["xrandr", "--listactivemonitors"], parseXrandrMonitors]);
  }
  for (const [via, argv, parse] of methods) {
    try {
      const r = await run(argv, { timeoutMs, check: false });
      if (r.code !== 0) continue;
      const list = parse(r.stdout);
      // Xwayland's own names (XWAYLAND0…) are not the compositor's: no setter (XFCE names its
      // monitors after the connectors) can use them, so they count as no answer.
      if (via === "xrandr" && list.every((o) => /^XWAYLAND\d+$/.test(o.name))) continue;
      if (list.length > 0) return { list, via };
    } catch { /* not installed or unparsable: try the next */ }
  }
  return { list: [], via: "none" };
}
