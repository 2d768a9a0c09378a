/**
 * What varietal tells the fetch worker (one JSON document on its stdin) and
 * what the worker reports back (one JSON object per line on its stdout).
 *
 * The worker is a separate Deno process whose network permission is limited
 * to the hosts the job names (see `spawn_worker.ts`); everything it may need
 * comes in the job, so this module and everything the worker imports stay
 * inside `src/remote/` and use no npm packages.
 *
 * @module
 */

/** A remote as the worker sees it, with its API key (never written anywhere). */
export interface RemoteSpec {
  name: string;
  /** One of the kinds in `kinds/registry.ts`. */
  kind: string;
  query: string;
  /** The API's base URL (the kind's default filled in). */
  api: string;
  /** The API key, or null. */
  key: string | null;
  sfwOnly: boolean;
  minWidth: number;
  minHeight: number;
}

/** One image a service lists. */
export interface RemoteItem {
  /** The service's id (not trusted as a file name). */
  id: string;
  /** The image file's absolute URL. */
  imageUrl: string;
  /** The page to credit. */
  pageUrl: string | null;
  author: string | null;
  authorUrl: string | null;
  /** Title or description. */
  title: string | null;
  licence: string | null;
  /** Size as listed, when the service says (checked again on the file). */
  width: number | null;
  height: number | null;
  /** Bytes as listed, when the service says. */
  fileSize: number | null;
  /** A URL to request when the image is shown (Unsplash's download_location). */
  pingUrl: string | null;
}

/** Network timeouts, in milliseconds. */
export interface Timeouts {
  /** Until the response headers arrive. */
  connectMs: number;
  /** Between two chunks of a body. */
  idleMs: number;
  /** For one whole request. */
  totalMs: number;
  /**
   * The slowest body accepted: fewer bytes than this per second, averaged
   * over each `idleMs` stretch, drops it (0 or absent: no limit).
   */
  minBytesPerSec?: number;
}

/** One remote in a listing job. */
export interface ListTask {
  spec: RemoteSpec;
  /** How many new images are wanted (0: only send pings). */
  want: number;
  /** Keys (`url:…`, `item:kind:id`) of images not to list again. */
  skip: string[];
  /** Pings to send first (their ids come back in `pinged`). */
  pings: { id: number; url: string }[];
  /** Hosts (`host` or `host:port`) this remote's requests may reach. */
  allowedHosts: string[];
}

/** Phase 1: ask each remote's API what it has (and send pending pings). */
export interface ListJob {
  phase: "list";
  userAgent: string;
  timeouts: Timeouts;
  /** Largest API response read, in bytes. */
  maxBodyBytes: number;
  /** Largest number of API pages read per remote. */
  maxPages: number;
  tasks: ListTask[];
}

/** One remote in a download job. */
export interface DownloadTask {
  name: string;
  kind: string;
  /** The remote's downloads folder. */
  dir: string;
  /** Stop after this many files. */
  want: number;
  /** Largest file, in bytes. */
  maxFileSize: number;
  /** Bytes this remote may still add before its quota is reached. */
  budget: number;
  minWidth: number;
  minHeight: number;
  /** Largest width × height accepted. */
  maxPixels: number;
  /** Candidates in order of preference (more than `want`, as spares). */
  items: RemoteItem[];
  /** Hosts (`host` or `host:port`) this remote's downloads may reach (redirects included). */
  allowedHosts: string[];
}

/** Phase 2: download, check and store images. */
export interface DownloadJob {
  phase: "download";
  userAgent: string;
  timeouts: Timeouts;
  /** Downloads running at once (over all remotes). */
  concurrency: number;
  /** Where partial files are written before they are checked (inside the downloads folder). */
  partialDir: string;
  /** SHA-256 (hex) of pictures already stored or banned: such a download is discarded. */
  knownHashes: string[];
  tasks: DownloadTask[];
}

/** A job. */
export type WorkerJob = ListJob | DownloadJob;

/** What went wrong talking to a remote. */
export interface FailureInfo {
  message: string;
  /** The HTTP status, when a server answered. */
  status?: number;
  /** The server asked us to slow down (429, or a rate-limit header at zero). */
  rateLimited?: boolean;
  /** Milliseconds since the epoch the server named for the next try. */
  retryAt?: number | null;
  /** A transient failure (timeout, 5xx, network): worth a back-off. */
  transient?: boolean;
}

/** A line the worker writes. */
export type WorkerEvent =
  | {
    type: "listing";
    remote: string;
    items: RemoteItem[];
    notes: string[];
    /** Listed items left out as already downloaded or blocked (not in `items`). */
    known?: number;
  }
  | ({ type: "failure"; remote: string } & FailureInfo)
  | { type: "limit"; remote: string; retryAt: number }
  | { type: "pinged"; remote: string; ids: number[] }
  | { type: "ping_failed"; remote: string; ids: number[]; message: string }
  | {
    type: "file";
    remote: string;
    item: RemoteItem;
    /** The stored file (inside the remote's folder). */
    path: string;
    bytes: number;
    width: number;
    height: number;
    format: "jpg" | "png" | "webp";
    sha256: string;
  }
  | {
    type: "rejected";
    remote: string;
    item: RemoteItem;
    reason: string;
    /** The file itself is unusable (not an image, too small): do not try it again. */
    permanent: boolean;
    /** Refused because the remote's quota is reached (the remote stops). */
    quota?: boolean;
  }
  | { type: "duplicate"; remote: string; item: RemoteItem; sha256: string }
  | { type: "done"; remote: string; added: number; note?: string };
