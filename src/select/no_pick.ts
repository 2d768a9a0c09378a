/**
 * Why a draw found nothing, as one line for `select` and `next`: what limited
 * it (constraints, time rule, desktop mode, group), or that its folders hold no
 * image yet (not scanned, or empty), and what to do about it.
 * Pure: the caller counts the images the minimum size alone leaves out
 * ({@linkcode sizeOnlyClause} says which).
 *
 * @module
 */

import {
  type Constraints,
  constraintSql,
  describeConstraints,
  needsPalette,
  type SqlClause,
  timeRuleSql,
} from "./constraints.ts";
import type { NotIndexed, SelectResult } from "./selector.ts";

/** Up to three paths, then "…". */
function some(paths: readonly string[]): string {
  return `${paths.slice(0, 3).join(", ")}${paths.length > 3 ? ", …" : ""}`;
}

/**
 * What to say when the draw's folders hold no image: folders added and not scanned yet
 * (scan them), or scanned and found empty (add one that holds images).
 */
function notIndexedMessage(n: NotIndexed | undefined): string | undefined {
  if (n?.unscanned.length) {
    return `no image indexed yet: run 'varietal scan' (${n.unscanned.length} folder(s) added, ` +
      "not scanned)";
  }
  if (n?.empty.length) {
    return `no image indexed: the folder(s) added hold no images (${some(n.empty)}); add one ` +
      "that does with 'varietal sources add DIR'";
  }
  return undefined;
}

/**
 * The rules besides the minimum size that the size hint must respect: the
 * orientation, and a time rule's or the desktop's lightness (colour
 * constraints have hints of their own, said first). An image these keep out
 * is not one a smaller minimum would bring back.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sizeOnlyClause } from "./no_pick.ts";
 * assert.deepEqual(sizeOnlyClause({ orientation: "portrait" }, {}), {
 *   sql: "i.height > i.width AND 1",
 *   params: [],
 *   palettes: false,
 * });
 * ```
 */
export function sizeOnlyClause(
  constraints: Constraints,
  result: Pick<SelectResult, "timeRule" | "systemMode">,
): SqlClause & { palettes: boolean } {
  const shape = constraintSql(
    constraints.orientation ? { orientation: constraints.orientation } : {},
  );
  const lightness = result.timeRule?.lightness ?? result.systemMode;
  const rule = lightness ? timeRuleSql(lightness) : { sql: "1", params: [] };
  return {
    sql: `${shape.sql} AND ${rule.sql}`,
    params: [...shape.params, ...rule.params],
    palettes: rule.sql !== "1",
  };
}

/**
 * The message for an empty collection, for `next`: run a scan when folders were
 * added and not scanned, add folders with images when those added hold none, else add
 * a folder and scan.
 *
 * @param result What the draw returned (its `notIndexed`).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emptyCollectionMessage } from "./no_pick.ts";
 * assert.equal(
 *   emptyCollectionMessage({}),
 *   "the collection is empty; add a folder with 'varietal sources add DIR' and run 'varietal scan'",
 * );
 * assert.equal(
 *   emptyCollectionMessage({ notIndexed: { unscanned: ["/w"], empty: [] } }),
 *   "no image indexed yet: run 'varietal scan' (1 folder(s) added, not scanned)",
 * );
 * ```
 */
export function emptyCollectionMessage(result: Pick<SelectResult, "notIndexed">): string {
  return notIndexedMessage(result.notIndexed) ??
    "the collection is empty; add a folder with 'varietal sources add DIR' and run 'varietal scan'";
}

