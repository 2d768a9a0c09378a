/**
 * Which hosts a remote may reach: its API's host, and for its images the
 * hosts its kind documents (or, for feeds, any host the feed names). Hosts
 * are written the way Deno's `--allow-net` takes them: a name (any port) or
 * `name:port` when the URL names a port.
 *
 * @module
 */
import type { RemoteKind } from "./kinds/_kind.ts";
import type { RemoteSpec } from "./protocol.ts";

const HOSTNAME =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,62})?\.)*[a-z0-9](?:[a-z0-9-]{0,62})?$|^\[[0-9a-f:.]+\]$/;

/**
 * A URL's host as an `--allow-net` entry, or null when it is not a plain
 * http(s) host name or address (nothing odd reaches the flag).
 */
export function permissionHost(url: string | URL): string | null {
  let u: URL;
  try {
    u = typeof url === "string" ? new URL(url) : url;
  } catch {
    return null;
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return null;
  if (!HOSTNAME.test(u.hostname) || u.hostname.length > 253) return null;
  return u.port ? `${u.hostname}:${u.port}` : u.hostname;
}

/** Whether a URL's host is in a set of `--allow-net` entries. */
export function hostAllowed(url: string | URL, allowed: ReadonlySet<string>): boolean {
  const h = permissionHost(url);
  if (!h) return false;
  const u = typeof url === "string" ? new URL(url) : url;
  return allowed.has(h) || allowed.has(u.hostname);
}

/** The API host of a remote (the host of its listing URL). */
export function apiHost(kind: RemoteKind, spec: RemoteSpec): string | null {
  return permissionHost(kind.listingUrl(spec));
}

/** Whether a remote may download an image from this URL. */
export function imageHostAllowed(kind: RemoteKind, spec: RemoteSpec, url: string): boolean {
  const h = permissionHost(url);
  if (!h) return false;
  if (kind.imageHosts === "feed" || h === apiHost(kind, spec)) return true;
  const u = new URL(url);
  return u.port === "" && kind.imageHosts.includes(u.hostname);
}

/**
 * A URL for messages: scheme, host and path, never the query string (where
 * some services take their key) nor credentials; long paths are shortened.
 */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    const path = u.pathname.length > 80 ? `${u.pathname.slice(0, 77)}…` : u.pathname;
    return `${u.protocol}//${u.host}${path}`;
  } catch {
    return "(invalid URL)";
  }
}
