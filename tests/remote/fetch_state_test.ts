// What fetches remember and keep: downloading follows consumption (keep_unseen), the quota
// deletes shown images (never favourites or the current wallpaper), Unsplash's pings are
// queued when an image is shown and sent by the next fetch, bans are never downloaded again.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { FakeServices, makeImages, remoteToml } from "./_fake_services.ts";
import { filesIn, remoteWorld, SECRET_KEY } from "./_setup.ts";
import { recordShows } from "../../src/db/history.ts";
import { getImage, setImageFlag } from "../../src/db/images.ts";
import { browseFile, writeBrowseState } from "../../src/pipeline/browse.ts";
import { discardBannedDownloads } from "../../src/remote/ban.ts";

function imageIds(db: { prepare(sql: string): { all(): unknown[] } }): number[] {
  return (db.prepare(
    "SELECT image_id AS id FROM remote_images ORDER BY downloaded_at, image_id",
  ).all() as { id: number }[]).map((r) => r.id);
}

Deno.test("keep_unseen makes downloading follow consumption; --count overrides it", async () => {
  await using svc = new FakeServices();
  svc.list("wallhaven", await makeImages("k", 8));
  await using w = await remoteWorld(remoteToml(svc, "wallhaven", "w", { keep_unseen: 2 }));
  assertEquals((await w.fetch()).added.length, 2);
  assertEquals((await w.fetch()).added.length, 0);
  const [first] = imageIds(w.db);
  recordShows(w.db, [{ imageId: first, shownAt: Date.now() }]);
  assertEquals((await w.fetch()).added.length, 1);
  assertEquals((await w.fetch({ count: 3 })).added.length, 3);
  assertEquals((await filesIn(`${w.paths.data}/downloads/w`)).length, 6);
});

Deno.test("the quota deletes the shown images seen longest ago, never a favourite or the current one", async () => {
  await using svc = new FakeServices();
  svc.list("wallhaven", await makeImages("q", 5));
  await using w = await remoteWorld(remoteToml(svc, "wallhaven", "w", { keep_unseen: 4 }));
  await w.fetch();
  const ids = imageIds(w.db);
  assertEquals(ids.length, 4);
  const size = getImage(w.db, ids[0])!.size;
  // Shown in order ids[0] (favourite), ids[1], ids[2], ids[3] (on screen now).
  ids.forEach((id, i) => recordShows(w.db, [{ imageId: id, shownAt: 1000 + i }]));
  setImageFlag(w.db, ids[0], "favorite", true);
  await writeBrowseState(browseFile(w.paths.state), { cursor: null, changedAt: 1003 });
  // The user lowers the quota to about two images, and wants one more.
  w.config.remote[0].quota = Math.floor(size * 2.5);
  w.config.remote[0].keep_unseen = 1;
  const r = await w.fetch();
  const o = r.remotes[0];
  assertEquals(o.evicted, 2, JSON.stringify(r));
  const gone = ids.filter((id) => getImage(w.db, id)!.missing_since !== null);
  assertEquals(gone, [ids[1], ids[2]]);
  for (const id of ids) {
    const img = getImage(w.db, id)!;
    const exists = await Deno.stat(img.path).then(() => true, () => false);
    assertEquals(exists, !gone.includes(id), img.path);
  }
  // What is left (a favourite and the current wallpaper) fills the quota: no download, a note.
  assertEquals(r.added.length, 0);
  assertStringIncludes(r.notes.map((n) => n.message).join("\n"), "quota is reached");
});

Deno.test("a quota filled with shown images makes room for the next downloads", async () => {
  await using svc = new FakeServices();
  svc.list("wallhaven", await makeImages("r", 8));
  await using w = await remoteWorld(remoteToml(svc, "wallhaven", "w", { keep_unseen: 3 }));
  await w.fetch();
  const ids = imageIds(w.db);
  assertEquals(ids.length, 3);
  let bytes = 0;
  for (const id of ids) bytes += getImage(w.db, id)!.size;
  // Room for about three pictures, all three shown (the last one is on screen).
  w.config.remote[0].quota = Math.floor(bytes * 1.05);
  ids.forEach((id, i) => recordShows(w.db, [{ imageId: id, shownAt: 1000 + i }]));
  const r = await w.fetch();
  const o = r.remotes[0];
  // The two shown longest ago go; the one on screen stays.
  assertEquals(o.evicted, 2, JSON.stringify(r));
  assertEquals(
    ids.filter((id) => getImage(w.db, id)!.missing_since !== null),
    [ids[0], ids[1]],
  );
  assert(r.added.length >= 1, JSON.stringify(r));
});

