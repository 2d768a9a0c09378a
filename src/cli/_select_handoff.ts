// Which `varietal select` arguments may be handed to a running daemon: options
// that read no file of the sender's. The sender (`_select_client.ts`) asks only
// with these, and the daemon (`_select_server.ts`) takes only these.
import { MAX_HANDOFF_ARGS } from "../pipeline/control_protocol.ts";

/** Boolean options of `select` that may go to the daemon. */
const FLAGS = new Set(["--json", "--explain", "--dark", "--light", "--any-time"]);
/** Options with a value that may go to the daemon (the value must not look like an option). */
const VALUED = new Set(["-n", "--count", "--seed"]);

/**
 * Whether `select` with these arguments may be handed to a daemon: only the
 * options above, no paths, no `--help`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { selectHandsOver } from "./_select_handoff.ts";
 *
 * assert.ok(selectHandsOver(["-n", "3", "--json"]));
 * assert.ok(selectHandsOver(["--count=2", "--seed", "7"]));
 * assert.ok(!selectHandsOver(["--similar-to", "current"])); // reads the sender's files
 * assert.ok(!selectHandsOver(["-n", "--json"])); // a value that looks like an option
 * ```
 */
export function selectHandsOver(args: readonly string[]): boolean {
  if (args.length > MAX_HANDOFF_ARGS) return false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (FLAGS.has(a)) continue;
    const eq = a.indexOf("=");
    if (a.startsWith("--") && eq > 0 && VALUED.has(a.slice(0, eq)) && eq < a.length - 1) continue;
    if (VALUED.has(a) && i + 1 < args.length && !args[i + 1].startsWith("-")) {
      i++;
      continue;
    }
    return false;
  }
  return true;
}
