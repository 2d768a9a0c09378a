/**
 * The `remotes` table: settings and fetch state of remote sources. Each
 * remote is also a row of `sources` (kind 'remote', its downloads folder as
 * path), so selection, statistics, favourites and bans treat it like a folder;
 * its `enabled` flag is the source's. API keys are never stored here, only
 * the name of the variable or file that holds one.
 *
 * @module
 */
import type { RemoteKindName } from "../config/choices.ts";
import type { RemoteConfig } from "../config/remote.ts";
import type { Database } from "./database.ts";
import { mergeTwin } from "./sources.ts";

/** A remote's settings as stored (the config's fields, without `enabled`). */
export type RemoteSettings = Omit<RemoteConfig, "enabled">;

/** A row of `remotes` joined with its source. */
export interface RemoteRow extends RemoteSettings {
  source_id: number;
  /** The downloads folder (the source's path). */
  path: string;
  enabled: boolean;
  /** Whether the entry comes from config.toml (re-synced from it). */
  from_config: boolean;
  /** Milliseconds since the epoch before which the remote is not contacted. */
  backoff_until: number | null;
  /** Failures in a row (grows the back-off). */
  failures: number;
  last_error: string | null;
  last_fetch_at: number | null;
  added_at: number;
}

interface Raw {
  source_id: number;
  path: string;
  enabled: number;
  name: string;
  kind: string;
  query: string;
  api: string;
  api_key_env: string;
  api_key_file: string;
  keep_unseen: number;
  quota: number;
  max_file_size: number;
  min_width: number;
  min_height: number;
  sfw_only: number;
  from_config: number;
  backoff_until: number | null;
  failures: number;
  last_error: string | null;
  last_fetch_at: number | null;
  added_at: number;
}

const SELECT = `SELECT r.*, s.path AS path, s.enabled AS enabled
  FROM remotes r JOIN sources s ON s.id = r.source_id`;

function row(r: Raw): RemoteRow {
  return {
    ...r,
    kind: r.kind as RemoteKindName,
    enabled: r.enabled === 1,
    sfw_only: r.sfw_only === 1,
    from_config: r.from_config === FROM_CONFIG || r.from_config === ADOPTED ||
      r.from_config === CONFIG_OFF,
  };
}

// `from_config`: 0 the user's own (`remote add`), FROM_CONFIG a `[[remote]]` entry's, ADOPTED
// the user's own that an entry names too, DROPPED an entry's whose entry was deleted (disabled),
// CONFIG_OFF an entry's that says `enabled = false` (enabled again when it says true; a
// `remote disable` of an entry's remote lasts).
const FROM_CONFIG = 1;
const ADOPTED = 2;
const DROPPED = 3;
const CONFIG_OFF = 4;

/**
 * When the remote may be contacted again, if it is backing off: its back-off's end, or,
 * when the failure is dated after `now` (by a clock that was fast since set right), the
 * back-off's length counted from `now`, not its end in that future.
 *
 * @example A five-minute back-off set by a clock two hours fast
 * ```ts
 * import assert from "node:assert/strict";
 * import { backoffEnd } from "./remotes.ts";
 *
 * const now = 1_000_000_000_000, MIN = 60_000;
 * const fast = { last_fetch_at: now + 120 * MIN, backoff_until: now + 125 * MIN };
 * assert.equal(backoffEnd(fast, now), now + 5 * MIN);
 * assert.equal(backoffEnd({ last_fetch_at: now, backoff_until: now + 5 * MIN }, now), now + 5 * MIN);
 * assert.equal(backoffEnd({ last_fetch_at: now, backoff_until: null }, now), null);
 * ```
 */
export function backoffEnd(
  r: Pick<RemoteRow, "backoff_until" | "last_fetch_at">,
  now: number,
): number | null {
  if (r.backoff_until === null) return null;
  if (r.last_fetch_at !== null && r.last_fetch_at > now) {
    return Math.min(r.backoff_until, now + Math.max(0, r.backoff_until - r.last_fetch_at));
  }
  return r.backoff_until;
}

/** Every remote, by name. */
export function listRemotes(db: Database): RemoteRow[] {
  return (db.prepare(`${SELECT} ORDER BY r.name`).all() as unknown as Raw[]).map(row);
}

/** A remote by name. */
export function getRemote(db: Database, name: string): RemoteRow | undefined {
  const r = db.prepare(`${SELECT} WHERE r.name = ?`).get(name) as Raw | undefined;
  return r && row(r);
}

/** The remote whose downloads folder is a source, if any. */
export function getRemoteBySource(db: Database, sourceId: number): RemoteRow | undefined {
  const r = db.prepare(`${SELECT} WHERE r.source_id = ?`).get(sourceId) as Raw | undefined;
  return r && row(r);
}

