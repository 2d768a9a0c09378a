// pywal's template syntax: the 28 templates pywal ships render with pywal's own test
// palette exactly as `wal` renders them, and pywal's Color functions match Python.
import { assert, assertEquals, assertThrows } from "../_helpers/assert.ts";
import { compilePywal, pywalFunction } from "../../src/theme/pywal_template.ts";
import { TemplateError } from "../../src/theme/template_error.ts";
import { readPaletteFile } from "../../src/palette/palette_file.ts";
import { templateVariables } from "../../src/theme/variables.ts";
import { compileTemplate, guessSyntax } from "../../src/theme/compile_template.ts";

const COMPAT = new URL("../testdata/pywal/", import.meta.url).pathname;

async function corpus() {
  const palette = await readPaletteFile(`${COMPAT}colors.json`);
  const vars = templateVariables(palette, { wallpaper: palette.wallpaper!, alpha: palette.alpha! });
  const files: string[] = [];
  for await (const e of Deno.readDir(`${COMPAT}templates`)) files.push(e.name);
  files.sort();
  return { palette, vars, files };
}

/**
 * An independent oracle for the corpus: Python's str.format for the features the corpus
 * uses (name, one property), written as a regex pass over placeholders-protected braces.
 */
function oracle(src: string, json: Record<string, unknown>): string {
  const special = json.special as Record<string, string>;
  const colors = json.colors as Record<string, string>;
  const map: Record<string, string> = {
    ...special,
    ...colors,
    wallpaper: json.wallpaper as string,
    alpha: json.alpha as string,
  };
  const alpha = json.alpha as string;
  const props: Record<string, (hex: string) => string> = {
    strip: (h) => h.slice(1),
    rgb: (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)).join(","),
    xrgba: (h) => `${h.slice(1, 3)}/${h.slice(3, 5)}/${h.slice(5, 7)}/ff`.toLowerCase(),
    alpha: (h) => `[${alpha}]${h}`,
    alpha_dec: () => (Number(alpha) / 100 === 1 ? "1.0" : String(Number(alpha) / 100)),
  };
  return src
    .replaceAll("{{", "\u0001").replaceAll("}}", "\u0002")
    .replace(/\{(\w+)(?:\.(\w+))?\}/g, (_m, name: string, prop?: string) => {
      const v = map[name];
      if (v === undefined) throw new Error(`oracle: unknown ${name}`);
      return prop ? props[prop](v) : v;
    })
    .replaceAll("\u0001", "{").replaceAll("\u0002", "}");
}

Deno.test("compilePywal() renders all 28 pywal templates as pywal does", async () => {
  const { vars, files } = await corpus();
  const json = JSON.parse(await Deno.readTextFile(`${COMPAT}colors.json`));
  assertEquals(files.length, 28);
  for (const f of files) {
    const src = await Deno.readTextFile(`${COMPAT}templates/${f}`);
    assertEquals(guessSyntax(f, src), "pywal", `${f} is recognised as pywal`);
    const out = compilePywal(src, f).render(vars, { alpha: 100 });
    assertEquals(out, oracle(src, json), f);
    assert(!/\{(color\d+|background|foreground|cursor|wallpaper|alpha)[.}]/.test(out), f);
    assert(!out.includes("{{") || src.includes("{{{{"), `${f}: {{ became {`);
  }
});

Deno.test("pywal's own expectations: colors.sh line 7 and colors.css line 7", async () => {
  const { vars } = await corpus();
  const render = async (f: string) =>
    compilePywal(await Deno.readTextFile(`${COMPAT}templates/${f}`), f)
      .render(vars, { alpha: 100 }).split("\n");
  assertEquals((await render("colors.sh"))[6], "foreground='#F5F1F4'");
  assertEquals((await render("colors.css"))[6], "    --background: #1F211E;");
});

Deno.test("pywal properties: alpha, alpha_dec, xrgba, rgb, strip keep pywal's formats", async () => {
  const { vars } = await corpus();
  const r = (s: string) => compilePywal(s, "t").render(vars, { alpha: 100 });
  assertEquals(r("{background.alpha}"), "[100]#1F211E");
  assertEquals(r("{background.alpha_dec}"), "1.0");
  assertEquals(r("{color15.xrgba}"), "f5/f1/f4/ff");
  assertEquals(r("{color1.rgb}"), "75,122,133");
  assertEquals(r("{color1.rgba}"), "rgba(75,122,133,1.0)");
  assertEquals(r("{color1.strip}"), "4B7A85");
  assertEquals(r("{color1.red} {color1.green} {color1.blue}"), "0.294 0.478 0.522");
  assertEquals(r("{alpha} {wallpaper}"), "100 5.png");
  const r85 = (s: string) => compilePywal(s, "t").render({ ...vars, alpha: 85 }, { alpha: 85 });
  assertEquals(r85("{background.alpha_dec} {background.alpha}"), "0.85 [85]#1F211E");
});

Deno.test("pywal functions match Python: int() truncation, colorsys HLS, digits-only percent", () => {
  // int(75 + 180×0.2) = 111, int(122 + 133×0.2) = int(148.6) = 148, int(157.4) = 157
  assertEquals(pywalFunction("#4B7A85", "lighten", ["20"]), "#6f949d");
  // int(75×0.8) = 60, int(97.6) = 97, int(106.4) = 106
  assertEquals(pywalFunction("#4B7A85", "darken", ["20"]), "#3c616a");
  // Reference values from Python's colorsys (hls_to_rgb with s set to the amount)
  assertEquals(pywalFunction("#4B7A85", "saturate", ["50"]), "#33889c");
  assertEquals(pywalFunction("#CC6A93", "saturate", ["30"]), "#b97d96");
  assertEquals(pywalFunction("#666666", "saturate", ["50"]), "#993232");
  // pywal strips everything but digits: "0.5" → "05" → 5 %
  assertEquals(
    pywalFunction("#000000", "lighten", ["0.5"]),
    pywalFunction("#000000", "lighten", ["5"]),
  );
});

