/**
 * `gnome`: `gsettings set org.gnome.desktop.background picture-uri(-dark)`
 * (both keys, so light and dark styles show the same image).
 *
 * @module
 */
import { argvSetter } from "../setter.ts";

/** A `file://` URI for an absolute path, each segment percent-encoded. */
export function fileUri(path: string): string {
  return "file://" + path.split("/").map((s) => encodeURIComponent(s)).join("/");
}

/** GNOME (one image for every monitor). */
export const gnome = argvSetter(
  {
    name: "gnome",
    description: "gsettings picture-uri and picture-uri-dark (GNOME, Budgie, Cinnamon-like)",
    programs: ["gsettings"],
    perOutput: () => false,
  },
  (assignments) => {
    const uri = fileUri(assignments[0].path);
    return ["picture-uri", "picture-uri-dark"].map((key) => [
      "gsettings",
      "set",
      "org.gnome.desktop.background",
      key,
      uri,
    ]);
  },
);
