// The cross-process lock file.
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../_helpers/assert.ts";
import { acquireLock, BusyError } from "../../src/pipeline/lock.ts";
import { ROOT } from "../_helpers/env.ts";

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "varietal-lock-" });
}

Deno.test("acquireLock() is exclusive and released by release()", async () => {
  const dir = await tempDir();
  try {
    const file = `${dir}/sub/next.lock`;
    const a = await acquireLock(file, { purpose: "first" });
    const e = await assertRejects(() => acquireLock(file, { timeoutMs: 100 }), BusyError);
    assertEquals(e.exitCode, 75);
    assertStringIncludes(e.message, "another varietal is busy");
    assertStringIncludes(e.message, `pid ${Deno.pid} first`);
    a.release();
    a.release();
    using b = await acquireLock(file, { timeoutMs: 0 });
    assertEquals(b.file, file);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("acquireLock() waits for the holder to release", async () => {
  const dir = await tempDir();
  try {
    const file = `${dir}/next.lock`;
    const a = await acquireLock(file);
    setTimeout(() => a.release(), 150);
    const t = performance.now();
    using _b = await acquireLock(file, { timeoutMs: 10_000 });
    assert(performance.now() - t >= 100, "did not wait for the holder");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("acquireLock() stops waiting when its signal aborts", async () => {
  const dir = await tempDir();
  try {
    const file = `${dir}/next.lock`;
    using _a = await acquireLock(file);
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error("stop waiting")), 50);
    const e = await assertRejects(() =>
      acquireLock(file, { signal: ac.signal, timeoutMs: 60_000 })
    );
    assertEquals(e.message, "stop waiting");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("acquireLock() is released when the holding process is killed", async () => {
  const dir = await tempDir();
  try {
    const file = `${dir}/next.lock`;
    const code = `import { acquireLock } from "${ROOT}/src/pipeline/lock.ts";
      await acquireLock(${JSON.stringify(file)}, { purpose: "child" });
      console.log("locked");
      await new Promise(() => setInterval(() => {}, 1000));`;
    const child = new Deno.Command(Deno.execPath(), {
      args: ["eval", code],
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const reader = child.stdout.getReader();
    const { value } = await reader.read();
    assertStringIncludes(new TextDecoder().decode(value), "locked");
    const busy = await assertRejects(() => acquireLock(file, { timeoutMs: 50 }), BusyError);
    assertStringIncludes(busy.message, "child");
    child.kill("SIGKILL");
    await child.status;
    reader.releaseLock();
    await child.stdout.cancel();
    using _b = await acquireLock(file, { timeoutMs: 5000 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("acquireLock() serves waiting processes in the order they came, past a waiter that died", async () => {
  const dir = await tempDir();
  try {
    const file = `${dir}/next.lock`;
    const order = `${dir}/order.txt`;
    // Each child queues, then on its turn appends its number and holds the lock a moment.
    const child = (n: number) =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "eval",
          `import { acquireLock } from "${ROOT}/src/pipeline/lock.ts";
          const l = await acquireLock(${JSON.stringify(file)}, { purpose: "child ${n}" });
          await Deno.writeTextFile(${JSON.stringify(order)}, "${n}\\n", { append: true });
          await new Promise((r) => setTimeout(r, 30));
          l.release();`,
        ],
        stdout: "null",
        stderr: "inherit",
      }).spawn();
    const queued = (n: number) => async () => {
      for (let i = 0; i < 400; i++) {
        try {
          if ([...Deno.readDirSync(`${file}.queue`)].length >= n) return;
        } catch { /* not yet */ }
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`${n} tickets never appeared`);
    };
    const held = await acquireLock(file, { purpose: "test" });
    const children: Deno.ChildProcess[] = [];
    // A waiter that dies while queued must not block the ones behind it.
    const doomed = child(99);
    await queued(1)();
    for (let n = 1; n <= 5; n++) {
      children.push(child(n));
      await queued(n + 1)(); // n + the doomed one's ticket
    }
    doomed.kill("SIGKILL");
    await doomed.status;
    held.release();
    for (const c of children) assertEquals((await c.status).code, 0);
    assertEquals((await Deno.readTextFile(order)).trim().split("\n"), ["1", "2", "3", "4", "5"]);
    assertEquals([...Deno.readDirSync(`${file}.queue`)], [], "no ticket is left behind");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("acquireLock() refuses a folder another user made or a symlink, and tightens its own", async () => {
  const dir = await tempDir();
  try {
    const victim = `${dir}/victim`;
    await Deno.writeTextFile(victim, "precious\n");
    // A shared runtime folder where someone else made varietal's folder first and planted a link.
    const theirs = `${dir}/shared/varietal`;
    await Deno.mkdir(theirs, { recursive: true, mode: 0o777 });
    await Deno.symlink(victim, `${theirs}/next.lock`);
    if (Deno.uid() === 0) {
      await Deno.chown(theirs, 65534, 65534);
      const e = await assertRejects(() => acquireLock(`${theirs}/next.lock`, { timeoutMs: 0 }));
      assertStringIncludes(e.message, `${theirs} belongs to uid 65534, not to you (uid 0)`);
      assertStringIncludes(e.message, "set XDG_RUNTIME_DIR to a folder of your own");
    } else {console.log(
        "  (not root: a folder of another uid cannot be made; that case is skipped)",
      );}
    // A link of one's own to a folder of another's: the folder is what counts.
    await Deno.symlink(theirs, `${dir}/linked`);
    if (Deno.uid() === 0) {
      const linked = await assertRejects(() =>
        acquireLock(`${dir}/linked/next.lock`, { timeoutMs: 0 })
      );
      assertStringIncludes(linked.message, `${dir}/linked belongs to uid 65534`);
      // A link another user planted in a shared folder, to a folder of ours.
      await Deno.mkdir(`${dir}/mine`, { mode: 0o700 });
      await Deno.mkdir(`${dir}/shared2`, { mode: 0o777 });
      await Deno.symlink(`${dir}/mine`, `${dir}/shared2/planted`);
      const chown = await new Deno.Command("chown", {
        args: ["-h", "65534:65534", `${dir}/shared2/planted`],
      }).output();
      assertEquals(chown.code, 0);
      const planted = await assertRejects(() =>
        acquireLock(`${dir}/shared2/planted/next.lock`, { timeoutMs: 0 })
      );
      assertStringIncludes(planted.message, "is a symlink that uid 65534 made, not you");
    }
    assertEquals(await Deno.readTextFile(victim), "precious\n");
    // A state folder the user keeps elsewhere through a link of their own works as before.
    await Deno.mkdir(`${dir}/elsewhere/varietal`, { recursive: true });
    await Deno.symlink(`${dir}/elsewhere/varietal`, `${dir}/state-link`);
    using _s = await acquireLock(`${dir}/state-link/next.lock`, { timeoutMs: 0 });
    assert((await Deno.lstat(`${dir}/elsewhere/varietal/next.lock`)).isFile);
    // Our own folder left open to others (an older varietal, a umask of 0) is made 0700.
    const ours = `${dir}/ours`;
    await Deno.mkdir(ours, { mode: 0o777 });
    await Deno.chmod(ours, 0o777);
    using _l = await acquireLock(`${ours}/next.lock`, { timeoutMs: 0 });
    assertEquals((await Deno.stat(ours)).mode! & 0o777, 0o700);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("acquireLock() never opens its lock file through a symbolic link", async () => {
  const dir = await tempDir();
  try {
    await Deno.writeTextFile(`${dir}/bashrc`, "mine");
    await Deno.mkdir(`${dir}/run`, { mode: 0o700 });
    await Deno.symlink(`${dir}/bashrc`, `${dir}/run/next.lock`);
    await assertRejects(
      () => acquireLock(`${dir}/run/next.lock`, { timeoutMs: 0 }),
      Deno.errors.PermissionDenied,
      "is a symbolic link, not varietal's lock file",
    );
    assertEquals(await Deno.readTextFile(`${dir}/bashrc`), "mine");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
