/**
 * Bringing the config file's `[[remote]]` entries into the database, and
 * each remote's downloads folder.
 *
 * @module
 */
import type { Config } from "../config/schema.ts";
import type { RemoteConfig } from "../config/remote.ts";
import type { Paths } from "../config/paths.ts";
import type { Database } from "../db/database.ts";
import {
  dropRemovedConfigRemotes,
  listRemotes,
  type RemoteRow,
  repointRemote,
  upsertRemote,
} from "../db/remotes.ts";
import { isFolder, isRegularFile } from "../file_check.ts";

/** `$XDG_DATA_HOME/varietal/downloads`: every remote's folder is inside. */
export function downloadsRoot(paths: Paths): string {
  return `${paths.data}/downloads`;
}

/** A remote's folder. */
export function remoteDir(paths: Paths, name: string): string {
  return `${downloadsRoot(paths)}/${name}`;
}

/**
 * Creates a downloads folder (private) if needed. A symlink there to nowhere
 * (a disk not mounted) is said as such, not as mkdir's "File exists".
 */
export async function makeDownloadsFolder(path: string): Promise<void> {
  try {
    await Deno.mkdir(path, { recursive: true, mode: 0o700 });
  } catch (e) {
    if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    let to: string | undefined;
    try {
      to = Deno.readLinkSync(path);
    } catch { /* not a link: as it was */ }
    if (to === undefined) throw e;
    throw new Error(
      `${path} links to ${to}, which does not exist (a disk not mounted?); mount it, or ` +
        "remove the link to download into a new folder",
      { cause: e },
    );
  }
}

/** Creates a remote's folder (private) if needed. */
export async function ensureRemoteDir(paths: Paths, name: string): Promise<string> {
  await makeDownloadsFolder(downloadsRoot(paths));
  const dir = remoteDir(paths, name);
  await makeDownloadsFolder(dir);
  return dir;
}

/** What {@linkcode syncConfigRemotes} did. */
export interface RemoteSync {
  /** The config's remotes, as now stored. */
  remotes: RemoteRow[];
  /** Remotes that came from config.toml and are no longer there: now disabled. */
  dropped: RemoteRow[];
  /** Remotes whose downloads folder moved with the data folder, now followed: a note each. */
  followed: { remote: string; message: string }[];
}

/**
 * Adds or updates every `[[remote]]` of the config in the database (the
 * config's settings win; `enabled = false` there disables the remote, while
 * `varietal remote disable` of a config remote lasts). A remote that came
 * from config.toml and is no longer there is disabled, so nothing fetches it
 * any more; its downloads are kept until `varietal remote remove` (and
 * `varietal remote enable` keeps it as a remote of the user's own).
 */
export async function syncConfigRemotes(
  db: Database,
  config: Config,
  paths: Paths,
  now = Date.now(),
): Promise<RemoteSync> {
  const followed = followMovedRemotes(db, paths);
  const out: RemoteRow[] = [];
  for (const r of config.remote) {
    const dir = await ensureRemoteDir(paths, r.name);
    const { enabled, ...settings } = r as RemoteConfig;
    out.push(
      upsertRemote(db, settings, dir, { fromConfig: true, enabled, now }).remote,
    );
  }
  const names = new Set(config.remote.map((r) => r.name));
  const dropped = dropRemovedConfigRemotes(db, names);
  return { remotes: out, dropped, followed };
}

/**
 * A remote's folder is `$XDG_DATA_HOME/varietal/downloads/NAME`. Where one is
 * stored elsewhere and that folder is gone, the data folder moved (a new home
 * or user name, another `$XDG_DATA_HOME`): the remote and its images follow
 * it, so that a fetch neither makes the old folder again nor calls its
 * pictures deleted. A stored folder that is still there is left alone.
 */
function followMovedRemotes(db: Database, paths: Paths): { remote: string; message: string }[] {
  const notes: { remote: string; message: string }[] = [];
  for (const r of listRemotes(db)) {
    const row = db.prepare("SELECT path FROM sources WHERE id = ?").get(r.source_id) as
      | { path: string }
      | undefined;
    const want = remoteDir(paths, r.name);
    if (!row || row.path === want || isFolder(row.path)) continue;
    const taken = db.prepare("SELECT id FROM sources WHERE path = ? AND id <> ?")
      .get(want, r.source_id);
    if (taken) {
      notes.push({
        remote: r.name,
        message: `its downloads folder ${row.path} is gone, and ${want}, where it belongs now, ` +
          `is a wallpaper folder of yours: 'varietal sources remove ${want}', then this again`,
      });
      continue;
    }
    const moved = repointRemote(db, r.source_id, want, isRegularFile);
    notes.push({
      remote: r.name,
      message: `its downloads folder ${row.path} is gone: now ${want} (where the data folder ` +
        `is), with its ${moved} image(s), their marks and history`,
    });
  }
  return notes;
}

/** A note for the user about a remote {@linkcode syncConfigRemotes} dropped. */
export function droppedRemoteNote(r: RemoteRow): string {
  return `no longer a [[remote]] in config.toml: disabled, its downloads kept ` +
    `('varietal remote remove ${r.name}' forgets them; 'varietal remote enable ${r.name}' keeps it ` +
    "as a remote of your own)";
}
