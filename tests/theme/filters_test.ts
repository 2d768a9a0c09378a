// Every Jinja filter against values worked out by hand from wallust's definitions
// (palette crate: relative lighten/darken/saturate in sRGB/HSV, rounding to 0–255).
import { assertEquals, assertThrows } from "../_helpers/assert.ts";
import { alphaDec, alphaHexa, FilterError, FILTERS } from "../../src/theme/filters.ts";
import type { Value } from "../../src/theme/value.ts";

const C = "#4B7A85"; // 75, 122, 133
const f = (name: string, v: Value, args: Value[] = [], alpha = 100) =>
  FILTERS[name].fn(v, args, { alpha });

Deno.test("strip removes the leading # and keeps the case", () => {
  assertEquals(f("strip", C), "4B7A85");
  assertEquals(f("strip", "#abcdef"), "abcdef");
  assertEquals(f("strip", "no-hash"), "no-hash");
});

Deno.test("rgb, red, green, blue print 0–255 channels", () => {
  assertEquals(f("rgb", C), "75,122,133");
  assertEquals(f("red", C), "75");
  assertEquals(f("green", C), "122");
  assertEquals(f("blue", C), "133");
});

Deno.test("rgbf, redf, greenf, bluef print 0–1 channels with 4 decimals", () => {
  // 75/255 = 0.294117…, 122/255 = 0.478431…, 133/255 = 0.521568…
  assertEquals(f("redf", C), "0.2941");
  assertEquals(f("greenf", C), "0.4784");
  assertEquals(f("bluef", C), "0.5216");
  assertEquals(f("rgbf", C), "0.2941, 0.4784, 0.5216");
  assertEquals(f("rgbf", "#FFFFFF"), "1.0000, 1.0000, 1.0000");
});

Deno.test("xrgb and xrgba print lower-case xrdb triples; xrgba adds the alpha byte", () => {
  assertEquals(f("xrgb", C), "4b/7a/85");
  assertEquals(f("xrgba", C, [], 100), "4b/7a/85/ff");
  assertEquals(f("xrgba", C, [], 50), "4b/7a/85/80");
});

Deno.test("rgba prints CSS rgba() with alpha_dec", () => {
  assertEquals(f("rgba", C, [], 100), "rgba(75,122,133,1.0)");
  assertEquals(f("rgba", C, [], 85), "rgba(75,122,133,0.85)");
  assertEquals(f("rgba", C, [], 0), "rgba(75,122,133,0.0)");
});

Deno.test("hexa appends the configured alpha as a hex byte", () => {
  assertEquals(f("hexa", C, [], 100), "#4B7A85FF");
  assertEquals(f("hexa", C, [], 50), "#4B7A8580");
  assertEquals(f("hexa", "#4b7a85", [], 0), "#4B7A8500");
});

Deno.test("alpha_hexa maps 0–100 to round(a × 2.55) in hex, and rejects other values", () => {
  assertEquals(f("alpha_hexa", 0), "00");
  assertEquals(f("alpha_hexa", 1), "03"); // 2.55 → 3
  assertEquals(f("alpha_hexa", 10), "1A"); // 25.5 → 26
  assertEquals(f("alpha_hexa", 50), "80"); // 127.5 → 128
  assertEquals(f("alpha_hexa", 70), "B3"); // 178.5 → 179
  assertEquals(f("alpha_hexa", 100), "FF");
  assertEquals(alphaHexa(33), "54"); // 84.15 → 84
  assertThrows(() => f("alpha_hexa", 101), FilterError);
  assertThrows(() => f("alpha_hexa", 2.5), FilterError);
});

Deno.test("alpha_dec has one decimal for multiples of 10, else two", () => {
  assertEquals(alphaDec(100), "1.0");
  assertEquals(alphaDec(90), "0.9");
  assertEquals(alphaDec(85), "0.85");
  assertEquals(alphaDec(5), "0.05");
});

Deno.test("lighten(f) moves each channel f of the way to 255", () => {
  // 75 + 180×0.2 = 111 (6F); 122 + 133×0.2 = 148.6 → 149 (95); 133 + 122×0.2 = 157.4 → 157 (9D)
  assertEquals(f("lighten", C, [0.2]), "#6F959D");
  assertEquals(f("lighten", C, [0]), "#4B7A85");
  assertEquals(f("lighten", C, [1]), "#FFFFFF");
  assertEquals(f("lighten", "#4B7A8580", [0.2]), "#6F959D80"); // alpha kept
  assertEquals(f("lighten", C, ["0.2"]), "#6F959D"); // numeric strings accepted
});

Deno.test("darken(f) scales each channel by 1 − f", () => {
  // 75×0.8 = 60 (3C); 122×0.8 = 97.6 → 98 (62); 133×0.8 = 106.4 → 106 (6A)
  assertEquals(f("darken", C, [0.2]), "#3C626A");
  assertEquals(f("darken", C, [1]), "#000000");
  assertEquals(f("darken", "#ffffff", [0.5]), "#808080"); // 127.5 → 128
});

