import fc from "../_helpers/fc.ts";
import { assert, assertEquals } from "../_helpers/assert.ts";
import {
  autoImageCooldownMs,
  favoriteFactor,
  paletteSignature,
  recencyFactor,
  signatureDistance,
  similarityFactor,
  SOURCE_FLOOR,
  sourceFactor,
  timesShownFactor,
  unseenFactor,
  weigh,
  weightOf,
  weightParams,
} from "../../src/select/weights.ts";
import { DEFAULTS } from "../../src/config/schema.ts";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 15);

Deno.test("recencyFactor() is ~0 just after a show and 1 after the cooldown", () => {
  assertEquals(recencyFactor(NOW, NOW, DAY, 2), 0);
  assert(recencyFactor(NOW - 60_000, NOW, DAY, 2) < 0.001);
  assertEquals(recencyFactor(NOW - DAY / 2, NOW, DAY, 2), 0.25);
  assertEquals(recencyFactor(NOW - DAY, NOW, DAY, 2), 1);
  assertEquals(recencyFactor(NOW - 10 * DAY, NOW, DAY, 2), 1);
  assertEquals(recencyFactor(null, NOW, DAY, 2), 1);
  // Shown "in the future": by a clock that was fast (up to 15 hours, a hardware clock in
  // local time), just shown; further ahead the clock is wrong now, and the show taken as old.
  assertEquals(recencyFactor(NOW + 1, NOW, DAY, 2), 0);
  assertEquals(recencyFactor(NOW + 15 * 3_600_000, NOW, DAY, 2), 0);
  assertEquals(recencyFactor(NOW + DAY, NOW, DAY, 2), 1);
});

Deno.test("weigh() is monotone: a more recent show never weighs more", () => {
  const p = weightParams(DEFAULTS.selection, 1000, 900);
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 400 * DAY }),
      fc.integer({ min: 0, max: 400 * DAY }),
      fc.integer({ min: 0, max: 50 }),
      fc.boolean(),
      (ageA, ageB, times, favorite) => {
        const [recent, older] = ageA <= ageB ? [ageA, ageB] : [ageB, ageA];
        const w = (age: number) =>
          weigh(
            {
              last_shown_at: NOW - age,
              times_shown: times,
              favorite,
              sourceShownAt: null,
            },
            p,
            NOW,
          ).weight;
        return w(recent) <= w(older);
      },
    ),
  );
});

Deno.test("weigh() never lets more shows weigh more, and favourites weigh favorite_boost times more", () => {
  const p = weightParams(DEFAULTS.selection, 1000, 900);
  fc.assert(
    fc.property(fc.nat(100), fc.nat(100), fc.nat(30 * DAY), (a, b, age) => {
      const w = (times: number, favorite: boolean) =>
        weigh(
          { last_shown_at: NOW - age, times_shown: times, favorite, sourceShownAt: null },
          p,
          NOW,
        )
          .weight;
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      return w(hi, false) <= w(lo, false) &&
        Math.abs(w(lo, true) - 3 * w(lo, false)) <= 1e-12 * Math.max(1, w(lo, true));
    }),
  );
});

Deno.test("factors stay in their stated ranges", () => {
  fc.assert(
    fc.property(
      fc.option(fc.integer({ min: NOW - 1000 * DAY, max: NOW + DAY })),
      fc.integer({ min: 1, max: 100 * DAY }),
      fc.double({ min: 0.1, max: 10, noNaN: true }),
      fc.nat(1000),
      fc.double({ min: 0, max: 10, noNaN: true }),
      (last, cooldown, k, times, w) => {
        const r = recencyFactor(last, NOW, cooldown, k);
        const s = sourceFactor(last, NOW, cooldown, k);
        const t = timesShownFactor(times, w);
        return r >= 0 && r <= 1 && s >= SOURCE_FLOOR && s <= 1 && t > 0 && t <= 1;
      },
    ),
  );
  assertEquals(unseenFactor(null, 2), 2);
  assertEquals(unseenFactor(NOW, 2), 1);
  assertEquals(favoriteFactor(true, 3), 3);
  assertEquals(favoriteFactor(false, 3), 1);
  assertEquals(timesShownFactor(0, 0.5), 1);
  assertEquals(timesShownFactor(3, 0.5), 0.5);
});

Deno.test("autoImageCooldownMs() is max(1 day, N × interval / 2)", () => {
  assertEquals(autoImageCooldownMs(10, 900), DAY);
  assertEquals(autoImageCooldownMs(1000, 900), 1000 * 900_000 / 2);
  const p = weightParams({ ...DEFAULTS.selection, image_cooldown: 3600 }, 1e6, 900);
  assertEquals(p.imageCooldownMs, 3_600_000, "an explicit cooldown wins");
});

Deno.test("similarityFactor() prefers close palettes and is 1 for the same palette", () => {
  const dark = { avg_hue: 220, avg_saturation: 0.5, avg_lightness: 0.2, background: "#0a0f1a" };
  const near = { avg_hue: 225, avg_saturation: 0.45, avg_lightness: 0.22, background: "#0c101c" };
  const far = { avg_hue: 40, avg_saturation: 0.8, avg_lightness: 0.8, background: "#f4e8d0" };
  const d0 = signatureDistance(paletteSignature(dark), paletteSignature(dark));
  const d1 = signatureDistance(paletteSignature(dark), paletteSignature(near));
  const d2 = signatureDistance(paletteSignature(dark), paletteSignature(far));
  assertEquals(d0, 0);
  assert(d1 < d2);
  assertEquals(similarityFactor(d0, 4), 1);
  assert(similarityFactor(d1, 4) > similarityFactor(d2, 4));
  assert(similarityFactor(d2, 4) < 0.1);
  assertEquals(similarityFactor(d2, 0), 1, "strength 0 turns it off");
});

Deno.test("weightOf() equals weigh().weight bit for bit", () => {
  const p = weightParams(DEFAULTS.selection, 5000, 900);
  fc.assert(
    fc.property(
      fc.option(fc.integer({ min: NOW - 400 * DAY, max: NOW })),
      fc.nat(50),
      fc.boolean(),
      fc.option(fc.integer({ min: NOW - DAY, max: NOW })),
      fc.option(fc.double({ min: 0, max: 2, noNaN: true }), { nil: undefined }),
      (last, times, favorite, sourceShownAt, distance) => {
        const x = { last_shown_at: last, times_shown: times, favorite, sourceShownAt, distance };
        const w = weigh(x, p, NOW);
        return weightOf(x, p, NOW) === w.weight &&
          Object.values(w.factors).reduce((a, b) => a * b, 1) === w.weight;
      },
    ),
  );
});
