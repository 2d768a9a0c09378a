/**
 * `hyprpaper`: through `hyprctl hyprpaper`. `setter_args` go right after
 * `hyprctl` in each call (e.g. `--instance 1`).
 *
 * - hyprpaper 0.6–0.7: preload the image, show it on each output as
 *   `wallpaper NAME,[contain:|tile:]PATH`, then unload images no longer shown.
 * - hyprpaper 0.8 and later (whose hyprctl knows only `wallpaper`, and says
 *   "Unknown hyprpaper request" to `preload`): `wallpaper NAME,PATH[,FIT]`
 *   with FIT `contain` or `tile` (cover, the default, for fill). Once seen,
 *   the process goes straight to this form.
 *
 * An image for all outputs is sent to each monitor by name (from `hyprctl
 * monitors -j`), never as the empty name: hyprpaper takes that as a fallback
 * for monitors without a wallpaper of their own, so a monitor its config
 * names would keep its picture. Both versions split the value at every
 * comma, and 0.6–0.7 read each request as a config line (hyprlang: `#` starts
 * a comment, `$NAME` is an environment variable, spaces at the end are
 * trimmed), so a path holding any of those is given as a link with a plain
 * name in `CACHE/hyprpaper-links/` (./plain_link.ts) rather than cut.
 *
 * Modes: fill is hyprpaper's default (cover), fit `contain`, tile `tile`;
 * stretch exists from 0.8 on (0.6–0.7 use fill for it, warned once).
 *
 * @module
 */
import {
  type Assignment,
  modeArg,
  type ModeMap,
  runSetterCommand,
  setEach,
  type Setter,
  type SetterContext,
  warnOnce,
} from "../setter.ts";
import { plainPath } from "../plain_link.ts";
import { stopStartedSwaybg } from "../started_swaybg.ts";
import { PartialSetError, SetterError } from "../setter_error.ts";
import { parseHyprctlMonitors } from "../outputs.ts";

/** hyprpaper's fit mode for each mode it has (fill = its default, cover; stretch from 0.8). */
export const HYPRPAPER_MODES: ModeMap = {
  fill: "",
  fit: "contain",
  tile: "tile",
  stretch: "stretch",
};

/** The modes of hyprpaper 0.6–0.7, as path prefixes. */
const LEGACY_PREFIX: ModeMap = { fill: "", fit: "contain:", tile: "tile:" };

