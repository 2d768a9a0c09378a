// matugen template syntax: values equal material-color-utilities', formats, filters, blocks, errors.
import { assert, assertEquals, assertMatch, assertThrows } from "../_helpers/assert.ts";
import {
  type DynamicColor,
  Hct,
  hexFromArgb,
  MaterialDynamicColors,
  SchemeExpressive,
  SchemeFidelity,
  SchemeMonochrome,
  SchemeTonalSpot,
  SchemeVibrant,
} from "@material/material-color-utilities";
import { compileMatugen } from "../../src/theme/matugen_compile.ts";
import { matugenVariables } from "../../src/theme/matugen_variables.ts";
import { MATUGEN_FORMATS } from "../../src/theme/matugen_format.ts";
import { materialScheme } from "../../src/palette/material/scheme.ts";
import { MATERIAL_ROLES, roleProperty } from "../../src/palette/material/roles.ts";
import { guessSyntax } from "../../src/theme/compile_template.ts";
import { TemplateError } from "../../src/theme/template_error.ts";
import type { MaterialSchemeName } from "../../src/config/choices.ts";
import { parse as parseCss, walk } from "css-tree";

const DYN = MaterialDynamicColors as unknown as Record<string, DynamicColor>;
const CLASSES = {
  "tonal-spot": SchemeTonalSpot,
  "vibrant": SchemeVibrant,
  "expressive": SchemeExpressive,
  "fidelity": SchemeFidelity,
  "monochrome": SchemeMonochrome,
} as const;

/** What the library itself says a role is. */
function expected(
  source: string,
  scheme: keyof typeof CLASSES,
  dark: boolean,
  contrast: number,
  role: string,
): string {
  const s = new CLASSES[scheme](
    Hct.fromInt(parseInt(source.slice(1), 16) | 0xff000000),
    dark,
    contrast,
  );
  return hexFromArgb(DYN[roleProperty(role as typeof MATERIAL_ROLES[number])].getArgb(s));
}

function render(
  src: string,
  source = "#4285f4",
  opts: {
    scheme?: MaterialSchemeName;
    contrast?: number;
    mode?: "light" | "dark";
    image?: string;
  } = {},
): string {
  const scheme = materialScheme(source, { scheme: opts.scheme, contrast: opts.contrast });
  const vars = matugenVariables(scheme, { mode: opts.mode ?? "dark", image: opts.image ?? "" });
  return compileMatugen(src, "t.txt").render(vars, { alpha: 100 });
}

Deno.test("matugen colours equal material-color-utilities' in light, dark and default", () => {
  const template = MATERIAL_ROLES.map((r) =>
    `${r} {{ colors.${r}.light.hex }} {{ colors.${r}.dark.hex }} {{ colors.${r}.default.hex }}`
  ).join("\n");
  const cases: [string, keyof typeof CLASSES, number][] = [
    ["#4285f4", "tonal-spot", 0],
    ["#b33b15", "vibrant", 0.5],
    ["#2e4b2b", "expressive", -1],
    ["#c4a000", "fidelity", 1],
    ["#777777", "monochrome", 0],
  ];
  for (const [source, scheme, contrast] of cases) {
    for (const mode of ["light", "dark"] as const) {
      const lines = render(template, source, { scheme, contrast, mode }).split("\n");
      assertEquals(lines.length, MATERIAL_ROLES.length);
      lines.forEach((line, i) => {
        const role = MATERIAL_ROLES[i];
        const light = expected(source, scheme, false, contrast, role);
        const dark = expected(source, scheme, true, contrast, role);
        assertEquals(
          line,
          `${role} ${light} ${dark} ${mode === "dark" ? dark : light}`,
          `${source} ${scheme} ${contrast} ${mode}`,
        );
      });
    }
  }
});

Deno.test("matugen source_color is the source in every variant", () => {
  assertEquals(
    render(
      "{{ colors.source_color.light.hex }} {{ colors.source_color.dark.hex_stripped }}",
      "#B33B15",
    ),
    "#b33b15 b33b15",
  );
});