Deno.test("saturate(f) moves HSV saturation f of the way to 1", () => {
  // s = 58/133 = 0.43609, s' = s + (1 − s)×0.25 = 0.57707; v = 133;
  // min = 133×(1 − s') = 56.25 → 56; G keeps its place between min and max:
  // 56.25 + 76.75×(47/58) = 118.44 → 118.  → #387685
  assertEquals(f("saturate", C, [0.25]), "#387685");
  // A grey has hue 0 (red) in HSV: s' = 0.5, v = 128 → (128, 64, 64)
  assertEquals(f("saturate", "#808080", [0.5]), "#804040");
  // Negative factors desaturate toward grey; desaturate(f) is saturate(−f)
  assertEquals(f("saturate", C, [-1]), "#858585");
  assertEquals(f("desaturate", C, [1]), "#858585");
});

Deno.test("complementary turns the HSV hue by 180°", () => {
  // In HSV the complement maps each channel c to max + min − c: 133+75−… → (133, 86, 75)
  assertEquals(f("complementary", C), "#85564B");
  assertEquals(f("complementary", "#FF0000"), "#00FFFF");
  assertEquals(f("complementary", "#777777"), "#777777");
});

Deno.test("blend averages two colours channel by channel", () => {
  // (75+31)/2 = 53 (35); (122+33)/2 = 77.5 → 78 (4E); (133+30)/2 = 81.5 → 82 (52)
  assertEquals(f("blend", C, ["#1F211E"]), "#354E52");
  assertEquals(f("blend", "#000000", ["#FFFFFF"]), "#808080");
  // With an alpha on the second colour the first counts as opaque: (255+0)/2 → 80
  assertEquals(f("blend", "#000000", ["#FFFFFF00"]), "#80808080");
});

Deno.test("basename keeps the last path segment", () => {
  assertEquals(f("basename", "/home/me/walls/forest.jpg"), "forest.jpg");
  // a regex `.*/` stops at a newline and kept the whole hostile path
  assertEquals(f("basename", "/w/x\nexec y\n/z.jpg"), "z.jpg");
  assertEquals(f("basename", "forest.jpg"), "forest.jpg");
  assertEquals(f("basename", "/a/b/"), "b");
});

Deno.test("string helpers: upper, lower, trim, replace, length, join", () => {
  assertEquals(f("upper", "#abc"), "#ABC");
  assertEquals(f("lower", "#ABC"), "#abc");
  assertEquals(f("trim", "  x "), "x");
  assertEquals(f("replace", "a'b", ["'", "\\'"]), "a\\'b");
  assertEquals(f("length", ["a", "b"]), 2);
  assertEquals(f("join", ["a", "b"], [","]), "a,b");
});

Deno.test("colour filters reject values that are not hex colours", () => {
  for (const name of ["rgb", "lighten", "complementary", "hexa"]) {
    const args = FILTERS[name].minArgs ? [0.1] : [];
    assertThrows(() => f(name, "red", args), FilterError, "hex colour");
    assertThrows(() => f(name, 12, args), FilterError, "needs a colour");
  }
  assertThrows(() => f("lighten", C, ["lots"]), FilterError, "number");
});

Deno.test("tojson quotes a value as a JSON string", () => {
  assertEquals(f("tojson", `a "b" \\ c`), `"a \\"b\\" \\\\ c"`);
  assertEquals(f("tojson", 5), "5");
  // A lone surrogate as U+FFFD, as every other filter writes it (not "\\ud800", which strict
  // JSON readers such as serde_json refuse); a pair stays the character it makes.
  assertEquals(f("tojson", "a\ud800b"), '"a\ufffdb"');
  assertEquals(f("tojson", "a\ud83c\udf04b"), '"a\ud83c\udf04b"');
  assertEquals(JSON.parse(f("tojson", "a\ud83c\udf04b") as string), "a🌄b");
});

Deno.test("the quoting filters quote for their format; printable keeps one visible line", () => {
  const p = `/w/it's "a" $(b)\n.jpg`;
  assertEquals(f("toml_quote", p), String.raw`"/w/it's \"a\" $(b)\n.jpg"`);
  assertEquals(f("shell_quote", p), `'/w/it'\\''s "a" $(b)\n.jpg'`);
  assertEquals(f("sway_quote", p), String.raw`"/w/it's \"a\" $$(b)\n.jpg"`);
  assertEquals(f("sway_path", "/w/a b"), String.raw`"/w/a\\ b"`);
  assertEquals(f("css_string", p), String.raw`"/w/it's \"a\" $(b)\A .jpg"`);
  assertEquals(f("printable", p), String.raw`/w/it's "a" $(b)\n.jpg`);
  assertEquals(f("shell_quote", 85), "'85'");
  assertThrows(() => f("shell_quote", ["a"]), FilterError);
});
