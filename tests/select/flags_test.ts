import { assertEquals, assertRejects, assertThrows } from "../_helpers/assert.ts";
import { parseCommand } from "../../src/cli/_parse.ts";
import { constraintsFromFlags, parseHue } from "../../src/cli/_constraints.ts";
import type { Context } from "../../src/cli/_context.ts";
import { UsageError } from "../../src/cli/errors.ts";
import { spec } from "../../src/cli/select.ts";

/** A context that fails if anything but flags is touched. */
const noCtx = new Proxy({}, {
  get(_, key) {
    throw new Error(`constraintsFromFlags() touched ctx.${String(key)}`);
  },
}) as Context;

async function parse(...args: string[]) {
  const parsed = parseCommand(spec, args);
  if (parsed.help) throw new Error("help");
  return await constraintsFromFlags(parsed.inv, noCtx, "select");
}

Deno.test("constraintsFromFlags() reads every constraint flag", async () => {
  assertEquals(await parse(), {});
  assertEquals(
    await parse(
      "--dark",
      "--hue",
      "350-20",
      "--min-saturation",
      "30%",
      "--max-saturation",
      "0.9",
      "--warm",
      "--orientation",
      "portrait",
      "--min-width",
      "1920",
      "--min-height",
      "1080",
      "--any-time",
      "--seed",
      "42",
    ),
    {
      lightness: "dark",
      temperature: "warm",
      hue: { from: 350, to: 20 },
      minSaturation: 0.3,
      maxSaturation: 0.9,
      orientation: "portrait",
      minWidth: 1920,
      minHeight: 1080,
      seed: 42,
      ignoreTimeRules: true,
    },
  );
  assertEquals((await parse("--light", "--cool")).lightness, "light");
  assertEquals((await parse("--hue", "blue")).hue, { from: 200, to: 260 });
  // 0 lifts [selection] min_width/min_height for one call (the README's "0 disables").
  assertEquals((await parse("--min-width", "0", "--min-height", "0")).minWidth, 0);
});

Deno.test("constraintsFromFlags() rejects conflicting and out-of-range values", async () => {
  for (
    const args of [
      ["--dark", "--light"],
      ["--warm", "--cool"],
      ["--min-saturation", "0.8", "--max-saturation", "0.2"],
      ["--min-saturation", "150%"],
      ["--min-width", "-1"],
      ["--seed", "-1"],
      ["--seed", "1.5"],
      ["--seed", "9007199254740993"], // Number() would round it to the maximum, 2^53
    ]
  ) {
    await assertRejects(() => parse(...args), UsageError);
  }
  assertEquals((await parse("--seed", "9007199254740992")).seed, 2 ** 53);
});

Deno.test("parseHue() takes A-B in degrees or a name and rejects the rest", () => {
  assertEquals(parseHue("200-260"), { from: 200, to: 260 });
  assertEquals(parseHue(" 350 – 20 "), { from: 350, to: 20 });
  assertEquals(parseHue("Red"), { from: 345, to: 15 });
  for (const bad of ["", "200", "200-", "-20", "400-20", "blue-ish", "a-b"]) {
    assertThrows(() => parseHue(bad), UsageError);
  }
  // A misspelt name: the name meant.
  assertThrows(() => parseHue("purpel"), UsageError, "(did you mean 'purple'? expected A-B");
});