/** Whether any remote is enabled (a cheap check for the daemon). */
export function hasEnabledRemotes(db: Database): boolean {
  return db.prepare(
    "SELECT 1 FROM remotes r JOIN sources s ON s.id = r.source_id WHERE s.enabled = 1 LIMIT 1",
  ).get() !== undefined;
}

/**
 * Adds a remote (and its source row) or updates the settings of an existing
 * one; its enabled flag is left alone unless `enabled` is given.
 *
 * @param path The remote's downloads folder.
 * @returns The row and whether it was new.
 * @throws {Error} When the folder is already another source.
 */
export function upsertRemote(
  db: Database,
  settings: RemoteSettings,
  path: string,
  options: { fromConfig: boolean; enabled?: boolean; now?: number },
): { remote: RemoteRow; added: boolean } {
  const { fromConfig, enabled, now = Date.now() } = options;
  return db.transaction(() => {
    const existing = getRemote(db, settings.name);
    const values = [
      settings.kind,
      settings.query,
      settings.api,
      settings.api_key_env,
      settings.api_key_file,
      settings.keep_unseen,
      settings.quota,
      settings.max_file_size,
      settings.min_width,
      settings.min_height,
      settings.sfw_only ? 1 : 0,
    ];
    if (existing) {
      const was = (db.prepare("SELECT from_config FROM remotes WHERE source_id = ?")
        .get(existing.source_id) as { from_config: number }).from_config;
      const from = !fromConfig
        ? was
        : was === 0 || was === ADOPTED
        ? ADOPTED
        : enabled === false
        ? CONFIG_OFF
        : FROM_CONFIG;
      db.prepare(
        `UPDATE remotes SET kind = ?, query = ?, api = ?, api_key_env = ?, api_key_file = ?,
           keep_unseen = ?, quota = ?, max_file_size = ?, min_width = ?, min_height = ?,
           sfw_only = ?, from_config = ?
         WHERE source_id = ?`,
      ).run(...values, from, existing.source_id);
      // A back-off was earned by the old address or key: a changed one is tried at once.
      const reached = (r: RemoteSettings | RemoteRow) =>
        [r.kind, r.query, r.api, r.api_key_env, r.api_key_file].join("\0");
      if (reached(existing) !== reached(settings)) {
        db.prepare(
          "UPDATE remotes SET backoff_until = NULL, failures = 0, last_error = NULL WHERE source_id = ?",
        ).run(existing.source_id);
      }
      // An entry's `enabled = true` undoes only what the file did (its `enabled = false`, or
      // its deletion): a `remote disable` of an entry's remote lasts.
      const want = !fromConfig || enabled === false
        ? enabled
        : was === CONFIG_OFF || was === DROPPED
        ? true
        : undefined;
      if (want !== undefined) setRemoteEnabled(db, existing.source_id, want);
      return { remote: getRemote(db, settings.name)!, added: false };
    }
    const clash = db.prepare("SELECT id, kind FROM sources WHERE path = ?").get(path) as
      | { id: number; kind: string }
      | undefined;
    if (clash && db.prepare("SELECT 1 FROM remotes WHERE source_id = ?").get(clash.id)) {
      throw new Error(`${path} already belongs to another remote`);
    }
    let sourceId: number;
    if (clash) {
      sourceId = clash.id;
      db.prepare("UPDATE sources SET kind = 'remote' WHERE id = ?").run(sourceId);
    } else {
      sourceId = Number(
        db.prepare(
          "INSERT INTO sources(path, kind, recursive, enabled, added_at) VALUES (?, 'remote', 0, ?, ?)",
        ).run(path, enabled === false ? 0 : 1, now).lastInsertRowid,
      );
    }
    db.prepare(
      `INSERT INTO remotes(source_id, name, kind, query, api, api_key_env, api_key_file,
         keep_unseen, quota, max_file_size, min_width, min_height, sfw_only, from_config, added_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      sourceId,
      settings.name,
      ...values,
      fromConfig ? (enabled === false ? CONFIG_OFF : FROM_CONFIG) : 0,
      now,
    );
    if (enabled !== undefined) setRemoteEnabled(db, sourceId, enabled);
    return { remote: getRemote(db, settings.name)!, added: true };
  });
}

/**
 * Remotes marked as from config.toml whose names `inConfig` no longer holds:
 * each becomes a disabled remote of the user's own, in one transaction. One
 * the user had added before an entry named it goes back to being theirs,
 * enabled as it is (with the settings the entry gave it).
 *
 * @returns The remotes disabled, as they were before.
 */
export function dropRemovedConfigRemotes(db: Database, inConfig: ReadonlySet<string>): RemoteRow[] {
  const marked = db.prepare(
    `SELECT source_id, from_config FROM remotes
     WHERE from_config IN (${FROM_CONFIG}, ${ADOPTED}, ${CONFIG_OFF})`,
  ).all() as { source_id: number; from_config: number }[];
  const adopted = new Set(
    marked.filter((m) => m.from_config === ADOPTED).map((m) => m.source_id),
  );
  const gone = listRemotes(db).filter((r) => r.from_config && !inConfig.has(r.name));
  if (gone.length === 0) return [];
  db.transaction(() => {
    for (const r of gone) {
      const own = adopted.has(r.source_id);
      db.prepare("UPDATE remotes SET from_config = ? WHERE source_id = ?")
        .run(own ? 0 : DROPPED, r.source_id);
      if (!own) setRemoteEnabled(db, r.source_id, false);
    }
  });
  return gone.filter((r) => !adopted.has(r.source_id));
}

/** Enables or disables a remote (its source). */
export function setRemoteEnabled(db: Database, sourceId: number, enabled: boolean): void {
  db.prepare("UPDATE sources SET enabled = ? WHERE id = ?").run(enabled ? 1 : 0, sourceId);
}

/**
 * Removes a remote with its source, images, palettes, history and
 * attribution (the caller deletes the files). Returns whether it existed.
 */
export function removeRemote(db: Database, sourceId: number): boolean {
  return Number(db.prepare("DELETE FROM sources WHERE id = ?").run(sourceId).changes) > 0;
}

/** Records a successful fetch: clears the back-off and the last error. */
export function recordFetchSuccess(
  db: Database,
  sourceId: number,
  now: number,
  backoffUntil: number | null = null,
): void {
  db.prepare(
    `UPDATE remotes SET failures = 0, last_error = NULL, last_fetch_at = ?, backoff_until = ?
     WHERE source_id = ?`,
  ).run(now, backoffUntil, sourceId);
}

/**
 * Records a failed fetch.
 *
 * @param backoffUntil When to try again (null: at the next fetch).
 */
export function recordFetchFailure(
  db: Database,
  sourceId: number,
  now: number,
  error: string,
  backoffUntil: number | null,
): void {
  db.prepare(
    `UPDATE remotes SET failures = failures + 1, last_error = ?, last_fetch_at = ?,
       backoff_until = ? WHERE source_id = ?`,
  ).run(error, now, backoffUntil, sourceId);
}

/** What a remote holds on disk and how many of its images wait unseen. */
export interface RemoteUsage {
  /** Images present (not missing). */
  images: number;
  /** Present, never shown and not banned. */
  unseen: number;
  /** Bytes of the present images. */
  bytes: number;
}

/** The usage of a remote's source. */
export function remoteUsage(db: Database, sourceId: number): RemoteUsage {
  const r = db.prepare(
    `SELECT COUNT(*) AS images,
       COALESCE(SUM(last_shown_at IS NULL AND banned = 0), 0) AS unseen,
       COALESCE(SUM(size), 0) AS bytes
     FROM images WHERE source_id = ? AND missing_since IS NULL`,
  ).get(sourceId) as { images: number; unseen: number; bytes: number };
  return { images: r.images, unseen: r.unseen, bytes: r.bytes };
}

/**
 * Points a remote's source and its images at another folder (its downloads
 * folder moved with the data folder: another home, another `$XDG_DATA_HOME`),
 * keeping every row: favourites, bans, history, credits. An image whose file is
 * at the new place loses its missing mark. In one transaction.
 *
 * @param exists Whether a file is at a new path.
 * @returns How many images moved.
 */
export function repointRemote(
  db: Database,
  sourceId: number,
  to: string,
  exists: (path: string) => boolean,
): number {
  return db.transaction(() => {
    const from = (db.prepare("SELECT path FROM sources WHERE id = ?").get(sourceId) as {
      path: string;
    }).path;
    db.prepare("UPDATE sources SET path = ?, root_dev = NULL, markers = NULL WHERE id = ?")
      .run(to, sourceId);
    const rows = db.prepare("SELECT id, path FROM images WHERE source_id = ?").all(sourceId) as {
      id: number;
      path: string;
    }[];
    const move = db.prepare(
      `UPDATE images SET path = ?, missing_since = CASE WHEN ? THEN NULL ELSE missing_since END
       WHERE id = ?`,
    );
    let moved = 0;
    for (const r of rows) {
      if (!r.path.startsWith(`${from}/`)) continue;
      const path = to + r.path.slice(from.length);
      // A row there already (the file shown with `next --image`, favoured by path): merged.
      mergeTwin(db, r.id, path, sourceId);
      move.run(path, exists(path) ? 1 : 0, r.id);
      moved++;
    }
    return moved;
  });
}
