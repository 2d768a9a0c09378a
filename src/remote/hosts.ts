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

/**
 * Whether a remote may download an image from this URL. A feed may name any
 * host, but not one on this machine or the local network (loopback, private
 * and link-local addresses, `localhost`, `.local`/`.lan`/`.home.arpa`/
 * `.internal` names and names without a dot) unless the feed itself is on
 * one: a feed on the internet must not make varietal probe the router.
 */
export function imageHostAllowed(kind: RemoteKind, spec: RemoteSpec, url: string): boolean {
  const h = permissionHost(url);
  if (!h) return false;
  const api = apiHost(kind, spec);
  if (h === api) return true;
  const u = new URL(url);
  if (kind.imageHosts === "feed") {
    return !localHost(u.hostname) || (api !== null && localHost(new URL(`http://${api}`).hostname));
  }
  return u.port === "" && kind.imageHosts.includes(u.hostname);
}

/**
 * Whether a URL's host name (as `URL.hostname` gives it: lower case, IPv4 in
 * dotted form, IPv6 in brackets) is this machine or the local network.
 */
export function localHost(hostname: string): boolean {
  const name = hostname.replace(/\.$/, "");
  if (name.startsWith("[")) return localIpv6(name.slice(1, -1));
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(name);
  if (v4) return localIpv4(v4.slice(1).map(Number));
  return !name.includes(".") || LOCAL_SUFFIX.test(name);
}

const LOCAL_SUFFIX = /\.(?:localhost|local|lan|home\.arpa|internal|intranet)$/;

function localIpv4([a, b]: number[]): boolean {
  return a === 0 || a === 10 || a === 127 || a >= 224 || // this network, private, loopback, multicast
    (a === 100 && b >= 64 && b < 128) || // shared (carrier-grade NAT)
    (a === 169 && b === 254) || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168);
}

function localIpv6(addr: string): boolean {
  const a = addr.toLowerCase();
  if (a === "::" || a === "::1") return true;
  // An IPv4 address written as IPv6 (::ffff:7f00:1, which URL makes of ::ffff:127.0.0.1).
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(a);
  if (mapped) {
    const hi = parseInt(mapped[1], 16);
    const lo = parseInt(mapped[2], 16);
    return localIpv4([hi >> 8, hi & 255, lo >> 8, lo & 255]);
  }
  const first = parseInt(a.split(":")[0] || "0", 16);
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80; // unique local, link-local
}

/**
 * A URL for messages: scheme, host and path, never the query string (where
 * some services take their key) nor credentials; long paths are shortened.
 */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    const path = u.pathname.length > 80 ? `${u.pathname.slice(0, 77)}…` : u.pathname;
    // A URL without a host (data:, mailto:) is its scheme and the start of its path.
    return u.host || u.protocol === "file:"
      ? `${u.protocol}//${u.host}${path}`
      : `${u.protocol}${path}`;
  } catch {
    return "(invalid URL)";
  }
}
