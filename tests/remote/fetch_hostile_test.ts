// fetchRemotes() when services misbehave: each problem is a clear warning for its remote,
// nothing half-written is kept, the other remotes go on, and rate limits are remembered.
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_helpers/assert.ts";
import { FakeServices, makeImages, remoteToml } from "./_fake_services.ts";
import { stalls } from "./_fake_server.ts";
import { filesIn, remoteWorld, SECRET_KEY } from "./_setup.ts";
import { getRemote } from "../../src/db/remotes.ts";

async function twoRemotes(svc: FakeServices) {
  svc.list("wallhaven", await makeImages("wh", 2));
  svc.list("bing", await makeImages("bg", 2));
  return await remoteWorld(remoteToml(svc, "wallhaven") + remoteToml(svc, "bing"));
}

const API_PROBLEMS: [
  string,
  () => { status?: number; headers?: Record<string, string>; body: string },
  RegExp,
][] = [
  ["malformed JSON", () => ({ body: "{data: [oops" }), /malformed JSON/],
  ["partial JSON", () => ({ body: '{"data":[{"id":"a","path":"http' }), /malformed JSON/],
  ["an HTML page with status 200", () => ({
    headers: { "Content-Type": "text/html" },
    body: "<!DOCTYPE html><html><body>Cloudflare says hi</body></html>",
  }), /an HTML or XML page/],
  ["a JSON error object", () => ({ body: '{"error":"Unauthorized"}' }), /no `data` list/],
  ["a 403", () => ({ status: 403, body: "nope" }), /refused access \(403\); check the API key/],
  ["a 404", () => ({ status: 404, body: "nope" }), /not found \(404\)/],
];

for (const [what, reply, message] of API_PROBLEMS) {
  Deno.test(`fetchRemotes() reports ${what} from one API and fetches the other remotes`, async () => {
    await using svc = new FakeServices();
    await using w = await twoRemotes(svc);
    svc.overrides.set("/wallhaven/api/v1/search", reply);
    const r = await w.fetch();
    assertEquals(r.warnings.length, 1, JSON.stringify(r.warnings));
    assertEquals(r.warnings[0].remote, "wallhaven");
    assertMatch(r.warnings[0].message, message);
    assertEquals(r.remotes.find((x) => x.name === "wallhaven")!.status, "failed");
    assertEquals(r.remotes.find((x) => x.name === "bing")!.added, 2);
    assertEquals(await filesIn(`${w.paths.data}/downloads/wallhaven`), []);
    // Not rate-limited: no back-off; the error is kept for `remote list`.
    const row = getRemote(w.db, "wallhaven")!;
    assertEquals(row.backoff_until, null);
    assertMatch(row.last_error!, message);
  });
}

Deno.test("fetchRemotes() notes listed items with missing fields and keeps the good ones", async () => {
  await using svc = new FakeServices();
  svc.list("wallhaven", await makeImages("wh", 1));
  svc.extra.wallhaven.push({ id: "nopath", purity: "sfw" }, { path: 42 }, "junk", null);
  svc.extra.apod.push({ date: "2020-01-01", media_type: "video", url: "https://youtube.com/x" });
  svc.list("apod", await makeImages("ap", 1));
  await using w = await remoteWorld(
    remoteToml(svc, "wallhaven", "wallhaven", { keep_unseen: 5 }) +
      remoteToml(svc, "apod", "apod", { keep_unseen: 5 }),
  );
  const r = await w.fetch();
  assertEquals(r.added.length, 2);
  const notes = r.notes.map((n) => `${n.remote}: ${n.message}`).join("\n");
  assertStringIncludes(notes, "wallhaven: 4 of 5 results had no id or image path and were skipped");
  assertStringIncludes(notes, "apod: 1 of 2 results were videos or other media and were skipped");
});

