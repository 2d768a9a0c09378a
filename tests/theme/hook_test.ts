// runHook(): argv without a shell, exit codes and stderr, timeouts, abort.
import { assert, assertEquals } from "../_helpers/assert.ts";
import { runHook } from "../../src/theme/hook.ts";

Deno.test("runHook() reports success and failure with the exit code and stderr", async () => {
  assertEquals(await runHook(["true"]), { ok: true });
  const r = await runHook(["sh", "-c", "echo 'no kitty running' >&2; exit 3"]);
  assertEquals(r.ok, false);
  assertEquals(r.reason, "exit code 3: no kitty running");
});

Deno.test("runHook() does not use a shell for plain argv", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // With a shell, `;` would run touch; as argv it is just an argument to echo.
    const r = await runHook(["echo", "x;", "touch", `${dir}/pwned`]);
    assert(r.ok);
    assertEquals([...Deno.readDirSync(dir)].length, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runHook() kills a hook that runs past its timeout", async () => {
  const t0 = performance.now();
  const r = await runHook(["sleep", "30"], { timeoutMs: 200 });
  assertEquals(r, { ok: false, reason: "timed out after 200ms" });
  assert(performance.now() - t0 < 10_000, "the hook was not left running");
});

Deno.test("runHook() reports a missing command and stops on abort", async () => {
  const r = await runHook(["varietal-no-such-command-xyz"]);
  assertEquals(r, {
    ok: false,
    missing: true,
    reason: "not run: 'varietal-no-such-command-xyz' is not installed",
  });
  // A program that is installed and fails is not "missing", even when it is a shell saying 127.
  const sh = await runHook(["sh", "-c", "exit 127"]);
  assertEquals([sh.ok, sh.missing], [false, undefined]);
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 100);
  assertEquals(await runHook(["sleep", "30"], { signal: ac.signal }), {
    ok: false,
    reason: "cancelled",
  });
});
