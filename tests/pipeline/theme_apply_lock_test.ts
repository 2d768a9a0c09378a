// `theme apply` writes the theme under the pipeline's lock, as a change does: run while a `next`
// is under way, it waits for it and themes the picture that `next` put on screen.
import { assert, assertEquals } from "../_helpers/assert.ts";
import { fixture } from "./_fixture.ts";
import { probeWallpaper } from "./_daemon_process.ts";
import { acquireLock, pipelineLockFile } from "../../src/pipeline/lock.ts";
import { resolvePaths } from "../../src/config/paths.ts";
import { spawnCli } from "../_helpers/env.ts";

Deno.test("theme apply waits for a change under way and themes the picture it left on screen", async () => {
  await using f = await fixture();
  const [a, b] = f.images;
  assertEquals((await f.cli(["next", "--image", a])).code, 0);
  assertEquals(await probeWallpaper(f.probe), a);
  const lockFile = pipelineLockFile(resolvePaths((k) => f.home.env[k]));
  // A change holds the lock (here the test, standing in for a `next` whose setter is slow)...
  const held = await acquireLock(lockFile, { purpose: "test" });
  const apply = spawnCli(f.home, ["theme", "apply"]);
  let exited = false;
  const done = apply.output().finally(() => exited = true);
  await new Promise((r) => setTimeout(r, 1500));
  assert(!exited, "theme apply wrote the theme while a change held the lock");
  // ...and, once it has set and recorded b, lets go: theme apply reads the picture then.
  await Deno.remove(f.probe);
  held.release();
  const out = await done;
  assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
  assertEquals(await probeWallpaper(f.probe), a, "the picture on screen when it got the lock");
  // The same with a change that really runs: the theme on disk is the picture on screen.
  const again = await acquireLock(lockFile, { purpose: "test" });
  const applying = spawnCli(f.home, ["theme", "apply"]).output();
  await new Promise((r) => setTimeout(r, 500));
  const next = spawnCli(f.home, ["next", "--image", b]).output();
  again.release();
  const [x, y] = await Promise.all([applying, next]);
  assertEquals([x.code, y.code], [0, 0]);
  assertEquals(await probeWallpaper(f.probe), b);
});