Deno.test("matugen formats print as documented", () => {
  // on_primary of a light scheme is white in every scheme; scrim is black
  const out = render(
    [
      "{{ colors.scrim.dark.hex }} {{ colors.scrim.dark.hex_stripped }} {{ colors.scrim.dark.hex_alpha }}",
      "{{ colors.on_primary.light.rgb }} {{ colors.on_primary.light.rgba }}",
      "{{ colors.on_primary.light.hsl }} {{ colors.on_primary.light.hsla }}",
      "{{ colors.on_primary.light.red }},{{ colors.on_primary.light.green }},{{ colors.on_primary.light.blue }},{{ colors.on_primary.light.alpha }}",
      "{{ colors.source_color.default.hue }} {{ colors.source_color.default.saturation }} {{ colors.source_color.default.lightness }}",
    ].join("\n"),
    "#336699",
  );
  assertEquals(
    out,
    [
      "#000000 000000 #000000FF",
      "rgb(255, 255, 255) rgba(255, 255, 255, 1)",
      "hsl(0, 0%, 100%) hsla(0, 0%, 100%, 1)",
      "255,255,255,255",
      "210 50 40",
    ].join("\n"),
  );
});

Deno.test("matugen filters follow matugen's semantics and keep the format", () => {
  const src = (expr: string) => `{{ colors.source_color.default.${expr} }}`;
  const cases: [string, string][] = [
    ["hex | lighten: 20", "#6699cc"],
    ["hex | lighten: -20", "#1a334d"],
    ["hex | darken: 20", "#1a334d"],
    ["hex | lighten: 500", "#ffffff"],
    ["hex | set_lightness: 60", "#6699cc"],
    ["rgba | set_lightness: 60", "rgba(102, 153, 204, 1)"],
    ["rgba | set_alpha: 0.2", "rgba(51, 102, 153, 0.2)"],
    ["hex_alpha | set_alpha: 0.2", "#33669933"],
    // Upper case, as matugen's format.rs writes hex_alpha ({:02X}); hex stays lower case.
    ["hex_alpha | set_alpha: 0.8", "#336699CC"],
    ["hex_alpha_stripped", "336699FF"],
    ["rgba | set_alpha: 0.2 | lighten: 20", "rgba(102, 153, 204, 0.2)"],
    ["hsla | set_alpha: 0.5", "hsla(210, 50%, 40%, 0.5)"],
    ["hsl | set_hue: 30", "hsl(30, 50%, 40%)"],
    ["hex | set_hue: 30", "#996633"],
    ["hsl | set_saturation: 0", "hsl(210, 0%, 40%)"],
    ["hex | grayscale", "#666666"],
    ["hex | invert", "#cc9966"],
    ["hex | invert | invert", "#336699"],
    ["hex | to_upper", "#336699".toUpperCase()],
    ["hex_stripped | lighten: 20", "6699cc"],
    ["rgb | auto_lightness: 20", "rgb(102, 153, 204)"],
  ];
  for (const [expr, want] of cases) assertEquals(render(src(expr), "#336699"), want, expr);
  assertEquals(
    render(`{{ "primary_container" | replace: "_", "-" | to_upper }}`),
    "PRIMARY-CONTAINER",
  );
  assertEquals(render(`{{ "on_primary_fixed" | camel_case }}`), "onPrimaryFixed");
  assertEquals(
    render(`{{ image | quote: css }}`, "#336699", { image: `/w/a "b".png` }),
    `"/w/a \\22 b\\22 .png"`,
  );
  assertEquals(
    render(`{{ image | quote: hyprland }}`, "#336699", { image: "/w/#1.png" }),
    "/w/##1.png",
  );
  // What hyprlang would expand or trim has no escape there: refused, not written wrong.
  for (const image of ["/w/$HOME.png", "/w/{{ 1 + 1 }}.png", "/w/pic.png ", " /w/pic.png"]) {
    assertThrows(
      () => render(`{{ image | quote: hyprland }}`, "#336699", { image }),
      TemplateError,
      "Hyprland value",
    );
  }
  // A NUL cannot be held by a CSS string or a shell word: refused, as the Jinja filters do
  // (bash would drop it silently; CSS reads \0 as U+FFFD). A lone surrogate becomes U+FFFD.
  for (const format of ["css", "shell"]) {
    assertThrows(
      () => render(`{{ image | quote: ${format} }}`, "#336699", { image: "/w/a\0b.png" }),
      TemplateError,
      "cannot hold a NUL character",
    );
  }
  for (const [format, want] of [["json", '"/w/a\ufffdb"'], ["shell", "'/w/a\ufffdb'"]]) {
    assertEquals(
      render(`{{ image | quote: ${format} }}`, "#336699", { image: "/w/a\ud800b" }),
      want,
      format,
    );
  }
});

