// Each quoting function against a reader of its format: the TOML parser, a
// faithful model of sway's config reader and of wordexp(3), the CSS string
// tokenizer, and bash/dash themselves. Hostile names plus random strings.
import { assert, assertEquals, assertThrows } from "../_helpers/assert.ts";
import fc from "../_helpers/fc.ts";
import { asWritten, HOSTILE_NAMES, MARK } from "../_helpers/hostile_names.ts";
import { outputBackground, readSwayConfig } from "../_helpers/sway_reader.ts";
import { readCssString } from "../_helpers/css_reader.ts";
import {
  cssString,
  QuoteError,
  shellQuote,
  swayPath,
  swayQuote,
  tomlString,
  wordexpWord,
} from "../../src/theme/quoting.ts";
import { FILTERS } from "../../src/theme/filters.ts";
import { parse as parseToml } from "smol-toml";

// Strings rich in the characters that matter to some format, plus any code point.
const SPECIAL = [..."\n\r\t\f\v\b\x07\x1b\x7f\u0085\u2028\ud800 \\\"'$`;#{}[]()*?~<>|&!%=,:@"];
const tricky = (withNul = false) =>
  fc.string({
    unit: fc.oneof(
      fc.constantFrom(...SPECIAL, ...(withNul ? ["\0"] : [])),
      fc.string({ unit: "binary", minLength: 1, maxLength: 1 }).filter((c) =>
        withNul || c !== "\0"
      ),
    ),
    maxLength: 24,
  });
const SWAY_VARS = () => new Map([["$background", "#1F211E"], ["$HOME", "/root"]]);

Deno.test("tomlString: smol-toml reads back every hostile name and random text exactly", () => {
  for (const { label, path } of HOSTILE_NAMES) {
    const doc = parseToml(`v = ${tomlString(path)}\n`) as { v: string };
    assertEquals(doc.v, asWritten(path), label);
  }
  fc.assert(fc.property(tricky(true), (s) => {
    const quoted = tomlString(s);
    assert(!/[\n\r]/.test(quoted), "a TOML basic string stays on one line");
    assertEquals((parseToml(`v = ${quoted}`) as { v: string }).v, asWritten(s));
  }));
});

Deno.test("tomlString escapes by name where TOML has one, \\uXXXX otherwise", () => {
  assertEquals(tomlString('a"b\\c'), String.raw`"a\"b\\c"`);
  assertEquals(tomlString("\b\t\n\f\r"), String.raw`"\b\t\n\f\r"`);
  assertEquals(tomlString("\x1b\x7f\0"), String.raw`"\u001B\u007F\u0000"`);
  assertEquals(tomlString("żółw \u2028"), '"żółw \u2028"');
});

Deno.test("swayQuote: sway's reader gives back the argument, $variables untouched", () => {
  for (const { label, path } of HOSTILE_NAMES) {
    const cmds = readSwayConfig(`set $background #1F211E\nfont ${swayQuote(path)}\n`);
    assertEquals(cmds.map((c) => c.argv), [["font", asWritten(path)]], label);
  }
  fc.assert(fc.property(tricky(), (s) => {
    const cmds = readSwayConfig(`font ${swayQuote(s)}\n`, SWAY_VARS());
    assertEquals(cmds.map((c) => c.argv), [["font", asWritten(s)]]);
  }));
});

Deno.test("swayQuote writes $ as $$ (sway substitutes variables inside quotes)", () => {
  assertEquals(swayQuote('a "b" $c\\'), String.raw`"a \"b\" $$c\\"`);
  assertEquals(swayQuote("l1\nl2\tx"), String.raw`"l1\nl2\tx"`);
  // What an unescaped "$" would do: sway replaces it with the variable.
  assertEquals(
    readSwayConfig(`font "$background"\n`, SWAY_VARS()).map((c) => c.argv),
    [["font", "#1F211E"]],
  );
  // And why not "\x24": sway stops decoding escapes after one (seen with sway 1.7).
  assertEquals(readSwayConfig(String.raw`font "\x24 \"x\""` + "\n")[0].argv, ["font", '$ \\"x\\"']);
});

