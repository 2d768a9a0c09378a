/**
 * `gnome`: `gsettings set org.gnome.desktop.background picture-options
 * MODE`, then `picture-uri` and `picture-uri-dark` (both keys, so light and
 * dark styles show the same image; GNOME before 42 has no `picture-uri-dark`,
 * which is then left out; told by gsettings' message, read in the C locale). `setter_args` go right after `gsettings` in each
 * call (e.g. `--schemadir DIR`).
 *
 * @module
 */
import { modeArg, type ModeMap, runSetterCommand, type Setter } from "../setter.ts";
import { SetterError } from "../setter_error.ts";

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
export const gnome: Setter = {
  name: "gnome",
  description: "gsettings picture-options, picture-uri and picture-uri-dark (GNOME, Budgie)",
  programs: ["gsettings"],
  modes: GNOME_MODES,
  svg: true,
  perOutput: () => false,
  async apply(assignments, ctx) {
    const uri = fileUri(assignments[0].path);
    const gsettings = ["gsettings", ...ctx.config.setter_args, "set", SCHEMA];
    await runSetterCommand("gnome", [
      ...gsettings,
      "picture-options",
      modeArg(GNOME_MODES, ctx.config),
    ], ctx);
    await runSetterCommand("gnome", [...gsettings, "picture-uri", uri], ctx);
    try {
      // In the C locale: gsettings says "No such key" in the user's language otherwise.
      await runSetterCommand("gnome", [...gsettings, "picture-uri-dark", uri], ctx, C_LOCALE);
    } catch (e) {
      // GNOME 41 and older have no dark key: the wallpaper is set, there is nothing more to do.
      if (!(e instanceof SetterError && /no such key/i.test(`${e.message} ${e.stderr}`))) throw e;
    }
  },
};

/** Messages in English, whatever the user's language: the missing-key test reads them. */
const C_LOCALE = { LC_ALL: "C", LANGUAGE: "C" };
