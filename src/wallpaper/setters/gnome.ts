/**
 * `gnome`: `gsettings set org.gnome.desktop.background picture-options
 * MODE`, then `picture-uri` and `picture-uri-dark` (both keys, so light and
 * dark styles show the same image). `setter_args` go right after
 * `gsettings` in each call (e.g. `--schemadir DIR`).
 *
 * @module
 */
import { argvSetter, modeArg, type ModeMap } from "../setter.ts";

/** A `file://` URI for an absolute path, each segment percent-encoded. */
export function fileUri(path: string): string {
  return "file://" + path.split("/").map((s) => encodeURIComponent(s)).join("/");
}

/** GNOME's `picture-options` value for each mode. */
export const GNOME_MODES: ModeMap = {
  fill: "zoom",
  fit: "scaled",
  center: "centered",
  tile: "wallpaper",
  stretch: "stretched",
};

const SCHEMA = "org.gnome.desktop.background";

/** GNOME (one image for every monitor). */
export const gnome = argvSetter(
  {
    name: "gnome",
    description: "gsettings picture-options, picture-uri and picture-uri-dark (GNOME, Budgie)",
    programs: ["gsettings"],
    modes: GNOME_MODES,
    svg: true,
    perOutput: () => false,
  },
  (assignments, config) => {
    const uri = fileUri(assignments[0].path);
    const gsettings = ["gsettings", ...config.setter_args, "set", SCHEMA];
    return [
      [...gsettings, "picture-options", modeArg(GNOME_MODES, config)],
      [...gsettings, "picture-uri", uri],
      [...gsettings, "picture-uri-dark", uri],
    ];
  },
);
