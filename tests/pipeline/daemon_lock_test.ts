// The daemon's lock when its runtime folder is removed under it (a cleaner, an `rm -rf`).
import { assertEquals, assertRejects } from "../_helpers/assert.ts";
import { takeDaemonLock } from "../../src/pipeline/daemon_lock.ts";
import { daemonLockFile, runningDaemonPid } from "../../src/pipeline/daemon_files.ts";
import { BusyError } from "../../src/pipeline/lock.ts";

async function runtime(): Promise<{ dir: string } & AsyncDisposable> {
  const root = await Deno.makeTempDir({ prefix: "varietal-daemon-lock-" });
  return {
    dir: `${root}/run/varietal`,
    [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }),
  };
}

Deno.test("takeDaemonLock(): one daemon per folder; a removed lock file is taken again", async () => {
  await using r = await runtime();
  using lock = await takeDaemonLock(r.dir);
  assertEquals(await lock.check(), "held");
  await assertRejects(() => takeDaemonLock(r.dir), BusyError, "another varietal daemon is running");
  await Deno.remove(r.dir, { recursive: true });
  assertEquals(await runningDaemonPid(r.dir), null, "nobody seems to run now");
  assertEquals(await lock.check(), "taken again");
  assertEquals(await runningDaemonPid(r.dir), Deno.pid, "status finds this daemon again");
  await assertRejects(() => takeDaemonLock(r.dir), BusyError, `(pid ${Deno.pid})`);
  assertEquals(await lock.check(), "held");
});

Deno.test("takeDaemonLock(): a daemon whose lock file another daemon took since hears so", async () => {
  await using r = await runtime();
  using first = await takeDaemonLock(r.dir);
  await Deno.remove(daemonLockFile(r.dir));
  using _second = await takeDaemonLock(r.dir); // started while the first could not be seen
  await assertRejects(() => first.check(), BusyError, "another varietal daemon is running");
});
