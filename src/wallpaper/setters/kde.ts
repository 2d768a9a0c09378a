/**
 * `kde`: `plasma-apply-wallpaperimage PATH` (Plasma 5.24+, every screen).
 *
 * @module
 */
import { argvSetter } from "../setter.ts";

/** KDE Plasma (one image for every screen). */
export const kde = argvSetter(
  {
    name: "kde",
    description: "plasma-apply-wallpaperimage (KDE Plasma)",
    programs: ["plasma-apply-wallpaperimage"],
    perOutput: () => false,
  },
  (assignments) => [["plasma-apply-wallpaperimage", assignments[0].path]],
);
