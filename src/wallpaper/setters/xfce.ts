/**
 * `xfce`: lists the `last-image` properties of `xfce4-desktop` with
 * `xfconf-query -l`, then for each one (per monitor and workspace) sets the
 * neighbouring `image-style` to the mode and `last-image` to the image.
 * `setter_args` go right after `xfconf-query` in each setting call.
 *
 * @module
 */
import { modeArg, type ModeMap, runSetterCommand, type Setter } from "../setter.ts";
import { SetterError } from "../setter_error.ts";

/** The `last-image` properties that belong to an output (all when `null`). */
export function xfceProperties(listing: string, output: string | null): string[] {
  return listing.split("\n").map((l) => l.trim()).filter((p) =>
    p.endsWith("/last-image") && (output === null || p.includes(`/monitor${output}/`))
  );
}

/** xfdesktop's `image-style` number for each mode (1 centred … 5 zoomed). */
export const XFCE_MODES: ModeMap = {
  fill: "5",
  fit: "4",
  center: "1",
  tile: "2",
  stretch: "3",
};

/** XFCE, per monitor. */
export const xfce: Setter = {
  name: "xfce",
  description: "xfconf-query on every xfce4-desktop image-style and last-image property (XFCE)",
  programs: ["xfconf-query"],
  modes: XFCE_MODES,
  perOutput: () => true,
  async apply(assignments, ctx) {
    const listing = await runSetterCommand(
      "xfce",
      ["xfconf-query", "--channel", "xfce4-desktop", "--list"],
      ctx,
    );
    const set = ["xfconf-query", ...ctx.config.setter_args, "--channel", "xfce4-desktop"];
    const style = modeArg(XFCE_MODES, ctx.config);
    // Every monitor's properties first: one missing must stop the change before any
    // monitor is set (else the screen and history would disagree).
    const plan = assignments.map((a) => ({ a, props: xfceProperties(listing, a.output) }));
    const lacking = plan.find((p) => p.props.length === 0);
    if (lacking) {
      throw new SetterError(
        "xfce",
        `setter 'xfce' failed: no xfce4-desktop last-image property${
          lacking.a.output ? ` for monitor ${lacking.a.output}` : ""
        }; open the XFCE desktop settings once, then try again`,
      );
    }
    for (const { a, props } of plan) {
      for (const p of props) {
        const styleProp = p.replace(/\/last-image$/, "/image-style");
        await runSetterCommand(
          "xfce",
          [...set, "--property", styleProp, "--create", "--type", "int", "--set", style],
          ctx,
        );
        await runSetterCommand("xfce", [...set, "--property", p, "--set", a.path], ctx);
      }
    }
  },
};
