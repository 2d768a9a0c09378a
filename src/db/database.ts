/**
 * Opening, migrating and closing the SQLite database.
 *
 * Requires `--allow-read` and `--allow-write` for the database file and its folder.
 *
 * @module
 */
import { osErrorCause } from "../text/not_capable.ts";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import {
  DatabaseBusyError,
  DatabaseError,
  isDatabaseBusy,
  isDiskFull,
  isReadOnly,
  readOnlyError,
} from "./errors.ts";
import { DamagedDatabaseError, isCorruption, refuseMarkedDamaged } from "./damage.ts";
import { SCHEMA_VERSION } from "./schema_version.ts";

/**
 * Where {@linkcode Database.open} keeps the copy of a database it is about to
 * upgrade from schema `version`: `varietal.db.v5.bak` beside `varietal.db`.
 */
export function upgradeCopyPath(path: string, version: number): string {
  return `${path}.v${version}.bak`;
}

function upgradeCopyExists(path: string): boolean {
  try {
    Deno.lstatSync(upgradeCopyPath(path, SCHEMA_VERSION));
    return true;
  } catch {
    return false;
  }
}

/** Options for {@linkcode Database.open}. */
export interface OpenOptions {
  /** Milliseconds to wait for another writer. @default 10000 */
  busyTimeoutMs?: number;
  /** Open without creating or migrating (fails when the file is absent). @default false */
  readOnly?: boolean;
  /**
   * Open even when an earlier command marked the file damaged (for `doctor`,
   * which checks it again). @default false
   */
  ignoreDamageMark?: boolean;
}

/**
 * Creates the database file 0600 before SQLite does (SQLite would create it
 * 0644, and its -wal/-shm files copy the database's mode), and tightens an
 * existing file (and its -wal/-shm) that an older varietal left readable by
 * others. A -wal or -shm left read-only (SQLite made it while the database
 * was read-only) is made writable again when the database is. Best effort: a
 * file we do not own stays as it is.
 */
function makePrivate(path: string): void {
  // Blocking calls: this runs at every start-up, and a few cheap calls cost
  // less so than trips through Deno's thread pool.
  try {
    Deno.openSync(path, { write: true, createNew: true, mode: 0o600 }).close();
    return;
  } catch (e) {
    if (!(e instanceof Deno.errors.AlreadyExists)) return; // SQLite reports it better
  }
  let dbWritable = false;
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      const mode = Deno.statSync(file).mode;
      if (mode === null) continue;
      if (file === path) dbWritable = (mode & 0o200) !== 0;
      const stuck = file !== path && dbWritable && (mode & 0o200) === 0;
      if ((mode & 0o077) !== 0 || stuck) {
        Deno.chmodSync(file, (mode | (stuck ? 0o600 : 0)) & 0o7700);
      }
    } catch { /* absent, or not ours */ }
  }
}

/**
 * Makes the database's folder 0700 when it is ours and open to others (0.1.0
 * created it 0755). One stat when it is private already. (The same check as
 * `tightenFolders` of `atomic_write.ts`, which start-up does not load.)
 *
 * @throws {DatabaseError} When another user (not root) owns the folder: they
 *   could replace the database.
 */
function makeFolderPrivate(dir: string, path: string): void {
  let st: Deno.FileInfo;
  let uid: number | null = null;
  try {
    st = Deno.lstatSync(dir);
    uid = Deno.uid();
  } catch {
    return; // no uid to compare with
  }
  if (uid !== null && st.uid !== null && st.uid !== uid && st.uid !== 0) {
    throw new DatabaseError(
      path,
      `its folder ${dir} belongs to uid ${st.uid}, not to you, who could replace the database; ` +
        "move it away, or set XDG_DATA_HOME to a folder of your own",
    );
  }
  try {
    if (st.isDirectory && st.mode !== null && (st.mode & 0o077) !== 0 && st.uid === uid) {
      Deno.chmodSync(dir, st.mode & 0o7700);
    }
  } catch { /* not ours to change */ }
}

