import { deepStrictEqual, equal, match, ok, rejects, throws } from "node:assert/strict";
import {
  PaletteFileError,
  parsePaletteJson,
  readPaletteFile,
} from "../../src/palette/palette_file.ts";
import { summarizePalette } from "../../src/palette/summary.ts";
import { ROOT } from "../_helpers/env.ts";

const PYWAL = `${ROOT}/tests/testdata/pywal/colors.json`;

function wallustJson(overrides: Record<string, unknown> = {}): string {
  const doc: Record<string, unknown> = {
    cursor: "#C8D0E0",
    background: "#10141C",
    foreground: "#E8ECF4",
  };
  for (let i = 0; i < 16; i++) doc[`color${i}`] = i === 3 ? "#D08030" : "#5A7FA8";
  return JSON.stringify({ ...doc, ...overrides });
}

Deno.test("readPaletteFile() reads pywal's colors.json keeping hex case", async () => {
  const p = await readPaletteFile(PYWAL);
  equal(p.background, "#1F211E");
  equal(p.foreground, "#F5F1F4");
  equal(p.cursor, "#F5F1F4");
  equal(p.colors.length, 16);
  equal(p.colors[1], "#4B7A85");
  equal(p.colors[8], "#666666");
  equal(p.wallpaper, "5.png");
  equal(p.alpha, 100);
  equal(p.variant, "dark16");
  ok(p.avg_saturation >= 0 && p.avg_saturation <= 1);
  ok(p.avg_lightness >= 0 && p.avg_lightness <= 1);
  ok(p.temperature >= -1 && p.temperature <= 1);
});

Deno.test("parsePaletteJson() reads a wallust cache entry", () => {
  const p = parsePaletteJson(wallustJson(), "Dark16");
  equal(p.origin, "wallust");
  equal(p.background, "#10141C");
  equal(p.cursor, "#C8D0E0");
  equal(p.colors[3], "#D08030");
  deepStrictEqual(
    {
      avg_hue: p.avg_hue,
      avg_saturation: p.avg_saturation,
      avg_lightness: p.avg_lightness,
      temperature: p.temperature,
      hue_shares: p.hue_shares,
    },
    summarizePalette(p),
  );
});

Deno.test("parsePaletteJson() names the file and the problem", () => {
  throws(() => parsePaletteJson("{nope", "a.json"), (e) => {
    ok(e instanceof PaletteFileError);
    match(e.message, /a\.json: not valid JSON/);
    return true;
  });
  throws(() => parsePaletteJson(wallustJson({ color7: undefined }), "b"), /b: missing "color7"/);
  throws(
    () => parsePaletteJson(wallustJson({ background: "blue" }), "c"),
    /c: "background" is "blue", expected "#rrggbb"/,
  );
  throws(
    () => parsePaletteJson(JSON.stringify({ special: {}, colors: {} }), "d"),
    /d: missing "special.background"/,
  );
  throws(() => parsePaletteJson("[1]", "e"), /e: expected a JSON object/);
});

Deno.test("parsePaletteJson() infers light16 from a light background", () => {
  const p = parsePaletteJson(wallustJson({ background: "#F4F0EA" }), "x");
  equal(p.variant, "light16");
  equal(parsePaletteJson(wallustJson(), "x", { variant: "light16" }).variant, "light16");
});

Deno.test("readPaletteFile() names a missing file", async () => {
  await rejects(
    () => readPaletteFile("/nonexistent/colors.json"),
    /nonexistent\/colors\.json: no such file/,
  );
});

Deno.test("summarizePalette() tells warm from cool and grey", () => {
  const warm = summarizePalette({ background: "#2a1408", colors: Array(16).fill("#e07020") });
  const cool = summarizePalette({ background: "#08142a", colors: Array(16).fill("#2060e0") });
  const grey = summarizePalette({ background: "#111111", colors: Array(16).fill("#888888") });
  ok(warm.temperature > 0.5, `warm ${warm.temperature}`);
  ok(cool.temperature < -0.5, `cool ${cool.temperature}`);
  equal(grey.avg_hue, null);
  equal(grey.temperature, 0);
  ok(warm.avg_hue! > 15 && warm.avg_hue! < 40);
  ok(cool.avg_hue! > 200 && cool.avg_hue! < 240);
});

Deno.test("summarizePalette() averages hue on the circle", () => {
  // red-magenta (350°) and red-orange (10°) average to red, not cyan
  const s = summarizePalette({
    background: "#ff0015",
    colors: [
      "#000000",
      "#ff002b",
      "#ff2a00",
      "#ff002b",
      "#ff2a00",
      "#ff002b",
      "#ff2a00",
      ...Array(9).fill("#000000"),
    ],
  });
  ok(s.avg_hue! < 20 || s.avg_hue! > 340, `hue ${s.avg_hue}`);
});

Deno.test("a pywal colors.json's alpha is a whole number 0–100, as pywal's int() reads it", async () => {
  const pywal = JSON.parse(await Deno.readTextFile(PYWAL));
  const withAlpha = (alpha: unknown) => JSON.stringify({ ...pywal, alpha }, null, 1);
  for (const [alpha, want] of [["85", 85], [" 7 ", 7], [0, 0], [100, 100]] as const) {
    equal(parsePaletteJson(withAlpha(alpha), "p.json").alpha, want, JSON.stringify(alpha));
  }
  // null, "", true and false were taken for 0 or 1 (a fully transparent terminal); a fraction
  // failed three built-ins later.
  for (const alpha of [null, "", true, false, "85.5", 85.5, "abc", -1, 101, "1e2"]) {
    throws(
      () => parsePaletteJson(withAlpha(alpha), "p.json"),
      (e: unknown) =>
        e instanceof PaletteFileError &&
        e.message.includes(`"alpha" is ${JSON.stringify(alpha)}, expected a whole number 0–100`),
      JSON.stringify(alpha),
    );
  }
});

Deno.test("parsePaletteJson() of varietal's own palette --json keeps its origin and variant", () => {
  const own = (extra: Record<string, unknown>) =>
    JSON.stringify({
      background: "#101010",
      foreground: "#f0f0f0",
      cursor: "#f0f0f0",
      colors: Array.from({ length: 16 }, () => "#336699"),
      ...extra,
    });
  const built = parsePaletteJson(own({ origin: "builtin", variant: "light16" }), "p.json");
  deepStrictEqual([built.origin, built.variant], ["builtin", "light16"]);
  // What it does not say (or says wrongly) is guessed, as for other files.
  const bare = parsePaletteJson(own({ origin: "elsewhere", variant: "Dark 16!" }), "p.json");
  deepStrictEqual([bare.origin, bare.variant], ["wallust", "dark16"]);
  // The caller's word wins.
  const told = parsePaletteJson(own({ origin: "builtin" }), "p.json", { origin: "wallust" });
  deepStrictEqual(told.origin, "wallust");
});
