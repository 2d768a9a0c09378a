// `readable(fill)`: text made to read on a fill, and the built-ins that draw text on a fill
// other than the background (rofi's selected row, mako's progress bar, i3/sway title bars,
// kitty's active tab, GTK's accent) reading at WCAG 4.5:1 on light and dark palettes alike.
import { assert, assertEquals, assertThrows } from "../_helpers/assert.ts";
import { FilterError, FILTERS } from "../../src/theme/filters.ts";
import { hexContrast } from "../../src/palette/contrast.ts";
import { listBuiltins } from "../../src/theme/builtins.ts";
import { TemplateCache } from "../../src/theme/template_cache.ts";
import { templateVariables } from "../../src/theme/variables.ts";
import { readPaletteFile } from "../../src/palette/palette_file.ts";

const readable = (text: string, fill: string, ratio?: number) =>
  FILTERS.readable.fn(text, ratio === undefined ? [fill] : [fill, ratio], { alpha: 100 }) as string;

Deno.test("readable() moves a colour's lightness until it reads on the fill, and no further", () => {
  // The cases an audit found in the built-ins (light and dark palettes).
  for (
    const [text, fill] of [
      ["#49484d", "#8e88af"], // rofi, light palette: 2.7:1
      ["#1c191f", "#5c112a"], // mako, light palette: 1.3:1
      ["#eeeeee", "#90af95"], // mako, dark palette: white cannot reach 4.5 here; dark text can
      ["#161617", "#9235c1"], // a title bar's text on the accent
    ]
  ) {
    const out = readable(text, fill);
    const ratio = hexContrast(out.toLowerCase(), fill);
    assert(ratio >= 4.5 && ratio < 4.7, `${text} on ${fill}: ${out} is ${ratio}`);
  }
  assertEquals(readable("#eeeeee", "#101010"), "#EEEEEE", "reads already: unchanged");
  assertEquals(readable("#EEEEEE80", "#101010"), "#EEEEEE80", "its alpha kept");
  const six = readable("#49484d", "#8e88af", 6);
  assert(hexContrast(six.toLowerCase(), "#8e88af") >= 6, six);
  assertThrows(() => readable("#000000", "#ffffff", 30), FilterError, "from 1 to 21");
  assertThrows(() => readable("#000000", "nope"), FilterError);
});

/** Text colour → the fill it is drawn on, found in a built-in's output. */
const PAIRS: Record<string, [RegExp, (m: RegExpMatchArray, out: string) => [string, string]][]> = {
  "rofi.rasi": [[
    /selected-normal-foreground: (#\w{6});/,
    (m, out) => [m[1], /selected: +(#\w{6});/.exec(out)![1]],
  ]],
  "mako": [[
    /progress-color=over (#\w{6})/,
    (m, out) => [/text-color=(#\w{6})/.exec(out)![1], m[1]],
  ]],
  "i3.conf": [
    [/client\.focused +(#\w{6}) (#\w{6}) (#\w{6})/, (m) => [m[3], m[2]]],
    [/client\.urgent +(#\w{6}) (#\w{6}) (#\w{6})/, (m) => [m[3], m[2]]],
  ],
  "sway.conf": [
    [/client\.focused +(#\w{6}) (#\w{6}) (#\w{6})/, (m) => [m[3], m[2]]],
    [/client\.urgent +(#\w{6}) (#\w{6}) (#\w{6})/, (m) => [m[3], m[2]]],
  ],
  "kitty.conf": [[
    /active_tab_foreground +(#\w{6})/,
    (m, out) => [m[1], /active_tab_background +(#\w{6})/.exec(out)![1]],
  ]],
  "gtk.css": [
    [
      /accent_color (#\w{6});/,
      (m, out) => [m[1], /view_bg_color (#\w{6});/.exec(out)![1]],
    ],
    [
      /accent_fg_color (#\w{6});/,
      (m, out) => [m[1], /accent_bg_color (#\w{6});/.exec(out)![1]],
    ],
  ],
};

Deno.test("built-ins draw text on their fills at 4.5:1, on light and dark palettes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "varietal-readable-" });
  try {
    const builtins = new Map((await listBuiltins()).map((b) => [b.file, b.path]));
    const cache = new TemplateCache();
    const mids = ["#64609f", "#9235c1", "#90af95", "#5c112a", "#c0a060", "#4b7a85", "#8e88af"];
    let checked = 0;
    for (const [background, foreground] of [["#101010", "#eeeeee"], ["#f4f2ee", "#222126"]]) {
      for (const [i, mid] of mids.entries()) {
        const colors = Array.from({ length: 16 }, (_, k) => mids[(i + k) % mids.length]);
        colors[0] = background;
        const file = `${dir}/p${checked}.json`;
        await Deno.writeTextFile(
          file,
          JSON.stringify({
            wallpaper: "/w.jpg",
            special: { background, foreground, cursor: foreground },
            colors: Object.fromEntries(colors.map((c, k) => [`color${k}`, c])),
          }),
        );
        const vars = templateVariables(await readPaletteFile(file), {
          wallpaper: "/w.jpg",
          alpha: 100,
        });
        for (const [name, pairs] of Object.entries(PAIRS)) {
          const t = await cache.load(builtins.get(name)!, { syntax: "jinja", name });
          const out = t.template.render(vars, { alpha: 100, include: t.include });
          for (const [re, pick] of pairs) {
            const m = re.exec(out);
            assert(m, `${name}: ${re} not found`);
            const [text, fill] = pick(m, out).map((c) => c.toLowerCase());
            const ratio = hexContrast(text, fill);
            assert(ratio >= 4.5, `${name} (${background}, ${mid}): ${text} on ${fill} is ${ratio}`);
            checked++;
          }
        }
      }
    }
    assertEquals(checked, 2 * 7 * 9);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