Deno.test("fetchRemotes() backs off on 429 with Retry-After, remembered across runs", async () => {
  await using svc = new FakeServices();
  await using w = await twoRemotes(svc);
  svc.overrides.set("/wallhaven/api/v1/search", () => ({
    status: 429,
    headers: { "Retry-After": "3600", "X-RateLimit-Remaining": "0" },
    body: "Too Many Requests",
  }));
  const t0 = Date.now();
  const r = await w.fetch();
  assertStringIncludes(r.warnings[0].message, "too many requests (429)");
  assertEquals(r.remotes.find((x) => x.name === "bing")!.added, 2);
  const until = getRemote(w.db, "wallhaven")!.backoff_until!;
  assert(until >= t0 + 3_600_000 && until <= Date.now() + 3_600_000, String(until - t0));
  // The report of the run that failed says when, as a skipped run's does.
  assertEquals(r.remotes.find((x) => x.name === "wallhaven")!.backoff_until, until);
  // The next run (a new process would read the same row) does not contact the server.
  const hits = svc.server.hits("/wallhaven").length;
  const again = await w.fetch();
  assertEquals(svc.server.hits("/wallhaven").length, hits);
  const o = again.remotes.find((x) => x.name === "wallhaven")!;
  assertEquals(o.status, "skipped");
  assertStringIncludes(o.note!, "backing off");
  // Said once when it failed; while backing off it is a note, not a new warning each time.
  assertEquals(again.warnings, []);
  assertStringIncludes(again.notes.map((n) => n.message).join(), "not contacted until");
  // In the same form as every other time varietal prints, whatever the locale.
  assertMatch(again.notes.map((n) => n.message).join(), /until \d{4}-\d\d-\d\d \d\d:\d\d /);
});

