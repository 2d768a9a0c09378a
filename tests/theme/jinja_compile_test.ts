// The Jinja/wallust compiler: output, control flow, include, escapes, whitespace control,
// and errors that name the template, line and column.
import { assertEquals, assertThrows } from "../_helpers/assert.ts";
import { type CompiledTemplate, compileJinja } from "../../src/theme/jinja_compile.ts";
import { TemplateError } from "../../src/theme/template_error.ts";
import { templateVariables, VARIABLE_NAMES } from "../../src/theme/variables.ts";
import type { PaletteRecord } from "../../src/palette/palette_record.ts";

const PALETTE: PaletteRecord = {
  origin: "wallust",
  variant: "dark16",
  background: "#1F211E",
  foreground: "#F5F1F4",
  cursor: "#F5F1F3",
  colors: Array.from(
    { length: 16 },
    (_, i) => `#0000${i.toString(16).padStart(2, "0").toUpperCase()}`,
  ),
  avg_hue: 100,
  avg_saturation: 0.2,
  avg_lightness: 0.3,
  temperature: 0,
};
const VARS = templateVariables(PALETTE, { wallpaper: "/w/forest.jpg", alpha: 90 });
const compile = (src: string, name = "t.conf") =>
  compileJinja(src, name, { globals: VARIABLE_NAMES });
const render = (src: string, include?: (n: string) => CompiledTemplate | undefined) =>
  compile(src).render(VARS, { alpha: 90, include });

Deno.test("compileJinja() prints variables and chained filters with arguments", () => {
  assertEquals(render("bg={{ background }} fg={{foreground|strip}}"), "bg=#1F211E fg=F5F1F4");
  assertEquals(render("{{ background | lighten(0.2) | strip | lower }}"), "4c4d4b");
  assertEquals(render("{{ color1 | blend(color2) }}"), "#000002"); // (1+2)/2 = 1.5 → 2
  assertEquals(
    render("{{ wallpaper | basename }} {{ alpha }} {{ alpha_dec }}"),
    "forest.jpg 90 0.9",
  );
  assertEquals(render("{{ backend }}/{{ colorspace }}/{{ palette }}"), "wallust/lch/dark16");
  assertEquals(
    render("{{ colors[16] }} {{ colors[-1] }} {{ colors | length }}"),
    "#1F211E #F5F1F3 19",
  );
});

Deno.test("compileJinja() supports if/elif/else, comparisons and boolean operators", () => {
  const t = "{% if alpha < 50 %}low{% elif alpha == 90 and not (palette == 'light16') %}ninety" +
    "{% else %}other{% endif %}";
  assertEquals(render(t), "ninety");
  assertEquals(render("{% if 'dark' in palette %}d{% endif %}{% if none %}x{% endif %}"), "d");
  assertEquals(
    render("{{ 'yes' if alpha > 10 else 'no' }} {{ 1 + 2 * 3 }} {{ 7 // 2 }} {{ 7 % 3 }}"),
    "yes 7 3 1",
  );
  assertEquals(render("{{ 'a' ~ alpha ~ 'b' }}"), "a90b");
});

Deno.test("compileJinja() loops with loop variables, else and set", () => {
  const t = "{% for c in colors %}{% if loop.index0 < 3 %}{{ loop.index }}={{ c }}" +
    "{% if not loop.last %},{% endif %}{% endif %}{% endfor %}";
  assertEquals(render(t), "1=#000000,2=#000001,3=#000002,");
  assertEquals(render("{% for x in [] %}a{% else %}empty{% endfor %}"), "empty");
  assertEquals(render("{% set accent = color4 | lighten(0.5) %}{{ accent }}"), "#808082");
  // set inside a loop stays in the loop
  assertEquals(
    render("{% set n = 1 %}{% for c in [1, 2] %}{% set n = c %}{% endfor %}{{ n }}"),
    "1",
  );
  // and each pass starts from the outer value, as jinja2 renders it ("22|1")
  assertEquals(
    render("{% set x = 1 %}{% for c in [1, 2] %}{% set x = x + 1 %}{{ x }}{% endfor %}|{{ x }}"),
    "22|1",
  );
});

Deno.test("compileJinja() keeps comments out, escapes braces and handles raw blocks", () => {
  assertEquals(render("a{# a comment {{ nothing }} #}b"), "ab");
  assertEquals(render('{{ "{{" }} color1 {{ "}}" }}'), "{{ color1 }}");
  assertEquals(render("{% raw %}{{ color1 }}{% endraw %}"), "{{ color1 }}");
  assertEquals(render("{ single } braces { stay }"), "{ single } braces { stay }");
  assertEquals(render("keep\ntrailing\n"), "keep\ntrailing\n");
});

Deno.test("compileJinja() whitespace control trims around tags", () => {
  assertEquals(render("a  {%- if true -%}  \n b {%- endif %}"), "ab");
  assertEquals(render("x\n{{- color0 -}}\ny"), "x#000000y");
});

