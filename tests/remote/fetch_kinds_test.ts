// fetchRemotes() against fake servers of all six kinds (real response shapes), no network.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { FakeServices, makeImages, remoteToml } from "./_fake_services.ts";
import { filesIn, remoteWorld } from "./_setup.ts";
import { getCredits } from "../../src/db/attribution.ts";
import { listRemotes } from "../../src/db/remotes.ts";

const KINDS = ["wallhaven", "unsplash", "reddit", "bing", "apod", "rss"] as const;

Deno.test("fetchRemotes() downloads, checks and indexes images of all six kinds with credits", async () => {
  await using svc = new FakeServices();
  for (const k of KINDS) svc.list(k, await makeImages(`${k}-`, 3));
  await using w = await remoteWorld(KINDS.map((k) => remoteToml(svc, k)).join("\n"));
  const r = await w.fetch();
  assertEquals(r.warnings, []);
  for (const k of KINDS) {
    const o = r.remotes.find((x) => x.name === k)!;
    assertEquals([o.status, o.wanted, o.added], ["ok", 2, 2], k);
    const files = await filesIn(`${w.paths.data}/downloads/${k}`);
    assertEquals(files.length, 2, `${k}: ${files}`);
  }
  assertEquals(r.added.length, 12);
  // No partial files are left.
  assertEquals(await filesIn(`${w.paths.data}/downloads/.partial`), []);
  // Every file is indexed under its remote's source, with its hash and credit.
  const rows = w.db.prepare(
    `SELECT i.id, i.path, i.width, i.height, i.content_hash, s.kind AS source_kind
     FROM images i JOIN sources s ON s.id = i.source_id`,
  ).all() as {
    id: number;
    path: string;
    width: number;
    content_hash: string;
    source_kind: string;
  }[];
  assertEquals(rows.length, 12);
  assert(rows.every((x) => x.source_kind === "remote" && x.width === 96 && x.content_hash));
  const credits = getCredits(w.db, rows.map((x) => x.id));
  const by = (kind: string) => [...credits.values()].find((c) => c.kind === kind)!;
  assertStringIncludes(by("wallhaven").page_url!, "https://wallhaven.cc/w/wallhaven-");
  assertEquals(by("unsplash").author, "Jane Doe");
  assertStringIncludes(
    by("unsplash").author_url!,
    "https://unsplash.com/@jane?utm_source=varietal",
  );
  assertStringIncludes(by("unsplash").licence!, "Unsplash License");
  assertStringIncludes(by("unsplash").ping_url!, "/unsplash/photos/unsplash-");
  assertEquals(by("reddit").author, "u/photog");
  assertStringIncludes(by("reddit").page_url!, "/r/EarthPorn/comments/reddit-");
  assertEquals(by("bing").author, "Kari Nordmann/Getty Images");
  assertEquals(by("bing").title, "A quiet fjord, Norway");
  assertEquals(by("apod").author, "Ann Astro");
  assertStringIncludes(by("apod").page_url!, "https://apod.nasa.gov/apod/ap23");
  assertEquals(by("rss").author, "Rita & Sam");
  assertEquals(by("rss").licence, "CC BY 4.0");
  // Each remote is a source of kind 'remote' with its folder as path.
  assertEquals(listRemotes(w.db).map((x) => x.name).sort(), [...KINDS].sort());
  // A second fetch has nothing to do: keep_unseen (2) images wait unseen.
  const again = await w.fetch();
  assertEquals(again.added.length, 0);
  assert(again.remotes.every((x) => x.status === "ok" && x.wanted === 0), JSON.stringify(again));
});

Deno.test("fetchRemotes() refuses downloads over [palette] max_megapixels", async () => {
  await using svc = new FakeServices();
  const big = await makeImages("big-", 1, { width: 1400, height: 800 }); // 1.12 megapixels
  const small = await makeImages("small-", 1);
  svc.list("wallhaven", [...big, ...small]);
  await using w = await remoteWorld(
    "[palette]\nmax_megapixels = 1\n\n" + remoteToml(svc, "wallhaven", "walls", { keep_unseen: 2 }),
  );
  const r = await w.fetch();
  assertEquals(r.added.map((f) => f.credit.item_id), ["small-0"]);
  assert(
    JSON.stringify(r).includes("too large: 1400×800 exceeds 1 megapixels"),
    JSON.stringify(r),
  );
});

Deno.test("fetchRemotes() says a listing held only pictures it already has, not that it was empty", async () => {
  await using svc = new FakeServices();
  svc.list("rss", await makeImages("rss-", 2));
  await using w = await remoteWorld(remoteToml(svc, "rss"));
  const first = await w.fetch({ count: 5 });
  assertEquals(first.added.length, 2);
  const again = await w.fetch({ count: 5 });
  assertEquals(again.added.length, 0);
  const o = again.remotes.find((x) => x.name === "rss")!;
  assertEquals(o.status, "partial");
  assertEquals(o.note, "the service listed 2 images, none to download: 2 already here or blocked");
});
