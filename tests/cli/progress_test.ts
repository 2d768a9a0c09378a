// The progress bar's line on a terminal (stderr and the terminal's size stubbed).
import { assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { progressBar } from "../../src/cli/_progress.ts";
import { textWidth } from "../../src/text/text_width.ts";

/** What the bar writes with the terminal `columns` wide, after one tick labelled `label`. */
function drawn(columns: number, label: string, total = 96): string {
  const size = Deno.consoleSize, write = Deno.stderr.writeSync;
  let out = "";
  Deno.consoleSize = () => ({ columns, rows: 24 });
  Deno.stderr.writeSync = (p: Uint8Array) => {
    out += new TextDecoder().decode(p);
    return p.length;
  };
  try {
    let t = 0;
    const bar = progressBar("Extracting", true, () => (t += 100));
    bar.total(total);
    bar.tick(1, label);
  } finally {
    Deno.consoleSize = size;
    Deno.stderr.writeSync = write;
  }
  return out.replace("\r\x1b[2K", "");
}

Deno.test("the progress line fits the terminal, and a terminal that says 0 columns cuts nothing", () => {
  const line = drawn(0, "/w/Dune.jpg");
  assertStringIncludes(line, "1/96");
  assertEquals(line.endsWith(" /w/Dune.jpg"), true, line);
  assertEquals(drawn(20, "/w/Dune.jpg").length, 19);
});

Deno.test("the progress line escapes a file name's control characters and rounds its ETA", () => {
  const line = drawn(200, "esc\x1b[31mred\nline.png", 97);
  assertEquals(line.endsWith(" esc\\x1b[31mred\\nline.png"), true, line);
  assertEquals(line.includes("\x1b"), false, JSON.stringify(line));
  assertEquals(line.includes("\n"), false);
  // One file in 0.2 s of the stubbed clock, 96 to go: 19.2 s, said in whole seconds.
  assertStringIncludes(line, "5.0/s ETA 20s ");
});

Deno.test("the progress line counts columns: wide file names never make it wrap", () => {
  const name = "/w/" + "壁紙".repeat(30) + "_森.jpg";
  for (const columns of [70, 100, 140]) {
    const line = drawn(columns, name);
    assertEquals(textWidth(line) <= columns - 1, true, `${columns}: ${line}`);
    assertEquals(line.endsWith("_森.jpg"), true, line); // the name's end, not a middle piece
  }
  // Too narrow for a name: the bar alone, cut to fit.
  assertEquals(textWidth(drawn(40, name)) <= 39, true);
});

Deno.test("the last frame's ETA is whole seconds too (0s, not 0ms)", () => {
  const line = drawn(200, "/w/last.jpg", 1); // 1 of 1 done
  assertStringIncludes(line, "ETA 0s ");
});
