// A damaged or too-new database: every command and doctor fail alike, naming the file and what to do.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { DatabaseSync } from "node:sqlite";
import { fixture } from "../pipeline/_fixture.ts";
import { MIGRATIONS } from "../../src/db/migrations.ts";
import { damageMarkFile, markDamaged } from "../../src/db/damage.ts";

/** Overwrites the root page of one table or index with garbage (the file is closed and checkpointed). */
function corruptPage(file: string, name: string): void {
  const db = new DatabaseSync(file);
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  const { rootpage } = name === "sqlite_master"
    ? { rootpage: 1 }
    : db.prepare("SELECT rootpage FROM sqlite_master WHERE name = ?").get(name) as {
      rootpage: number;
    };
  const { page_size } = db.prepare("PRAGMA page_size").get() as { page_size: number };
  db.close();
  const bytes = Deno.readFileSync(file);
  // Page 1 starts with the 100-byte file header, which stays intact.
  bytes.fill(0x5a, (rootpage - 1) * page_size + (rootpage === 1 ? 100 : 0), rootpage * page_size);
  Deno.writeFileSync(file, bytes);
}

interface Doctor {
  ok: boolean;
  checks: { name: string; status: string; detail: string }[];
}

Deno.test("a damaged index fails scan, sources list, doctor and later commands alike, with advice", async () => {
  await using f = await fixture();
  const good = `${f.home.root}/good.db`;
  assertEquals((await f.cli(["backup", good])).code, 0);
  corruptPage(f.home.database, "sqlite_autoindex_images_1");
  const db = f.home.database;

  const scan = await f.cli(["scan"]);
  assertEquals(scan.code, 1, scan.stdout + scan.stderr);
  assertStringIncludes(scan.stderr, `${db}: the database is damaged`);
  assertStringIncludes(scan.stderr, "varietal backup");
  assertStringIncludes(scan.stderr, "aside");
  assertEquals(scan.stderr.trim().split("\n").length, 1, "one line");

  // Commands that would not read the damaged page themselves refuse the same file now.
  for (const args of [["sources", "list"], ["history"], ["select", "-n", "1"], ["current"]]) {
    const r = await f.cli(args);
    assertEquals(r.code, 1, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
    assertStringIncludes(r.stderr, `${db}: the database is damaged`);
  }

  const doc = await f.cli(["doctor", "--json"]);
  assertEquals(doc.code, 1);
  const check = doc.json<Doctor>().checks.find((c) => c.name === "database")!;
  assertEquals(check.status, "error");
  assertStringIncludes(check.detail, "quick_check");
  assertStringIncludes(check.detail, "varietal backup");

  // Restoring the backup as the advice says makes every command work again.
  for (const side of ["", "-wal", "-shm"]) {
    await Deno.rename(db + side, `${f.home.root}/damaged.db${side}`).catch(() => {});
  }
  await Deno.copyFile(good, db);
  const list = await f.cli(["sources", "list", "--json"]);
  assertEquals(list.code, 0, list.stderr);
  assertEquals((await f.cli(["doctor", "--json"])).json<Doctor>().checks[2].status, "ok");
  assert(!(await exists(damageMarkFile(db))), "the stale mark is removed");
});

Deno.test("a damage mark holds only while the file is unchanged, and doctor clears one that is wrong", async () => {
  await using f = await fixture();
  const db = f.home.database;
  const good = `${f.home.root}/good.db`;
  assertEquals((await f.cli(["backup", good])).code, 0);
  corruptPage(db, "sqlite_autoindex_images_1");
  assertEquals((await f.cli(["scan"])).code, 1);
  assert(await exists(damageMarkFile(db)));
  // The backup copied over the file in place (same inode), journal files removed.
  await Deno.copyFile(good, db);
  for (const side of ["-wal", "-shm"]) await Deno.remove(db + side).catch(() => {});
  assertEquals((await f.cli(["history"])).code, 0, "a changed file is opened again");
  assert(!(await exists(damageMarkFile(db))), "the stale mark is gone");

  // A mark on a sound file (say, the damage was in a WAL since removed): doctor looks again.
  await markDamaged(db, "test");
  assertEquals((await f.cli(["history"])).code, 1);
  const doc = await f.cli(["doctor", "--json"]);
  assertEquals(doc.json<Doctor>().checks[2].status, "ok", doc.stdout);
  assertEquals((await f.cli(["history"])).code, 0);
});

Deno.test("a database that SQLite cannot even open names the file and what to do", async () => {
  await using f = await fixture();
  corruptPage(f.home.database, "sqlite_master");
  for (const args of [["history"], ["scan"], ["doctor"]]) {
    const r = await f.cli(args);
    assertEquals(r.code, 1, args.join(" "));
    assertStringIncludes(r.stdout + r.stderr, `${f.home.database}`);
    assertStringIncludes(r.stdout + r.stderr, "varietal backup");
  }
});

Deno.test("doctor fails on a schema newer than this varietal, like every other command", async () => {
  await using f = await fixture();
  const raw = new DatabaseSync(f.home.database);
  raw.exec(`PRAGMA user_version = ${MIGRATIONS.length + 90}`);
  raw.close();
  const doc = await f.cli(["doctor", "--json"]);
  assertEquals(doc.code, 1);
  const check = doc.json<Doctor>().checks.find((c) => c.name === "database")!;
  assertEquals(check.status, "error");
  assertStringIncludes(check.detail, f.home.database);
  assertStringIncludes(check.detail, "newer than this varietal");
  for (const args of [["history"], ["scan"], ["sources", "list"]]) {
    const r = await f.cli(args);
    assertEquals(r.code, 1);
    assertStringIncludes(r.stderr, "newer than this varietal");
  }
});

async function exists(p: string): Promise<boolean> {
  try {
    await Deno.stat(p);
    return true;
  } catch {
    return false;
  }
}

Deno.test("sources list and enable read without a whole-file check; remove, move and order check first", async () => {
  await using f = await fixture();
  corruptPage(f.home.database, "sqlite_autoindex_images_1");
  // `quick_check` reads every page (seconds on a million images): a listing, which does not
  // read the damaged index, goes on without one.
  const list = await f.cli(["sources", "list", "--json"]);
  assertEquals(list.code, 0, list.stderr);
  const [{ path }] = list.json<{ path: string }[]>();
  assertEquals((await f.cli(["sources", "disable", path])).code, 0);
  assertEquals((await f.cli(["sources", "enable", path])).code, 0);
  // What writes across the collection checks the file before it starts.
  const remove = await f.cli(["sources", "remove", path]);
  assertEquals(remove.code, 1, remove.stdout);
  assertStringIncludes(remove.stderr, `${f.home.database}: the database is damaged`);
});
