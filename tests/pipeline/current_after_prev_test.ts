// "current" means the wallpaper on screen: after `prev` that is not the newest show.
import { assertEquals } from "../_helpers/assert.ts";
import { fixture } from "./_fixture.ts";

Deno.test("favorite and ban without a path act on the wallpaper prev went back to", async () => {
  await using f = await fixture({ images: 4 });
  const first = (await f.cli(["next", "--no-theme", "--json"])).json<{ path: string }>().path;
  const second = (await f.cli(["next", "--no-theme", "--json"])).json<{ path: string }>().path;
  assertEquals((await f.cli(["prev", "--no-theme"])).code, 0);
  const fav = await f.cli(["favorite", "--json"]);
  assertEquals(fav.code, 0, fav.stderr);
  assertEquals(fav.json<{ path: string }[]>().map((x) => x.path), [first]);
  const ban = await f.cli(["ban", "current", "--json"]);
  assertEquals(ban.json<{ path: string }[]>().map((x) => x.path), [first]);
  // Forward again: current is the newest show.
  assertEquals((await f.cli(["next", "--no-theme"])).code, 0);
  const unfav = await f.cli(["unfavorite", "--json"]);
  assertEquals(unfav.json<{ path: string }[]>().map((x) => x.path), [second]);
});

Deno.test("ban without a path waits for a change in progress, and bans the image it put on screen", async () => {
  const { acquireLock, pipelineLockFile } = await import("../../src/pipeline/lock.ts");
  const { recordShows } = await import("../../src/db/history.ts");
  const { getImageByPath } = await import("../../src/db/images.ts");
  await using f = await fixture();
  const [a, b] = f.images;
  assertEquals((await f.cli(["next", "--image", a, "--no-theme"])).code, 0);
  // A `next` that has set b but not yet recorded it (its palette stage) holds the lock.
  const runtime = `${f.home.env.XDG_RUNTIME_DIR}/varietal`;
  const held = await acquireLock(pipelineLockFile({ runtime }), { purpose: "test" });
  const ban = f.cli(["ban"]);
  await new Promise((r) => setTimeout(r, 500)); // `ban` is waiting for the lock
  {
    using db = await f.openDb();
    recordShows(db, [{ imageId: getImageByPath(db, b)!.id, shownAt: Date.now() }]);
  }
  held.release();
  const r = await ban;
  assertEquals(r.code, 0, r.stderr);
  assertEquals(r.stdout, `Banned: ${b}\n`);
});

Deno.test("rapid presses queued behind a change are carried out in press order: the last press stays on screen", async () => {
  const { acquireLock, pipelineLockFile } = await import("../../src/pipeline/lock.ts");
  const { spawnCli } = await import("../_helpers/env.ts");
  await using f = await fixture();
  const runtime = `${f.home.env.XDG_RUNTIME_DIR}/varietal`;
  const lock = pipelineLockFile({ runtime });
  const tickets = async (n: number) => {
    for (let i = 0; i < 600; i++) {
      try {
        if ([...Deno.readDirSync(`${lock}.queue`)].length >= n) return;
      } catch { /* not yet */ }
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`${n} presses never queued`);
  };
  const held = await acquireLock(lock, { purpose: "a change in progress" });
  const presses: Deno.ChildProcess[] = [];
  const order = [3, 0, 4, 1, 5];
  for (const [i, n] of order.entries()) {
    presses.push(spawnCli(f.home, ["next", "--no-theme", "--image", f.images[n]]));
    await tickets(i + 1);
  }
  held.release();
  for (const p of presses) {
    const out = await p.output();
    assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
  }
  const set = (await f.setterCalls()).map((l) => l.split("|")[0]);
  assertEquals(set, order.map((n) => f.images[n]));
  const current = await f.cli(["current"]);
  assertEquals(current.stdout.trim(), f.images[5]);
});
