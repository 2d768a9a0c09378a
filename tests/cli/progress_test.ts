// The progress bar's line on a terminal (stderr and the terminal's size stubbed).
import { assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { progressBar } from "../../src/cli/_progress.ts";

/** What the bar writes with the terminal `columns` wide, after one tick labelled `label`. */
function drawn(columns: number, label: string): string {
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
    bar.total(96);
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
