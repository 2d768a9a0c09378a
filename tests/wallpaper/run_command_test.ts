// The subprocess helper: exit codes, stderr, timeouts, missing programs.
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../_helpers/assert.ts";
import { CommandError, runCommand } from "../../src/wallpaper/run_command.ts";

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
