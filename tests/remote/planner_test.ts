import { assertEquals } from "../_helpers/assert.ts";
import {
  candidateProblem,
  chooseCandidates,
  nextBackoff,
  noCandidateNote,
  planEviction,
  wantedImages,
} from "../../src/remote/planner.ts";
import { getKind } from "../../src/remote/kinds/registry.ts";
import type { RemoteItem, RemoteSpec } from "../../src/remote/protocol.ts";
import { redact } from "../../src/remote/worker.ts";
import { retryAt, scrub } from "../../src/remote/guarded_fetch.ts";

const spec: RemoteSpec = {
  name: "w",
  kind: "wallhaven",
  query: "",
  api: "https://wallhaven.cc/api/v1",
  key: null,
  sfwOnly: true,
  minWidth: 640,
  minHeight: 480,
};

function it(id: string, extra: Partial<RemoteItem> = {}): RemoteItem {
  return {
    id,
    imageUrl: `https://w.wallhaven.cc/full/${id}.jpg`,
    pageUrl: null,
    author: null,
    authorUrl: null,
    title: null,
    licence: null,
    width: null,
    height: null,
    fileSize: null,
    pingUrl: null,
    ...extra,
  };
}

Deno.test("wantedImages() tops up to keep_unseen unless a count is given", () => {
  assertEquals(wantedImages(10, 3), 7);
  assertEquals(wantedImages(10, 12), 0);
  assertEquals(wantedImages(10, 12, 4), 4);
});

Deno.test("chooseCandidates() skips known, blocked, off-host, too small and too big items", () => {
  const rules = {
    kind: getKind("wallhaven"),
    spec,
    skip: new Set(["url:https://w.wallhaven.cc/full/known.jpg", "item:wallhaven:banned"]),
    maxFileSize: 1000,
  };
  const items = [
    it("known"),
    it("banned"),
    it("off", { imageUrl: "https://elsewhere.example/off.jpg" }),
    it("small", { width: 320, height: 200 }),
    it("big", { fileSize: 5000 }),
    it("a"),
    it("a"),
    it("b", { width: 1920, height: 1080, fileSize: 999 }),
    it("c"),
    it("d"),
    it("e"),
  ];
  assertEquals(candidateProblem(items[3], rules), "too small as listed");
  assertEquals(chooseCandidates(items, 1, rules).map((i) => i.id), ["a", "b", "c", "d"]);
  assertEquals(chooseCandidates(items, 0, rules), []);
});

Deno.test("planEviction() frees space from shown, non-favourite, not-current images, oldest first", () => {
  const img = (id: number, shown: number | null, favorite = false) => ({
    id,
    size: 100,
    last_shown_at: shown,
    favorite,
  });
  const images = [img(1, 10, true), img(2, 30), img(3, 20), img(4, null), img(5, 5), img(6, 40)];
  assertEquals(planEviction(images, 600, 650, new Set()), { ids: [], usage: 600 });
  assertEquals(planEviction(images, 600, 400, new Set([5])), { ids: [3, 2], usage: 400 });
  // Only unseen, favourite and current images left: still over.
  assertEquals(planEviction(images, 600, 100, new Set([5])), { ids: [3, 2, 6], usage: 300 });
});

Deno.test("nextBackoff() honours the server, then doubles per failure with caps", () => {
  const now = 1_000_000;
  const MIN = 60_000;
  assertEquals(
    nextBackoff(0, { message: "", retryAt: now + 3 * 3600_000 }, now),
    now + 3 * 3600_000,
  );
  assertEquals(nextBackoff(0, { message: "", retryAt: now + 5 }, now), now + MIN);
  assertEquals(nextBackoff(0, { message: "", rateLimited: true }, now), now + 15 * MIN);
  assertEquals(nextBackoff(2, { message: "", rateLimited: true }, now), now + 60 * MIN);
  assertEquals(nextBackoff(20, { message: "", rateLimited: true }, now), now + 24 * 60 * MIN);
  assertEquals(nextBackoff(1, { message: "", transient: true }, now), now + 10 * MIN);
  assertEquals(nextBackoff(30, { message: "", transient: true }, now), now + 6 * 60 * MIN);
  assertEquals(nextBackoff(3, { message: "bad key" }, now), null);
});

Deno.test("retryAt() reads Retry-After and rate-limit headers", () => {
  const now = Date.UTC(2024, 0, 1);
  const h = (o: Record<string, string>) => new Headers(o);
  assertEquals(retryAt(h({ "Retry-After": "120" }), now), now + 120_000);
  assertEquals(
    retryAt(h({ "Retry-After": new Date(now + 60_000).toUTCString() }), now),
    now + 60_000,
  );
  assertEquals(
    retryAt(h({ "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "30" }), now),
    now + 30_000,
  );
  assertEquals(
    retryAt(
      h({ "x-ratelimit-remaining": "0.0", "x-ratelimit-reset": String(now / 1000 + 99) }),
      now,
    ),
    now + 99_000,
  );
  assertEquals(retryAt(h({ "RateLimit-Remaining": "0", "RateLimit-Reset": "5" }), now), now + 5000);
  assertEquals(retryAt(h({ "X-RateLimit-Remaining": "12", "X-RateLimit-Reset": "30" }), now), null);
  assertEquals(retryAt(h({ "Retry-After": "99999999" }), now), now + 7 * 86_400_000);
  assertEquals(retryAt(h({}), now), null);
});

Deno.test("redact() and scrub() keep keys and query strings out of messages", () => {
  assertEquals(redact('{"m":"key sk-123456 here"}', ["sk-123456", "abc"]), '{"m":"key *** here"}');
  assertEquals(redact("short abc stays", ["abc"]), "short abc stays");
  assertEquals(
    scrub(
      "error sending request for url (https://api.nasa.gov/planetary/apod?api_key=SECRET&count=1)",
    ),
    "error sending request for url (https://api.nasa.gov/planetary/apod)",
  );
});

Deno.test("noCandidateNote() says why nothing listed was downloaded, the most common reason first", () => {
  const rules = {
    kind: getKind("wallhaven"),
    spec,
    skip: new Set(["url:https://w.wallhaven.cc/full/known.jpg"]),
    maxFileSize: 1000,
  };
  const items = [
    it("known"),
    it("small1", { width: 320, height: 200 }),
    it("small2", { width: 1920, height: 200 }),
    it("big", { fileSize: 5000 }),
  ];
  assertEquals(chooseCandidates(items, 3, rules), []);
  assertEquals(
    noCandidateNote(items, rules),
    "the service listed 4 images, none to download: 2 smaller than min_width × min_height " +
      "(640 × 480) as listed, 1 already here or blocked, 1 larger than max_file_size as listed",
  );
  assertEquals(
    noCandidateNote([it("known")], rules),
    "the service listed 1 image, none to download: 1 already here or blocked",
  );
  assertEquals(noCandidateNote([], rules), "the service listed no image");
  // What the listing already left out as known counts with the rest.
  assertEquals(
    noCandidateNote([], rules, 3),
    "the service listed 3 images, none to download: 3 already here or blocked",
  );
  assertEquals(
    noCandidateNote([it("small1", { width: 10, height: 10 })], rules, 2),
    "the service listed 3 images, none to download: 2 already here or blocked, 1 smaller than " +
      "min_width × min_height (640 × 480) as listed",
  );
});
