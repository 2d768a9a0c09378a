// The in-process async mutex.
import { assert, assertEquals } from "../_helpers/assert.ts";
import { AsyncMutex } from "../../src/pipeline/mutex.ts";

Deno.test("AsyncMutex runs callers one at a time in arrival order", async () => {
  const m = new AsyncMutex();
  const log: string[] = [];
  let inside = 0;
  const task = (name: string, ms: number) =>
    m.run(async () => {
      inside++;
      assertEquals(inside, 1);
      log.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`end ${name}`);
      inside--;
    });
  await Promise.all([task("a", 30), task("b", 1), task("c", 10)]);
  assertEquals(log, ["start a", "end a", "start b", "end b", "start c", "end c"]);
  assert(!m.locked);
});

Deno.test("AsyncMutex is released when the holder throws", async () => {
  const m = new AsyncMutex();
  await m.run(() => {
    throw new Error("boom");
  }).catch(() => {});
  assert(!m.locked);
  assertEquals(await m.run(() => 42), 42);
});

Deno.test("AsyncMutex.acquire() returns a Disposable for using", async () => {
  const m = new AsyncMutex();
  {
    using _held = await m.acquire();
    assert(m.locked);
  }
  assert(!m.locked);
});
