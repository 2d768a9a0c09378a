/**
 * A past show put on screen again (`prev`, `current --restore`, a daemon's
 * start) names the outputs it was shown on; monitors get renamed (a dock, a
 * new cable), unplugged and plugged in. Its pictures are fitted to the
 * outputs there are now (pure).
 *
 * @module
 */

/**
 * Fits a past show's pictures to the outputs there are now: each output it
 * was shown on that is still there keeps its picture; outputs new to it take
 * the pictures of outputs gone since, in order; any left without one take the
 * first (the primary's) picture. A show for all outputs at once (no names), or
 * no outputs known now, is left as it is.
 *
 * @param items The show's pictures, primary first.
 * @param names The outputs now, primary first.
 * @returns One picture per output now, in that order.
 * @example Two monitors renamed by a dock, and a third plugged in
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitToOutputs } from "./fit_outputs.ts";
 *
 * const shown = [{ path: "/a.jpg", output: "DP-1" }, { path: "/b.jpg", output: "DP-2" }];
 * assert.deepEqual(fitToOutputs(shown, ["DP-5", "DP-6", "HDMI-A-1"]), [
 *   { path: "/a.jpg", output: "DP-5" },
 *   { path: "/b.jpg", output: "DP-6" },
 *   { path: "/a.jpg", output: "HDMI-A-1" },
 * ]);
 * assert.deepEqual(fitToOutputs(shown, ["DP-2"]), [{ path: "/b.jpg", output: "DP-2" }]);
 * ```
 */
export function fitToOutputs<T extends { output: string | null }>(
  items: readonly T[],
  names: readonly string[],
): T[] {
  if (names.length === 0 || items.length === 0 || items.every((i) => i.output === null)) {
    return [...items];
  }
  const spare = items.filter((i) => i.output === null || !names.includes(i.output));
  return names.map((name) => {
    const same = items.find((i) => i.output === name);
    return same ?? { ...(spare.shift() ?? items[0]), output: name };
  });
}