/** What hyprctl would split or hyprpaper 0.6–0.7 read as config syntax. */
const UNSAFE = /[,#$\n\r]|\s$/;
const WHY = "hyprpaper reads ',', '#' and '$' in a path as its own syntax";

/** Whether this process has met hyprpaper 0.8's hyprctl (which has no `preload`). */
let wallpaperOnly = false;

/** Forgets what {@linkcode hyprpaper} learnt of the running version (for tests). */
export function resetHyprpaperVersion(): void {
  wallpaperOnly = false;
}

/** hyprpaper via hyprctl, per output. */
export const hyprpaper: Setter = {
  name: "hyprpaper",
  description: "hyprctl hyprpaper (Hyprland; needs hyprpaper 0.6 or later running)",
  programs: ["hyprctl"],
  modes: HYPRPAPER_MODES,
  perOutput: () => true,
  async apply(assignments, ctx) {
    await show(assignments, ctx);
    // On the background layer now: a swaybg started before it (at login, while hyprpaper was
    // not up) would stay there with the old picture.
    await stopStartedSwaybg(ctx.runtimeDir, ctx.run);
  },
};

/** Each assignment's picture on its monitors, in the form this hyprpaper takes. */
async function show(assignments: readonly Assignment[], ctx: SetterContext): Promise<void> {
  const plain: Assignment[] = [];
  for (const a of assignments) {
    plain.push({ ...a, path: await plainPath("hyprpaper", a.path, ctx, UNSAFE, WHY) });
  }
  const hyprctl = ["hyprctl", ...ctx.config.setter_args];
  const targets = await namedTargets(plain, hyprctl, ctx);
  if (!wallpaperOnly) {
    try {
      await legacy(targets, [...hyprctl, "hyprpaper"], modeArg(LEGACY_PREFIX, ctx.config), ctx);
      // Said once the hyprpaper is known to be an old one (0.8 has "stretch").
      if (ctx.config.mode === "stretch") {
        warnOnce(ctx, 'hyprpaper before 0.8 has no "stretch" mode; using "fill"');
      }
      return;
    } catch (e) {
      if (!(e instanceof SetterError) || !/unknown hyprpaper request/i.test(errorText(e))) {
        throw e;
      }
      wallpaperOnly = true;
    }
  }
  const fit = modeArg(HYPRPAPER_MODES, ctx.config);
  await setEach("hyprpaper", targets, async (t) => {
    await step(
      [...hyprctl, "hyprpaper", "wallpaper", `${t.output},${t.path}${fit && `,${fit}`}`],
      ctx,
    );
  });
}

/** hyprpaper 0.6–0.7: preload, wallpaper with a mode prefix, unload the rest. */
async function legacy(
  targets: readonly (readonly Target[])[],
  hyprctl: readonly string[],
  prefix: string,
  ctx: SetterContext,
): Promise<void> {
  for (const path of new Set(targets.flat().map((t) => t.path))) {
    await step([...hyprctl, "preload", path], ctx);
  }
  try {
    await setEach("hyprpaper", targets, async (t) => {
      await step([...hyprctl, "wallpaper", `${t.output},${prefix}${t.path}`], ctx);
    });
  } catch (e) {
    // Some monitors changed: what they no longer show is unloaded all the same.
    if (e instanceof PartialSetError) {
      await step([...hyprctl, "unload", "unused"], ctx).catch(() => {});
    }
    throw e;
  }
  await step([...hyprctl, "unload", "unused"], ctx);
}

/** One monitor's picture. */
interface Target {
  output: string;
  path: string;
}

/** Runs one hyprctl call; hyprctl 0.6–0.7 exits 0 even when hyprpaper refuses, saying why. */
async function step(argv: readonly string[], ctx: SetterContext): Promise<void> {
  const out = (await runSetterCommand("hyprpaper", argv, ctx)).trim();
  if (/error|invalid|couldn't|could not|not found|no such file|failed|unknown/i.test(out)) {
    const request = argv.slice(argv.indexOf("hyprpaper") + 1, -1).join(" ");
    throw new SetterError(
      "hyprpaper",
      `setter 'hyprpaper' failed: 'hyprctl hyprpaper ${request}' said: ${out}`,
      1,
      out,
    );
  }
}

function errorText(e: SetterError): string {
  return `${e.message} ${e.stderr ?? ""}`;
}

/**
 * Each assignment with a monitor name: one for all outputs goes to every
 * monitor Hyprland lists (the empty name only when it lists none).
 */
async function namedTargets(
  assignments: readonly Assignment[],
  hyprctl: readonly string[],
  ctx: SetterContext,
): Promise<Target[][]> {
  const out: Target[][] = [];
  for (const a of assignments) {
    if (a.output !== null) out.push([{ output: a.output, path: a.path }]);
    else {
      const names = await monitorNames(hyprctl, ctx);
      out.push((names.length ? names : [""]).map((output) => ({ output, path: a.path })));
    }
  }
  return out;
}

/** The monitors `hyprctl monitors -j` lists, as output detection reads them (none when it cannot say). */
async function monitorNames(hyprctl: readonly string[], ctx: SetterContext): Promise<string[]> {
  try {
    const json = await runSetterCommand("hyprpaper", [...hyprctl, "monitors", "-j"], ctx);
    return parseHyprctlMonitors(json).map((m) => m.name).filter((n) => !n.includes(","));
  } catch (e) {
    if (e instanceof SetterError || e instanceof SyntaxError || e instanceof TypeError) return [];
    throw e;
  }
}
