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
