/**
 * Why a draw found nothing, as one line for `select` and `next`: what limited
 * it (constraints, time rule, desktop mode, group) and what to do about it.
 * Pure: the caller counts the images the minimum size leaves out.
 *
 * @module
 */

import { type Constraints, describeConstraints, needsPalette } from "./constraints.ts";
import type { SelectResult } from "./selector.ts";

/**
 * The message for a draw with no pick.
 *
 * @param constraints The constraints the draw was given.
 * @param result What the draw returned (its time rule, group, offline folders…).
 * @param smaller How many images of the draw's folders the minimum size leaves out.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { noPickMessage } from "./no_pick.ts";
 * assert.equal(
 *   noPickMessage({}, {}, 0),
 *   "no image qualifies; run 'varietal scan', relax the constraints or check 'varietal sources'",
 * );
 * ```
 */
export function noPickMessage(
  constraints: Constraints,
  result: Pick<SelectResult, "timeRule" | "systemMode" | "group" | "offline" | "redrawStopped"> & {
    minSize?: { width: number; height: number };
  },
  smaller: number,
): string {
  const what = [
    describeConstraints(constraints),
    result.timeRule ? `time rule ${result.timeRule.lightness}, skip with --any-time` : "",
    result.systemMode ? `desktop mode ${result.systemMode}, skip with --any-time` : "",
    result.group ? `group ${result.group.name}: ${result.group.sources.length} folder(s)` : "",
  ].filter(Boolean).join("; ");
  const min = result.minSize;
  const hint = needsPalette(constraints)
    ? "colour constraints need palettes: run 'varietal extract', or relax the constraints"
    : result.offline?.length
    ? "bring the offline source(s) back, or check 'varietal sources list'"
    : result.redrawStopped
    ? "many indexed files have vanished: run 'varietal scan'"
    : min && smaller > 0
    ? `${smaller} image(s) are smaller than ${min.width} × ${min.height}: lower [selection] min_width/min_height (0 disables) or give --min-width/--min-height`
    : "run 'varietal scan', relax the constraints or check 'varietal sources'";
  return `no image qualifies${what ? ` (${what})` : ""}; ${hint}`;
}