Deno.test("matugen set_alpha on a format without alpha names the problem", () => {
  const e = assertThrows(
    () => render("x\n  {{ colors.primary.default.hex | set_alpha: 0.5 }}"),
    TemplateError,
  );
  assertMatch(e.message, /^t\.txt:2:35: 'set_alpha' cannot change a hex colour/);
});

Deno.test("matugen loops, conditions, image and mode", () => {
  const out = render(
    [
      "<* for name, value in colors *>",
      "<* if {{ loop.first }} *>",
      "first={{ name }} {{ value.default.hex }}",
      "<* endif *>",
      "<* endfor *>",
      "<* if {{ is_dark_mode }} *>",
      "dark {{ mode }} {{ image }}",
      "<* else *>",
      "light {{ mode }}",
      "<* endif *>",
      "n=<* for name, value in colors *>x<* endfor *>",
    ].join("\n") + "\n",
    "#4285f4",
    { mode: "dark", image: "/walls/a.jpg" },
  );
  const primary = expected("#4285f4", "tonal-spot", true, 0, "primary");
  assertEquals(
    out,
    `first=primary ${primary}\ndark dark /walls/a.jpg\nn=${"x".repeat(MATERIAL_ROLES.length + 1 + 8) // the roles, source_color, success and warning
    }\n`,
  );
  assertEquals(
    render("<* if not {{ is_dark_mode }} *>L<* else *>D<* endif *>", "#4285f4", { mode: "light" }),
    "L",
  );
  assertEquals(
    render(`<* if {{ mode }} == "light" *>yes<* endif *>`, "#4285f4", { mode: "light" }),
    "yes",
  );
});

