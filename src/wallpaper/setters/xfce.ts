/**
 * `xfce`: lists the `last-image` properties of `xfce4-desktop` with
 * `xfconf-query -l` and sets each one (per monitor and workspace).
 *
 * @module
 */
import { runSetterCommand, type Setter } from "../setter.ts";
import { SetterError } from "../setter_error.ts";

/** The `last-image` properties that belong to an output (all when `null`). */
export function xfceProperties(listing: string, output: string | null): string[] {
  return listing.split("\n").map((l) => l.trim()).filter((p) =>
    p.endsWith("/last-image") && (output === null || p.includes(`/monitor${output}/`))
  );
}

/** XFCE, per monitor. */
export const xfce: Setter = {
  name: "xfce",
  description: "xfconf-query on every xfce4-desktop last-image property (XFCE)",
  programs: ["xfconf-query"],
  perOutput: () => true,
  async apply(assignments, ctx) {
    const listing = await runSetterCommand(
      "xfce",
      ["xfconf-query", "--channel", "xfce4-desktop", "--list"],
      ctx,
    );
    for (const a of assignments) {
      const props = xfceProperties(listing, a.output);
      if (props.length === 0) {
        throw new SetterError(
          "xfce",
          `setter 'xfce' failed: no xfce4-desktop last-image property${
            a.output ? ` for monitor ${a.output}` : ""
          }; open the XFCE desktop settings once, then try again`,
        );
      }
      for (const p of props) {
        await runSetterCommand(
          "xfce",
          ["xfconf-query", "--channel", "xfce4-desktop", "--property", p, "--set", a.path],
          ctx,
        );
      }
    }
  },
};
