/**
 * Deno's refusals (`Deno.errors.NotCapable`) and the system's (a file's
 * permissions, a full disk, a read-only file system, a file where a folder
 * should be) in words for varietal's users. Deno's own text ("run again
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

/**
 * A one-line explanation of the system refusing a file (its permissions, as
 * `chmod 000` makes; a full disk or quota, a read-only file system, a file
 * where a folder should be, a loop of symbolic links), naming the file first
 * and saying what to do, or undefined for any other error.
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
  const r = osRefusal(e);
  return r?.path ? `${r.path}: ${r.reason} (${r.op}); ${r.hint}` : undefined;
}

/**
 * The system's refusal of a file without its path: what happened and what
 * to do (for a message that names the file itself), or undefined for any
 * other error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { osErrorCause } from "./not_capable.ts";
 *
 * const e = new Error("Read-only file system (os error 30): open '/c/kitty.conf'");
 * assert.equal(
 *   osErrorCause(e),
 *   "read-only file system; that file system is mounted read-only: choose a writable place or remount it",
 * );
 * assert.equal(osErrorCause(new Error("other")), undefined);
 * // A call that names no path (making a temporary file) is recognised too.
 * assert.equal(
 *   osErrorCause(new Error("Read-only file system (os error 30): tmpfile")),
 *   "read-only file system; that file system is mounted read-only: choose a writable place or remount it",
 * );
 * ```
 */
export function osErrorCause(e: unknown): string | undefined {
  const r = osRefusal(e);
  return r && `${r.reason}; ${r.hint}`;
}

/** What to do about each refusal of a file by the system, by Deno's text for it. */
const OS_HINTS: Record<string, string> = {
  "Permission denied": "check the permissions of the file and its folders (ls -l)",
  "Not a directory":
    "a part of the path is a file, not a folder: check the path (and the XDG_* variable it comes from)",
  "No space left on device": "the disk is full: free some space and try again",
  "Read-only file system":
    "that file system is mounted read-only: choose a writable place or remount it",
  "Disk quota exceeded": "your disk quota is used up: free some space and try again",
  "Too many levels of symbolic links": "a symbolic link on the path loops: check it with 'ls -l'",
};

/**
 * Deno's text for them: "Read-only file system (os error 30): open '/c/a'" (a rename adds
 * "-> '…'"; a few calls, such as making a temporary file, name no path: "…: tmpfile").
 */
const OS_TEXT = new RegExp(
  `^(${Object.keys(OS_HINTS).join("|")}) \\(os error \\d+\\): (\\w+)(?: '(.*?)')?(?: -> '.*')?$`,
);

/**
 * The parts of a refusal of a file by the system, from Deno's text (also of
 * an error that crossed from a worker thread, which keeps the text but not
 * the class), or undefined for any other error.
 */
function osRefusal(
  e: unknown,
): { path: string; op: string; reason: string; hint: string } | undefined {
  if (!(e instanceof Error)) return undefined;
  const m = OS_TEXT.exec(e.message);
  if (!m) return undefined;
  const [, reason, op, path = ""] = m;
  return { path, op, reason: reason.toLowerCase(), hint: OS_HINTS[reason] };
}

/**
 * Why a file could not be used, for a message that names the file itself: what
 * Deno's permissions or the system refused and what to do, else the error's
 * own text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileErrorReason } from "./not_capable.ts";
 *
 * const denied = new Deno.errors.PermissionDenied("Permission denied (os error 13): open '/x'");
 * assert.equal(
 *   fileErrorReason(denied),
 *   "permission denied; check the permissions of the file and its folders (ls -l)",
 * );
 * assert.equal(fileErrorReason(new Error("odd")), "odd");
 * ```
 */
export function fileErrorReason(e: unknown): string {
  return notCapableMessage(e) ?? osErrorCause(e) ?? (e instanceof Error ? e.message : String(e));
}
