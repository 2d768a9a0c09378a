import { assert, assertEquals, assertRejects, assertThrows } from "../_helpers/assert.ts";
import { Database, upgradeCopyPath } from "../../src/db/database.ts";
import { DatabaseSync } from "node:sqlite";
import { DatabaseError, isDiskFull } from "../../src/db/errors.ts";
import { MIGRATIONS } from "../../src/db/migrations.ts";
import { SCHEMA_VERSION } from "../../src/db/schema_version.ts";
import { addSource } from "../../src/db/sources.ts";
import { deleteImages, getImages, insertImage } from "../../src/db/images.ts";
import { getPalette } from "../../src/db/palettes.ts";
import type { PaletteRecord } from "../../src/palette/palette_record.ts";
import { countHistory, lastShow, listHistory, recordShows } from "../../src/db/history.ts";
import { backupDatabase } from "../../src/db/backup.ts";
import { ROOT, RUN_FLAGS, tempHome, withTmpfs } from "../_helpers/env.ts";
import { writeOldDatabase } from "../_helpers/old_database.ts";

export const PALETTE: PaletteRecord = {
  origin: "builtin",
  variant: "dark16",
  background: "#101010",
  foreground: "#f0f0f0",
  cursor: "#f0f0f0",
  colors: Array.from({ length: 16 }, (_, i) => `#${(i * 15).toString(16).padStart(2, "0")}2040`),
  avg_hue: 210,
  avg_saturation: 0.4,
  avg_lightness: 0.3,
  temperature: -0.2,
};

/** Fills a database with `n` images in one source. */
export function seed(db: Database, n: number): number[] {
  const { source } = addSource(db, "/wallpapers");
  return db.transaction(() =>
    Array.from({ length: n }, (_, i) =>
      insertImage(db, {
        path: `/wallpapers/${i}.jpg`,
        source_id: source.id,
        size: 1000 + i,
        mtime: 1,
        width: 1920,
        height: 1080,
        format: "jpg",
      }, 1))
  );
}

Deno.test("SCHEMA_VERSION is the number of migration steps", () => {
  // Opening compares the file's user_version with SCHEMA_VERSION and loads the
  // steps only when they differ: a step added without bumping it would never run.
  assertEquals(SCHEMA_VERSION, MIGRATIONS.length);
});

