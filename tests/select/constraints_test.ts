import fc from "../_helpers/fc.ts";
import { assert, assertEquals } from "../_helpers/assert.ts";
import {
  activeTimeRule,
  type Constraints,
  constraintSql,
  matchesConstraints,
  paletteIdsSql,
  paletteSql,
} from "../../src/select/constraints.ts";
import { collection, palette } from "./_fixture.ts";
import type { PaletteRecord } from "../../src/palette/palette_record.ts";
import { type HueShare, NAMED_HUES } from "../../src/palette/hue_ranges.ts";

Deno.test("constraintSql() matches a hue range by the share of the picture in it, wrapping past 360", async () => {
  const specs: { hue_shares: HueShare[] | undefined; avg_lightness?: number }[] = [
    // Honeywave-like: orange and blue; average hue magenta-ish
    {
      hue_shares: [{ hue: 20, share: 0.27 }, { hue: 210, share: 0.58 }, { hue: 290, share: 0.12 }],
    },
    { hue_shares: [{ hue: 0, share: 0.08 }] }, // a small red touch: not red
    { hue_shares: [{ hue: 350, share: 0.06 }, { hue: 5, share: 0.06 }] }, // 12 % across 0°
    { hue_shares: [] }, // grey
    { hue_shares: undefined, avg_lightness: 0.2 }, // figures from an older version
  ];
  const { db, ids } = await collection(
    specs.map((x) => ({ palette: { avg_hue: 330, avg_saturation: 0.9, ...x } })),
  );
  const run = (c: Constraints) => {
    const where = constraintSql(c);
    return (db.raw.prepare(
      `SELECT i.id FROM images i LEFT JOIN palettes p ON p.image_id = i.id WHERE ${where.sql}
       ORDER BY i.id`,
    ).all(...where.params) as { id: number }[]).map((r) => ids.indexOf(r.id));
  };
  assertEquals(run({ hue: { from: 15, to: 45 } }), [0], "orange (named)");
  assertEquals(run({ hue: { from: 200, to: 260 } }), [0], "blue (named)");
  assertEquals(run({ hue: { from: 300, to: 345 } }), [], "not magenta, whatever the average");
  assertEquals(run({ hue: { from: 345, to: 15 } }), [2], "red (named): 6 % + 6 % across 0°");
  assertEquals(run({ hue: { from: 350, to: 10 } }), [2], "350–10 sums both sides of 0°");
  assertEquals(run({ hue: { from: 0, to: 5 } }), [], "0–5 holds 6 %");
  assertEquals(run({ hue: { from: 0, to: 360 } }), [0, 2], "any hue: 10 % coloured");
  assertEquals(run({ minSaturation: 0.5 }), [0, 1, 2, 3], "older figures match no saturation");
  assertEquals(run({ lightness: "dark" }), [0, 1, 2, 3, 4], "lightness still applies to them");
  db.close();
});

const NAMED = NAMED_HUES.map((h) => ({ from: h.from, to: h.to }));

const constraintArb: fc.Arbitrary<Constraints> = fc.record({
  lightness: fc.constantFrom("dark", "light"),
  hue: fc.oneof(
    fc.record({ from: fc.integer({ min: 0, max: 360 }), to: fc.integer({ min: 0, max: 360 }) }),
    fc.constantFrom(...NAMED),
  ),
  minSaturation: fc.double({ min: 0, max: 1, noNaN: true }),
  maxSaturation: fc.double({ min: 0, max: 1, noNaN: true }),
  temperature: fc.constantFrom("warm", "cool"),
  orientation: fc.constantFrom("landscape", "portrait"),
  minWidth: fc.integer({ min: 1, max: 5000 }),
  minHeight: fc.integer({ min: 1, max: 5000 }),
}, { requiredKeys: [] }) as fc.Arbitrary<Constraints>;

/** Up to 5 buckets with shares in whole percent (thresholds are hit exactly). */
const sharesArb: fc.Arbitrary<HueShare[]> = fc.uniqueArray(
  fc.record({ bucket: fc.integer({ min: 0, max: 71 }), pct: fc.integer({ min: 1, max: 20 }) }),
  { maxLength: 5, selector: (x) => x.bucket },
).map((xs) => xs.map((x) => ({ hue: x.bucket * 5, share: x.pct / 100 })));

