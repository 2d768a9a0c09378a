/**
 * Consistent backups with SQLite's online backup API, verified by reopening
 * the copy.
 *
 * @module
 */
import { backup, DatabaseSync } from "node:sqlite";
import { DatabaseError, isDiskFull } from "./errors.ts";
import { assertIntact } from "./damage.ts";
import { removeDeadWritersFiles } from "../atomic_write.ts";
import { fileErrorReason } from "../text/not_capable.ts";

/**
 * An open database as this module needs it (a `Database` of `database.ts`,
 * which uses this module before an upgrade: so named by shape, not imported).
 */
export interface OpenDatabase {
  path: string;
  raw: DatabaseSync;
}

/** What a verified backup holds. */
export interface BackupReport {
  file: string;
  bytes: number;
  images: number;
  sources: number;
  history: number;
  palettes: number;
  integrity: string;
}

/** What a backup says of a target that exists: it never replaces a file. */
const TAKEN = "already exists (a backup never replaces a file); choose a new file name";

/**
 * Copies the database to `file` (which must not exist) and checks the copy.
 * An aborted `signal` (Ctrl-C) removes the unfinished copy and throws its reason.
 *
 * @throws {DatabaseError} When the target exists or the copy fails its check.
 */
export async function backupDatabase(
  db: OpenDatabase,
  file: string,
  signal?: AbortSignal,
  options: { version?: number } = {},
): Promise<BackupReport> {
  try {
    await Deno.lstat(file);
    throw new DatabaseError(file, TAKEN);
  } catch (e) {
    // (A file where a folder of the path should be: said below, naming it.)
    if (!(e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory)) throw e;
  }
  const folder = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) || "/" : ".";
  try {
    if (!(await Deno.stat(folder)).isDirectory) {
      throw new DatabaseError(file, `${folder} is not a folder; choose a file in a folder`);
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotADirectory) {
      throw new DatabaseError(file, `${folder} is not a folder (a file is in its path)`);
    }
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    throw new DatabaseError(file, `the folder ${folder} does not exist; create it first`);
  }
  assertIntact(db); // a copy of a damaged file is no backup
  await removeStalePartials(folder);
  const tmp = `${file}.partial-${Deno.pid}`;
  await Deno.remove(tmp).catch(() => {}); // left by an earlier process with our PID
  try {
    // Private like the database itself; SQLite writes into the empty file.
    (await Deno.open(tmp, { write: true, createNew: true, mode: 0o600 })).close();
    // SQLite's online backup API: a consistent snapshot that includes the WAL.
    // (VACUUM INTO needs ATTACH, which Deno allows only with full permissions.)
    await backup(db.raw, tmp);
    // (SQLite's copy cannot be stopped half-way: an interruption waits for it, then removes it.)
    signal?.throwIfAborted();
    const report = verify(tmp, file, options.version);
    signal?.throwIfAborted();
    await place(tmp, file);
    return { ...report, bytes: (await Deno.stat(file)).size };
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    if (e instanceof DatabaseError || signal?.aborted) throw e;
    // A full disk ("database or disk is full", ENOSPC) is said with what to do.
    const full = isDiskFull(e) || /No space left on device|os error 28/.test((e as Error).message);
    throw new DatabaseError(
      file,
      full
        ? "backup failed: the disk is full; free some space or write the backup to another " +
          "disk (nothing was left behind)"
        : `backup failed: ${fileErrorReason(e).replaceAll(tmp, file)}`,
      { cause: e },
    );
  } finally {
    // Nothing but the backup is left beside it (the copy's journal files are gone).
    for (const side of ["-wal", "-shm", "-journal"]) await Deno.remove(tmp + side).catch(() => {});
  }
}

/**
 * Puts the finished copy at `file` unless something is there by now (another
 * process's copy, made at the same time): a hard link fails then, where a
 * rename would replace it. A file system without hard links (FAT, exFAT)
 * takes a rename after one more look.
 *
 * @throws {DatabaseError} "already exists" when `file` was taken meanwhile.
 */
async function place(tmp: string, file: string): Promise<void> {
  try {
    await Deno.link(tmp, file);
    await Deno.remove(tmp);
    return;
  } catch (e) {
    if (e instanceof Deno.errors.AlreadyExists) {
      throw new DatabaseError(file, TAKEN);
    }
  }
  try {
    await Deno.lstat(file);
    throw new DatabaseError(file, TAKEN);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  await Deno.rename(tmp, file);
}

/**
 * Checks the copy and makes it a single self-contained file: the copy keeps
 * the source's WAL mode, which would leave -wal/-shm files beside it, so it
 * is switched to a rollback journal (varietal switches a restored copy back
 * to WAL when it opens it).
 */
function verify(tmp: string, file: string, version?: number): BackupReport {
  const copy = new DatabaseSync(tmp);
  try {
    copy.exec("PRAGMA journal_mode = DELETE");
    // A copy for going back to an older varietal must be of that schema (another process
    // may have upgraded the file while it was copied: SQLite's copy then starts over).
    const found = (copy.prepare("PRAGMA user_version").get() as { user_version: number })
      .user_version;
    if (version !== undefined && found !== version) {
      throw new DatabaseError(file, `the copy is of schema ${found}, not ${version}`);
    }
    const integrity = (copy.prepare("PRAGMA quick_check").get() as Record<string, string>)
      .quick_check;
    if (integrity !== "ok") {
      throw new DatabaseError(file, `the copy failed its integrity check: ${integrity}`);
    }
    const count = (t: string) =>
      (copy.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
    return {
      file,
      bytes: 0,
      images: count("images"),
      sources: count("sources"),
      history: count("history"),
      palettes: count("palettes"),
      integrity,
    };
  } finally {
    copy.close();
  }
}

/** A backup's unfinished copy (and its journal files): `NAME.partial-PID[-journal|-wal|-shm]`. */
const PARTIAL = /\.partial-(\d+)(?:-journal|-wal|-shm)?$/;

/**
 * Removes the unfinished copies a killed backup left in `folder` (its writer
 * gone, older than a minute; a copy only if SQLite wrote it, or nothing yet),
 * so a backup timer does not pile them up.
 */
async function removeStalePartials(folder: string): Promise<void> {
  await removeDeadWritersFiles(folder, PARTIAL, {
    ours: (path, m, info) =>
      m[0] !== `.partial-${m[1]}` || info.size === 0 || isSqlite(path) || zeroHeader(path),
  }).catch(() => {}); // an unreadable folder: the backup itself will say so
}

/** A copy cut off before its header was written: zeros where "SQLite format 3" goes. */
function zeroHeader(path: string): boolean {
  const head = new Uint8Array(100);
  using f = Deno.openSync(path);
  return f.readSync(head) === 100 && head.every((b) => b === 0);
}

function isSqlite(path: string): boolean {
  const head = new Uint8Array(16);
  using f = Deno.openSync(path);
  return f.readSync(head) === 16 && new TextDecoder().decode(head) === "SQLite format 3\0";
}