Deno.test("Database.open() migrates an empty file to the latest schema", async () => {
  await using home = await tempHome();
  using db = await Database.open(home.database);
  assertEquals(db.userVersion, MIGRATIONS.length);
  const tables = db.raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all().map((r) => r.name);
  for (const t of ["history", "images", "palettes", "sources"]) assert(tables.includes(t), t);
  assertEquals(
    (db.raw.prepare("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode,
    "wal",
  );
  assertEquals(
    (db.raw.prepare("PRAGMA foreign_keys").get() as { foreign_keys: number }).foreign_keys,
    1,
  );
  assert((db.raw.prepare("PRAGMA busy_timeout").get() as { timeout: number }).timeout >= 5000);
});

Deno.test("Database.close() is idempotent and use after close throws a clear error", async () => {
  const db = await Database.open(":memory:");
  db.close();
  db.close();
  assert(db.closed);
  assertThrows(() => db.prepare("SELECT 1"), Error, "it is closed");
});

Deno.test("Database supports `using`", async () => {
  let handle: Database;
  {
    using db = await Database.open(":memory:");
    handle = db;
  }
  assert(handle.closed);
});

Deno.test("Database.open() refuses a file that is not SQLite and leaves it untouched", async () => {
  await using home = await tempHome();
  await Deno.mkdir(home.database.replace(/\/[^/]+$/, ""), { recursive: true });
  const junk = "this is not a database\n".repeat(200);
  await Deno.writeTextFile(home.database, junk);
  const err = await assertRejects(() => Database.open(home.database), DatabaseError);
  assert(err.message.includes("is not a SQLite database"), err.message);
  assertEquals(await Deno.readTextFile(home.database), junk);
});

Deno.test("Database.open() names the data folder when it cannot be created", async () => {
  await using home = await tempHome();
  const blocker = `${home.root}/file`;
  await Deno.writeTextFile(blocker, "x");
  const err = await assertRejects(() => Database.open(`${blocker}/sub/v.db`), DatabaseError);
  assert(err.message.includes("cannot create the data folder"), err.message);
});

Deno.test("Database.open() refuses a schema newer than it knows", async () => {
  await using home = await tempHome();
  {
    using db = await Database.open(home.database);
    db.raw.exec(`PRAGMA user_version = ${MIGRATIONS.length + 5}`);
  }
  await assertRejects(() => Database.open(home.database), DatabaseError, "upgrade varietal");
});

Deno.test("Database.open() leaves a newer varietal's rollback-journal file byte for byte", async () => {
  await using home = await tempHome();
  await Deno.mkdir(home.database.replace(/\/[^/]+$/, ""), { recursive: true });
  const raw = new DatabaseSync(home.database);
  raw.exec(
    `CREATE TABLE t (x); INSERT INTO t VALUES (1); PRAGMA user_version = ${SCHEMA_VERSION + 1}`,
  );
  raw.close();
  const before = await Deno.readFile(home.database);
  await assertRejects(() => Database.open(home.database), DatabaseError, "is newer than");
  assertEquals(await Deno.readFile(home.database), before); // still not WAL, counter unchanged
});

Deno.test("Database.open() keeps a verified copy before upgrading a file with data, once", async () => {
  await using home = await tempHome();
  await writeOldDatabase(home.database, 5, "INSERT INTO sources (path, added_at) VALUES ('/w', 1)");
  const copy = upgradeCopyPath(home.database, 5);
  assertEquals(copy, `${home.database}.v5.bak`);
  {
    using db = await Database.open(home.database);
    assertEquals(db.userVersion, SCHEMA_VERSION);
  }
  const kept = new DatabaseSync(copy, { readOnly: true });
  try {
    assertEquals(
      (kept.prepare("PRAGMA user_version").get() as { user_version: number }).user_version,
      5,
    );
    assertEquals((kept.prepare("SELECT path FROM sources").get() as { path: string }).path, "/w");
  } finally {
    kept.close();
  }
  assertEquals((await Deno.stat(copy)).mode! & 0o777, 0o600);
  // A fresh database has nothing to keep; a newer file's refusal names the copy.
  await using fresh = await tempHome();
  (await Database.open(fresh.database)).close();
  assertEquals(
    [...Deno.readDirSync(fresh.database.replace(/\/[^/]+$/, ""))].filter((e) =>
      e.name.endsWith(".bak")
    ),
    [],
  );
  {
    using db = await Database.open(home.database);
    db.raw.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
  }
  await Deno.copyFile(copy, upgradeCopyPath(home.database, SCHEMA_VERSION));
  await assertRejects(
    () => Database.open(home.database),
    DatabaseError,
    `the copy kept before that upgrade, ${home.database}.v${SCHEMA_VERSION}.bak`,
  );
});

Deno.test("Database.open() trusts a kept copy only when it is of the old schema; backups check the version", async () => {
  await using home = await tempHome();
  await writeOldDatabase(home.database, 5);
  // Something else under the copy's name (an empty file): left alone, the copy goes beside it.
  await Deno.writeFile(upgradeCopyPath(home.database, 5), new Uint8Array());
  (await Database.open(home.database)).close();
  assertEquals((await Deno.stat(upgradeCopyPath(home.database, 5))).size, 0);
  const beside = new DatabaseSync(`${home.database}.v5.2.bak`, { readOnly: true });
  try {
    assertEquals(
      (beside.prepare("PRAGMA user_version").get() as { user_version: number })
        .user_version,
      5,
    );
  } finally {
    beside.close();
  }
  // A copy that turns out of another schema (upgraded while copied) is not kept.
  using db = await Database.open(home.database);
  await assertRejects(
    () => backupDatabase(db, `${home.root}/b.db`, undefined, { version: 5 }),
    DatabaseError,
    `the copy is of schema ${SCHEMA_VERSION}, not 5`,
  );
  assertEquals([...Deno.readDirSync(home.root)].some((e) => e.name.startsWith("b.db")), false);
});

Deno.test("deleteImages() removes palettes and history too, in chunks", async () => {
  using db = await Database.open(":memory:");
  const ids = seed(db, 1200);
  recordShows(
    db,
    ids.slice(0, 1100).map((id, i) => ({ imageId: id, shownAt: i, palette: PALETTE })),
  );
  assertEquals(countHistory(db), 1100);
  assertEquals(deleteImages(db, ids.slice(0, 1150)), 1150);
  assertEquals(countHistory(db), 0);
  assertEquals(getPalette(db, ids[0]), undefined);
  assertEquals(getImages(db, ids).size, 50);
});

Deno.test("recordShows() writes history, counters and palette in one transaction", async () => {
  using db = await Database.open(":memory:");
  const [a, b] = seed(db, 2);
  recordShows(db, [{ imageId: a, shownAt: 1000, output: "DP-1", palette: PALETTE }]);
  const img = getImages(db, [a]).get(a)!;
  assertEquals(img.times_shown, 1);
  assertEquals(img.last_shown_at, 1000);
  assertEquals(getPalette(db, a)?.colors, PALETTE.colors);
  assertEquals(listHistory(db)[0].output, "DP-1");
  // A failing show rolls back the whole batch.
  assertThrows(() =>
    recordShows(db, [{ imageId: b, shownAt: 2000 }, { imageId: 999999, shownAt: 2001 }])
  );
  assertEquals(countHistory(db), 1);
  assertEquals(getImages(db, [b]).get(b)!.times_shown, 0);
});

Deno.test("lastShow() is the newest show, or the newest of one output", async () => {
  using db = await Database.open(":memory:");
  assertEquals(lastShow(db), undefined);
  const [a, b, c] = seed(db, 3);
  recordShows(db, [
    { imageId: a, shownAt: 1000, output: "DP-1" },
    { imageId: b, shownAt: 1000, output: "HDMI-A-1" },
  ]);
  // Within one show, the primary output (recorded first) comes first.
  assertEquals(lastShow(db)?.image_id, a);
  assertEquals(listHistory(db).map((h) => h.output), ["DP-1", "HDMI-A-1"]);
  recordShows(db, [{ imageId: c, shownAt: 2000, output: "DP-1" }]);
  assertEquals(lastShow(db)?.image_id, c);
  assertEquals(listHistory(db).map((h) => h.image_id), [c, a, b]);
  assertEquals(lastShow(db, "HDMI-A-1")?.image_id, b);
  assertEquals(lastShow(db, "DP-2"), undefined);
});

Deno.test("backupDatabase() writes a complete copy that reopens", async () => {
  await using home = await tempHome();
  using db = await Database.open(home.database);
  const ids = seed(db, 300);
  recordShows(db, ids.slice(0, 10).map((id, i) => ({ imageId: id, shownAt: i, palette: PALETTE })));
  const file = `${home.root}/backup.db`;
  const report = await backupDatabase(db, file);
  assertEquals([report.images, report.history, report.palettes, report.sources], [300, 10, 10, 1]);
  assertEquals(report.integrity, "ok");
  using copy = await Database.open(file);
  assertEquals(copy.userVersion, MIGRATIONS.length);
  assertEquals(listHistory(copy, 100).length, 10);
  await assertRejects(() => backupDatabase(db, file), DatabaseError, "already exists");
});

Deno.test("backupDatabase() into a folder that does not exist names the file and leaves nothing", async () => {
  await using home = await tempHome();
  using db = await Database.open(home.database);
  seed(db, 3);
  const file = `${home.root}/no/such/folder/backup.db`;
  await assertRejects(
    () => backupDatabase(db, file),
    DatabaseError,
    `the folder ${home.root}/no/such/folder does not exist; create it first`,
  );
  await assertRejects(() => Deno.lstat(`${home.root}/no`), Deno.errors.NotFound);
  // A file where a folder should be is named, not an OS error ("Not a directory").
  await Deno.writeTextFile(`${home.root}/pic.bmp`, "x");
  for (const bad of [`${home.root}/pic.bmp/b.db`, `${home.root}/pic.bmp/deeper/b.db`]) {
    const folder = bad.slice(0, bad.lastIndexOf("/"));
    await assertRejects(() => backupDatabase(db, bad), DatabaseError, `${folder} is not a folder`);
  }
});

Deno.test("backupDatabase() onto a full disk says so and what to do, and leaves nothing", async () => {
  await using home = await tempHome();
  using db = await Database.open(home.database);
  seed(db, 200);
  const disk = `${home.root}/small`;
  await Deno.mkdir(disk);
  await withTmpfs(disk, "16k", async () => {
    await assertRejects(
      () => backupDatabase(db, `${disk}/backup.db`),
      DatabaseError,
      `${disk}/backup.db: backup failed: the disk is full; free some space or write the backup ` +
        "to another disk (nothing was left behind)",
    );
    assertEquals([...Deno.readDirSync(disk)], []);
  });
});

Deno.test("backupDatabase() leaves only the backup beside it, private, and a restored copy works", async () => {
  await using home = await tempHome();
  using db = await Database.open(home.database);
  seed(db, 20);
  const dir = `${home.root}/backups`;
  await Deno.mkdir(dir);
  await backupDatabase(db, `${dir}/v.db`);
  assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["v.db"]);
  assertEquals((await Deno.stat(`${dir}/v.db`)).mode! & 0o777, 0o600);
  using copy = await Database.open(`${dir}/v.db`);
  assertEquals(getImages(copy, [1, 2]).size, 2);
  assertEquals(
    (copy.raw.prepare("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode,
    "wal",
  );
});

Deno.test("Database.open() creates missing folders 0700 and the file 0600, and tightens an old 0644 file", async () => {
  await using home = await tempHome();
  const file = `${home.root}/fresh/data/v.db`;
  {
    using db = await Database.open(file);
    seed(db, 2);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) {
      assertEquals((await Deno.stat(f)).mode! & 0o777, 0o600, f);
    }
  }
  for (const d of [`${home.root}/fresh`, `${home.root}/fresh/data`]) {
    assertEquals((await Deno.stat(d)).mode! & 0o777, 0o700, d);
  }
  await Deno.chmod(file, 0o644);
  using _again = await Database.open(file);
  assertEquals((await Deno.stat(file)).mode! & 0o777, 0o600);
});

Deno.test("two processes writing at once both succeed", async () => {
  await using home = await tempHome();
  {
    using db = await Database.open(home.database);
    seed(db, 10);
  }
  const writer = `${ROOT}/tests/db/_writer.ts`;
  const children = [0, 1].map(() =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-q", ...RUN_FLAGS, writer, home.database, "150"],
      env: home.env,
      stdout: "piped",
      stderr: "piped",
    }).output()
  );
  const results = await Promise.all(children);
  for (const r of results) assertEquals(r.code, 0, new TextDecoder().decode(r.stderr));
  using db = await Database.open(home.database);
  assertEquals(countHistory(db), 300);
  assertEquals(
    (db.raw.prepare("SELECT SUM(times_shown) AS n FROM images").get() as { n: number }).n,
    300,
  );
  assertEquals(
    (db.raw.prepare("PRAGMA quick_check").get() as { quick_check: string }).quick_check,
    "ok",
  );
});

