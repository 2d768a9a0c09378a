// `varietal backup`: a file, or a dated file in a folder.
import {
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "../_helpers/assert.ts";
import { runCli, tempHome } from "../_helpers/env.ts";
import { datedName } from "../../src/cli/backup.ts";
import { Database } from "../../src/db/database.ts";
import { backupDatabase } from "../../src/db/backup.ts";

Deno.test("varietal backup FOLDER writes a dated, private file in it", async () => {
  await using home = await tempHome();
  const dir = `${home.root}/backups`;
  await Deno.mkdir(dir);
  const r = await runCli(home, ["backup", `${dir}/`, "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const file = (r.json() as { file: string }).file;
  assertMatch(file, /\/backups\/varietal-backup-\d{4}-\d\d-\d\d-\d{6}\.db$/);
  assertEquals((await Deno.stat(file)).mode! & 0o777, 0o600);
  // A file that exists is refused, never overwritten.
  const again = await runCli(home, ["backup", file]);
  assertEquals(again.code, 1);
  assertStringIncludes(again.stderr, "already exists");
  // `backup ./` and `backup ../backups` from inside it: the plain path of the folder.
  const here = await runCli(home, ["backup", "./", "--json"], { cwd: dir });
  assertEquals(here.code, 0, here.stderr);
  assertMatch((here.json() as { file: string }).file, new RegExp(`^${dir}/varietal-backup-`));
  const up = await runCli(home, ["backup", "../backups"], { cwd: dir });
  assertStringIncludes(up.stdout, `Backed up to ${dir}/varietal-backup-`);
  // The database itself: said so, not "remove it first".
  const itself = await runCli(home, ["backup", home.database]);
  assertEquals(itself.code, 1);
  assertEquals(
    itself.stderr,
    `varietal: ${home.database} is the database itself; give another file or a folder (e.g. ` +
      "varietal backup ~/backups/)\n",
  );
  assertStringIncludes(again.stderr, "already exists (a backup never replaces a file)");
  // A folder that is not there (a weekly job's typo): refused, no file of its name made.
  const typo = await runCli(home, ["backup", `${home.root}/bk/`]);
  assertEquals(typo.code, 1);
  assertEquals(
    typo.stderr,
    `varietal: the folder ${home.root}/bk does not exist; create it first (mkdir -p), or name a ` +
      "file\n",
  );
  assertEquals(await Deno.stat(`${home.root}/bk`).then(() => true, () => false), false);
});

Deno.test("datedName() is local time, zero-padded, sortable", () => {
  assertEquals(datedName(new Date(2026, 0, 2, 3, 4, 5)), "varietal-backup-2026-01-02-030405.db");
  assertEquals(
    datedName(new Date(2026, 0, 2, 3, 4, 5), 2),
    "varietal-backup-2026-01-02-030405-2.db",
  );
});

Deno.test("a second backup into the folder within the same second is numbered, not refused", async () => {
  await using home = await tempHome();
  const dir = `${home.root}/backups`;
  await Deno.mkdir(dir);
  // The names of the next few seconds are taken, as by a backup a moment ago.
  const now = Date.now();
  for (let s = 0; s < 10; s++) {
    await Deno.writeTextFile(`${dir}/${datedName(new Date(now + s * 1000))}`, "earlier");
  }
  const r = await runCli(home, ["backup", dir, "--json"]);
  assertEquals(r.code, 0, r.stderr);
  assertMatch(r.json<{ file: string }>().file, /\/varietal-backup-\d{4}-\d\d-\d\d-\d{6}-2\.db$/);
});

Deno.test("a backup removes the unfinished copies a killed backup left (only those)", async () => {
  await using home = await tempHome();
  const dir = `${home.root}/backups`;
  await Deno.mkdir(dir);
  // A PID that has surely ended: a process that ran and exited.
  const { pid } = new Deno.Command("true").spawn();
  await new Promise((r) => setTimeout(r, 100));
  const old = new Date(Date.now() - 5 * 60_000);
  const sqlite = new TextEncoder().encode("SQLite format 3\0" + "x".repeat(100));
  const files: Record<string, Uint8Array | string> = {
    [`x6.db.partial-${pid}`]: sqlite,
    [`x6.db.partial-${pid}-journal`]: "j",
    // One cut off before its header was written (Ctrl-C or a kill early in the copy).
    [`x7.db.partial-${pid}`]: new Uint8Array(8192),
    [`notes.partial-${pid}`]: "my own notes", // not a SQLite file: not ours
  };
  for (const [name, data] of Object.entries(files)) {
    const path = `${dir}/${name}`;
    if (typeof data === "string") await Deno.writeTextFile(path, data);
    else await Deno.writeFile(path, data);
    await Deno.utime(path, old, old);
  }
  await Deno.writeFile(`${dir}/fresh.db.partial-${pid}`, sqlite); // may be a backup running now
  const r = await runCli(home, ["backup", dir, "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const left = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  assertEquals(
    left,
    [
      `fresh.db.partial-${pid}`,
      `notes.partial-${pid}`,
      r.json<{ file: string }>().file.replace(/^.*\//, ""),
    ].sort(),
  );
});

Deno.test("backupDatabase() stopped by an interruption removes its unfinished copy and says so", async () => {
  await using home = await tempHome();
  using db = await Database.open(home.database);
  const dir = `${home.root}/backups`;
  await Deno.mkdir(dir);
  const ac = new AbortController();
  ac.abort(new DOMException("Interrupted by SIGINT", "AbortError"));
  const e = await assertRejects(() => backupDatabase(db, `${dir}/b.db`, ac.signal));
  assertEquals((e as DOMException).name, "AbortError");
  assertEquals([...Deno.readDirSync(dir)], []);
});
