/**
 * What one theme apply reports ({@linkcode ThemeReport}), shared by the
 * engine that makes it and the pipeline and CLI that read it, and how each
 * hook in it ended ({@linkcode hookStatus}). Types and pure helpers only.
 *
 * @module
 */
import type { HookResult } from "./hook.ts";
import type { LightDark } from "./mode.ts";

/**
 * The reason given for a hook that did not run because its template failed
 * (that failure is already in {@linkcode ThemeReport.failed}).
 */
export const HOOK_SKIPPED_REASON = "not run: the template failed";

/** How one hook in a report ended: a {@linkcode HookResult} with the template's name. */
export interface HookReport extends HookResult {
  /** The name of the template the hook belongs to. */
  name: string;
}

/**
 * How a hook ended:
 * - `ok`: it ran and exited 0 in time;
 * - `failed`: it ran and failed (non-zero exit, timeout, cannot start, cancelled);
 * - `missing`: its program is not installed (a warning, not a failure);
 * - `skipped`: it did not run because its template failed.
 */
export type HookStatus = "ok" | "failed" | "missing" | "skipped";

/** What one apply did. */
export interface ThemeReport {
  /** Targets written. */
  written: { name: string; target: string }[];
  /** Templates that failed, with the reason (their targets are untouched). */
  failed: { name: string; reason: string }[];
  /** How each hook run after the writes ended (see {@linkcode hookStatus}). */
  hooks: HookReport[];
  /** Terminals recoloured (when `theme.terminal_sequences` is on). */
  terminals?: string[];
  /** The light/dark mode matugen templates were rendered in, and where it came from. */
  mode?: { mode: LightDark; from: string };
  /** Wall-clock milliseconds. */
  ms: number;
}

/**
 * The status of one hook of a report.
 *
 * @param h A hook entry of {@linkcode ThemeReport.hooks}.
 * @returns Whether it succeeded, failed, was not installed or did not run.
 * @example Ran, failed, or skipped because its program is missing
 * ```ts
 * import assert from "node:assert/strict";
 * import { HOOK_SKIPPED_REASON, hookStatus } from "./theme_report.ts";
 *
 * assert.equal(hookStatus({ name: "kitty", ok: true }), "ok");
 * assert.equal(hookStatus({ name: "bar", ok: false, reason: "exit code 1" }), "failed");
 * assert.equal(hookStatus({ name: "bar", ok: false, reason: HOOK_SKIPPED_REASON }), "skipped");
 * ```
 */
export function hookStatus(h: HookReport): HookStatus {
  if (h.ok) return "ok";
  if (h.missing) return "missing";
  return h.reason === HOOK_SKIPPED_REASON ? "skipped" : "failed";
}

/** A failed template or hook, with the reason. */
export type ThemeFailure = ThemeReport["failed"][number];

/**
 * "name: reason" of a failed template or hook.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeFailure } from "./theme_report.ts";
 *
 * assert.equal(describeFailure({ name: "kitty", reason: "disk full" }), "kitty: disk full");
 * assert.equal(describeFailure({ name: "kitty", reason: "" }), "kitty");
 * ```
 */
export function describeFailure(f: ThemeFailure): string {
  return [f.name, f.reason].filter(Boolean).join(": ");
}

/**
 * One line per failure, except that targets of one folder that failed for
 * the same reason (a full disk, a read-only cache) share a line (pure).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { failureLines } from "./theme_report.ts";
 *
 * const why = "read-only file system; remount it";
 * assert.deepEqual(
 *   failureLines(["a.conf", "b.css", "c.ini"].map((n) => ({
 *     name: `builtin:${n}`,
 *     reason: `cannot write /c/theme/${n}: ${why}`,
 *   }))),
 *   [`cannot write 3 targets in /c/theme (a.conf, b.css, c.ini): ${why}`],
 * );
 * ```
 */
export function failureLines(failed: readonly ThemeFailure[]): string[] {
  // Each line is a failure's own, or the first of a group of targets sharing folder and reason.
  const groups = new Map<string, { dir: string; cause: string; names: string[] }>();
  const order: (ThemeFailure | { key: string })[] = [];
  for (const f of failed) {
    const m = /^cannot write (\/.*)\/([^/]+?): (.*)$/s.exec(f.reason);
    const key = m ? `${m[1]}\0${m[3]}` : "";
    const group = m ? groups.get(key) : undefined;
    if (group) group.names.push(m![2]);
    else if (m) {
      groups.set(key, { dir: m[1], cause: m[3], names: [m[2]] });
      order.push({ key, ...f });
    } else order.push(f);
  }
  return order.map((f) => {
    const g = "key" in f ? groups.get(f.key)! : undefined;
    if (!g || g.names.length === 1) return describeFailure(f as ThemeFailure);
    const shown = g.names.length > 4 ? [...g.names.slice(0, 3), "…"] : g.names;
    return `cannot write ${g.names.length} targets in ${g.dir} (${shown.join(", ")}): ${g.cause}`;
  });
}