Deno.test("compileJinja() includes other templates with the caller's variables", () => {
  // part.inc uses `c`, which only its includer defines: includes are compiled leniently
  const part = compileJinja("[{{ c }}:{{ background }}]", "part.inc", {
    globals: VARIABLE_NAMES,
    strictNames: false,
  });
  const inc = (n: string) => (n === "part.inc" ? part : undefined);
  const t = compile('{% for c in [1, 2] %}{% include "part.inc" %}{% endfor %}');
  assertEquals(t.includes, ["part.inc"]);
  assertEquals(t.render(VARS, { alpha: 90, include: inc }), "[1:#1F211E][2:#1F211E]");
  // …and a name nobody sets is still an error, at its place in the included file
  const e1 = assertThrows(() => render('{% include "part.inc" %}', inc), TemplateError);
  assertEquals(e1.message, "part.inc:1:5: unknown variable 'c'");
  const e = assertThrows(() => render('x\n{% include "missing.inc" %}', inc), TemplateError);
  assertEquals([e.line, e.column], [2, 4]);
});

function errorAt(src: string): string {
  const e = assertThrows(() => compile(src, "bar.css").render(VARS, { alpha: 90 }), TemplateError);
  assertEquals(e.template, "bar.css");
  return `${e.line}:${e.column} ${e.problem}`;
}

Deno.test("compileJinja() errors name the template, line and column", () => {
  assertEquals(errorAt("ok\n  {{ colr1 }}"), "2:6 unknown variable 'colr1'");
  assertEquals(errorAt("{{ color1 | lightn(0.1) }}"), "1:13 unknown filter 'lightn'");
  assertEquals(
    errorAt("{{ color1 | lighten }}"),
    "1:13 filter 'lighten' takes 1 argument(s), got 0",
  );
  assertEquals(errorAt("a\nb {% if true %}x"), "2:6 'if' is never closed (expected 'endif')");
  assertEquals(errorAt("{% endfor %}"), "1:4 unexpected 'endfor'");
  assertEquals(errorAt("{% frobnicate %}"), "1:4 unknown tag 'frobnicate'");
  assertEquals(errorAt("\n\n   {{ color1 "), "3:4 unclosed '{{' (expected '}}')");
  assertEquals(
    errorAt("{{ wallpaper | lighten(0.1) }}"),
    "1:16 'lighten' needs a hex colour like #RRGGBB, got \"/w/forest.jpg\"",
  );
  assertEquals(errorAt("{# never closed"), "1:1 unclosed comment '{#'");
  assertEquals(errorAt("{% if false %}{{ nope }}{% endif %}"), "1:18 unknown variable 'nope'");
  assertEquals(errorAt("{{ colors[40] }}"), "1:10 index 40 is out of range (19 items)");
  assertEquals(errorAt("{{ color1 + 1 }}"), '1:11 expected a number, got a string "#000001"');
  assertEquals(errorAt("{{ 'x }}"), "1:4 unclosed string");
  assertEquals(errorAt("{% for c colors %}{% endfor %}"), "1:10 expected 'in'");
});

Deno.test("compileJinja() message reads file:line:column: problem", () => {
  const e = assertThrows(() => compile("\n {{ x }}", "kitty.conf"), TemplateError);
  assertEquals(e.message, "kitty.conf:2:5: unknown variable 'x'");
});

Deno.test("compileJinja() supports range(), slices, tests and default()", () => {
  assertEquals(render("{% for i in range(3) %}{{ i }}{% endfor %}"), "012");
  assertEquals(
    render("{% for i in range(8, 16, 4) %}{{ colors[i] }} {% endfor %}"),
    "#000008 #00000C ",
  );
  assertEquals(
    render("{{ colors[:2] | join(',') }}|{{ colors[17:] | join(',') }}"),
    "#000000,#000001|#F5F1F4,#F5F1F3",
  );
  assertEquals(render("{{ colors[-3:-2] | join }}"), "#1F211E");
  assertEquals(
    render("{% if wallpaper is defined and accent is not defined %}ok{% endif %}"),
    "ok",
  );
  assertEquals(
    render("{% if alpha is even %}even{% endif %}{% if none is none %}!{% endif %}"),
    "even!",
  );
  assertEquals(
    render("{{ accent | default(color4) }} {{ color1 | default('x') }}"),
    "#000004 #000001",
  );
  assertEquals(
    render("{% set accent = color9 %}{{ accent | default(color4) }}"),
    "#000009",
  );
  // default(y, true): also for an empty value (a credit without an author, say).
  assertEquals(
    render("{% set a = '' %}[{{ a | default('anon') }}][{{ a | default('anon', true) }}]"),
    "[][anon]",
  );
  assertEquals(render("{{ color1 | default('x', true) }}"), "#000001");
  assertEquals(
    errorAt("{{ a | default(1, 2, 3) }}").endsWith("takes 0 to 2 argument(s), got 3"),
    true,
  );
  assertEquals(errorAt("{{ nosuch(1) }}"), "1:4 unknown function 'nosuch'");
  assertEquals(errorAt("{{ alpha is shiny }}"), "1:13 unknown test 'shiny'");
  assertEquals(errorAt("{{ range() }}"), "1:4 range() takes 1 to 3 arguments, got 0");
});
