// The built-in templates: every one renders with a palette, and the structured ones parse.
import { assert, assertEquals } from "../_helpers/assert.ts";
import {
  builtinSyntax,
  compareNames,
  findBuiltin,
  listBuiltins,
} from "../../src/theme/builtins.ts";
import fc from "../_helpers/fc.ts";
import { TemplateCache } from "../../src/theme/template_cache.ts";
import { templateVariables } from "../../src/theme/variables.ts";
import { readPaletteFile } from "../../src/palette/palette_file.ts";
import { parse as parseToml } from "smol-toml";

const COMPAT = new URL("../testdata/pywal/colors.json", import.meta.url).pathname;

async function renderAll() {
  const palette = await readPaletteFile(COMPAT);
  const vars = templateVariables(palette, { wallpaper: `/walls/it's "x".png`, alpha: 85 });
  const cache = new TemplateCache();
  const out = new Map<string, string>();
  // The Material built-ins (matugen syntax) are tested in matugen_builtins_test.ts.
  for (const b of (await listBuiltins()).filter((b) => builtinSyntax(b) === "jinja")) {
    const t = await cache.load(b.path, { syntax: "jinja", name: b.file });
    out.set(b.name, t.template.render(vars, { alpha: 85, include: t.include }));
  }
  return { out, palette };
}

Deno.test("listBuiltins() has the 16 Jinja and 5 Material built-in templates", async () => {
  const names = (await listBuiltins()).map((b) => b.name).sort();
  assertEquals(
    names,
    [
      "Xresources",
      "alacritty",
      "colors-json",
      "colors-sh",
      "dunstrc",
      "foot",
      "ghostty",
      "gtk",
      "gtk3",
      "gtk4",
      "hyprland",
      "hyprland-material",
      "i3",
      "kitty",
      "mako",
      "qt5ct",
      "qt6ct",
      "rofi",
      "sway",
      "waybar",
      "wezterm",
    ].sort(),
  );
  const all = await listBuiltins();
  assertEquals(findBuiltin(all, "colors.sh")?.name, "colors-sh");
  assertEquals(findBuiltin(all, "kitty")?.file, "kitty.conf");
});

Deno.test("listBuiltins() orders names as localeCompare does (without loading ICU)", async () => {
  const names = (await listBuiltins()).map((b) => b.name);
  assertEquals(names, [...names].sort((a, b) => a.localeCompare(b)));
  // Letters of both cases, digits and '-', as template file names have them.
  const name = fc.stringMatching(/^[a-zA-Z0-9-]{0,6}$/);
  fc.assert(
    fc.property(name, name, (a, b) => {
      assertEquals(Math.sign(compareNames(a, b)), Math.sign(a.localeCompare(b)), `${a} vs ${b}`);
    }),
    { numRuns: 2000 },
  );
  for (const [a, b] of [["a", "A"], ["aB", "Ab"], ["x-1", "x1"], ["X", "w"], ["i3", "I3"]]) {
    assertEquals(Math.sign(compareNames(a, b)), Math.sign(a.localeCompare(b)), `${a} vs ${b}`);
  }
});

Deno.test("every built-in renders with no template syntax left", async () => {
  const { out } = await renderAll();
  for (const [name, text] of out) {
    assert(!/\{\{|\{%|\{#/.test(text), `${name} has template syntax left`);
    assert(text.includes("#1F211E") || text.includes("1F211E"), `${name} has the background`);
  }
});

Deno.test("built-in alacritty, wezterm and colors.json parse, with the palette's colours", async () => {
  const { out, palette } = await renderAll();
  const ala = parseToml(out.get("alacritty")!) as Record<
    string,
    Record<string, Record<string, string>>
  >;
  assertEquals(ala.colors.normal.red, palette.colors[1]);
  assertEquals(ala.colors.bright.white, palette.colors[15]);
  const wez = parseToml(out.get("wezterm")!) as { colors: { ansi: string[]; brights: string[] } };
  assertEquals([...wez.colors.ansi, ...wez.colors.brights], palette.colors);
  const json = JSON.parse(out.get("colors-json")!);
  assertEquals(json.wallpaper, `/walls/it's "x".png`);
  assertEquals(json.special.background, palette.background);
  assertEquals(Object.values(json.colors), palette.colors);
});

Deno.test("built-in colors.sh is valid sh that sets the colours and the quoted wallpaper", async () => {
  const { out } = await renderAll();
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/colors.sh`, out.get("colors-sh")!);
    const r = await new Deno.Command("sh", {
      args: ["-c", `. ${dir}/colors.sh; printf '%s|%s|%s' "$color1" "$background" "$wallpaper"`],
    }).output();
    assertEquals(new TextDecoder().decode(r.stdout), `#4B7A85|#1F211E|/walls/it's "x".png`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("built-in terminal templates list all 16 colours", async () => {
  const { out, palette } = await renderAll();
  const kitty = out.get("kitty")!;
  palette.colors.forEach((c, i) => assert(kitty.includes(`color${i} ${c}\n`), `kitty color${i}`));
  assert(kitty.includes("background_opacity      0.85"));
  const ghostty = out.get("ghostty")!;
  palette.colors.forEach((c, i) => assert(ghostty.includes(`palette = ${i}=${c}\n`)));
  const foot = out.get("foot")!;
  assert(foot.includes(`regular1=${palette.colors[1].slice(1)}\n`) && foot.includes("alpha=0.85"));
  const x = out.get("Xresources")!;
  assert(x.includes("*.color15: #F5F1F4") && x.includes("URxvt*background: [85]#1F211E"));
  assert(out.get("hyprland")!.includes("$color4 = rgb(A0A89B)"));
  assert(out.get("rofi")!.includes("background:       #1F211ED9;")); // 85 % → D9
});
