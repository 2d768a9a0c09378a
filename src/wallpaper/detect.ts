/**
 * Chooses a setter from the session: compositor sockets, the desktop name
 * and running wallpaper daemons. Explains its choice for `varietal doctor`.
 *
 * @module
 */
import type { ConcreteSetter } from "./registry.ts";

/** What detection may look at; tests give a fake. */
export interface SessionProbe {
  env(name: string): string | undefined;
  /** Whether a program is on PATH. */
  onPath(program: string): Promise<boolean>;
  /** Whether a process with this command name runs. */
  running(name: string): Promise<boolean>;
}

/** The outcome of detection. */
export interface Detection {
  /** The chosen setter, or null when none fits. */
  setter: ConcreteSetter | null;
  /** The session as detected, e.g. "Hyprland (Wayland)". */
  session: string;
  /** Why this setter (or why none), one sentence. */
  reason: string;
}

const DESKTOPS: [RegExp, ConcreteSetter, string][] = [
  [/GNOME|UNITY|BUDGIE|PANTHEON|UBUNTU/, "gnome", "GNOME"],
  [/KDE|PLASMA/, "kde", "KDE Plasma"],
  [/XFCE/, "xfce", "XFCE"],
];

/**
 * Detects the setter for the current session.
 *
 * @param probe Reads the environment, PATH and processes.
 * @returns The setter (or null) with the reason.
 */
export async function detectSetter(probe: SessionProbe): Promise<Detection> {
  const desktop = [probe.env("XDG_CURRENT_DESKTOP"), probe.env("DESKTOP_SESSION")]
    .filter(Boolean).join(":").toUpperCase();
  const wayland = !!probe.env("WAYLAND_DISPLAY");
  const x11 = !!probe.env("DISPLAY");
  const kind = wayland ? "Wayland" : x11 ? "X11" : "";
  const hyprland = !!probe.env("HYPRLAND_INSTANCE_SIGNATURE") || desktop.includes("HYPRLAND");
  const sway = !!probe.env("SWAYSOCK") || /(^|:)SWAY(:|$)/.test(desktop);

  // swww was renamed awww upstream; the swww setter drives either.
  for (const daemon of ["swww-daemon", "awww-daemon"]) {
    if (await probe.running(daemon)) {
      return {
        setter: "swww",
        session: hyprland ? "Hyprland (Wayland)" : sway ? "sway (Wayland)" : kind || "unknown",
        reason: `${daemon} is running`,
      };
    }
  }
  if (hyprland) {
    const session = "Hyprland (Wayland)";
    if (await probe.running("hyprpaper")) {
      return {
        setter: "hyprpaper",
        session,
        reason: "HYPRLAND_INSTANCE_SIGNATURE is set and hyprpaper is running",
      };
    }
    if (await probe.onPath("swaybg")) {
      return {
        setter: "swaybg",
        session,
        reason: "Hyprland without swww-daemon, awww-daemon or hyprpaper running; swaybg is on PATH",
      };
    }
    return {
      setter: "hyprpaper",
      session,
      reason:
        "HYPRLAND_INSTANCE_SIGNATURE is set; start hyprpaper (or swww-daemon/awww-daemon) for it to work",
    };
  }
  if (sway) {
    return {
      setter: "swaybg",
      session: "sway (Wayland)",
      reason: "SWAYSOCK is set and neither swww-daemon nor awww-daemon is running",
    };
  }
  for (const [re, setter, name] of DESKTOPS) {
    if (re.test(desktop)) {
      return {
        setter,
        session: `${name}${kind ? ` (${kind})` : ""}`,
        reason: `XDG_CURRENT_DESKTOP is ${probe.env("XDG_CURRENT_DESKTOP") ?? desktop}`,
      };
    }
  }
  if (wayland) {
    if (await probe.onPath("swaybg")) {
      return {
        setter: "swaybg",
        session: "Wayland",
        reason: "a Wayland session with swaybg on PATH",
      };
    }
    return {
      setter: null,
      session: "Wayland",
      reason: "a Wayland session without swww-daemon/awww-daemon running or swaybg installed",
    };
  }
  if (x11) {
    for (const p of ["feh", "xwallpaper"] as const) {
      if (await probe.onPath(p)) {
        return { setter: p, session: "X11", reason: `an X11 session with ${p} on PATH` };
      }
    }
    return {
      setter: null,
      session: "X11",
      reason: "an X11 session without feh or xwallpaper installed",
    };
  }
  return {
    setter: null,
    session: "none",
    reason: "no graphical session (WAYLAND_DISPLAY and DISPLAY are unset)",
  };
}
