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
