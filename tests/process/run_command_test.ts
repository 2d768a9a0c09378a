// The subprocess helper: exit codes, stderr, timeouts, missing programs.
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "../_helpers/assert.ts";
import { after, CommandError, runCommand, spawnCommand } from "../../src/process/run_command.ts";

Deno.test("runCommand() captures stdout and exit code 0", async () => {
  const r = await runCommand(["sh", "-c", "printf hello"]);
  assertEquals(r.code, 0);
  assertEquals(r.stdout, "hello");
  assertEquals(r.timedOut, false);
});

Deno.test("runCommand() throws CommandError with exit code and stderr on failure", async () => {
  const e = await assertRejects(
    () => runCommand(["sh", "-c", "echo 'it broke' >&2; exit 7"]),
    CommandError,
  );
  assertEquals(e.exitCode, 7);
  assertEquals(e.stderr, "it broke");
  assertStringIncludes(e.message, "exited with code 7: it broke");
});

Deno.test("runCommand() returns the failure when check is false", async () => {
  const r = await runCommand(["sh", "-c", "exit 4"], { check: false });
  assertEquals(r.code, 4);
});

Deno.test("runCommand() stops a command at the timeout with exit 124", async () => {
  const t = performance.now();
  const e = await assertRejects(
    () => runCommand(["sleep", "20"], { timeoutMs: 200 }),
    CommandError,
  );
  assertEquals(e.exitCode, 124);
  assertStringIncludes(e.message, "timed out");
  assert(performance.now() - t < 10_000, "the command was not stopped");
});

/**
 * Whether a process is still running (not a zombie), by `ps`: reading /proc
 * needs --allow-all, which the test task does not grant.
 */
async function alive(pid: number): Promise<boolean> {
  const r = await new Deno.Command("ps", { args: ["-o", "stat=", "-p", String(pid)] }).output();
  const stat = new TextDecoder().decode(r.stdout).trim();
  return stat !== "" && !stat.startsWith("Z");
}

/** Waits up to 2 s for `pid` to be gone. */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 40 && await alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !(await alive(pid));
}

Deno.test("runCommand() at a timeout or abort stops what the program started too", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // A wrapper whose child would outlive it: the setter or hook "sh -c 'tool; …'" case.
    const script = (n: string) => `sleep 47 & echo $! > ${dir}/${n}; wait`;
    const e = await assertRejects(
      () => runCommand(["sh", "-c", script("t")], { timeoutMs: 300 }),
      CommandError,
    );
    assertEquals(e.exitCode, 124);
    const timed = Number(await Deno.readTextFile(`${dir}/t`));
    assert(await gone(timed), `the timed-out program's child ${timed} still runs`);

    const ac = new AbortController();
    const run = runCommand(["sh", "-c", script("a")], { signal: ac.signal });
    for (let i = 0; i < 100; i++) {
      if (await Deno.stat(`${dir}/a`).then((s) => s.size > 0, () => false)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    ac.abort();
    await assertRejects(() => run);
    const aborted = Number(await Deno.readTextFile(`${dir}/a`));
    assert(await gone(aborted), `the aborted program's child ${aborted} still runs`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runCommand() leaves alone what a program started and left running when it exited", async () => {
  const r = await runCommand(["sh", "-c", "sleep 48 >/dev/null 2>&1 & echo $!"]);
  const pid = Number(r.stdout.trim());
  try {
    await new Promise((ok) => setTimeout(ok, 200));
    assert(await alive(pid), "a hook's background program (e.g. a restarted bar) was killed");
  } finally {
    Deno.kill(pid, "SIGKILL");
  }
});

Deno.test("runCommand() reports a missing program as exit 127", async () => {
  const e = await assertRejects(
    () => runCommand(["varietal-no-such-program-xyz"]),
    CommandError,
  );
  assertEquals(e.exitCode, 127);
  assertStringIncludes(e.message, "not installed or not on PATH");
});

Deno.test("runCommand() passes arguments without a shell", async () => {
  const r = await runCommand(["printf", "%s|", "a b", "$HOME", "; rm -rf /"]);
  assertEquals(r.stdout, "a b|$HOME|; rm -rf /|");
});

Deno.test("runCommand() writes input to stdin and reports the ending signal", async () => {
  const r = await runCommand(["tr", "a-z", "A-Z"], { input: "sway\n" });
  assertEquals(r.stdout, "SWAY\n");
  const k = await runCommand(["sh", "-c", "kill -TERM $$"], { check: false });
  assertEquals(k.signal, "SIGTERM");
});

Deno.test("runCommand() does not wait for a grandchild that keeps the pipes open", async () => {
  const t = performance.now();
  const r = await runCommand(["sh", "-c", "echo started; sleep 5 & exit 0"], { drainMs: 100 });
  assertEquals(r.code, 0);
  assertStringIncludes(r.stdout, "started");
  assert(performance.now() - t < 4500, "waited for the grandchild");
});

Deno.test("spawnCommand() starts a program without waiting and reports missing ones", async () => {
  const child = spawnCommand(["sh", "-c", "exit 5"]);
  assert(child.pid > 0);
  assertEquals((await child.status).code, 5);
  const e = assertThrows(() => spawnCommand(["varietal-no-such-program-xyz"]), CommandError);
  assertEquals(e.exitCode, 127);
});

Deno.test("after() calls back once after the delay, and never once cancelled", async () => {
  const calls: string[] = [];
  const fired = new Promise<void>((resolve) => {
    after(20, () => {
      calls.push("kept");
      resolve();
    });
  });
  const cancel = after(10, () => calls.push("cancelled"));
  cancel();
  await fired;
  await new Promise<void>((r) => after(50, r));
  assertEquals(calls, ["kept"]);
});

Deno.test("a cancelled after() keeps no process waiting for it", async () => {
  // The child cancels a one-minute timer and must exit by itself long before it.
  const code = `import { after } from ${
    JSON.stringify(
      new URL("../../src/process/run_command.ts", import.meta.url).href,
    )
  };
  after(60_000, () => console.log("fired"))();
  console.log("done");`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  assertEquals(new TextDecoder().decode(out.stdout), "done\n");
  assertEquals([out.code, out.signal], [0, null], "it exited on its own");
});

Deno.test("runCommand() keeps only the end of a stderr that goes on and on", async () => {
  // 8 MB of stderr (a hook running `yes >&2` till its timeout writes gigabytes): the last
  // line is what a failure is told by, and memory stays small.
  const r = await runCommand([
    "sh",
    "-c",
    "head -c 8000000 /dev/zero | tr '\\0' e >&2; printf '\\nthe last line\\n' >&2; exit 3",
  ], { check: false });
  assertEquals(r.code, 3);
  assert(r.stderr.length <= 128 * 1024, `kept ${r.stderr.length} characters`);
  assert(r.stderr.endsWith("the last line"), r.stderr.slice(-40));
});