Deno.test("downloads deleted by hand (or the whole folder) free the quota; the folder is made again", async () => {
  await using svc = new FakeServices();
  svc.list("wallhaven", await makeImages("d", 6));
  await using w = await remoteWorld(remoteToml(svc, "wallhaven", "w", { keep_unseen: 2 }));
  await w.fetch();
  const ids = imageIds(w.db);
  assertEquals(ids.length, 2);
  // Both shown; a quota of about two images: full.
  ids.forEach((id, i) => recordShows(w.db, [{ imageId: id, shownAt: 1000 + i }]));
  const size = getImage(w.db, ids[0])!.size;
  w.config.remote[0].quota = Math.floor(size * 2.2);
  const dir = `${w.paths.data}/downloads/w`;
  await Deno.remove(dir, { recursive: true });
  const r = await w.fetch();
  assertStringIncludes(
    r.notes.map((n) => n.message).join("\n"),
    "2 downloaded file(s) were deleted from its folder: marked missing",
  );
  assert(ids.every((id) => getImage(w.db, id)!.missing_since !== null));
  assertEquals(r.added.length, 2, JSON.stringify(r));
  assertEquals((await filesIn(dir)).length, 2);
});

Deno.test("a file too large for the room left is passed over for a smaller one further down", async () => {
  await using svc = new FakeServices();
  const images = (await makeImages("z", 3)).sort((a, b) => b.bytes.length - a.bytes.length);
  // A feed in a fixed order: the largest first, which does not fit; the smallest fits.
  svc.list("wallhaven", images);
  await using w = await remoteWorld(remoteToml(svc, "wallhaven", "w", { keep_unseen: 1 }));
  w.config.remote[0].quota = images[2].bytes.length + 16;
  w.config.fetch.concurrency = 1;
  const r = await w.fetch();
  assertEquals(r.added.length, 1, JSON.stringify(r));
  const [id] = imageIds(w.db);
  assertEquals(getImage(w.db, id)!.size, images[2].bytes.length);
  assertStringIncludes(r.notes.map((n) => n.message).join("\n"), "was passed over");
});

Deno.test("downloads running side by side together stay under the quota", async () => {
  await using svc = new FakeServices();
  const images = await makeImages("p", 4);
  svc.list("wallhaven", images);
  const sizes = images.map((i) => i.bytes.length).sort((a, b) => a - b);
  // Room for two pictures, not three; four wanted, four downloads at once (concurrency 4).
  const quota = sizes[0] + sizes[1] + Math.floor(sizes[0] / 2);
  await using w = await remoteWorld(remoteToml(svc, "wallhaven", "w", { keep_unseen: 4 }));
  w.config.remote[0].quota = quota; // below what config.toml accepts, as the test above does
  assertEquals(w.config.fetch.concurrency >= 4, true);
  const r = await w.fetch();
  const files = await filesIn(`${w.paths.data}/downloads/w`);
  let bytes = 0;
  for (const f of files) bytes += (await Deno.stat(`${w.paths.data}/downloads/w/${f}`)).size;
  assert(bytes <= quota, `${bytes} bytes on disk over the quota of ${quota}`);
  assertEquals(r.added.length, files.length);
  assert(r.added.length >= 1 && r.added.length <= 2, `${r.added.length} added`);
  assertStringIncludes(r.notes.map((n) => n.message).join("\n"), "quota is reached");
  // Nothing of a discarded file is left indexed either.
  assertEquals(imageIds(w.db).length, files.length);
});

Deno.test("showing an Unsplash image queues its download_location ping; the next fetch sends it", async () => {
  await using svc = new FakeServices();
  svc.list("unsplash", await makeImages("u", 2));
  await using w = await remoteWorld(remoteToml(svc, "unsplash", "photos", { keep_unseen: 2 }));
  await w.fetch();
  const [id] = imageIds(w.db);
  recordShows(w.db, [{ imageId: id, shownAt: Date.now() }]);
  const queued = w.db.prepare("SELECT remote, url FROM remote_pings").all() as {
    remote: string;
    url: string;
  }[];
  assertEquals(queued.length, 1);
  assertEquals(queued[0].remote, "photos");
  assertStringIncludes(queued[0].url, "/unsplash/photos/u");
  assert(!queued[0].url.includes(SECRET_KEY));
  // keep_unseen is 2 and one is unseen: the fetch downloads 1 and sends the ping.
  await w.fetch();
  const pings = svc.server.requests.filter((r) => /\/download$/.test(r.path));
  assertEquals(pings.length, 1);
  assertEquals(pings[0].headers.get("authorization"), `Client-ID ${SECRET_KEY}`);
  assertEquals(pings[0].query.get("ixid"), "abc");
  assertEquals(
    (w.db.prepare("SELECT COUNT(*) AS n FROM remote_pings").get() as { n: number }).n,
    0,
  );
});

