// The decode-failure mark: set, kept while the file is the version that failed, cleared when it
// changes or (for images refused as too large) when the limit is raised.
import { assertEquals } from "../_helpers/assert.ts";
import { Database } from "../../src/db/database.ts";
import { addSource } from "../../src/db/sources.ts";
import { insertImage, updateImageFacts } from "../../src/db/images.ts";
import {
  clearDecodeFailure,
  clearDecodeFailureIfChanged,
  clearFittingTooLarge,
  getDecodeFailure,
  listDecodeFailures,
  markDecodeFailed,
} from "../../src/db/decode_failures.ts";

async function db(): Promise<{ db: Database; ids: number[] }> {
  const d = await Database.open(":memory:");
  const src = addSource(d, "/pics").source.id;
  const ids = [1, 2, 3].map((i) =>
    insertImage(d, {
      path: `/pics/${i}.jpg`,
      source_id: src,
      size: 1000 + i,
      mtime: 5000,
      width: 100,
      height: 100,
      format: "jpg",
    }, 0)
  );
  return { db: d, ids };
}

Deno.test("a decode-failure mark is kept for the same file and cleared for another version", async () => {
  const { db: d, ids } = await db();
  using _ = d;
  const failure = { at: 7, size: 1001, mtime: 5000, pixels: null, reason: "damaged JPEG" };
  markDecodeFailed(d, ids[0], failure);
  assertEquals(getDecodeFailure(d, ids[0]), failure);
  assertEquals(getDecodeFailure(d, ids[1]), undefined);
  assertEquals(clearDecodeFailureIfChanged(d, ids[0], 1001, 5000), false, "same version");
  assertEquals(listDecodeFailures(d).map((f) => f.path), ["/pics/1.jpg"]);
  // a scan updating the facts of the same version keeps the mark, of a new version clears it
  const facts = { path: "/pics/1.jpg", source_id: 1, width: 100, height: 100, format: "jpg" };
  updateImageFacts(d, ids[0], { ...facts, size: 1001, mtime: 5000 }, 9);
  assertEquals(getDecodeFailure(d, ids[0])?.reason, "damaged JPEG");
  updateImageFacts(d, ids[0], { ...facts, size: 1001, mtime: 6000 }, 9);
  assertEquals(getDecodeFailure(d, ids[0]), undefined);
  markDecodeFailed(d, ids[1], { ...failure, size: 1002 });
  clearDecodeFailure(d, ids[1]);
  assertEquals(listDecodeFailures(d), []);
});

Deno.test("clearFittingTooLarge() clears only images refused by a pixel count now allowed", async () => {
  const { db: d, ids } = await db();
  using _ = d;
  const base = { at: 1, size: 1, mtime: 1 };
  markDecodeFailed(d, ids[0], { ...base, pixels: 200e6, reason: "too large" });
  markDecodeFailed(d, ids[1], { ...base, pixels: 900e6, reason: "too large" });
  markDecodeFailed(d, ids[2], { ...base, pixels: null, reason: "damaged" });
  assertEquals(clearFittingTooLarge(d, 150e6), 0);
  assertEquals(clearFittingTooLarge(d, 250e6), 1);
  assertEquals(listDecodeFailures(d).map((f) => f.id).sort(), [ids[1], ids[2]]);
});
