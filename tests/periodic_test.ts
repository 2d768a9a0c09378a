// The daemon's periodic jobs (remote top-up, rescan) keep their delays by the wall
// clock too: a suspended machine's timers stop, and a job due during a night asleep
// runs soon after waking, not after the rest of its delay.
import { assertEquals } from "./_helpers/assert.ts";
import { startPeriodic } from "../src/periodic.ts";

Deno.test("startPeriodic() runs a job that fell due while the machine was suspended", async () => {
  let wall = Date.UTC(2030, 0, 1);
  let runs = 0;
  const job = startPeriodic({
    run: () => Promise.resolve(void runs++),
    firstDelayMs: 3_600_000, // an hour, by the timers
    nextDelayMs: () => 3_600_000,
    now: () => wall,
    checkMs: 5,
  });
  await new Promise((r) => setTimeout(r, 30));
  assertEquals(runs, 0, "not due yet");
  wall += 8 * 3_600_000; // a night asleep: only the wall clock moved
  await job.nextCheck();
  assertEquals(runs, 1);
  // The next delay counts from the end of that run.
  await new Promise((r) => setTimeout(r, 30));
  assertEquals(runs, 1);
  wall += 3_600_000;
  await job.nextCheck();
  assertEquals(runs, 2);
  await job.stop();
});

Deno.test("startPeriodic() keeps to its timers when the wall clock is set back", async () => {
  let wall = Date.UTC(2030, 0, 1);
  let runs = 0;
  const job = startPeriodic({
    run: () => Promise.resolve(void runs++),
    firstDelayMs: 20,
    nextDelayMs: () => 3_600_000,
    now: () => wall,
    checkMs: 5,
  });
  wall -= 3_600_000; // an hour back: the delay is still 20 ms of the timers'
  await job.nextCheck();
  assertEquals(runs, 1);
  await job.stop();
});
