/**
 * Where downloaded images come from and who made them (`remote_images`),
 * what must never be downloaded again (`remote_blocklist`) and the requests
 * a service asks for when its image is shown (`remote_pings`).
 *
 * @module
 */
import type { Database } from "./database.ts";
import { chunks, placeholders } from "./_chunk.ts";
import type { ImageFacts } from "./images.ts";
import type { ImageCredit } from "../remote/credit.ts";

/** A credit with what only the fetcher needs. */
export interface StoredCredit extends ImageCredit {
  image_id: number;
  /** A URL to request when the image is shown (Unsplash's download_location). */
  ping_url: string | null;
  downloaded_at: number;
}

const CREDIT_COLUMNS = "remote, kind, item_id, page_url, image_url, author, author_url, " +
  "title, licence";

/** The public part of a stored credit (what `--json` and templates show). */
export function plainCredit(c: ImageCredit): ImageCredit {
  return {
    remote: c.remote,
    kind: c.kind,
    item_id: c.item_id,
    page_url: c.page_url,
    image_url: c.image_url,
    author: c.author,
    author_url: c.author_url,
    title: c.title,
    licence: c.licence,
  };
}

/**
 * Indexes a downloaded file and its credit in one transaction. A row for the
 * path (from a concurrent scan) is reused.
 *
 * @returns The image id.
 */
export function saveDownload(
  db: Database,
  facts: ImageFacts & { content_hash: string },
  credit: ImageCredit & { ping_url: string | null },
  now: number,
): number {
  return db.transaction(() => {
    db.prepare(
      `INSERT INTO images(path, source_id, size, mtime, width, height, format, content_hash,
         indexed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(path) DO UPDATE SET source_id = excluded.source_id, size = excluded.size,
         mtime = excluded.mtime, width = excluded.width, height = excluded.height,
         format = excluded.format, content_hash = excluded.content_hash, missing_since = NULL`,
    ).run(
      facts.path,
      facts.source_id,
      facts.size,
      facts.mtime,
      facts.width,
      facts.height,
      facts.format,
      facts.content_hash,
      now,
    );
    const id = (db.prepare("SELECT id FROM images WHERE path = ?").get(facts.path) as {
      id: number;
    }).id;
    db.prepare(
      `INSERT OR REPLACE INTO remote_images(image_id, ${CREDIT_COLUMNS}, ping_url, downloaded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      credit.remote,
      credit.kind,
      credit.item_id,
      credit.page_url,
      credit.image_url,
      credit.author,
      credit.author_url,
      credit.title,
      credit.licence,
      credit.ping_url,
      now,
    );
    return id;
  });
}

/** The credit of an image, if it was downloaded. */
export function getCredit(db: Database, imageId: number): StoredCredit | undefined {
  return db.prepare("SELECT * FROM remote_images WHERE image_id = ?").get(imageId) as
    | StoredCredit
    | undefined;
}

/** The credits of many images (absent for images not downloaded). */
export function getCredits(db: Database, ids: readonly number[]): Map<number, StoredCredit> {
  const out = new Map<number, StoredCredit>();
  for (const part of chunks([...new Set(ids)])) {
    const rows = db.raw.prepare(
      `SELECT * FROM remote_images WHERE image_id IN (${placeholders(part.length)})`,
    ).all(...part) as unknown as StoredCredit[];
    for (const r of rows) out.set(r.image_id, r);
  }
  return out;
}

/** Blocklist keys: an image URL, a service's item id, or a content hash. */
export const blockKey = {
  url: (url: string) => `url:${url}`,
  item: (kind: string, id: string) => `item:${kind}:${id}`,
  hash: (sha256: string) => `hash:${sha256}`,
};

/** Adds keys to the blocklist (existing keys keep their first reason). */
export function blockKeys(
  db: Database,
  keys: readonly string[],
  reason: string,
  options: { remote?: string | null; imageId?: number | null; now?: number } = {},
): void {
  const { remote = null, imageId = null, now = Date.now() } = options;
  db.transaction(() => {
    for (const k of keys) {
      db.prepare(
        "INSERT OR IGNORE INTO remote_blocklist(key, reason, remote, image_id, at) VALUES (?, ?, ?, ?, ?)",
      ).run(k, reason, remote, imageId, now);
    }
  });
}

/**
 * Everything that must not be downloaded again: the URLs and item ids of
 * every downloaded image (whichever remote fetched it) and every blocked key.
 */
export function skipKeys(db: Database): Set<string> {
  const out = new Set<string>();
  for (
    const r of db.prepare("SELECT kind, image_url, item_id FROM remote_images")
      .iterate() as Iterable<{ kind: string; image_url: string; item_id: string }>
  ) {
    out.add(blockKey.url(r.image_url));
    out.add(blockKey.item(r.kind, r.item_id));
  }
  for (
    const r of db.prepare(
      "SELECT key FROM remote_blocklist WHERE key NOT LIKE 'hash:%'",
    ).iterate() as Iterable<{ key: string }>
  ) out.add(r.key);
  return out;
}

/**
 * Content hashes that must not be stored again: every indexed image with a
 * hash, and banned pictures.
 */
export function knownHashes(db: Database): Set<string> {
  const out = new Set<string>();
  for (
    const r of db.prepare(
      "SELECT content_hash AS h FROM images WHERE content_hash IS NOT NULL AND missing_since IS NULL",
    ).iterate() as Iterable<{ h: string }>
  ) out.add(r.h);
  for (
    const r of db.prepare(
      "SELECT substr(key, 6) AS h FROM remote_blocklist WHERE key LIKE 'hash:%'",
    ).iterate() as Iterable<{ h: string }>
  ) out.add(r.h);
  return out;
}

/** A queued request for a shown image. */
export interface PendingPing {
  id: number;
  remote: string;
  url: string;
  queued_at: number;
  attempts: number;
}

/** The pings waiting for a remote, oldest first. */
export function pendingPings(db: Database, remote: string, limit = 100): PendingPing[] {
  return db.prepare(
    "SELECT * FROM remote_pings WHERE remote = ? ORDER BY id LIMIT ?",
  ).all(remote, limit) as unknown as PendingPing[];
}

/** Removes pings that were sent. */
export function deletePings(db: Database, ids: readonly number[]): void {
  db.transaction(() => {
    for (const part of chunks(ids)) {
      db.raw.prepare(`DELETE FROM remote_pings WHERE id IN (${placeholders(part.length)})`)
        .run(...part);
    }
  });
}

/**
 * Counts a failed attempt; pings that failed `maxAttempts` times are dropped.
 *
 * @returns How many were dropped.
 */
export function failPings(db: Database, ids: readonly number[], maxAttempts = 5): number {
  let dropped = 0;
  db.transaction(() => {
    for (const part of chunks(ids)) {
      db.raw.prepare(
        `UPDATE remote_pings SET attempts = attempts + 1 WHERE id IN (${
          placeholders(part.length)
        })`,
      ).run(...part);
    }
    dropped = Number(
      db.prepare("DELETE FROM remote_pings WHERE attempts >= ?").run(maxAttempts).changes,
    );
  });
  return dropped;
}
