// A daemon with the automatic setter and no graphical session exits 1 at once (systemd's
// Restart=on-failure then tries again with the compositor's variables) instead of failing forever.
import { assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { runCli, tempHome } from "../_helpers/env.ts";

Deno.test("varietal daemon without WAYLAND_DISPLAY or DISPLAY and setter auto exits 1, saying why", async () => {
  await using home = await tempHome();
  // (Bounded: a daemon that ran on instead would be killed, and the exit code would say so.)
  const r = await runCli(home, ["daemon", "-q"], {
    env: { WAYLAND_DISPLAY: "", DISPLAY: "" },
    signal: AbortSignal.timeout(15_000),
  });
  assertEquals(r.code, 1, r.stderr);
  assertStringIncludes(
    r.stderr,
    "varietal: no graphical session (WAYLAND_DISPLAY and DISPLAY are unset), so no wallpaper setter can be chosen",
  );
});
