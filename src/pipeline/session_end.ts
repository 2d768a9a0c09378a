/**
 * The end of the graphical session a daemon was started in. A compositor
 * that exits (a logout) removes its Wayland socket, an X server its
 * `/tmp/.X11-unix/X<n>`; a daemon left running (`exec varietal daemon`, and
 * logind keeping user processes) would otherwise go on failing against the
 * dead session and hold the lock the next login's daemon needs.
 *
 * @module
 */

/**
 * The socket of the session named by the environment: `$WAYLAND_DISPLAY`
 * (relative to `$XDG_RUNTIME_DIR` unless absolute), else a local
 * `$DISPLAY` (`:N` or `:N.S`); null when neither names one (pure).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sessionSocket } from "./session_end.ts";
 *
 * const env = (vars: Record<string, string>) => (k: string) => vars[k];
 * assert.equal(
 *   sessionSocket(env({ WAYLAND_DISPLAY: "wayland-1", XDG_RUNTIME_DIR: "/run/user/1000" })),
 *   "/run/user/1000/wayland-1",
 * );
 * assert.equal(sessionSocket(env({ DISPLAY: ":0.0" })), "/tmp/.X11-unix/X0");
 * assert.equal(sessionSocket(env({ DISPLAY: "host:10" })), null); // remote: nothing to watch
 * assert.equal(sessionSocket(env({})), null);
 * ```
 */
export function sessionSocket(env: (name: string) => string | undefined): string | null {
  const wayland = env("WAYLAND_DISPLAY");
  if (wayland) {
    if (wayland.startsWith("/")) return wayland;
    const runtime = env("XDG_RUNTIME_DIR");
    return runtime?.startsWith("/") ? `${runtime}/${wayland}` : null;
  }
  const x = /^:(\d+)(\.\d+)?$/.exec(env("DISPLAY") ?? "");
  return x ? `/tmp/.X11-unix/X${x[1]}` : null;
}

/** A running {@linkcode watchSession}. */
export interface SessionWatch {
  stop(): void;
}

/**
 * Calls `onEnd` once when `socket`, there at the start, has been gone at two
 * checks in a row (`everyMs` apart: a compositor restarting in place is not an
 * end). A socket missing at the start is not watched.
 */
export function watchSession(
  socket: string | null,
  onEnd: (socket: string) => void,
  everyMs = 5_000,
  exists: (path: string) => boolean = socketExists,
): SessionWatch {
  if (socket === null || !exists(socket)) return { stop: () => {} };
  let misses = 0;
  const timer = setInterval(() => {
    misses = exists(socket) ? 0 : misses + 1;
    if (misses < 2) return;
    clearInterval(timer);
    onEnd(socket);
  }, everyMs);
  Deno.unrefTimer(timer);
  return { stop: () => clearInterval(timer) };
}

function socketExists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch (e) {
    // Only a missing file ends the session; anything else (a permission) says nothing.
    return !(e instanceof Deno.errors.NotFound);
  }
}
