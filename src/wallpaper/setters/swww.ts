/**
 * `swww`: `swww img [--outputs NAME] PATH` (needs a running swww-daemon).
 *
 * @module
 */
import { argvSetter } from "../setter.ts";

/** swww, per output. */
export const swww = argvSetter(
  {
    name: "swww",
    description: "swww img (Wayland; needs swww-daemon running)",
    programs: ["swww"],
    perOutput: () => true,
  },
  (assignments) =>
    assignments.map((a) =>
      a.output === null ? ["swww", "img", a.path] : ["swww", "img", "--outputs", a.output, a.path]
    ),
);
