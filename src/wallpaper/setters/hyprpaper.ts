/**
 * `hyprpaper`: through `hyprctl hyprpaper` — preload the image, show it on
 * an output (or all of them), then unload images no longer shown.
 *
 * @module
 */
import { runSetterCommand, type Setter } from "../setter.ts";
import { SetterError } from "../setter_error.ts";

/** hyprpaper via hyprctl, per output. */
export const hyprpaper: Setter = {
  name: "hyprpaper",
  description: "hyprctl hyprpaper preload/wallpaper (Hyprland; needs hyprpaper running)",
  programs: ["hyprctl"],
  perOutput: () => true,
  async apply(assignments, ctx) {
    const steps: string[][] = [];
    for (const path of new Set(assignments.map((a) => a.path))) {
      steps.push(["hyprctl", "hyprpaper", "preload", path]);
    }
    for (const a of assignments) {
      steps.push(["hyprctl", "hyprpaper", "wallpaper", `${a.output ?? ""},${a.path}`]);
    }
    steps.push(["hyprctl", "hyprpaper", "unload", "unused"]);
    for (const argv of steps) {
      const out = (await runSetterCommand("hyprpaper", argv, ctx)).trim();
      // hyprctl exits 0 even when hyprpaper refuses; it prints "ok" on success.
      if (/error|invalid|couldn't|could not|not found|failed/i.test(out)) {
        throw new SetterError(
          "hyprpaper",
          `setter 'hyprpaper' failed: 'hyprctl hyprpaper ${argv[2]}' said: ${out}`,
          1,
          out,
        );
      }
    }
  },
};
