// When the time rules switch the wallpaper's lightness (the daemon wakes then).
import { assertEquals } from "../_helpers/assert.ts";
import {
  fitsLightness,
  lightnessAt,
  nextLightnessSwitch,
} from "../../src/select/lightness_switch.ts";
import type { TimeRule } from "../../src/config/schema.ts";

const at = (h: number, m = 0, day = 1) => new Date(2030, 0, day, h, m).getTime(); // local

Deno.test("nextLightnessSwitch() finds the next minute the rules ask for another lightness", () => {
  const rules: TimeRule[] = [
    { from: "22:30", to: "06:00", lightness: "dark" }, // wraps past midnight
    { from: "06:00", to: "09:00", lightness: "any" },
    { from: "09:00", to: "22:30", lightness: "light" },
  ];
  assertEquals(lightnessAt(rules, at(23)), "dark");
  assertEquals(lightnessAt(rules, at(7)), undefined);
  assertEquals(nextLightnessSwitch(rules, at(23, 0)), at(6, 0, 2)); // dark → any
  assertEquals(nextLightnessSwitch(rules, at(7, 15)), at(9, 0)); // any → light
  assertEquals(nextLightnessSwitch(rules, at(12, 0) + 30_000), at(22, 30));
  // At the switch itself, the one after it.
  assertEquals(nextLightnessSwitch(rules, at(22, 30)), at(6, 0, 2));
});

Deno.test("nextLightnessSwitch() is null when the rules never change the lightness", () => {
  assertEquals(nextLightnessSwitch([], at(12)), null);
  const same: TimeRule[] = [
    { from: "08:00", to: "18:00", lightness: "dark" },
    { from: "18:00", to: "08:00", lightness: "dark" },
  ];
  assertEquals(nextLightnessSwitch(same, at(12)), null);
  assertEquals(
    nextLightnessSwitch([{ from: "00:00", to: "00:00", lightness: "light" }], at(3)),
    null,
  );
});

Deno.test("fitsLightness() reads a palette as the selection's rule does", () => {
  assertEquals(fitsLightness("dark", 0.49), true);
  assertEquals(fitsLightness("dark", 0.5), false);
  assertEquals(fitsLightness("light", 0.5), true);
  assertEquals(fitsLightness("light", undefined), true); // no palette: unknown, fits
  assertEquals(fitsLightness(undefined, 0.1), true);
});
