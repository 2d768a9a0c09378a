import { assert, assertEquals } from "../_helpers/assert.ts";
import {
  bucketSpans,
  HUE_BUCKETS,
  hueBucket,
  hueMask,
  masksWithBit,
  NAMED_HUES,
  namedHueIndex,
  rangeBuckets,
  rangeMatches,
  shareInRange,
} from "../../src/palette/hue_ranges.ts";
import { HUE_NAMES } from "../../src/cli/_constraints.ts";
import { distributions } from "../../src/stats/summarize.ts";

Deno.test("NAMED_HUES cover every hue bucket exactly once", () => {
  const seen = new Array(HUE_BUCKETS).fill(0);
  for (const r of NAMED_HUES) for (const b of rangeBuckets(r)) seen[b]++;
  assertEquals(seen, new Array(HUE_BUCKETS).fill(1));
  assertEquals(rangeBuckets({ from: 15, to: 45 }), [3, 4, 5, 6, 7, 8]);
});

Deno.test("--hue, stats and the report use the one list of named ranges", () => {
  assertEquals(
    Object.entries(HUE_NAMES).map(([name, r]) => ({ name, ...r })),
    NAMED_HUES.map((h) => ({ ...h })),
  );
  const d = distributions([{ d: "h", b: 0b11, n: 4 }]);
  assertEquals(
    d.hue.bins.map((b) => [b.name, b.from, b.to]),
    NAMED_HUES.map((h) => [h.name, h.from, h.to]),
  );
  assertEquals(d.hue.bins.slice(0, 3).map((b) => b.count), [4, 4, 0], "one palette in two ranges");
});

Deno.test("rangeBuckets() wraps past 360, rounds ends to 5° and never comes back empty", () => {
  assertEquals(rangeBuckets({ from: 350, to: 20 }), [70, 71, 0, 1, 2, 3]);
  assertEquals(bucketSpans({ from: 350, to: 20 }), [[70, 71], [0, 3]]);
  assertEquals(rangeBuckets({ from: 201, to: 259 }), rangeBuckets({ from: 200, to: 260 }));
  assertEquals(rangeBuckets({ from: 10, to: 12 }), [2]);
  assertEquals(rangeBuckets({ from: 0, to: 360 }).length, HUE_BUCKETS);
  assertEquals(bucketSpans({ from: 0, to: 360 }), [[0, 71]]);
  assertEquals(hueBucket(359.99), 71);
  assertEquals(hueBucket(-5), 71);
});

Deno.test("rangeMatches() needs 10 % of the picture in the range, summed over its buckets", () => {
  const shares = [{ hue: 350, share: 0.06 }, { hue: 5, share: 0.04 }, { hue: 100, share: 0.5 }];
  assertEquals(shareInRange(shares, { from: 345, to: 15 }), 0.1);
  assert(rangeMatches(shares, { from: 345, to: 15 }));
  assert(!rangeMatches(shares, { from: 345, to: 0 }));
  assertEquals(hueMask(shares), 0b1001, "red and green");
});

Deno.test("namedHueIndex() and masksWithBit() find the stored mask values of a name", () => {
  assertEquals(namedHueIndex({ from: 200, to: 260 }), 5);
  assertEquals(namedHueIndex({ from: 200, to: 261 }), -1);
  assertEquals(namedHueIndex({ from: 345, to: 15 }), 0);
  const m = masksWithBit(5);
  assertEquals(m.length, 128);
  assert(m.every((x) => x & 32));
});
