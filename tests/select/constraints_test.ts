import fc from "../_helpers/fc.ts";
import { assert, assertEquals } from "../_helpers/assert.ts";
import {
  activeTimeRule,
  type Constraints,
  constraintSql,
  hueInRange,
  matchesConstraints,
} from "../../src/select/constraints.ts";
import { collection, palette } from "./_fixture.ts";
import type { PaletteRecord } from "../../src/palette/palette_record.ts";

Deno.test("hueInRange() wraps around 360 for 350–20", () => {
  const r = { from: 350, to: 20 };
  for (const h of [350, 355, 359.9, 0, 10, 20]) assert(hueInRange(h, r), `${h} is in 350–20`);
  for (const h of [21, 90, 180, 349]) assert(!hueInRange(h, r), `${h} is not in 350–20`);
  assert(hueInRange(100, { from: 90, to: 120 }));
  assert(!hueInRange(10, { from: 90, to: 120 }));
  assert(hueInRange(200, { from: 0, to: 360 }), "0–360 is everything");
});

Deno.test("constraintSql() selects the hue wrap-around 350–20 in the database", async () => {
  const hues = [0, 5, 19, 20, 21, 100, 200, 349, 350, 355, null];
  const { db, ids } = await collection(hues.map((h) => ({ palette: { avg_hue: h } })));
  const where = constraintSql({ hue: { from: 350, to: 20 } });
  const got = (db.raw.prepare(
    `SELECT i.id FROM images i LEFT JOIN palettes p ON p.image_id = i.id WHERE ${where.sql}
     ORDER BY i.id`,
  ).all(...where.params) as { id: number }[]).map((r) => r.id);
  const want = ids.filter((_, i) => [0, 5, 19, 20, 350, 355].includes(hues[i] as number));
  assertEquals(got, want);
  db.close();
});

const constraintArb: fc.Arbitrary<Constraints> = fc.record({
  lightness: fc.constantFrom("dark", "light"),
  hue: fc.record({ from: fc.integer({ min: 0, max: 360 }), to: fc.integer({ min: 0, max: 360 }) }),
  minSaturation: fc.double({ min: 0, max: 1, noNaN: true }),
  maxSaturation: fc.double({ min: 0, max: 1, noNaN: true }),
  temperature: fc.constantFrom("warm", "cool"),
  orientation: fc.constantFrom("landscape", "portrait"),
  minWidth: fc.integer({ min: 1, max: 5000 }),
  minHeight: fc.integer({ min: 1, max: 5000 }),
}, { requiredKeys: [] }) as fc.Arbitrary<Constraints>;

const imageArb = fc.record({
  width: fc.integer({ min: 1, max: 5000 }),
  height: fc.integer({ min: 1, max: 5000 }),
  palette: fc.option(
    fc.record({
      avg_hue: fc.option(fc.double({ min: 0, max: 359.99, noNaN: true })),
      avg_saturation: fc.double({ min: 0, max: 1, noNaN: true }),
      avg_lightness: fc.double({ min: 0, max: 1, noNaN: true }),
      temperature: fc.double({ min: -1, max: 1, noNaN: true }),
    }),
  ),
});

Deno.test("constraintSql() and matchesConstraints() agree on random images", async () => {
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
        imgs.forEach((x, i) => {
          const p = x.palette ? palette(x.palette as Partial<PaletteRecord>) : null;
          const want = matchesConstraints({ width: x.width, height: x.height, palette: p }, c);
          assertEquals(sqlIds.has(ids[i]), want, `image ${i} ${JSON.stringify(x)}`);
        });
      } finally {
        db.close();
      }
    }),
    { numRuns: 60 },
  );
});

Deno.test("matchesConstraints() leaves out images without a palette only for colour constraints", () => {
  const x = { width: 1920, height: 1080, palette: null };
  assert(matchesConstraints(x, {}));
  assert(matchesConstraints(x, { orientation: "landscape", minWidth: 1000 }));
  assert(!matchesConstraints(x, { orientation: "portrait" }));
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

Deno.test("hueInRange() agrees with SQL on tiny hues (no rounding to 0)", () => {
  assertEquals(hueInRange(5e-324, { from: 0, to: 0 }), false);
  assertEquals(hueInRange(0, { from: 0, to: 0 }), true);
  assertEquals(hueInRange(359.9, { from: 350, to: 20 }), true);
});
