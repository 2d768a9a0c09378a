/**
 * `[wallpaper.transition]` as swww/awww `img` flags (pure).
 *
 * @module
 */
import type { TransitionConfig } from "../config/schema.ts";

/** Each setting's flag, in the order they are passed. */
const FLAGS: readonly [keyof TransitionConfig, string][] = [
  ["type", "--transition-type"],
  ["duration", "--transition-duration"],
  ["fps", "--transition-fps"],
  ["step", "--transition-step"],
  ["angle", "--transition-angle"],
  ["pos", "--transition-pos"],
];

/**
 * The `swww img` flags for the settings that are given (null ones are left
 * to swww's defaults and its `SWWW_TRANSITION*` variables). Each is one
 * `--flag=value` argument, so a negative angle or position is not taken
 * for an option.
 *
 * @example
 * ```ts
 * import { transitionArgs } from "./transition.ts";
 * const t = { type: "grow", duration: 0.5, fps: null, step: null, angle: null, pos: "top-left" } as const;
 * // ["--transition-type=grow", "--transition-duration=0.5", "--transition-pos=top-left"]
 * transitionArgs(t);
 * ```
 */
export function transitionArgs(t: TransitionConfig): string[] {
  return FLAGS.flatMap(([key, flag]) => t[key] === null ? [] : [`${flag}=${t[key]}`]);
}
