// Table cells line up whatever the file names hold.
import { assertEquals } from "../_helpers/assert.ts";
import { fitWidth, textWidth } from "../../src/text/text_width.ts";
import { cell } from "../../src/cli/_output.ts";

Deno.test("cell() pads and cuts by terminal columns, not UTF-16 units", () => {
  const names = ["plain", "🌄 dawn", "壁紙コレクション", "café", "👩‍🎨 art", "ＡＢＣ"];
  for (const n of names) {
    for (const width of [4, 8, 12]) {
      const c = cell(n, width);
      assertEquals(textWidth(c), width, `${n} in ${width}: '${c}'`);
      assertEquals(textWidth(cell(n, width, true)), width);
    }
  }
  assertEquals(cell("壁紙コレクション", 8), "壁紙コ… ");
  assertEquals(textWidth("👩‍🎨"), 2, "a ZWJ sequence is one picture");
  assertEquals(fitWidth("", 3), "   ");
});
