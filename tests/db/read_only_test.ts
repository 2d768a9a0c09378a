// A database the user's varietal may not write (chmod 400, a -shm SQLite left
// read-only): `next` says which file and what to do before the setter runs, so
// the screen and history never disagree; `doctor` fails it; once the database
// is writable again, a -shm left read-only by SQLite is made writable too.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { asNobody, chownTree, NOBODY } from "../_helpers/nobody.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";
import { Database } from "../../src/db/database.ts";
import { isReadOnly } from "../../src/db/errors.ts";

Deno.test("a read-only database stops next before the setter, names the file, and doctor fails it", async () => {
  await asNobody(async (child) => {
    const walls = `${child.home}/walls`;
    const log = `${child.home}/set.log`;
    const setter = `${child.home}/setter.sh`;
    await writeImage(`${walls}/a.png`, { width: 16, height: 9, colors: [COLORS.red] });
    await writeImage(`${walls}/b.png`, { width: 16, height: 9, colors: [COLORS.blue] });
    await Deno.writeTextFile(setter, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${log}'\n`);
    await Deno.chmod(setter, 0o755);
    await Deno.mkdir(`${child.home}/.config/varietal`, { recursive: true });
    await Deno.writeTextFile(
      `${child.home}/.config/varietal/config.toml`,
      `[wallpaper]\nsetter = "custom"\ncommand = ["${setter}", "{path}"]\n` +
        `[selection]\nmin_width = 0\nmin_height = 0\n[theme]\nenabled = false\n`,
    );
    if (Deno.uid() === 0) await chownTree(child.home, NOBODY);
    const ok = child.ok;
    await ok(["sources", "add", walls]);
    await ok(["scan"]);
    await ok(["next", "--image", `${walls}/a.png`, "--no-palette"]);
    const setBefore = await Deno.readTextFile(log);

    await Deno.chmod(child.database, 0o400);
    const next = await child.run(["next", "--image", `${walls}/b.png`, "--no-palette"]);
    assertEquals(next.code, 1, next.stderr);
    assertEquals(next.stderr.trim().split("\n").length, 1, next.stderr);
    assertStringIncludes(next.stderr, `${child.database}: cannot be written`);
    assertStringIncludes(next.stderr, "chmod u+w");
    assertEquals(await Deno.readTextFile(log), setBefore, "the setter must not run");
    assertEquals((await ok(["current"])).stdout.trim(), `${walls}/a.png`);
    const doctor = await child.run(["doctor", "--json"]);
    const { checks } = JSON.parse(doctor.stdout) as {
      checks: { name: string; status: string; detail: string }[];
    };
    const db = checks.find((c) => c.name === "database")!;
    assertEquals(db.status, "error");
    assertStringIncludes(db.detail, "cannot be written");
    // Other writes say the same, not SQLite's bare "attempt to write a readonly database".
    const fav = await child.run(["favorite", `${walls}/b.png`]);
    assertEquals(fav.code, 1);
    assertStringIncludes(fav.stderr, `${child.database}: cannot be written`);

    // SQLite made a -shm copying the database's 0400: fixing the database is enough.
    await Deno.writeFile(`${child.database}-shm`, new Uint8Array(0), { mode: 0o400 });
    if (Deno.uid() === 0) await Deno.chown(`${child.database}-shm`, NOBODY, NOBODY);
    await Deno.chmod(`${child.database}-shm`, 0o400);
    await Deno.chmod(child.database, 0o600);
    await ok(["next", "--image", `${walls}/b.png`, "--no-palette"]);
    assertEquals((await ok(["current"])).stdout.trim(), `${walls}/b.png`);
  });
});

Deno.test("waitWritable() refuses a database SQLite opened only for reading, naming it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    (await Database.open(`${dir}/v.db`)).close();
    using db = await Database.open(`${dir}/v.db`, { readOnly: true });
    const e = await db.waitWritable(1000).then(() => undefined, (e: Error) => e);
    assertEquals(e?.name, "DatabaseError", String(e));
    assertStringIncludes(e!.message, `${dir}/v.db: cannot be written`);
    assertEquals(isReadOnly(e!.cause), true);
    assertEquals(isReadOnly(new Error("database is locked")), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("databaseFailure() names the file and what to do for SQLite's bare busy, full and read-only errors", async () => {
  const { databaseFailure, DatabaseBusyError, DatabaseError } = await import(
    "../../src/db/errors.ts"
  );
  const sqlite = (message: string, errcode: number) =>
    Object.assign(new Error(message), { errcode });
  const full = databaseFailure(sqlite("database or disk is full", 13), "/d/v.db", "-", "kept");
  assert(full instanceof DatabaseError);
  assertEquals(
    (full as Error).message,
    "/d/v.db: could not be written: the disk is full; free some space, then run the command " +
      "again (kept)",
  );
  const busy = databaseFailure(sqlite("database is locked", 5), "/d/v.db", "nothing changed");
  assert(busy instanceof DatabaseBusyError);
  assert((busy as Error).message.includes("nothing changed. Close it and try again"));
  const ro = databaseFailure(sqlite("attempt to write a readonly database", 8), "/nowhere/v.db");
  assert(ro instanceof DatabaseError && ro.message.startsWith("/nowhere/v.db: "), String(ro));
  const other = new Error("something else");
  assertEquals(databaseFailure(other, "/d/v.db"), other);
  assertEquals(databaseFailure(full, "/d/v.db"), full, "said once");
});

Deno.test("doctor: a database that cannot be made where it should be is an error naming the folder", async () => {
  await asNobody(async (child) => {
    const share = `${child.home}/.local/share`;
    await Deno.mkdir(share, { recursive: true });
    if (Deno.uid() === 0) await chownTree(child.home, NOBODY);
    await Deno.chmod(share, 0o555);
    try {
      const r = await child.run(["doctor", "--json"]);
      const db = (JSON.parse(r.stdout) as {
        checks: { name: string; status: string; detail: string }[];
      }).checks.find((c) => c.name === "database")!;
      assertEquals(db.status, "error", r.stdout);
      assertStringIncludes(
        db.detail,
        `does not exist yet and cannot be made: ${share} is not writable for you; check its ` +
          `permissions (ls -ld ${share}) or set XDG_DATA_HOME`,
      );
    } finally {
      await Deno.chmod(share, 0o755);
    }
  });
});