/** Turns an error from opening or configuring into a {@linkcode DatabaseError} with advice. */
function openError(path: string, e: unknown, what: string): DatabaseError {
  const msg = (e as Error).message;
  if (isCorruption(e)) return new DamagedDatabaseError(path, msg, { cause: e });
  if (/not a database|file is encrypted/i.test(msg)) {
    return new DatabaseError(
      path,
      "is not a SQLite database; move it aside (varietal will create a new one) or copy a file made by 'varietal backup' in its place",
      { cause: e },
    );
  }
  if (isFolder(path)) {
    return new DatabaseError(
      path,
      "is a folder, not a database file; move it aside (varietal then creates a new database)",
      { cause: e },
    );
  }
  if (isDiskFull(e)) {
    return new DatabaseError(
      path,
      `${what}: the disk is full; free some space, then run the command again`,
      { cause: e },
    );
  }
  if (/readonly|read-only|unable to open|disk I\/O/i.test(msg)) {
    return new DatabaseError(
      path,
      `${what}: ${msg}; check the file and its folder are writable${
        /disk I\/O/i.test(msg) ? " and the disk is not full" : ""
      }`,
      { cause: e },
    );
  }
  return new DatabaseError(path, `${what}: ${msg}`, { cause: e });
}

function isFolder(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

/** SQLite values node:sqlite accepts as parameters. */
export type SqlValue = string | number | bigint | null | Uint8Array;

/** A file's device and inode, or null when it cannot be stat'ed. */
function fileIdentity(path: string): string | null {
  try {
    const st = Deno.statSync(path);
    return `${st.dev}:${st.ino}`;
  } catch {
    return null;
  }
}

/**
 * A handle on varietal's database. `close()` is idempotent, `using`
 * closes it, and any use after close throws.
 *
 * @example Open, query in a transaction, close
 * ```ts ignore
 * import { Database } from "./database.ts";
 * const dir = await Deno.makeTempDir();
 * using db = await Database.open(`${dir}/varietal.db`); // created 0600 and migrated
 * const n = db.transaction(() =>
 *   db.prepare("SELECT count(*) AS n FROM images").get() as { n: number }
 * );
 * console.log(n.n, db.userVersion); // 0, the schema version
 * ```
 */
export class Database implements Disposable {
  /** The file this handle opened. */
  readonly path: string;
  #db: DatabaseSync | null;
  #statements = new Map<string, StatementSync>();

  /** The file's device and inode when it was opened (null for ":memory:"). */
  #identity: string | null;
  /** How long a statement waits for another writer (`PRAGMA busy_timeout`). */
  #busyTimeoutMs = 5000;

  private constructor(path: string, db: DatabaseSync) {
    this.path = path;
    this.#db = db;
    this.#identity = path === ":memory:" ? null : fileIdentity(path);
  }

  /**
   * Whether the file at {@linkcode path} is no longer the one this handle
   * opened: moved away, deleted, or replaced (a backup copied into its
   * place). A long-lived handle (the daemon's) would go on writing to the
   * old file, which nobody reads.
   */
  replaced(): boolean {
    return this.#identity !== null && fileIdentity(this.path) !== this.#identity;
  }

  /**
   * Opens (creating if needed) and migrates the database.
   *
   * @param path The database file, or ":memory:".
   * @param options See {@linkcode OpenOptions}.
   * @throws {DatabaseError} When the file is not a SQLite database, cannot be
   * created, or was written by a newer varietal.
   */
  static async open(path: string, options: OpenOptions = {}): Promise<Database> {
    const { busyTimeoutMs = 10000, readOnly = false } = options;
    if (path !== ":memory:" && !options.ignoreDamageMark) await refuseMarkedDamaged(path);
    if (path !== ":memory:" && !readOnly) {
      const slash = path.lastIndexOf("/");
      const dir = slash < 0 ? "." : slash === 0 ? "/" : path.slice(0, slash);
      try {
        // A wallpaper history is personal: folders 0700, the file 0600.
        Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
      } catch (e) {
        throw new DatabaseError(
          path,
          `cannot create the data folder ${dir}: ${
            osErrorCause(e) ?? `${(e as Error).message}; check its permissions`
          } (or set XDG_DATA_HOME)`,
          { cause: e },
        );
      }
      makeFolderPrivate(dir, path);
      makePrivate(path);
    }
    let raw: DatabaseSync;
    try {
      raw = new DatabaseSync(path, { readOnly, timeout: busyTimeoutMs });
    } catch (e) {
      throw openError(path, e, "cannot open");
    }
    const db = new Database(path, raw);
    try {
      // The version first: a file of a newer varietal is refused before any
      // setting (WAL mode rewrites the header of a rollback-journal file) touches it.
      raw.exec(`PRAGMA busy_timeout = ${Math.max(5000, busyTimeoutMs | 0)}`);
      const version = db.#checkVersion();
      db.#configure(busyTimeoutMs, readOnly);
      if (!readOnly && version !== SCHEMA_VERSION) {
        if (version > 0) await db.#keepCopyBeforeUpgrade(version);
        await db.#migrate();
      }
    } catch (e) {
      raw.close();
      if (e instanceof DatabaseError) throw e;
      throw openError(path, e, "cannot open");
    }
    return db;
  }

  #configure(busyTimeoutMs: number, readOnly: boolean): void {
    const db = this.raw;
    this.#busyTimeoutMs = Math.max(5000, busyTimeoutMs | 0);
    db.exec(`PRAGMA busy_timeout = ${this.#busyTimeoutMs}`);
    if (!readOnly) db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
    db.exec("PRAGMA foreign_keys = ON");
    db.exec("PRAGMA temp_store = MEMORY");
  }

  /** The file's schema version, after refusing one newer than ours. */
  #checkVersion(): number {
    const current = this.userVersion;
    if (current > SCHEMA_VERSION) {
      throw new DatabaseError(
        this.path,
        `schema version ${current} is newer than this varietal understands (${SCHEMA_VERSION}); ` +
          `upgrade varietal, or use ${
            upgradeCopyExists(this.path)
              ? `the copy kept before that upgrade, ` +
                `${upgradeCopyPath(this.path, SCHEMA_VERSION)}, or `
              : ""
          }a copy made by 'varietal backup' with this version`,
      );
    }
    return current;
  }

  /**
   * Before the first migration of a file that holds data, keeps a verified copy
   * of it as it is ({@linkcode upgradeCopyPath}): an upgrade is one-way, and an
   * older varietal refuses the migrated file. Made once per old version; a copy
   * that is there already (another process made it) is kept.
   *
   * @throws {DatabaseError} When the copy cannot be made (nothing is migrated).
   */
  async #keepCopyBeforeUpgrade(version: number): Promise<void> {
    let file = upgradeCopyPath(this.path, version);
    // One there already is kept when it is that version's copy; anything else under its name
    // (an empty file, another schema) is left as it is and the copy goes beside it.
    for (let n = 2;; n++) {
      const there = this.#isCopyOf(file, version);
      if (there === "yes") return;
      if (there === "absent") break;
      file = `${this.path}.v${version}.${n}.bak`;
    }
    const { backupDatabase } = await import(
      new URL("./backup.ts", import.meta.url).href
    ) as typeof import("./backup.ts");
    try {
      // The version is checked in the copy: another process may upgrade the file meanwhile.
      await backupDatabase(this, file, undefined, { version });
    } catch (e) {
      // Made at the same time by another process (before its upgrade), or too late to make.
      if (e instanceof DatabaseError && /already exists|the copy is of schema/.test(e.message)) {
        return;
      }
      throw new DatabaseError(
        this.path,
        `cannot keep a copy as ${file} before upgrading the database from schema ${version} ` +
          `to ${SCHEMA_VERSION}: ${
            isDiskFull(e) ? "the disk is full; free some space" : (e as Error).message
          }; nothing was changed`,
        { cause: e },
      );
    }
  }

  /** Whether `file` is a database of schema `version` (a copy made before an upgrade). */
  #isCopyOf(file: string, version: number): "yes" | "no" | "absent" {
    try {
      Deno.lstatSync(file);
    } catch {
      return "absent";
    }
    try {
      const copy = new DatabaseSync(file, { readOnly: true });
      try {
        const v = (copy.prepare("PRAGMA user_version").get() as { user_version: number })
          .user_version;
        return v === version ? "yes" : "no";
      } finally {
        copy.close();
      }
    } catch {
      return "no";
    }
  }

  async #migrate(): Promise<void> {
    // Loaded only when a step is due, by a run-time specifier (Deno loads literal
    // import() targets at start-up): most opens find the schema up to date.
    const { MIGRATIONS } = await import(
      new URL("./migrations.ts", import.meta.url).href
    ) as typeof import("./migrations.ts");
    const db = this.raw;
    db.exec("BEGIN IMMEDIATE");
    try {
      // Re-read inside the write lock: another process may have migrated.
      const now = this.userVersion;
      for (let v = now; v < MIGRATIONS.length; v++) {
        try {
          db.exec(MIGRATIONS[v].sql);
        } catch (e) {
          throw new DatabaseError(
            this.path,
            `migration ${v + 1} (${MIGRATIONS[v].name}) failed: ${
              isDiskFull(e)
                ? "the disk is full; free some space, then run the command again (nothing was changed)"
                : (e as Error).message
            }`,
            { cause: e },
          );
        }
      }
      db.exec(`PRAGMA user_version = ${MIGRATIONS.length}`);
      db.exec("COMMIT");
    } catch (e) {
      // SQLite has rolled back already after some errors (a full disk): then this
      // ROLLBACK would fail, and its "no transaction is active" hide the cause.
      if (db.isTransaction) db.exec("ROLLBACK");
      throw e;
    }
  }

  /** The schema version (`PRAGMA user_version`). */
  get userVersion(): number {
    const row = this.raw.prepare("PRAGMA user_version").get() as {
      user_version: number;
    };
    return row.user_version;
  }

  /**
   * The underlying node:sqlite handle.
   * @throws {Error} After {@linkcode Database.close}.
   */
  get raw(): DatabaseSync {
    if (!this.#db) {
      throw new Error(`Cannot use the database ${this.path}: it is closed`);
    }
    return this.#db;
  }

  /** Whether {@linkcode Database.close} was called. */
  get closed(): boolean {
    return this.#db === null;
  }

  /**
   * A prepared statement, cached by its SQL text.
   * @throws {Error} After {@linkcode Database.close}.
   */
  prepare(sql: string): StatementSync {
    const db = this.raw;
    let st = this.#statements.get(sql);
    if (!st) {
      st = db.prepare(sql);
      this.#statements.set(sql, st);
    }
    return st;
  }

  /**
   * Runs `fn` in a `BEGIN IMMEDIATE` transaction; commits on return,
   * rolls back on throw. Nested calls join the outer transaction.
   */
  transaction<T>(fn: () => T): T {
    const db = this.raw;
    if (db.isTransaction) return fn();
    db.exec("BEGIN IMMEDIATE");
    try {
      const out = fn();
      db.exec("COMMIT");
      return out;
    } catch (e) {
      if (db.isTransaction) db.exec("ROLLBACK");
      throw e;
    }
  }

  /**
   * Waits until this handle could write, polling every 50 ms: another program
   * (an open `sqlite3` shell in a transaction, a backup tool) may hold the
   * write lock. The pipeline asks before the setter runs, so that a show is
   * never put on screen that cannot be recorded. Costs a `BEGIN IMMEDIATE`,
   * a write of the schema version and a `ROLLBACK` (no disk write) when
   * nobody holds the lock.
   *
   * @param timeoutMs How long to wait.
   * @param signal Stops waiting (its reason is thrown).
   * @throws {DatabaseBusyError} When the lock is still held after `timeoutMs`.
   * @throws {DatabaseError} When SQLite could open the file only for reading
   *   (naming the file that refuses writing: see {@linkcode readOnlyError}).
   */
  async waitWritable(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const db = this.raw;
    if (db.isTransaction) return;
    const end = Date.now() + timeoutMs;
    db.exec("PRAGMA busy_timeout = 0");
    try {
      for (;;) {
        try {
          db.exec("BEGIN IMMEDIATE");
        } catch (e) {
          if (!isDatabaseBusy(e)) throw e;
          if (Date.now() >= end) throw new DatabaseBusyError(this.path, "nothing was changed");
          signal?.throwIfAborted();
          await new Promise((r) => setTimeout(r, Math.min(50, Math.max(1, end - Date.now()))));
          signal?.throwIfAborted();
          continue;
        }
        try {
          // A file SQLite opened only for reading takes the lock: a write (undone) tells.
          db.exec(`PRAGMA user_version = ${this.userVersion}`);
        } catch (e) {
          if (isReadOnly(e)) throw readOnlyError(this.path, e);
          throw e;
        } finally {
          if (db.isTransaction) db.exec("ROLLBACK");
        }
        return;
      }
    } finally {
      db.exec(`PRAGMA busy_timeout = ${this.#busyTimeoutMs}`);
    }
  }

  /** Closes the handle; later calls do nothing. */
  close(): void {
    if (!this.#db) return;
    this.#statements.clear();
    const db = this.#db;
    this.#db = null;
    db.close();
  }

  /** Closes the handle (for `using`). */
  [Symbol.dispose](): void {
    this.close();
  }
}
