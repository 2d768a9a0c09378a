import { assert, assertEquals, assertNotEquals } from "../_helpers/assert.ts";
import { naturalKey, nextSeed, shuffleKey } from "../../src/select/play_keys.ts";

const byKey = (paths: string[], key: (p: string) => string) =>
  [...paths].sort((a, b) => key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

Deno.test("naturalKey() orders numbers by value, ignores case and keeps a folder's files together", () => {
  assertEquals(
    byKey(
      ["/p/img10.jpg", "/p/img2.jpg", "/p/IMG1.jpg", "/p/img100.jpg", "/p/img9.png"],
      naturalKey,
    ),
    ["/p/IMG1.jpg", "/p/img2.jpg", "/p/img9.png", "/p/img10.jpg", "/p/img100.jpg"],
  );
  // Leading zeros count for nothing: 007 sits between 6 and 8.
  assertEquals(
    byKey(["/p/8.jpg", "/p/007.jpg", "/p/6.jpg"], naturalKey),
    ["/p/6.jpg", "/p/007.jpg", "/p/8.jpg"],
  );
  // Numbers inside names and folder names, several per name.
  assertEquals(
    byKey(["/c/vol2/p10.jpg", "/c/vol10/p1.jpg", "/c/vol2/p9.jpg", "/c/vol1/p20.jpg"], naturalKey),
    ["/c/vol1/p20.jpg", "/c/vol2/p9.jpg", "/c/vol2/p10.jpg", "/c/vol10/p1.jpg"],
  );
  // "a/…" before "a b/…" and "a-b/…": a folder's files come before its look-alike siblings.
  assertEquals(
    byKey(["/w/a b/x.jpg", "/w/a-b/x.jpg", "/w/a/z.jpg"], naturalKey),
    ["/w/a/z.jpg", "/w/a b/x.jpg", "/w/a-b/x.jpg"],
  );
  // Digits before letters, as in plain byte order.
  assertEquals(byKey(["/p/ab.jpg", "/p/a1.jpg"], naturalKey), ["/p/a1.jpg", "/p/ab.jpg"]);
});

Deno.test("naturalKey() is plain text order where no digits differ", () => {
  const plain = ["/x/b.jpg", "/x/a.jpg", "/x/c/d.jpg", "/x/ä.jpg"];
  assertEquals(byKey(plain, naturalKey), [...plain].sort());
});

Deno.test("shuffleKey() is a stable permutation per seed; seeds give different orders", () => {
  const ids = Array.from({ length: 200 }, (_, i) => i + 1);
  const order = (seed: number) =>
    [...ids].sort((a, b) => shuffleKey(seed, a) < shuffleKey(seed, b) ? -1 : 1);
  assertEquals(order(7), order(7));
  assertNotEquals(order(7), order(8));
  assertNotEquals(order(7), ids, "not the id order");
  for (const id of ids) assert(/^[0-9a-f]{8}$/.test(shuffleKey(123, id)));
  // Consecutive ids do not stay neighbours: the first ten places hold ids from all over.
  const first = order(42).slice(0, 10);
  assert(Math.max(...first) - Math.min(...first) > 50, `spread: ${first}`);
  assertNotEquals(nextSeed(7), 7);
  assertEquals(nextSeed(7), nextSeed(7));
});
