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

Deno.test("scan -q draws no progress bar on a terminal", async () => {
  const script = await new Deno.Command("sh", { args: ["-c", "command -v script"] }).output();
  if (!script.success) {
    console.log("  skipped: util-linux's script (a pseudo-terminal) is not installed");
    return;
  }
  const { tempHome, ROOT, RUN_FLAGS } = await import("../_helpers/env.ts");
  const { writeImage, COLORS } = await import("../_helpers/images.ts");
  await using home = await tempHome();
  // Two folders of enough files that scanning one takes longer than a frame of the bar
  // (80 ms): the one scanned without -q shows the bar (else this test would prove nothing).
  const one = await writeImage(`${home.root}/a.png`, {
    width: 64,
    height: 48,
    colors: [COLORS.red],
  });
  for (const dir of ["quiet", "loud"]) {
    await Deno.mkdir(`${home.root}/${dir}`);
    for (let i = 0; i < 2000; i++) await Deno.link(one, `${home.root}/${dir}/${i}.png`);
  }
  const v = [Deno.execPath(), "run", "-q", ...RUN_FLAGS, `${ROOT}/main.ts`];
  const onTerminal = async (...args: string[]) => {
    const line = [...v, ...args].map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(" ");
    const out = await new Deno.Command("script", {
      args: ["-qec", line, "/dev/null"],
      env: { ...home.env, CI: "", TERM: "xterm" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    return new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  };
  await onTerminal("sources", "add", `${home.root}/quiet`);
  const quiet = await onTerminal("scan", "-q");
  assertEquals(quiet.includes("\x1b[2K"), false, JSON.stringify(quiet.slice(0, 200)));
  await onTerminal("sources", "add", `${home.root}/loud`);
  assertStringIncludes(await onTerminal("scan"), "Scanning [");
});
