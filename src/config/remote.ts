/**
 * The `[[remote]]` entries and the `[fetch]` table of `config.toml`: remote
 * sources of wallpapers (Wallhaven, Unsplash, Reddit, Bing, NASA APOD, RSS)
 * and how downloads run.
 *
 * @module
 */
import { REMOTE_KINDS, type RemoteKindName } from "./choices.ts";
import { type At, bool, duration, int, oneOf, type Reader, record, str } from "./_validate.ts";
import { ConfigError, ProblemCollector } from "./errors.ts";
import { formatByteSize, parseByteSize } from "./byte_size.ts";

/** One remote source. */
export interface RemoteConfig {
  /** Unique; also the folder name under `downloads/`. */
  name: string;
  kind: RemoteKindName;
  /** Search terms, subreddit, market (bing) or feed URL (rss). @default "" */
  query: string;
  /** The API's base URL. @default the kind's ({@linkcode REMOTE_DEFAULT_API}) */
  api: string;
  /** Environment variable holding the API key ("" for none). @default "" */
  api_key_env: string;
  /** File holding the API key ("" for none; `~` expands). @default "" */
  api_key_file: string;
  /** Download until this many never-shown images wait. @default 10 */
  keep_unseen: number;
  /** Bytes of disk kept for this remote. @default 1 GiB */
  quota: number;
  /** Largest file downloaded, in bytes. @default 50 MiB */
  max_file_size: number;
  /** Smallest width accepted, in pixels. @default 640 */
  min_width: number;
  /** Smallest height accepted, in pixels. @default 480 */
  min_height: number;
  /** Drop Wallhaven purity other than sfw and Reddit over_18 posts. @default true */
  sfw_only: boolean;
  /** @default true */
  enabled: boolean;
}

/** How downloads run. */
export interface FetchConfig {
  /** Seconds to wait for a server's response headers. @default 15 */
  connect_timeout: number;
  /** Seconds a body may send nothing. @default 30 */
  idle_timeout: number;
  /** Seconds one request may take in all. @default 600 */
  total_timeout: number;
  /** Bytes a second a body must average over each `idle_timeout` (0: no limit). @default 1024 */
  min_speed: number;
  /** Seconds between the daemon's top-up checks (at most the daemon's interval). @default 1800 */
  interval: number;
  /** Whether the daemon keeps enabled remotes topped up. @default true */
  background: boolean;
  /** Downloads running at once. @default 4 */
  concurrency: number;
}

/** Each kind's API base URL (`rss` reads the feed URL in `query` instead). */
export const REMOTE_DEFAULT_API: Readonly<Record<RemoteKindName, string>> = Object.freeze({
  wallhaven: "https://wallhaven.cc/api/v1",
  unsplash: "https://api.unsplash.com",
  reddit: "https://www.reddit.com",
  bing: "https://www.bing.com",
  apod: "https://api.nasa.gov",
  rss: "",
});

/** Defaults of a `[[remote]]` entry besides `name`, `kind` and `api`. */
export const REMOTE_DEFAULTS = Object.freeze({
  query: "",
  api_key_env: "",
  api_key_file: "",
  keep_unseen: 10,
  quota: 1024 ** 3,
  max_file_size: 50 * 1024 ** 2,
  min_width: 640,
  min_height: 480,
  sfw_only: true,
  enabled: true,
});

/** Defaults of `[fetch]`. */
export const FETCH_DEFAULTS: Readonly<FetchConfig> = Object.freeze({
  connect_timeout: 15,
  idle_timeout: 30,
  total_timeout: 600,
  min_speed: 1024,
  interval: 1800,
  background: true,
  concurrency: 4,
});

/** A remote's name: a safe folder name. */
export const REMOTE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Checks a remote's name.
 *
 * @returns An explanation when it is not a valid name, else null.
 */
export function remoteNameProblem(name: string): string | null {
  return REMOTE_NAME.test(name)
    ? null
    : `"${name}" is not a valid remote name: use 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit`;
}

function size(min: number, max: number): Reader<number> {
  return (v, at) => {
    let n: number;
    try {
      if (typeof v !== "number" && typeof v !== "string") throw new SyntaxError("type");
      n = parseByteSize(v);
    } catch {
      throw new ConfigError(
        at.file,
        at.key,
        `expected a size such as "50MiB" or "1GiB" (or a number of bytes), got ${
          JSON.stringify(v)
        }`,
      );
    }
    if (n < min || n > max) {
      throw new ConfigError(
        at.file,
        at.key,
        `must be between ${formatByteSize(min)} and ${formatByteSize(max)}, got ${
          formatByteSize(n)
        }`,
      );
    }
    return n;
  };
}

/**
 * Checks that a URL is an absolute http(s) URL without credentials.
 *
 * @returns An explanation when it is not, else null.
 */
