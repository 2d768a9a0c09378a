// The Material built-ins (matugen syntax): snapshots, and parsed by their format.
import { assert, assertEquals, assertMatch } from "../_helpers/assert.ts";
import { builtinSyntax, listBuiltins, MATERIAL_BUILTINS } from "../../src/theme/builtins.ts";
import { TemplateCache } from "../../src/theme/template_cache.ts";
import { matugenVariables } from "../../src/theme/matugen_variables.ts";
import { materialScheme } from "../../src/palette/material/scheme.ts";
import { statusRoles } from "../../src/palette/material/status_roles.ts";
import type { MaterialSchemeName } from "../../src/config/choices.ts";
import { generate, parse as parseCss, walk } from "css-tree";

const SNAPSHOTS = new URL("./testdata/builtins/", import.meta.url).pathname;
const IMAGE = `/walls/it's "x"*/#1.png`;

async function renderMaterial(
  mode: "light" | "dark",
  image = IMAGE,
  source = "#4285f4",
  variant: MaterialSchemeName = "tonal-spot",
) {
  const scheme = materialScheme(source, { scheme: variant });
  const vars = matugenVariables(scheme, { mode, image });
  const cache = new TemplateCache();
  const out = new Map<string, string>();
  const builtins = (await listBuiltins()).filter((b) => builtinSyntax(b) === "matugen");
  assertEquals(builtins.map((b) => b.name).sort(), [...MATERIAL_BUILTINS].sort());
  for (const b of builtins) {
    const t = await cache.load(b.path, { syntax: "matugen", name: b.file });
    out.set(b.file, t.template.render(vars, { alpha: 100, include: t.include }));
  }
  return { out, scheme: scheme[mode] };
}

Deno.test("Material built-in templates render as their snapshots", async () => {
  const { out } = await renderMaterial("dark");
  const update = Deno.env.get("UPDATE_SNAPSHOTS") === "1";
  for (const [file, text] of out) {
    if (update) await Deno.writeTextFile(`${SNAPSHOTS}${file}.snap`, text);
    assertEquals(text, await Deno.readTextFile(`${SNAPSHOTS}${file}.snap`), file);
  }
});

Deno.test('without a wallpaper (--source-color), the GTK headers name none instead of printing ""', async () => {
  const { out } = await renderMaterial("dark", "");
  for (const file of ["gtk3.css", "gtk4.css"]) {
    const head = out.get(file)!.split("\n").slice(0, 3).join("\n");
    assert(!head.includes('""') && !head.includes("from the wallpaper"), `${file}: ${head}`);
    assertMatch(head, /Material 3 \(dark\)\n {3}Use with:/, file);
  }
});

Deno.test("gtk3.css and gtk4.css parse as CSS and define libadwaita's colours from the scheme", async () => {
  for (const mode of ["light", "dark"] as const) {
    const { out, scheme } = await renderMaterial(mode);
    for (const file of ["gtk3.css", "gtk4.css"]) {
      const text = out.get(file)!;
      const errors: string[] = [];
      const ast = parseCss(text, { onParseError: (e: Error) => errors.push(e.message) });
      assertEquals(errors, [], file);
      const defined = new Map<string, string>();
      walk(ast, (node: { type: string; name?: string; prelude?: unknown }) => {
        if (node.type === "Atrule" && node.name === "define-color" && node.prelude) {
          const [name, ...value] = generate(node.prelude).trim().split(/\s+/);
          defined.set(name, value.join(" "));
        }
      });
      assertEquals(defined.get("accent_bg_color"), scheme.primary, file);
      assertEquals(defined.get("window_bg_color"), scheme.surface, file);
      assertEquals(defined.get("window_fg_color"), scheme.on_surface, file);
      for (
        const name of ["accent_color", "headerbar_bg_color", "card_bg_color", "popover_bg_color"]
      ) {
        assertMatch(defined.get(name) ?? "", /^#[0-9a-f]{6}$/, `${file} ${name}`);
      }
      assertEquals(defined.get("shade_color"), "rgba(0,0,0,0.36)"); // generate() drops spaces
      if (file === "gtk3.css") assertEquals(defined.get("theme_bg_color"), scheme.surface);
      // the wallpaper path is a CSS string inside the header comment: it cannot end the comment
      assert(text.includes(`"/walls/it's \\22 x\\22 \\2a /#1.png"`), file);
      assertEquals(text.indexOf("*/"), text.lastIndexOf("*/", text.indexOf("@define-color")), file);
    }
  }
});

/** HSL hue of `#rrggbb`, in degrees. */
function hue(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const max = Math.max(r, g, b), d = max - Math.min(r, g, b);
  if (d === 0) return NaN;
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return (h * 60 + 360) % 360;
}

/** WCAG contrast ratio of two `#rrggbb` colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/**
 * Reads an INI file as Qt's QSettings does (qt5ct and qt6ct read their colour schemes with
 * it): `[section]` lines, `key=value` lines, `#` and `;` comments only at the start of a line
 * (the `ini` package would cut every value at its first `#`).
 */
function parseQSettings(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section = "General";
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    const sec = /^\[(.+)\]$/.exec(line);
    if (sec) {
      section = sec[1];
      out[section] ??= {};
      continue;
    }
    const kv = /^([^=]+)=(.*)$/.exec(line);
    if (!kv) throw new SyntaxError(`not an INI line: ${line}`);
    (out[section] ??= {})[kv[1].trim()] = kv[2].trim();
  }
  return out;
}