/**
 * The message for a draw with no pick. When none of the draw's folders holds an image
 * (`result.notIndexed`), that is what it says, whatever the constraints.
 *
 * @param constraints The constraints the draw was given.
 * @param result What the draw returned (its time rule, group, offline folders, folders
 *   not indexed…).
 * @param counts Images of the draw's folders that the minimum size leaves out
 *   (`smaller`), that have no palette yet (`withoutPalette`, which colour
 *   constraints leave out), and that are there and banned or not (`banned`,
 *   `unbanned`: all banned is said first); `disabled`, the number of disabled
 *   sources, given when the draw had no source (then said before anything).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { noPickMessage } from "./no_pick.ts";
 * assert.equal(
 *   noPickMessage({}, {}, { smaller: 0, withoutPalette: 0 }),
 *   "no image qualifies; run 'varietal scan', relax the constraints or check 'varietal sources'",
 * );
 * assert.equal(
 *   noPickMessage({}, {}, { smaller: 0, withoutPalette: 0, banned: 2, unbanned: 0 }),
 *   "no image qualifies; all 2 image(s) there are banned: 'varietal unban PATH' brings one " +
 *     "back, or add folders with 'varietal sources add'",
 * );
 * // Every image has a palette: the constraints are what to change, not the palettes.
 * assert.equal(
 *   noPickMessage({ lightness: "dark" }, {}, { smaller: 0, withoutPalette: 0 }),
 *   "no image qualifies (dark); no palette matches the colour constraints: relax them " +
 *     "('varietal stats' shows the hues and lightness of your collection)",
 * );
 * // The only folder was scanned and holds no image.
 * assert.equal(
 *   noPickMessage({}, { notIndexed: { unscanned: [], empty: ["/w"] } }, {
 *     smaller: 0,
 *     withoutPalette: 0,
 *   }),
 *   "no image indexed: the folder(s) added hold no images (/w); add one that does with " +
 *     "'varietal sources add DIR'",
 * );
 * ```
 */
export function noPickMessage(
  constraints: Constraints,
  result:
    & Pick<
      SelectResult,
      | "timeRule"
      | "systemMode"
      | "group"
      | "offline"
      | "redrawStopped"
      | "notIndexed"
      | "sourceIds"
    >
    & { minSize?: { width: number; height: number } },
  counts: {
    smaller: number;
    withoutPalette: number;
    banned?: number;
    unbanned?: number;
    disabled?: number;
  },
): string {
  const idle = notIndexedMessage(result.notIndexed);
  if (idle) return idle;
  const { smaller, withoutPalette } = counts;
  const what = [
    describeConstraints(constraints),
    result.timeRule ? `time rule ${result.timeRule.lightness}, skip with --any-time` : "",
    result.systemMode ? `desktop mode ${result.systemMode}, skip with --any-time` : "",
    result.group ? `group ${result.group.name}: ${result.group.sources.length} folder(s)` : "",
  ].filter(Boolean).join("; ");
  const min = result.minSize;
  const sizeFlags = constraints.minWidth !== undefined || constraints.minHeight !== undefined;
  // Nothing to draw from at all (every source disabled, none offline) says so before anything.
  const hint =
    result.sourceIds?.length === 0 && !result.offline?.length && (counts.disabled ?? 0) > 0
      ? `${
        result.group ? `the sources of group ${result.group.name} are` : "every source is"
      } disabled: 'varietal sources enable DIR' turns one on again ('varietal sources list' shows them)`
      : result.group && result.group.sources.length === 0
      ? `no folder of group ${result.group.name} is one of yours: fix [groups] ` +
        `${result.group.name} in config.toml, or add its folders with 'varietal sources add DIR'`
      : (counts.banned ?? 0) > 0 && counts.unbanned === 0
      ? `all ${counts.banned} image(s) there are banned: 'varietal unban PATH' brings one back, ` +
        "or add folders with 'varietal sources add'"
      : needsPalette(constraints) && withoutPalette > 0
      ? `${withoutPalette} image(s) have no palette yet, which colour constraints need: ` +
        "run 'varietal extract', or relax the constraints"
      : needsPalette(constraints)
      ? "no palette matches the colour constraints: relax them ('varietal stats' shows the hues " +
        "and lightness of your collection)"
      : result.offline?.length
      ? "bring the offline source(s) back, or check 'varietal sources list'"
      : result.redrawStopped
      ? "many indexed files have vanished: run 'varietal scan'"
      : min && smaller > 0
      ? `${smaller} image(s) are smaller than ${min.width} × ${min.height}: ${
        sizeFlags
          ? "lower --min-width/--min-height (0 disables)"
          : "lower [selection] min_width/min_height (0 disables) or give --min-width/--min-height"
      }`
      : "run 'varietal scan', relax the constraints or check 'varietal sources'";
  return `no image qualifies${what ? ` (${what})` : ""}; ${hint}`;
}
