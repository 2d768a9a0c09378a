/**
 * HTTP GETs with the fetch worker's rules: only allowed hosts (every redirect
 * is followed by hand and checked), a timeout for the response headers, one
 * between body chunks and one for the whole request, and failures described
 * without the URL's query string (where keys may be).
 *
 * Requires `--allow-net` for the hosts.
 *
 * @module
 */
import type { FailureInfo, Timeouts } from "./protocol.ts";
import { displayUrl, hostAllowed, permissionHost } from "./hosts.ts";

/**
 * A user's timeout as a timer's delay: at most 2³¹ − 1 ms (24.8 days), past which a timer
 * fires at once. (src/timeout.ts's `timerMs`: the fetch worker's modules stay in this
 * folder, which a compiled varietal copies out for it.)
 */
const timerMs = (ms: number): number => Math.max(0, Math.min(ms, 2 ** 31 - 1));

/** A request that failed; `info` says how (for back-off decisions). */
export class FetchFailure extends Error {
  readonly info: FailureInfo;
  constructor(info: FailureInfo, options?: ErrorOptions) {
    super(info.message, options);
    this.name = "FetchFailure";
    this.info = info;
  }
}

/** Options for {@linkcode openGuarded}. */
export interface GuardOptions {
  /** `--allow-net`-style entries every hop must match. */
  allowed: ReadonlySet<string>;
  headers?: Record<string, string>;
  timeouts: Timeouts;
  userAgent: string;
  signal?: AbortSignal;
  /** @default 5 */
  maxRedirects?: number;
  /** @default Date.now */
  now?: () => number;
}