Deno.test("qt5ct.conf and qt6ct.conf parse as INI with 21 #aarrggbb colours per group", async () => {
  for (const mode of ["light", "dark"] as const) {
    const { out, scheme } = await renderMaterial(mode);
    for (const file of ["qt5ct.conf", "qt6ct.conf"]) {
      const ini = parseQSettings(out.get(file)!);
      for (const group of ["active_colors", "inactive_colors", "disabled_colors"]) {
        const colors = ini.ColorScheme[group].split(/,\s*/);
        assertEquals(colors.length, 21, `${file} ${group}`);
        for (const c of colors) assertMatch(c, /^#[0-9a-f]{8}$/, `${file} ${group}`);
      }
      const active = ini.ColorScheme.active_colors.split(/,\s*/);
      assertEquals(active[0], `#ff${scheme.on_surface.slice(1)}`); // WindowText
      assertEquals(active[10], `#ff${scheme.surface.slice(1)}`); // Window
      assertEquals(active[12], `#ff${scheme.primary.slice(1)}`); // Highlight
    }
  }
});

Deno.test("hyprland-material.conf sets a variable per colour and no wallpaper path", async () => {
  const { out, scheme } = await renderMaterial("dark");
  const lines = out.get("hyprland-material.conf")!.split("\n");
  // hyprlang cannot carry every path (see docs/theme.md, "Quoting values"): colours only.
  assert(!lines.some((l) => l.includes("/walls/")));
  assert(lines.includes(`$primary = rgb(${scheme.primary.slice(1)})`));
  const vars = lines.filter((l) => /^\$\w+ = rgb\([0-9a-f]{6}\)$/.test(l));
  assertEquals(vars.length, 58); // 49 roles, source_color, 4 success and 4 warning colours
  assert(
    lines.includes(
      `$on_warning_container = rgb(${statusRoles(scheme).on_warning_container.slice(1)})`,
    ),
  );
});

Deno.test("gtk3/gtk4 success is green and warning amber, as readable as the scheme's tertiary, for any source", async () => {
  // Saturated pinks and purples under content/fidelity were the hard cases of a hue
  // turned in HSL (1.7:1 text on its container); monochrome has a grey tertiary.
  const sources = ["#4285f4", "#9c27b0", "#c40df2", "#f20da6", "#6059a6", "#a6f20d"];
  const variants: MaterialSchemeName[] = ["tonal-spot", "content", "fidelity", "monochrome"];
  for (const source of sources) {
    for (const variant of variants) {
      for (const mode of ["light", "dark"] as const) {
        const { out, scheme } = await renderMaterial(mode, IMAGE, source, variant);
        for (const file of ["gtk3.css", "gtk4.css"]) {
          const defined = new Map(
            [...out.get(file)!.matchAll(/@define-color (\w+) (#[0-9a-f]{6});/g)].map((m) => [
              m[1],
              m[2],
            ]),
          );
          const at = `${file} ${source} ${variant} ${mode}`;
          for (const [role, from, to] of [["success", 100, 170], ["warning", 25, 55]] as const) {
            for (const part of ["color", "bg_color", "fg_color"]) {
              const hex = defined.get(`${role}_${part}`)!;
              const h = hue(hex);
              // Text near black or white is browner or paler: a wider band.
              const slack = part === "fg_color" ? 15 : 0;
              const rgb = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
              // white, black or nearly: no hue to speak of
              const grey = part === "fg_color" && Math.max(...rgb) - Math.min(...rgb) <= 8;
              assert(
                grey || (h >= from - slack && h <= to + slack),
                `${at} ${role}_${part} ${hex}`,
              );
            }
            // Text on the container, and the colour on the window: at least the tertiary's.
            const pairs = [
              [
                `${role}_fg_color`,
                `${role}_bg_color`,
                "on_tertiary_container",
                "tertiary_container",
              ],
              [`${role}_color`, "window_bg_color", "tertiary", "surface"],
            ] as const;
            for (const [fg, bg, tfg, tbg] of pairs) {
              const ratio = contrast(defined.get(fg)!, defined.get(bg)!);
              const tertiary = contrast(scheme[tfg], scheme[tbg]);
              assert(ratio >= Math.min(tertiary, 4.5), `${at} ${fg}: ${ratio.toFixed(2)}:1`);
            }
          }
        }
      }
    }
  }
});
