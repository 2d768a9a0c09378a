/**
 * Every setter by name.
 *
 * @module
 */
import type { SetterName } from "../config/choices.ts";
import type { Setter } from "./setter.ts";
import { custom } from "./setters/custom.ts";
import { feh } from "./setters/feh.ts";
import { gnome } from "./setters/gnome.ts";
import { hyprpaper } from "./setters/hyprpaper.ts";
import { kde } from "./setters/kde.ts";
import { none } from "./setters/none.ts";
import { swaybg } from "./setters/swaybg.ts";
import { swww } from "./setters/swww.ts";
import { xfce } from "./setters/xfce.ts";
import { xwallpaper } from "./setters/xwallpaper.ts";

/** A concrete setter name (not "auto"). */
export type ConcreteSetter = Exclude<SetterName, "auto">;

/** The setters, keyed by the names used in config and `--setter`. */
export const SETTER_REGISTRY: Readonly<Record<ConcreteSetter, Setter>> = Object.freeze({
  none,
  swww,
  swaybg,
  hyprpaper,
  feh,
  xwallpaper,
  gnome,
  kde,
  xfce,
  custom,
});

/** The setter with this name. */
export function getSetter(name: ConcreteSetter): Setter {
  return SETTER_REGISTRY[name];
}