Deno.test("isDiskFull() knows SQLite's SQLITE_FULL, which a page limit gives as a full disk would", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const db = await Database.open(`${dir}/v.db`);
    try {
      // The same error a full disk gives, made with a page limit on this connection.
      db.raw.exec("CREATE TABLE t(x)");
      const { page_count } = db.raw.prepare("PRAGMA page_count").get() as { page_count: number };
      db.raw.exec(`PRAGMA max_page_count = ${page_count + 4}`);
      const e = assertThrows(() => {
        for (let i = 0; i < 1000; i++) {
          db.prepare("INSERT INTO t VALUES (?)").run("x".repeat(4000));
        }
      });
      assert(isDiskFull(e), String(e));
      assert(!isDiskFull(new Error("database is locked")));
      assert(!isDiskFull(Object.assign(new Error("x"), { errcode: 5 })));
    } finally {
      db.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "Database.open() refuses a data folder another user owns (needs root to make one)",
  ignore: Deno.uid() !== 0,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      await Deno.mkdir(`${dir}/varietal`, { mode: 0o777 });
      Deno.chownSync(`${dir}/varietal`, 65534, 65534);
      await assertRejects(
        () => Database.open(`${dir}/varietal/varietal.db`),
        DatabaseError,
        `its folder ${dir}/varietal belongs to uid 65534, not to you, who could replace the database`,
      );
      assertEquals([...Deno.readDirSync(`${dir}/varietal`)], [], "nothing made there");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("a data folder that cannot be made on a read-only mount is said to be on one (no chmod mends it)", async () => {
  await using home = await tempHome();
  const ro = `${home.root}/ro-data`;
  await Deno.mkdir(ro);
  await withTmpfs(ro, "64k,ro", async () => {
    await assertRejects(
      () => Database.open(`${ro}/varietal/varietal.db`),
      DatabaseError,
      `cannot create the data folder ${ro}/varietal: read-only file system; that file system is ` +
        "mounted read-only: choose a writable place or remount it (or set XDG_DATA_HOME)",
    );
  });
});