export function httpUrlProblem(text: string): string | null {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return `"${text}" is not a URL; write it like https://example.com/path`;
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") {
    return `"${text}" is not an http(s) URL`;
  }
  if (u.username || u.password) {
    return `"${u.host}…" has a user name or password in it; use api_key_env or api_key_file`;
  }
  return null;
}

const entryReader = record<Omit<RemoteConfig, "kind"> & { kind: RemoteKindName | "" }>({
  name: str,
  kind: oneOf(REMOTE_KINDS),
  query: str,
  api: str,
  api_key_env: str,
  api_key_file: str,
  keep_unseen: int(0, 10000),
  quota: size(1024 ** 2, 2 ** 50),
  max_file_size: size(1024, 2 * 1024 ** 3),
  min_width: int(1, 100000),
  min_height: int(1, 100000),
  sfw_only: bool,
  enabled: bool,
}, { ...REMOTE_DEFAULTS, name: "", kind: "", api: "" });

/** Reads one `[[remote]]` entry, filling the kind's API and checking what the kind needs. */
export const remoteReader: Reader<RemoteConfig> = (v: unknown, at: At) => {
  const r = entryReader(v, at);
  const fail = (key: string, msg: string): never => {
    throw new ConfigError(at.file, `${at.key}.${key}`, msg);
  };
  if (!r.name) fail("name", "is required (it also names the folder under downloads/)");
  const bad = remoteNameProblem(r.name);
  if (bad) fail("name", bad);
  if (r.kind === "") {
    return fail("kind", `is required: one of ${REMOTE_KINDS.map((k) => `"${k}"`).join(", ")}`);
  }
  const kind = r.kind;
  const api = r.api || REMOTE_DEFAULT_API[kind];
  if (kind !== "rss") {
    const p = httpUrlProblem(api);
    if (p) fail("api", p);
  }
  if (kind === "rss") {
    if (!r.query) fail("query", "is required for rss: the feed's URL");
    const p = httpUrlProblem(r.query);
    if (p) fail("query", p);
  }
  if (kind === "reddit" && !r.query) {
    fail("query", 'is required for reddit: a subreddit such as "EarthPorn" or its URL');
  }
  if (kind === "apod" && r.query) {
    fail("query", "is not used by apod (NASA's picture of the day has no search); remove it");
  }
  if (kind === "bing" && r.query && !/^[a-z]{2}-[a-z]{2}$/i.test(r.query)) {
    fail("query", `expected a market such as "en-US", got "${r.query}"`);
  }
  if (r.api_key_env && r.api_key_file) {
    fail("api_key_file", "give api_key_env or api_key_file, not both");
  }
  return { ...r, kind, api };
};

/** Reads the `[[remote]]` list, checking that names are unique. */
export const remoteListReader: Reader<RemoteConfig[]> = (v, at) => {
  if (!Array.isArray(v)) {
    throw new ConfigError(at.file, at.key, "expected an array of tables ([[remote]])");
  }
  const seen = new Set<string>();
  const found = new ProblemCollector();
  const out = v.map((x, i) =>
    found.read(() => {
      const r = remoteReader(x, { file: at.file, key: `${at.key}[${i}]` });
      if (seen.has(r.name)) {
        throw new ConfigError(at.file, `${at.key}[${i}].name`, `"${r.name}" is used twice`);
      }
      seen.add(r.name);
      return r;
    })
  );
  found.throwAny();
  return out as RemoteConfig[];
};

/** Reads the `[fetch]` table. */
export const fetchReader: Reader<FetchConfig> = record<FetchConfig>({
  connect_timeout: positive,
  idle_timeout: positive,
  total_timeout: positive,
  min_speed: size(0, 1024 ** 3),
  interval: (v, at) => {
    const s = duration(v, at);
    if (s < 60) throw new ConfigError(at.file, at.key, "must be at least 1m");
    return s;
  },
  background: bool,
  concurrency: int(1, 16),
}, { ...FETCH_DEFAULTS });

function positive(v: unknown, at: At): number {
  const s = duration(v, at);
  if (s <= 0) throw new ConfigError(at.file, at.key, "must be more than 0s");
  return s;
}

/**
 * What to say of a remote whose `[[remote]]` entry says `enabled = false` (only the
 * file can enable it: `remote enable` would be undone by the next sync); else undefined.
 */
export function disabledInConfig(
  config: { file: string; remote: readonly RemoteConfig[] },
  name: string,
): string | undefined {
  return config.remote.some((r) => r.name === name && !r.enabled)
    ? `the remote "${name}" is disabled in ${config.file} ([[remote]] name = ${
      JSON.stringify(name)
    }, enabled = false); set enabled = true there`
    : undefined;
}
