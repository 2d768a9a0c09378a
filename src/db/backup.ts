/**
 * Consistent backups with SQLite's online backup API, verified by reopening
 * the copy.
 *
 * @module
 */
import { backup, DatabaseSync } from "node:sqlite";
import type { Database } from "./database.ts";
import { DatabaseError } from "./errors.ts";

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

/**
 * Copies the database to `file` (which must not exist) and checks the copy.
 *
 * @throws {DatabaseError} When the target exists or the copy fails its check.
 */
export async function backupDatabase(db: Database, file: string): Promise<BackupReport> {
  try {
    await Deno.lstat(file);
    throw new DatabaseError(file, "already exists; choose a new file name or remove it first");
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const tmp = `${file}.partial-${Deno.pid}`;
  try {
    // SQLite's online backup API: a consistent snapshot that includes the WAL.
    // (VACUUM INTO needs ATTACH, which Deno allows only with full permissions.)
    await backup(db.raw, tmp);
    const report = verify(tmp, file);
    await Deno.rename(tmp, file);
    return { ...report, bytes: (await Deno.stat(file)).size };
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    if (e instanceof DatabaseError) throw e;
    throw new DatabaseError(file, `backup failed: ${(e as Error).message}`, { cause: e });
  }
}

function verify(tmp: string, file: string): BackupReport {
  const copy = new DatabaseSync(tmp, { readOnly: true });
  try {
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