Deno.test("fetchRemotes() backs off when rate-limit headers reach zero, and on 5xx", async () => {
  await using svc = new FakeServices();
  await using w = await twoRemotes(svc);
  svc.overrides.set("/bing/HPImageArchive.aspx", () => ({
    status: 503,
    headers: { "Content-Type": "text/plain" },
    body: "maintenance",
  }));
  svc.overrides.set("/wallhaven/api/v1/search", () => ({
    status: 429,
    headers: { "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "900" },
    body: "",
  }));
  const t0 = Date.now();
  const r = await w.fetch();
  assertEquals(r.warnings.map((x) => x.remote).sort(), ["bing", "wallhaven"]);
  const wh = getRemote(w.db, "wallhaven")!.backoff_until! - t0;
  assert(wh >= 899_000 && wh <= 901_000 + (Date.now() - t0), String(wh));
  const bing = getRemote(w.db, "bing")!;
  assertEquals(bing.failures, 1);
  // 5 minutes for a first transient failure.
  assert(
    bing.backoff_until! - t0 >= 299_000 && bing.backoff_until! - t0 <= 301_000 + (Date.now() - t0),
  );
});

Deno.test("fetchRemotes() times out on an API that stalls and goes on with the others", async () => {
  await using svc = new FakeServices();
  await using w = await twoRemotes(svc);
  svc.overrides.set(
    "/wallhaven/api/v1/search",
    () => stalls(new TextEncoder().encode('{"data":['), 60_000, "application/json"),
  );
  const r = await w.fetch();
  assertEquals(r.warnings.map((x) => x.remote), ["wallhaven"]);
  assertStringIncludes(r.warnings[0].message, "idle timeout");
  assertEquals(r.remotes.find((x) => x.name === "bing")!.added, 2);
});

Deno.test("fetchRemotes() never requests images on hosts the kind does not download from", async () => {
  await using svc = new FakeServices();
  svc.list("wallhaven", await makeImages("wh", 1));
  svc.extra.wallhaven.push({
    id: "evil",
    url: "https://wallhaven.cc/w/evil",
    path: "http://127.0.0.2:9/evil.jpg",
    purity: "sfw",
  });
  await using w = await remoteWorld(remoteToml(svc, "wallhaven", "wallhaven", { keep_unseen: 5 }));
  const r = await w.fetch();
  assertEquals(r.added.length, 1);
  assertStringIncludes(
    r.notes.map((n) => n.message).join("\n"),
    "1 results were on hosts this kind does not download from",
  );
});

Deno.test("fetchRemotes() refuses an API redirect to another host", async () => {
  await using svc = new FakeServices();
  await using other = new FakeServices();
  await using w = await twoRemotes(svc);
  svc.overrides.set("/wallhaven/api/v1/search", () => ({
    status: 302,
    headers: { Location: `${other.origin}/wallhaven/api/v1/search` },
  }));
  const r = await w.fetch();
  assertStringIncludes(r.warnings[0].message, `refused a redirect to ${other.server.host}`);
  assertEquals(other.server.requests.length, 0);
});

Deno.test("fetchRemotes() keeps only sfw items unless sfw_only is false", async () => {
  await using svc = new FakeServices();
  const imgs = await makeImages("rd", 2);
  svc.list("reddit", imgs);
  const nsfw = await makeImages("nsfw", 1);
  svc.extra.reddit.push({
    kind: "t3",
    data: {
      id: "nsfw0",
      url: svc.file("nsfw0.jpg", nsfw[0].bytes),
      permalink: "/r/x/comments/nsfw0/",
      title: "nsfw",
      author: "a",
      over_18: true,
      post_hint: "image",
    },
  });
  svc.extra.wallhaven.push({
    id: "sketchy",
    url: "https://wallhaven.cc/w/sketchy",
    path: svc.file("sketchy.jpg", (await makeImages("sk", 1))[0].bytes),
    purity: "sketchy",
  });
  await using w = await remoteWorld(
    remoteToml(svc, "reddit", "reddit", { keep_unseen: 10 }) +
      remoteToml(svc, "wallhaven", "wallhaven", { keep_unseen: 10 }),
  );
  const r = await w.fetch();
  assertEquals(r.added.map((f) => f.credit.item_id).sort(), ["rd0", "rd1"]);
  assertEquals(
    svc.server.hits("/img/nsfw0.jpg").length + svc.server.hits("/img/sketchy.jpg").length,
    0,
  );
  assertEquals(svc.server.hits("/wallhaven/api/v1/search")[0].query.get("purity"), "100");
  w.reconfigure(remoteToml(svc, "reddit", "reddit", { keep_unseen: 10, sfw_only: false }));
  const r2 = await w.fetch();
  assertEquals(r2.added.map((f) => f.credit.item_id), ["nsfw0"]);
});

Deno.test("fetchRemotes() stores the same picture from two remotes once", async () => {
  await using svc = new FakeServices();
  const [same] = await makeImages("same", 1);
  svc.list("wallhaven", [same]);
  svc.list("reddit", [{ ...same, id: "other-id" }]);
  await using w = await remoteWorld(
    remoteToml(svc, "wallhaven", "wallhaven", { keep_unseen: 1 }) +
      remoteToml(svc, "reddit", "reddit", { keep_unseen: 1 }),
  );
  const r = await w.fetch();
  assertEquals(r.added.length, 1);
  const files = [
    ...await filesIn(`${w.paths.data}/downloads/wallhaven`),
    ...await filesIn(`${w.paths.data}/downloads/reddit`),
  ];
  assertEquals(files.length, 1);
  // Said, for the remote whose copy was skipped.
  const said = r.notes.filter((n) => n.message.includes("same bytes as a picture already stored"));
  assertEquals(said.length, 1, JSON.stringify(r.notes));
  assertStringIncludes(said[0].message, "1 download(s)");
  // The duplicate URL is remembered: not downloaded again.
  const hits = svc.server.hits("/img/").length;
  await w.fetch();
  assertEquals(svc.server.hits("/img/").length, hits);
});

Deno.test("API keys are sent to the service but never printed, stored or put in JSON", async () => {
  await using svc = new FakeServices();
  svc.list("unsplash", await makeImages("un", 2));
  // APOD takes its key in the query string; its API here is a closed port, so the error
  // message Deno gives names the URL.
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (closed.addr as Deno.NetAddr).port;
  closed.close();
  await using w = await remoteWorld(
    remoteToml(svc, "unsplash") +
      remoteToml(svc, "apod", "apod", {
        api: `http://127.0.0.1:${port}/apod`,
        api_key_env: "APOD_TEST_KEY",
      }),
    { APOD_TEST_KEY: `${SECRET_KEY}-apod` },
  );
  const r = await w.fetch();
  assertEquals(r.added.length, 2);
  const auth = svc.server.hits("/unsplash/photos/random")[0].headers.get("authorization");
  assertEquals(auth, `Client-ID ${SECRET_KEY}`);
  assertEquals(r.warnings.map((x) => x.remote), ["apod"]);
  assertStringIncludes(r.warnings[0].message, "cannot connect");
  const everything = JSON.stringify(r) + JSON.stringify(getRemote(w.db, "apod"));
  assert(!everything.includes(SECRET_KEY), everything);
  w.db.close();
  for (const f of ["varietal.db", "varietal.db-wal"]) {
    const bytes = await Deno.readFile(`${w.paths.data}/${f}`).catch(() => new Uint8Array());
    assert(!new TextDecoder("latin1").decode(bytes).includes(SECRET_KEY), `${f} holds the key`);
  }
});
