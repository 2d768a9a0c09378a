/**
 * A damaged database: how to recognise one, what to tell the user, and a
 * mark beside the file (`varietal.db.damaged`) so that once any command has
 * found the damage every later command refuses the same file with the same
 * advice, instead of some failing and others quietly succeeding on pages
 * they happen not to read. The mark holds the file's identity (device,
 * inode, size, modification time): restoring a backup over the file or
 * moving it aside changes that, and the mark is then ignored and removed.
 * `varietal doctor` checks the file again and clears a mark that no longer
 * holds.
 *
 * Requires `--allow-read` and `--allow-write` for the database's folder.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { DatabaseError } from "./errors.ts";

/** What to do about a damaged database file (one line, no path). */
export function damageAdvice(path: string): string {
  const base = path.slice(path.lastIndexOf("/") + 1);
  return `stop varietal, move it (with any ${base}-wal/-shm) aside and copy a file made by ` +
    "'varietal backup' in its place (or start afresh without one), then run 'varietal doctor'";
}

/** The database file is damaged (SQLite reports corruption, or quick_check found problems). */
export class DamagedDatabaseError extends DatabaseError {
  /** What SQLite found, e.g. "database disk image is malformed". */
  readonly detail: string;
  /**
   * @param path The database file.
   * @param detail What SQLite reported.
   * @param options Optional cause.
   */
  constructor(path: string, detail: string, options?: ErrorOptions) {
    super(path, `the database is damaged (${detail}); ${damageAdvice(path)}`, options);
    this.name = "DamagedDatabaseError";
    this.detail = detail;
  }
}

/**
 * Whether an error is SQLite reporting a damaged file (`SQLITE_CORRUPT`,
 * extended codes included).
 */
export function isCorruption(e: unknown): boolean {
  if (e instanceof DamagedDatabaseError) return true;
  // Other database errors already name their file (a backup copy, say) and say what to do.
  if (e instanceof DatabaseError || !(e instanceof Error)) return false;
  const code = (e as Error & { errcode?: unknown }).errcode;
  if (typeof code === "number") return (code & 0xff) === 11;
  return /database disk image is malformed/i.test(e.message);
}

/** The mark file of a database. */
export function damageMarkFile(path: string): string {
  return `${path}.damaged`;
}

interface Mark {
  dev: number;
  ino: number | null;
  size: number;
  mtime: number | null;
  detail: string;
  found_at: number;
}

function identity(st: Deno.FileInfo): Pick<Mark, "dev" | "ino" | "size" | "mtime"> {
  return { dev: st.dev, ino: st.ino, size: st.size, mtime: st.mtime?.getTime() ?? null };
}

/**
 * Records that `path` is damaged. Call it after every handle on the file is
 * closed (closing checkpoints the WAL, which changes the file's identity).
 * Failing to write the mark is not an error: the damage is reported anyway.
 */
export async function markDamaged(path: string, detail: string): Promise<void> {
  try {
    const mark: Mark = { ...identity(await Deno.stat(path)), detail, found_at: Date.now() };
    await Deno.writeTextFile(damageMarkFile(path), JSON.stringify(mark) + "\n", { mode: 0o600 });
  } catch { /* the file is gone, or the folder is read-only */ }
}

/** Removes the mark of `path`, if any. */
export async function clearDamageMark(path: string): Promise<void> {
  await Deno.remove(damageMarkFile(path)).catch(() => {});
}

/**
 * Throws when `path` carries a damage mark that still matches the file. A
 * mark for a file that has since changed (restored, replaced, gone) is
 * removed. Costs one failed `stat` when there is no mark.
 *
 * @throws {DamagedDatabaseError} When the file is still the one found damaged.
 */
export async function refuseMarkedDamaged(path: string): Promise<void> {
  let text: string;
  try {
    // Blocking: on every start-up, and cheaper than a trip through the thread pool.
    text = Deno.readTextFileSync(damageMarkFile(path));
  } catch {
    return; // no mark (the usual case)
  }
  let mark: Partial<Mark> = {};
  try {
    mark = JSON.parse(text) as Partial<Mark>;
  } catch { /* unreadable mark: treat as stale */ }
  let now: ReturnType<typeof identity> | null = null;
  try {
    now = identity(await Deno.stat(path));
  } catch { /* the file is gone */ }
  if (
    now && now.dev === mark.dev && now.ino === mark.ino && now.size === mark.size &&
    now.mtime === mark.mtime
  ) {
    throw new DamagedDatabaseError(path, `${mark.detail ?? "found damaged earlier"}`);
  }
  await clearDamageMark(path);
}

/** The problems `PRAGMA quick_check` found (empty when the file is sound). */
export function quickCheck(db: { raw: DatabaseSync }): string[] {
  const rows = db.raw.prepare("PRAGMA quick_check(20)").all() as { quick_check: string }[];
  return rows.flatMap((r) => r.quick_check.split("\n"))
    .map((s) => s.trim())
    .filter((s) => s !== "ok" && s !== "" && !s.startsWith("***"));
}

/**
 * Runs SQLite's `quick_check` (it reads every page: about 1.5 ms per
 * thousand images) before a command that writes across the collection.
 *
 * @throws {DamagedDatabaseError} When the file has problems.
 */
export function assertIntact(db: { path: string; raw: DatabaseSync }): void {
  let problems: string[];
  try {
    problems = quickCheck(db);
  } catch (e) {
    if (isCorruption(e)) throw new DamagedDatabaseError(db.path, (e as Error).message);
    throw e;
  }
  if (problems.length) {
    throw new DamagedDatabaseError(db.path, `quick_check: ${problems[0]}`);
  }
}
