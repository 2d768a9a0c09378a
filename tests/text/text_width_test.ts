// Table cells line up whatever the file names hold.
import { assertEquals } from "../_helpers/assert.ts";
import { fitWidth, textWidth } from "../../src/text/text_width.ts";

Deno.test("fitWidth() pads and cuts by terminal columns, not UTF-16 units", () => {
  const names = ["plain", "🌄 dawn", "壁紙コレクション", "café", "👩‍🎨 art", "ＡＢＣ"];
  for (const n of names) {
    for (const width of [4, 8, 12]) {
      const c = fitWidth(n, width);
      assertEquals(textWidth(c), width, `${n} in ${width}: '${c}'`);
      assertEquals(textWidth(fitWidth(n, width, true)), width);
    }
  }
  assertEquals(fitWidth("壁紙コレクション", 8), "壁紙コ… ");
  assertEquals(textWidth("👩‍🎨"), 2, "a ZWJ sequence is one picture");
  assertEquals(fitWidth("", 3), "   ");
});
