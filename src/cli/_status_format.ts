// What `varietal status` prints, as pure functions of a status report: text
// for people, and waybar's custom-module JSON.
import { formatDuration } from "../config/duration.ts";
import { localTime } from "../text/local_time.ts";
import { printable } from "../text/printable.ts";

/** The one escape for terminal text (re-exported for the daemon's log). */
export { printable };

/** One wallpaper on screen. */
export interface StatusImage {
  path: string;
  output: string | null;
  shown_at: number;
}

/** Everything `varietal status --json` prints. */
export interface StatusReport {
  /** Whether a daemon runs. */
  running: boolean;
  /** Its pid (0 if unknown), or null when none runs. */
  pid: number | null;
  /** Timer rotations are paused (when not running: the daemon will start paused). */
  paused: boolean;
  /** When it was paused (ms since the epoch), or null. */
  paused_at: number | null;
  /** Seconds between rotations (the daemon's, else the config's); null if unknown. */
  interval: number | null;
  /** When the timer changes the wallpaper next (ms since the epoch); null if not scheduled. */
  next_change_at: number | null;
  /** Seconds until then (0 when due now); null if not scheduled. */
  next_change_in: number | null;
  /** What the daemon is doing now ("next", …), or null. */
  busy: string | null;
  /** The wallpaper on screen, one entry per output; null when the database could not be read. */
  current: StatusImage[] | null;
  /** What could not be found out. */
  warnings: string[];
}

/** The state in one word: "running", "paused" or "stopped". */
export function statusState(r: StatusReport): "running" | "paused" | "stopped" {
  return !r.running ? "stopped" : r.paused ? "paused" : "running";
}

/** Seconds as a bar would show them: minutes once there is more than one. */
function shortIn(seconds: number): string {
  if (seconds <= 0) return "now";
  return formatDuration(seconds >= 60 ? Math.ceil(seconds / 60) * 60 : Math.ceil(seconds));
}

/** The timer's state in words. */
function timerLine(r: StatusReport): string {
  const every = r.interval === null ? "" : `every ${formatDuration(r.interval)}`;
  if (r.paused) {
    const since = r.paused_at === null ? "" : ` since ${localTime(r.paused_at)}`;
    return r.running
      ? `paused${since} (varietal daemon --send resume)`
      : `paused${since}; the daemon will start paused`;
  }
  if (!r.running) return every ? `${every} once the daemon runs` : "not running";
  const next = r.next_change_in === null
    ? ""
    : r.next_change_in <= 0
    ? "next change now"
    : `next change in ${formatDuration(Math.ceil(r.next_change_in))}`;
  // A daemon that did not answer (stopped, or busy past the wait) has told nothing.
  return [every, next].filter(Boolean).join(", ") || "unknown (the daemon did not answer)";
}

/** The lines of `varietal status`. */
export function formatStatusText(r: StatusReport): string[] {
  const lines = [
    `daemon:  ${
      r.running
        ? `running${r.pid ? ` (pid ${r.pid})` : ""}${r.busy ? `, busy: ${r.busy}` : ""}`
        : "not running"
    }`,
    `timer:   ${timerLine(r)}`,
  ];
  if (r.current === null) lines.push("current: unknown (the database could not be read)");
  else if (r.current.length === 0) lines.push("current: nothing shown yet");
  for (const c of r.current ?? []) {
    lines.push(`current: ${c.output ? `${printable(c.output)}\t` : ""}${printable(c.path)}`);
  }
  return lines;
}

/** waybar's custom module input (`"return-type": "json"`). */
export interface WaybarStatus {
  /** Shown in the bar: time to the next change, "paused" or "off". */
  text: string;
  /** The state ("running", "paused", "stopped"), for `format-icons`. */
  alt: string;
  /** The state again, as a CSS class. */
  class: string;
  /** State, timer and the current wallpaper. */
  tooltip: string;
}

/** Escapes one line for Pango markup, which waybar renders. */
function markup(text: string): string {
  return printable(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The status as waybar's custom module reads it. */
export function formatWaybar(r: StatusReport): WaybarStatus {
  const state = statusState(r);
  const text = state === "stopped"
    ? "off"
    : state === "paused"
    ? "paused"
    : r.next_change_in === null
    ? "on"
    : shortIn(r.next_change_in);
  const tooltip = [
    `varietal: ${state === "stopped" ? "daemon not running" : state}`,
    timerLine(r),
    ...(r.current ?? []).map((c) => (c.output ? `${c.output}: ${c.path}` : c.path)),
    ...r.warnings.map((w) => `warning: ${w}`),
  ];
  return { text: markup(text), alt: state, class: state, tooltip: tooltip.map(markup).join("\n") };
}
