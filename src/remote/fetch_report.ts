/**
 * What a fetch reports, and indexing each file the fetch worker stored.
 *
 * @module
 */
import type { Database } from "../db/database.ts";
import { saveDownload } from "../db/attribution.ts";
import type { ImageCredit } from "./credit.ts";
import type { RemoteRow } from "../db/remotes.ts";
import { probeImage } from "../scan/probe.ts";
import type { WorkerEvent } from "./protocol.ts";

/** A file a fetch added. */
export interface FetchedFile {
  image_id: number;
  path: string;
  bytes: number;
  width: number;
  height: number;
  format: string;
  credit: ImageCredit;
}

/** How one remote fared. */
export interface RemoteOutcome {
  name: string;
  /** Images wanted this time. */
  wanted: number;
  added: number;
  /** Shown images deleted to stay within the quota. */
  evicted: number;
  /** ok: as wanted (or nothing to do); partial: fewer; skipped: not contacted; failed. */
  status: "ok" | "partial" | "skipped" | "failed";
  /** Why, when not ok. */
  note?: string;
  /** Skipped because it is backing off until then (ms since the epoch). */
  backoff_until?: number;
}

/** A problem with one remote or one of its images. */
export interface FetchWarning {
  remote: string;
  message: string;
}

/** What a fetch did. */
export interface FetchReport {
  added: FetchedFile[];
  remotes: RemoteOutcome[];
  /** Problems: a remote that failed or was skipped, an image that was refused. */
  warnings: FetchWarning[];
  /** For information: what a listing left out and why (sfw_only, videos, …). */
  notes: FetchWarning[];
}

/**
 * Indexes a file the worker stored, with its credit, as a scan would (EXIF
 * rotation included).
 *
 * @throws {Error} When the file is not directly inside the remote's folder or cannot be read.
 */
export function indexFile(
  db: Database,
  row: Pick<RemoteRow, "path" | "name" | "kind" | "source_id">,
  e: Extract<WorkerEvent, { type: "file" }>,
  now: number,
): FetchedFile {
  const root = row.path + "/";
  const name = e.path.slice(root.length);
  if (!e.path.startsWith(root) || name.includes("/") || name.startsWith(".")) {
    throw new Error(`the fetcher reported a file outside ${row.path}`);
  }
  const st = Deno.statSync(e.path);
  // Index what a scan would index (EXIF rotation included).
  const probe = probeImage(e.path, st.size);
  const credit: ImageCredit = {
    remote: row.name,
    kind: row.kind,
    item_id: e.item.id.slice(0, 500),
    page_url: e.item.pageUrl,
    image_url: e.item.imageUrl,
    author: e.item.author,
    author_url: e.item.authorUrl,
    title: e.item.title,
    licence: e.item.licence,
  };
  const id = saveDownload(
    db,
    {
      path: e.path,
      source_id: row.source_id,
      size: st.size,
      mtime: st.mtime?.getTime() ?? now,
      width: probe.width,
      height: probe.height,
      format: probe.format,
      content_hash: e.sha256,
    },
    { ...credit, ping_url: e.item.pingUrl },
    now,
  );
  return {
    image_id: id,
    path: e.path,
    bytes: st.size,
    width: probe.width,
    height: probe.height,
    format: probe.format,
    credit,
  };
}