Deno.test("pywal chains: a computed colour prints with its '#', properties apply after functions", () => {
  const vars = { color1: "#4B7A85", alpha: 100 };
  const r = (s: string) => compilePywal(s, "t").render(vars, { alpha: 100 });
  // pywal puts `{color6f949d}` in the line and formats Color("#6f949d"): str() keeps the '#'.
  assertEquals(r("{color1.lighten(20)}"), "#6f949d");
  assertEquals(r("#{color1.darken(20)}"), "##3c616a");
  assertEquals(r("{color1.lighten(20).strip}"), "6f949d");
  assertEquals(r("{color1.lighten(20).rgb}"), "111,148,157");
  // #6f949d darkened 20 %: int(111×0.8) = 88, int(148×0.8) = 118, int(157×0.8) = 125
  assertEquals(r("{color1.lighten(20).darken(20)}"), "#58767d");
});

Deno.test("pywal literal braces and errors with line and column", () => {
  const r = (s: string) => compilePywal(s, "t").render({ color0: "#000000" }, { alpha: 100 });
  assertEquals(r("a {{b}} {{{color0}}}"), "a {b} {#000000}");
  const at = (src: string) => {
    const e = assertThrows(() => compilePywal(src, "bad.conf"), TemplateError);
    return `${e.line}:${e.column} ${e.problem}`;
  };
  assertEquals(at("x\n  {colour1}"), "2:4 unknown variable 'colour1'");
  assertEquals(at("ok\n}"), "2:1 single '}' (write '}}' for a literal brace)");
  assertEquals(at("{color1.shiny}"), "1:9 unknown property 'shiny'");
  assertEquals(at("{color1.lighten}"), "1:9 'lighten' needs an argument: lighten(20)");
  assertEquals(at("a { b"), "1:3 single '{' (write '{{' for a literal brace)");
  // Line ends as Python's text mode reads them (a CRLF colors.sh still works in sh).
  assertEquals(r("a={color0}\r\nb=1\rc=2\r\n"), "a=#000000\nb=1\nc=2\n");
  assertEquals(at("x\r\n  {colour1}"), "2:4 unknown variable 'colour1'");
});

Deno.test("a template's byte-order mark is kept, as pywal and wallust keep it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/colors.sh`;
    await Deno.writeTextFile(file, "\ufeffbg='{color0}'\n");
    const { TemplateCache } = await import("../../src/theme/template_cache.ts");
    const t = new TemplateCache().loadSync(file).template;
    assertEquals(t.render({ color0: "#000000" }, { alpha: 100 }), "\ufeffbg='#000000'\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("compileTemplate() picks the syntax; guessSyntax() tells pywal from Jinja", () => {
  assertEquals(guessSyntax("x.conf", "bg {background}\n"), "pywal");
  assertEquals(guessSyntax("x.conf", "a {{ color1 }} {{color2}}"), "jinja");
  assertEquals(guessSyntax("x.wallust", "bg {background}"), "jinja");
  assertEquals(guessSyntax("x.css", ":root {{\n  --bg: {background};\n}}"), "pywal");
  // A shell's ${background} beside Jinja's {{ background }} is no pywal field; pywal's own
  // ${{LS_COLORS}} (a literal {LS_COLORS}) is no Jinja expression.
  assertEquals(guessSyntax("g.sh", 'bg="{{ background }}"\necho "${background}"\n'), "jinja");
  assertEquals(guessSyntax("g.sh", '{% if wallpaper %}w="${wallpaper}"{% endif %}'), "jinja");
  assertEquals(guessSyntax("c.sh", 'x="{color1}"\nexport LS="${{LS_COLORS}}"'), "pywal");
  // matugen's own names without a colour path: matugen's hyprpaper, hyprlock, GTK templates.
  assertEquals(
    guessSyntax("hyprpaper.conf", "preload = {{image}}\nwallpaper = ,{{image}}\n"),
    "matugen",
  );
  assertEquals(guessSyntax("gtk.ini", 'theme = "{{ mode }}"'), "matugen");
  const paper = compileTemplate(
    "preload = {{image}}",
    "p",
    guessSyntax("p", "preload = {{image}}"),
  );
  assert(paper, "compiles as matugen");
  // A Jinja template with one of its own variables stays Jinja.
  assertEquals(guessSyntax("x.conf", "{{ wallpaper }} {{ image }}"), "jinja");
  // A mistyped matugen variant is still matugen (and its error says so).
  assertEquals(guessSyntax("m.css", "{{ colors.primary.defalt.hex }}"), "matugen");
  assertThrows(
    () => compileTemplate("{{ colors.primary.defalt.hex }}", "m.css", "matugen"),
    Error,
    "defalt",
  );
  const src = 'bg="{{ background }}"\necho "${background}"\n';
  const mixed = compileTemplate(src, "g.sh", guessSyntax("g.sh", src));
  assertEquals(
    mixed.render({ background: "#161616" }, { alpha: 100 }),
    'bg="#161616"\necho "${background}"\n',
  );
  const t = compileTemplate("{color1}", "t", "pywal");
  assertEquals(t.render({ color1: "#123456" }, { alpha: 100 }), "#123456");
});