Deno.test("a failed ping stays queued and is dropped after five tries", async () => {
  await using svc = new FakeServices();
  svc.list("unsplash", await makeImages("f", 1));
  await using w = await remoteWorld(remoteToml(svc, "unsplash", "photos", { keep_unseen: 1 }));
  await w.fetch();
  recordShows(w.db, [{ imageId: imageIds(w.db)[0], shownAt: Date.now() }]);
  svc.overrides.set(`/unsplash/photos/f0/download`, () => ({ status: 500, body: "" }));
  const count = () =>
    (w.db.prepare("SELECT COUNT(*) AS n FROM remote_pings").get() as { n: number }).n;
  for (let i = 1; i <= 5; i++) {
    const r = await w.fetch({ count: 0 });
    assertStringIncludes(r.warnings.map((x) => x.message).join(), "could not tell the service");
    assertEquals(count(), i < 5 ? 1 : 0);
  }
});

Deno.test("a banned download is deleted and never downloaded again", async () => {
  await using svc = new FakeServices();
  svc.list("bing", await makeImages("b", 3));
  await using w = await remoteWorld(remoteToml(svc, "bing", "bing", { keep_unseen: 1 }));
  await w.fetch();
  const [id] = imageIds(w.db);
  const img = getImage(w.db, id)!;
  setImageFlag(w.db, id, "banned", true);
  assertEquals(await discardBannedDownloads(w.db, [id]), [id]);
  assertEquals(await Deno.stat(img.path).then(() => true, () => false), false);
  const keys = (w.db.prepare("SELECT key FROM remote_blocklist WHERE reason = 'banned'").all() as {
    key: string;
  }[]).map((r) => r.key.replace(/:.*/, ""));
  assertEquals(keys.sort(), ["hash", "item", "url"]);
  const url = (w.db.prepare("SELECT image_url FROM remote_images WHERE image_id = ?").get(id) as {
    image_url: string;
  }).image_url;
  // Even after `prune --missing` forgets the image, its URL stays blocked.
  w.db.prepare("DELETE FROM images WHERE id = ?").run(id);
  const before = svc.server.requests.filter((r) => url.endsWith(r.target)).length;
  const r = await w.fetch({ count: 5 });
  assertEquals(r.added.length, 2);
  assertEquals(svc.server.requests.filter((r) => url.endsWith(r.target)).length, before);
  // Unbanning removes that image's block keys (another image here).
  const other = imageIds(w.db).find((x) => x !== id)!;
  const blocked = () =>
    (w.db.prepare("SELECT COUNT(*) AS n FROM remote_blocklist WHERE image_id = ?").get(other) as {
      n: number;
    }).n;
  setImageFlag(w.db, other, "banned", true);
  assertEquals(blocked(), 3);
  setImageFlag(w.db, other, "banned", false);
  assertEquals(blocked(), 0);
});

Deno.test("one fetch at a time: a second one waits for the lock or gives up", async () => {
  const { acquireLock, BusyError } = await import("../../src/pipeline/lock.ts");
  const { fetchLockFile } = await import("../../src/remote/fetch_remotes.ts");
  await using svc = new FakeServices();
  svc.list("bing", await makeImages("l", 1));
  await using w = await remoteWorld(remoteToml(svc, "bing", "bing", { keep_unseen: 1 }));
  const held = await acquireLock(fetchLockFile(w.paths), { purpose: "fetch" });
  try {
    const e = await w.fetch().then(() => null, (x) => x);
    assert(e instanceof BusyError, String(e));
    assertStringIncludes(e.holder, "fetch");
    assertEquals(svc.server.requests.length, 0);
  } finally {
    held.release();
  }
  // One that waits is told once whom it waits for, then runs.
  const again = await acquireLock(fetchLockFile(w.paths), { purpose: "fetch" });
  const told: (string | null)[] = [];
  const waiting = w.fetch({ lockTimeoutMs: 10_000, onWait: (h) => told.push(h) });
  await new Promise((r) => setTimeout(r, 200));
  again.release();
  assertEquals((await waiting).added.length, 1);
  assertEquals(told, [`pid ${Deno.pid} fetch`]);
});