/** An open response whose body is read through the timeouts. */
export interface GuardedResponse extends Disposable {
  response: Response;
  /** The URL that answered (after redirects). */
  url: string;
  /** The body's chunks; throws a {@linkcode FetchFailure} on a timeout or a broken connection. */
  chunks(): AsyncGenerator<Uint8Array>;
  /** Stops the request and its timers. */
  close(): void;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Where a redirect leads: `location` resolved against the URL that answered.
 * A redirect from https to plain http is refused: the request, with its API
 * key in a header or the query, would cross the network in clear text.
 *
 * @throws {FetchFailure} For an invalid URL or a step down from https to http.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { redirectTarget } from "./guarded_fetch.ts";
 *
 * assert.equal(redirectTarget("https://a.example/x", "/y?p=1"), "https://a.example/y?p=1");
 * assert.throws(() => redirectTarget("https://a.example/x", "http://a.example/x"), /plain http/);
 * ```
 */
export function redirectTarget(current: string, location: string): string {
  let next: URL;
  try {
    next = new URL(location, current);
  } catch {
    throw new FetchFailure({ message: "refused a redirect to an invalid URL" });
  }
  if (new URL(current).protocol === "https:" && next.protocol === "http:") {
    throw new FetchFailure({
      message: `refused a redirect from https to plain http (${displayUrl(next.href)})`,
    });
  }
  return next.href;
}

/**
 * Opens a GET, following redirects only to allowed hosts.
 *
 * @throws {FetchFailure} On a host that is not allowed, a refused redirect,
 * a timeout or a network error. HTTP error statuses are returned, not thrown.
 */
export async function openGuarded(url: string, options: GuardOptions): Promise<GuardedResponse> {
  const { allowed, timeouts, userAgent, signal, maxRedirects = 5, now = Date.now } = options;
  const ac = new AbortController();
  let why = "";
  const stop = (reason: string) => {
    if (!why) why = reason;
    ac.abort(new DOMException(reason, "TimeoutError"));
  };
  const onAbort = () => stop("cancelled");
  signal?.addEventListener("abort", onAbort, { once: true });
  const total = setTimeout(
    () => stop(`took longer than ${seconds(timeouts.totalMs)} in all (total timeout)`),
    timerMs(timeouts.totalMs),
  );
  const cleanup = () => {
    clearTimeout(total);
    signal?.removeEventListener("abort", onAbort);
  };
  let current = url;
  try {
    for (let hop = 0;; hop++) {
      if (!hostAllowed(current, allowed)) {
        const host = permissionHost(current) ?? displayUrl(current);
        throw new FetchFailure({
          message: hop === 0
            ? `${host} is not an allowed host for this remote`
            : `refused a redirect to ${host}, which is not an allowed host for this remote`,
        });
      }
      const connect = setTimeout(
        () => stop(`no answer within ${seconds(timeouts.connectMs)} (connect timeout)`),
        timerMs(timeouts.connectMs),
      );
      let response: Response;
      try {
        response = await fetch(current, {
          redirect: "manual",
          headers: { "User-Agent": userAgent, ...options.headers },
          signal: ac.signal,
        });
      } catch (e) {
        throw failure(e, why, current);
      } finally {
        clearTimeout(connect);
      }
      if (REDIRECTS.has(response.status)) {
        const location = response.headers.get("location");
        await response.body?.cancel().catch(() => {});
        if (!location) {
          throw new FetchFailure({ message: `redirect ${response.status} without a Location` });
        }
        if (hop >= maxRedirects) {
          throw new FetchFailure({ message: `more than ${maxRedirects} redirects` });
        }
        current = redirectTarget(current, location);
        continue;
      }
      const res = response;
      let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
      const close = () => {
        cleanup();
        ac.abort(new DOMException("closed", "AbortError"));
        reader?.cancel().catch(() => {});
        if (!reader) res.body?.cancel().catch(() => {});
      };
      const finalUrl = current;
      return {
        response: res,
        url: finalUrl,
        async *chunks() {
          if (!res.body) return;
          reader = res.body.getReader();
          // A trickle that never stops for idleMs is dropped once a whole idleMs
          // stretch brought fewer than minBytesPerSec a second (curl's --speed-limit).
          const floor = (timeouts.minBytesPerSec ?? 0) * timeouts.idleMs / 1000;
          let stretchStart = now();
          let stretchBytes = 0;
          for (;;) {
            const idle = setTimeout(
              () => stop(`no data for ${seconds(timeouts.idleMs)} (idle timeout)`),
              timerMs(timeouts.idleMs),
            );
            let r: ReadableStreamReadResult<Uint8Array>;
            try {
              r = await reader.read();
            } catch (e) {
              throw failure(e, why, finalUrl, true);
            } finally {
              clearTimeout(idle);
            }
            if (r.done) return;
            stretchBytes += r.value.byteLength;
            const t = now();
            if (floor > 0 && t - stretchStart >= timeouts.idleMs) {
              if (stretchBytes < floor) {
                stop(
                  `slower than ${timeouts.minBytesPerSec} bytes/s for ${
                    seconds(timeouts.idleMs)
                  } (min_speed)`,
                );
                throw failure(null, why, finalUrl, true);
              }
              stretchStart = t;
              stretchBytes = 0;
            }
            yield r.value;
          }
        },
        close,
        [Symbol.dispose]: close,
      };
    }
  } catch (e) {
    cleanup();
    throw e;
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}

/** Turns a fetch error into a failure whose message holds no URL query or key. */
function failure(e: unknown, why: string, url: string, body = false): FetchFailure {
  if (e instanceof FetchFailure) return e;
  if (why) return new FetchFailure({ message: why, transient: why !== "cancelled" }, { cause: e });
  const name = (e as Error)?.name;
  if (name === "NotCapable" || name === "PermissionDenied") {
    return new FetchFailure({
      message: `no network permission for ${permissionHost(url) ?? "this host"}`,
    }, { cause: e });
  }
  return new FetchFailure({
    message: body
      ? "the connection broke while the body was arriving (truncated)"
      : `cannot connect to ${permissionHost(url) ?? displayUrl(url)} (${
        scrub(String((e as Error)?.message ?? e))
      })`,
    transient: true,
  }, { cause: e });
}

/** Removes URLs from an error text (they may hold keys) and keeps it short. */
export function scrub(message: string): string {
  return message.replace(/\bhttps?:\/\/[^\s)]+/g, (u) => displayUrl(u)).slice(0, 300);
}

/**
 * When a server says to come back, from `Retry-After` (seconds or a date) or
 * rate-limit headers at zero (`X-RateLimit-Remaining` with
 * `X-RateLimit-Reset` as seconds from now or an epoch time, or the IETF
 * `RateLimit-Remaining`/`RateLimit-Reset`).
 *
 * @returns Milliseconds since the epoch, or null when the headers say nothing.
 */
export function retryAt(headers: Headers, now: number): number | null {
  const cap = (t: number) => Math.min(t, now + 7 * 86_400_000);
  const after = headers.get("retry-after")?.trim();
  if (after) {
    if (/^\d+(\.\d+)?$/.test(after)) return cap(now + Number(after) * 1000);
    const d = Date.parse(after);
    if (!Number.isNaN(d)) return cap(Math.max(now, d));
  }
  for (const prefix of ["x-ratelimit-", "ratelimit-"]) {
    const remaining = Number(headers.get(`${prefix}remaining`));
    const reset = Number(headers.get(`${prefix}reset`));
    if (headers.has(`${prefix}remaining`) && remaining < 1 && Number.isFinite(reset) && reset > 0) {
      return cap(reset > 1e9 ? reset * 1000 : now + reset * 1000);
    }
  }
  return null;
}

/** A failure for an HTTP status other than 200. */
export function statusFailure(res: Response, now: number): FetchFailure {
  const s = res.status;
  const at = retryAt(res.headers, now);
  if (s === 429) {
    return new FetchFailure({
      message: "the server says too many requests (429)",
      status: s,
      rateLimited: true,
      retryAt: at,
      transient: true,
    });
  }
  if (s === 401 || s === 403) {
    return new FetchFailure({
      message: `the server refused access (${s}); check the API key (api_key_env / api_key_file)`,
      status: s,
      rateLimited: at !== null,
      retryAt: at,
    });
  }
  if (s === 404 || s === 410) {
    return new FetchFailure({
      message: `not found (${s}); check the remote's query (and api, if set)`,
      status: s,
    });
  }
  if (s >= 500) {
    return new FetchFailure({
      message: `the server failed (${s})`,
      status: s,
      transient: true,
      retryAt: at,
    });
  }
  return new FetchFailure({ message: `unexpected HTTP status ${s}`, status: s });
}
