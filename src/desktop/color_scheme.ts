/**
 * The desktop's light/dark preference, asked the ways desktops publish it,
 * in this order:
 *
 * 1. the freedesktop settings portal (`org.freedesktop.appearance`
 *    `color-scheme`: 1 prefer dark, 2 prefer light, 0 no preference)
 *    through `gdbus`, else through `busctl`;
 * 2. GNOME's `gsettings get org.gnome.desktop.interface color-scheme`
 *    (`'prefer-dark'`, `'prefer-light'`, `'default'` = light);
 * 3. KDE's `kdeglobals` (`[General] ColorScheme` naming a dark scheme, else
 *    the lightness of `[Colors:Window] BackgroundNormal`).
 *
 * A source that is missing, fails, times out or has no preference is
 * skipped. Commands run as argv through the project's runner, with a short
 * timeout. Requires `--allow-run`, `--allow-read` and `--allow-env`.
 *
 * @module
 */
import { type CommandRunner, runCommand } from "../process/run_command.ts";
import { which } from "../process/which.ts";

/** A desktop preference. */
export type ColorScheme = "light" | "dark";

/** The preference and where it was found. */
export interface DetectedScheme {
  scheme: ColorScheme;
  /** E.g. "portal (gdbus)", "gsettings", "kdeglobals". */
  source: string;
}

/** Options for {@linkcode detectColorScheme}. */
export interface DetectOptions {
  /** `$XDG_CONFIG_HOME` (where kdeglobals lives). */
  configHome: string;
  /** The PATH to find gdbus, busctl and gsettings on. @default Deno.env.get("PATH") */
  path?: string;
  /** Runs commands. @default runCommand */
  run?: CommandRunner;
  /** Milliseconds each command may take. @default 2000 */
  timeoutMs?: number;
}

const PORTAL = ["org.freedesktop.portal.Desktop", "/org/freedesktop/portal/desktop"] as const;

/**
 * Finds the desktop's light/dark preference.
 *
 * @returns The preference, or null when no source has one.
 */
export async function detectColorScheme(options: DetectOptions): Promise<DetectedScheme | null> {
  const run = options.run ?? runCommand;
  const timeoutMs = options.timeoutMs ?? 2000;
  const path = options.path ?? Deno.env.get("PATH");
  const ask = async (program: string, args: string[]): Promise<string | null> => {
    const exe = await which(program, path);
    if (!exe) return null;
    try {
      const r = await run([exe, ...args], { timeoutMs, check: false, killAfterMs: 200 });
      return r.code === 0 ? r.stdout : null;
    } catch {
      return null;
    }
  };
  const gdbus = await ask("gdbus", [
    "call",
    "--session",
    "--dest",
    PORTAL[0],
    "--object-path",
    PORTAL[1],
    "--method",
    "org.freedesktop.portal.Settings.Read",
    "org.freedesktop.appearance",
    "color-scheme",
  ]);
  const fromGdbus = portalValue(gdbus === null ? null : /uint32\s+(\d+)/.exec(gdbus)?.[1]);
  if (fromGdbus) return { scheme: fromGdbus, source: "portal (gdbus)" };
  if (gdbus === null) {
    const busctl = await ask("busctl", [
      "--user",
      "call",
      PORTAL[0],
      PORTAL[1],
      "org.freedesktop.portal.Settings",
      "Read",
      "ss",
      "org.freedesktop.appearance",
      "color-scheme",
    ]);
    const v = portalValue(busctl === null ? null : /(\d+)\s*$/.exec(busctl.trim())?.[1]);
    if (v) return { scheme: v, source: "portal (busctl)" };
  }
  const gs = await ask("gsettings", ["get", "org.gnome.desktop.interface", "color-scheme"]);
  const gsValue = gs?.trim().replace(/^'|'$/g, "");
  if (gsValue === "prefer-dark" || gsValue === "prefer-light") {
    return { scheme: gsValue === "prefer-dark" ? "dark" : "light", source: "gsettings" };
  }
  const kde = await readKdeglobals(`${options.configHome}/kdeglobals`);
  if (kde) return { scheme: kde, source: "kdeglobals" };
  if (gsValue === "default") return { scheme: "light", source: "gsettings" };
  return null;
}

/** Maps the portal's number (1 dark, 2 light, 0 none) to a scheme. */
export function portalValue(v: string | null | undefined): ColorScheme | null {
  return v === "1" ? "dark" : v === "2" ? "light" : null;
}

/**
 * Reads KDE's preference from a kdeglobals file: a `[General] ColorScheme`
 * whose name contains "dark", else the lightness of the window background.
 *
 * @returns null when the file is missing or says nothing about colours.
 */
export async function readKdeglobals(file: string): Promise<ColorScheme | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch {
    return null;
  }
  return kdeglobalsScheme(text);
}

/** The scheme a kdeglobals text describes (pure), or null. */
export function kdeglobalsScheme(text: string): ColorScheme | null {
  let section = "";
  let name: string | undefined;
  let bg: number[] | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const sec = /^\[(.+)\]$/.exec(line);
    if (sec) {
      section = sec[1];
      continue;
    }
    const kv = /^([^=]+)=(.*)$/.exec(line);
    if (!kv) continue;
    const key = kv[1].trim(), value = kv[2].trim();
    if (section === "General" && key === "ColorScheme") name = value;
    if (section === "Colors:Window" && key === "BackgroundNormal") {
      const n = value.split(",").map((x) => Number(x.trim()));
      if (n.length >= 3 && n.slice(0, 3).every((x) => Number.isFinite(x))) bg = n;
    }
  }
  if (bg) {
    const l = (0.2126 * bg[0] + 0.7152 * bg[1] + 0.0722 * bg[2]) / 255;
    return l < 0.5 ? "dark" : "light";
  }
  if (name !== undefined) return /dark/i.test(name) ? "dark" : "light";
  return null;
}
