/**
 * `none`: sets nothing; the show is only recorded (for tests, the demo and
 * desktops varietal cannot drive).
 *
 * @module
 */
import type { Setter } from "../setter.ts";

/** The setter that does nothing. */
export const none: Setter = {
  name: "none",
  description: "Sets nothing; only records the show and themes",
  programs: [],
  modes: { fill: "fill", fit: "fit", center: "center", tile: "tile", stretch: "stretch" },
  svg: true,
  perOutput: () => true,
  apply: () => Promise.resolve(),
};
