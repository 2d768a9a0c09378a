/**
 * Deno's refusals (`Deno.errors.NotCapable`) and the system's (a file's
 * permissions) in words for varietal's users. Deno's own text ("run again
 * with the --allow-all flag") names a flag that varietal has no way to take:
 * a path under /proc, /dev or /sys needs `--allow-all`, which no task,
 * launcher or compiled binary of varietal grants.
 *
 * @module
 */

const DENO_TEXT = /^Requires (\w+) access to "(.*)", run again with the (--allow-[\w-]+) flag/;

/**
 * A one-line explanation of a refusal by Deno's permissions, or undefined
 * for any other error.
 *
 * @example A /proc path, and a missing grant
 * ```ts
 * import assert from "node:assert/strict";
 * import { notCapableMessage } from "./not_capable.ts";
 *
 * const proc = new Deno.errors.NotCapable(
 *   'Requires all access to "/proc/x.db", run again with the --allow-all flag',
 * );
 * assert.equal(
 *   notCapableMessage(proc),
 *   "/proc/x.db is a system file varietal may not touch (Deno allows that only with --allow-all); choose a path elsewhere",
 * );
 * const read = new Deno.errors.NotCapable(
 *   'Requires read access to "/etc/x", run again with the --allow-read flag',
 * );
 * assert.equal(
 *   notCapableMessage(read),
 *   "varietal was started without read access to /etc/x (--allow-read); run it with its task, launcher or binary, which grant what it needs",
 * );
 * assert.equal(notCapableMessage(new Error("other")), undefined);
 * ```
 */
export function notCapableMessage(e: unknown): string | undefined {
  if (!(e instanceof Deno.errors.NotCapable)) return undefined;
  const m = DENO_TEXT.exec(e.message);
  if (!m) return `not allowed by Deno's permissions: ${e.message}`;
  const [, kind, what, flag] = m;
  if (kind === "all") {
    return `${what} is a system file varietal may not touch (Deno allows that only with --allow-all); choose a path elsewhere`;
  }
  return `varietal was started without ${kind} access to ${what} (${flag}); run it with its task, launcher or binary, which grant what it needs`;
}

const OS_TEXT = /^Permission denied \(os error \d+\): (\w+) '(.*?)'(?: -> '.*')?$/;

/**
 * A one-line explanation of the system refusing a file (its permissions, as
 * `chmod 000` makes), naming the file first, or undefined for any other error.
 * Deno's text ("Permission denied (os error 13): open '/w/a.png'") is what
 * is recognised.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { osDeniedMessage } from "./not_capable.ts";
 *
 * const e = new Deno.errors.PermissionDenied("Permission denied (os error 13): open '/w/a.png'");
 * assert.equal(
 *   osDeniedMessage(e),
 *   "/w/a.png: permission denied (open); check the permissions of the file and its folders (ls -l)",
 * );
 * assert.equal(osDeniedMessage(new Error("other")), undefined);
 * ```
 */
export function osDeniedMessage(e: unknown): string | undefined {
  // (Also an error that crossed from a worker thread, which keeps the text but not the class.)
  if (!(e instanceof Error)) return undefined;
  const m = OS_TEXT.exec(e.message);
  if (!m) return undefined;
  return `${m[2]}: permission denied (${
    m[1]
  }); check the permissions of the file and its folders (ls -l)`;
}
