// The one rule for showing file names on a terminal line.
import { assert, assertEquals } from "../_helpers/assert.ts";
import fc from "../_helpers/fc.ts";
import { printable } from "../../src/text/printable.ts";

Deno.test("printable writes control characters as visible escapes", () => {
  assertEquals(printable("a\nb\rc\td"), String.raw`a\nb\rc\td`);
  assertEquals(printable("\x1b[31mred\x07\0\x7f"), String.raw`\x1b[31mred\x07\x00\x7f`);
  assertEquals(printable("nel\u0085 ls\u2028 ps\u2029"), String.raw`nel\x85 ls\u2028 ps\u2029`);
  assertEquals(
    printable("lone\ud800 pair\ud83d\udc22"),
    String.raw`lone\ud800 pair` + "\ud83d\udc22",
  );
  // Bidirectional overrides and isolates would show what follows reversed ("gpj.exe").
  assertEquals(
    printable("a\u202eexe.jpg \u2066b\u2069 \u202a"),
    String.raw`a\u202eexe.jpg \u2066b\u2069 \u202a`,
  );
});

Deno.test("printable leaves ordinary text alone, backslashes and U+FFFD included", () => {
  for (
    const s of [
      "/walls/forest.jpg",
      '/w/it\'s "x" $(y) `z`',
      "C:\\dir\\n",
      "caf\ufffd",
      "żółw 日本",
    ]
  ) {
    assertEquals(printable(s), s);
  }
});

Deno.test("printable output has no control character and one line", () => {
  fc.assert(fc.property(fc.string({ unit: "binary" }), (s) => {
    const p = printable(s);
    // deno-lint-ignore no-control-regex -- control characters are what it looks for
    assert(!/[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(p));
    assertEquals(p.isWellFormed(), true);
  }));
});