Deno.test("matugen errors name the file, line and column of an unknown role, variant, format or filter", () => {
  const cases: [string, RegExp][] = [
    ["a\n  {{ colors.primry.default.hex }}", /^t\.txt:2:13: unknown colour 'primry'/],
    ["{{ colors.primary.night.hex }}", /^t\.txt:1:19: unknown variant 'night'/],
    ["{{ colors.primary.dark.hexx }}", /^t\.txt:1:24: unknown format 'hexx'/],
    ["{{ colors.primary.dark.hex | lightn: 2 }}", /^t\.txt:1:30: unknown filter 'lightn'/],
    [
      "<* for n, v in colors *>{{ v.default.nope }}<* endfor *>",
      /^t\.txt:1:38: unknown format 'nope'/,
    ],
    ["<* if {{ is_dark_mode }} *>{{ colors.x.dark.hex }}<* endif *>", /unknown colour 'x'/],
    ["{{ colors.primary.dark }}", /^t\.txt:1:4: a colour variant cannot be printed/],
    ["{{ colour }}", /^t\.txt:1:4: unknown variable 'colour'$/],
    // matugen 4's additions say so (not a typo of the user's)
    [
      "{{ colors.primary.dark.hex | saturate: 10 }}",
      /unknown filter 'saturate' \(matugen 4's, which varietal does not have yet: see docs\/theme\.md\)/,
    ],
    ["{{ base16.base08.dark.hex }}", /^t\.txt:1:4: unknown variable 'base16' \(matugen 4's/],
    ["<* for n, v in colors *>", /'for' is never closed/],
  ];
  for (const [src, re] of cases) {
    const e = assertThrows(() => compileMatugen(src, "t.txt"), TemplateError);
    assertMatch(e.message, re, src);
  }
});

Deno.test("matugen block tags alone on a line take the line with them", () => {
  const out = render(
    "a\n  <* if {{ is_dark_mode }} *>  \nb\n<* endif *>\nc <* if {{ is_dark_mode }} *>d<* endif *>\n",
  );
  assertEquals(out, "a\nb\nc d\n");
});

Deno.test("guessSyntax() recognises matugen templates", () => {
  assertEquals(guessSyntax("x.css", "@define-color a {{colors.primary.default.hex}};"), "matugen");
  assertEquals(guessSyntax("x.css", "<* for name, value in colors *>\n<* endfor *>"), "matugen");
  assertEquals(guessSyntax("x.css", "{{ color1 | strip }}"), "jinja");
  assertEquals(guessSyntax("x.css", "{color1}"), "pywal");
  assert(true);
});

Deno.test("matugen quote: css reads back as the same name in a CSS parser, even with control characters", () => {
  const name = '/w/form\ffeed\tTab\rCR\r\nCRLF\x1besc\x7fdel\u2028ls "q" \\ */end.png';
  const css = `a { background-image: url(${
    render(`{{ image | quote: css }}`, "#336699", { image: name })
  }); color: red; }`;
  const errors: string[] = [];
  const ast = parseCss(css, { onParseError: (e: Error) => errors.push(e.message) });
  assertEquals(errors, []);
  const urls: string[] = [];
  const decls: string[] = [];
  walk(ast, (node: { type: string; value?: string; property?: string }) => {
    if (node.type === "Url") urls.push(node.value!);
    if (node.type === "Declaration") decls.push(node.property!);
  });
  assertEquals(urls, [name]);
  assertEquals(decls, ["background-image", "color"]); // nothing swallowed
  // Inside a comment it cannot end the comment.
  const quoted = render(`{{ image | quote: css }}`, "#336699", { image: name });
  // deno-lint-ignore no-control-regex -- control characters are what it looks for
  assert(!quoted.includes("*/") && !/[\0-\x1f\x7f\u2028]/.test(quoted), quoted);
});

Deno.test("matugen variables made on first read list and serialise every role, variant and format", () => {
  const vars = matugenVariables(materialScheme("#4285f4"), { mode: "light", image: "/w.jpg" });
  const colors = vars.colors as Record<string, Record<string, Record<string, unknown>>>;
  // Enumerable like plain data: loops, `| json`-style dumps and JSON all see every name.
  const names = [...MATERIAL_ROLES, "source_color", "success", "warning"];
  for (const n of names) assert(Object.keys(colors).includes(n), n);
  const copy = JSON.parse(JSON.stringify(vars));
  assertEquals(Object.keys(copy.colors), Object.keys(colors));
  for (const role of Object.keys(colors)) {
    for (const variant of ["light", "dark", "default"]) {
      assertEquals(copy.colors[role][variant], { ...colors[role][variant] }, `${role}.${variant}`);
      assertEquals(
        Object.keys(copy.colors[role][variant]),
        [...MATUGEN_FORMATS],
        `${role}.${variant}`,
      );
    }
  }
  // A value read twice is the same one (made once), and the record stays frozen.
  assertEquals(colors.primary.light.hex, colors.primary.default.hex);
  assert(Object.isFrozen(colors) && Object.isFrozen(colors.primary.light));
  assertThrows(() => {
    (colors.primary.light as Record<string, unknown>).hex = "#000000";
  }, TypeError);
});