Deno.test("swayPath: `output * bg` gives back the path after sway's parser and wordexp", () => {
  for (const { label, path } of HOSTILE_NAMES) {
    const cmds = readSwayConfig(`output * bg ${swayPath(path)} fill\n`, SWAY_VARS());
    assertEquals(cmds.length, 1, label);
    assertEquals(outputBackground(cmds[0].argv), { path: asWritten(path), mode: "fill" }, label);
  }
  const modes = /^(stretch|center|fill|fit|tile)$/i;
  fc.assert(fc.property(tricky().filter((s) => !modes.test(s)), (s) => {
    const cmds = readSwayConfig(`output * bg ${swayPath(s)} fill\n`, SWAY_VARS());
    assertEquals(cmds.length, 1);
    assertEquals(outputBackground(cmds[0].argv).path, asWritten(s));
  }));
});

Deno.test("the sway model catches what the old unquoted template did", () => {
  // The model must be able to see an injection, or the tests above prove nothing.
  const old = readSwayConfig(`output * bg x\nexec touch ${MARK}\n/y.jpg fill\n`);
  assertEquals(old.map((c) => c.argv[0]), ["output", "exec", "/y.jpg"]);
  assertThrows(() => outputBackground(["output", "*", "bg", "/w/$(id).jpg", "fill"]));
  assertThrows(() => outputBackground(["output", "*", "bg", "/w/`id`.jpg", "fill"]));
});

Deno.test("wordexpWord escapes everything but plain path characters and never doubles a space", () => {
  assertEquals(wordexpWord("/walls/a-b_c.d+e,f:g@h%i=j"), "/walls/a-b_c.d+e,f:g@h%i=j");
  assertEquals(wordexpWord("a b$(c)"), String.raw`a\ b\$\(c\)`);
  assertEquals(wordexpWord("a\nb"), "a'\n'b");
  assertEquals(wordexpWord(""), "''");
  assertEquals(wordexpWord("żółw"), "żółw");
  fc.assert(fc.property(tricky(), (s) => assert(!wordexpWord(s).includes("  "))));
});

Deno.test("cssString: the CSS string tokenizer reads back every value, on one line", () => {
  for (const { label, path } of HOSTILE_NAMES) {
    const q = cssString(path);
    assert(!/[\n\r\f]/.test(q), label);
    const r = readCssString(`url(${q})`, 4);
    assertEquals(r.value, asWritten(path), label);
    assertEquals(r.end, 4 + q.length, label);
  }
  fc.assert(fc.property(tricky(), (s) => {
    assertEquals(readCssString(cssString(s)).value, asWritten(s));
  }));
  assertEquals(cssString('a"b\\\n\x1b'), String.raw`"a\"b\\\A \1B "`);
});

Deno.test("formats that cannot hold NUL refuse it; TOML and JSON escape it", () => {
  for (const f of [shellQuote, swayQuote, swayPath, cssString]) {
    assertThrows(() => f("a\0b"), QuoteError);
  }
  assertEquals(tomlString("\0"), String.raw`"\u0000"`);
  assertEquals(FILTERS.tojson.fn("\0", [], { alpha: 100 }), String.raw`"\u0000"`);
});

Deno.test("shellQuote: bash and dash read every name back exactly, and run nothing", async () => {
  const values = [
    ...HOSTILE_NAMES.map((h) => h.path),
    ...fc.sample(tricky(), { numRuns: 150 }),
    "",
  ];
  const script = values.map((v, i) => `v${i}=${shellQuote(v)}`).join("\n") + "\n" +
    values.map((_, i) => `printf '%s\\0' "$v${i}"`).join("\n") + "\n";
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/vars.sh`, script);
    for (const sh of ["bash", "dash"]) {
      const r = await new Deno.Command(sh, {
        args: ["-c", ". ./vars.sh"],
        cwd: dir,
        env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: dir },
        clearEnv: true,
      }).output();
      assertEquals(r.code, 0, `${sh}: ${new TextDecoder().decode(r.stderr)}`);
      const got = new TextDecoder().decode(r.stdout).split("\0").slice(0, -1);
      assertEquals(got, values.map(asWritten), sh);
      await Deno.stat(`${dir}/${MARK}`).then(() => assert(false, `${sh} ran a command`), () => {});
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