const imageArb = fc.record({
  width: fc.integer({ min: 1, max: 5000 }),
  height: fc.integer({ min: 1, max: 5000 }),
  palette: fc.option(
    fc.record({
      avg_hue: fc.option(fc.double({ min: 0, max: 359.99, noNaN: true })),
      avg_saturation: fc.double({ min: 0, max: 1, noNaN: true }),
      avg_lightness: fc.double({ min: 0, max: 1, noNaN: true }),
      temperature: fc.double({ min: -1, max: 1, noNaN: true }),
      hue_shares: fc.option(sharesArb, { nil: undefined }),
    }),
  ),
});

Deno.test("constraintSql(), paletteSql() and matchesConstraints() agree on random images", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(imageArb, { maxLength: 30 }), constraintArb, async (imgs, c) => {
      const { db, ids } = await collection(
        imgs.map((x) => ({
          width: x.width,
          height: x.height,
          palette: x.palette as Partial<PaletteRecord> | null,
        })),
      );
      try {
        const where = constraintSql(c);
        const sqlIds = new Set(
          (db.raw.prepare(
            `SELECT i.id FROM images i LEFT JOIN palettes p ON p.image_id = i.id WHERE ${where.sql}`,
          ).all(...where.params) as { id: number }[]).map((r) => r.id),
        );
        const narrow = paletteSql(c);
        const narrowIds = narrow && new Set(
          (db.raw.prepare(`SELECT p.image_id FROM palettes p WHERE ${narrow.sql}`)
            .all(...narrow.params) as { image_id: number }[]).map((r) => r.image_id),
        );
        // The proposal ids: every image paletteSql matches (and, for a custom hue
        // range, exactly the images that range matches).
        const idsQuery = paletteIdsSql(c);
        assertEquals(idsQuery === undefined, narrow === undefined);
        const proposalIds = idsQuery && new Set(
          (db.raw.prepare(idsQuery.sql).all(...idsQuery.params) as Record<string, number>[])
            .map((r) => Object.values(r)[0]),
        );
        for (const id of narrowIds ?? []) assert(proposalIds!.has(id), `proposal ids miss ${id}`);
        const colourOnly: Constraints = {
          lightness: c.lightness,
          hue: c.hue,
          minSaturation: c.minSaturation,
          maxSaturation: c.maxSaturation,
          temperature: c.temperature,
        };
        imgs.forEach((x, i) => {
          const p = x.palette ? palette(x.palette as Partial<PaletteRecord>) : null;
          const subject = { width: x.width, height: x.height, palette: p };
          const want = matchesConstraints(subject, c);
          assertEquals(sqlIds.has(ids[i]), want, `image ${i} ${JSON.stringify(x)}`);
          if (narrowIds && p) {
            assertEquals(
              narrowIds.has(ids[i]),
              matchesConstraints(subject, colourOnly),
              `paletteSql, image ${i} ${JSON.stringify(x)}`,
            );
          }
        });
      } finally {
        db.close();
      }
    }),
    { numRuns: 80 },
  );
});

Deno.test("matchesConstraints() leaves out images without a palette only for colour constraints", () => {
  const x = { width: 1920, height: 1080, palette: null };
  assert(matchesConstraints(x, {}));
  assert(matchesConstraints(x, { orientation: "landscape", minWidth: 1000 }));
  assert(!matchesConstraints(x, { orientation: "portrait" }));
  // A square image is landscape (width ≥ height), not portrait too.
  const square = { width: 4096, height: 4096, palette: null };
  assert(matchesConstraints(square, { orientation: "landscape" }));
  assert(!matchesConstraints(square, { orientation: "portrait" }));
  assert(!matchesConstraints(x, { lightness: "dark" }));
  assert(!matchesConstraints(x, { temperature: "warm" }));
});

Deno.test("activeTimeRule() picks the rule of the hour, wrapping past midnight", () => {
  const rules = [
    { from: "08:00", to: "18:00", lightness: "light" as const },
    { from: "18:00", to: "08:00", lightness: "dark" as const },
  ];
  assertEquals(activeTimeRule(rules, 12 * 60)?.lightness, "light");
  assertEquals(activeTimeRule(rules, 8 * 60)?.lightness, "light");
  assertEquals(activeTimeRule(rules, 18 * 60)?.lightness, "dark");
  assertEquals(activeTimeRule(rules, 23 * 60 + 59)?.lightness, "dark");
  assertEquals(activeTimeRule(rules, 3 * 60)?.lightness, "dark");
  assertEquals(
    activeTimeRule([{ from: "09:00", to: "10:00", lightness: "dark" }], 11 * 60),
    undefined,
  );
});
