/**
 * `hyprpaper`: through `hyprctl hyprpaper` — preload the image, show it on
 * an output (or all of them) as `wallpaper NAME,[contain:|tile:]PATH`, then
 * unload images no longer shown. `setter_args` go right after `hyprctl` in
 * each call (e.g. `--instance 1`).
 *
 * @module
 */
import { modeArg, type ModeMap, runSetterCommand, type Setter } from "../setter.ts";
import { SetterError } from "../setter_error.ts";

/** hyprpaper's path prefix for each mode it has (fill = its default, cover). */
export const HYPRPAPER_MODES: ModeMap = {
  fill: "",
  fit: "contain:",
  tile: "tile:",
};

/** hyprpaper via hyprctl, per output. */
export const hyprpaper: Setter = {
  name: "hyprpaper",
  description: "hyprctl hyprpaper preload/wallpaper (Hyprland; needs hyprpaper running)",
  programs: ["hyprctl"],
  modes: HYPRPAPER_MODES,
  perOutput: () => true,
  async apply(assignments, ctx) {
    const hyprctl = ["hyprctl", ...ctx.config.setter_args, "hyprpaper"];
    const prefix = modeArg(HYPRPAPER_MODES, ctx.config);
    const steps: string[][] = [];
    for (const path of new Set(assignments.map((a) => a.path))) {
      steps.push([...hyprctl, "preload", path]);
    }
    for (const a of assignments) {
      steps.push([...hyprctl, "wallpaper", `${a.output ?? ""},${prefix}${a.path}`]);
    }
    steps.push([...hyprctl, "unload", "unused"]);
    for (const argv of steps) {
      const out = (await runSetterCommand("hyprpaper", argv, ctx)).trim();
      // hyprctl exits 0 even when hyprpaper refuses; it prints "ok" on success.
      if (/error|invalid|couldn't|could not|not found|failed/i.test(out)) {
        throw new SetterError(
          "hyprpaper",
          `setter 'hyprpaper' failed: 'hyprctl hyprpaper ${argv[hyprctl.length]}' said: ${out}`,
          1,
          out,
        );
      }
    }
  },
};
