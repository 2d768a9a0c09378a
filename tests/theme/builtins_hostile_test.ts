// Every built-in template rendered with hostile wallpaper paths, each result read
// by a reader for its format: the same entries as with an ordinary path (no line,
// key or command of its own), and the wallpaper read back exactly where the
// template carries it (a readable one-line form in comments).
import { assert, assertEquals } from "../_helpers/assert.ts";
import { asWritten, HOSTILE_NAMES, MARK } from "../_helpers/hostile_names.ts";
import { outputBackground, readSwayConfig } from "../_helpers/sway_reader.ts";
import { builtinSyntax, listBuiltins } from "../../src/theme/builtins.ts";
import { matugenVariables } from "../../src/theme/matugen_variables.ts";
import { materialScheme } from "../../src/palette/material/scheme.ts";
import { TemplateCache } from "../../src/theme/template_cache.ts";
import { templateVariables } from "../../src/theme/variables.ts";
import { readPaletteFile } from "../../src/palette/palette_file.ts";
import { printable } from "../../src/text/printable.ts";
import { parse as parseToml } from "smol-toml";

const COMPAT = new URL("../testdata/pywal/colors.json", import.meta.url).pathname;
const BENIGN = "/walls/forest.jpg";

/** What a reader found: the entries of the file, and the wallpaper where it is carried. */
interface Read {
  entries: string[];
  wallpaper?: string;
}
type Reader = (text: string, dir: string) => Read | Promise<Read>;

function flatten(v: unknown, at = ""): string[] {
  if (v !== null && typeof v === "object") {
    return Object.entries(v).flatMap(([k, x]) => flatten(x, at ? `${at}.${k}` : k));
  }
  return [`${at}=${String(v)}`];
}

/** `key<sep>value` lines with whole-line comments and optional `[section]` headers. */
function lines(comment: RegExp, sep: RegExp): (text: string) => Read {
  return (text) => {
    const entries: string[] = [];
    let section = "";
    for (const raw of text.split(/\r\n|\n|\r/)) {
      const line = raw.trim();
      if (line === "" || comment.test(line)) continue;
      const header = /^\[(.*)\]$/.exec(line);
      if (header) {
        section = header[1];
        continue;
      }
      const m = sep.exec(line);
      assert(m, `not a key/value line: ${JSON.stringify(raw)}`);
      entries.push(
        `${section}.${line.slice(0, m.index).trim()}=${line.slice(m.index + m[0].length)}`,
      );
    }
    return { entries };
  };
}

/** CSS-like files (GTK, Waybar, rofi): statements between `;`, `{` and `}`, comments removed. */
const css: Reader = (text) => ({
  entries: text.replace(/\/\*[\s\S]*?\*\//g, "").split(/([;{}])/).map((s) => s.trim()).filter(
    Boolean,
  ),
});

/** hyprlang: `#` starts a comment (`##` is a literal `#`), `name {` … `}`, `key = value`. */
const hyprland: Reader = (text) => {
  const entries: string[] = [];
  const cats: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#(?!#).*$/, "").trim();
    if (line === "") continue;
    if (line === "}") cats.pop();
    else if (line.endsWith("{")) cats.push(line.slice(0, -1).trim());
    else {
      const eq = line.indexOf("=");
      assert(eq > 0, `not a hyprlang line: ${JSON.stringify(raw)}`);
      entries.push(`${[...cats, line.slice(0, eq).trim()].join(":")}=${line.slice(eq + 1).trim()}`);
    }
  }
  return { entries };
};

/** sway (and i3, whose line, comment and `set` rules these files stay within). */
const swayLike: Reader = (text) => {
  const vars = new Map<string, string>();
  const entries: string[] = [];
  let wallpaper: string | undefined;
  for (const c of readSwayConfig(text, vars)) {
    if (c.argv[0] === "output" && c.argv[2] === "bg") {
      assertEquals(wallpaper, undefined, "one background line");
      const bg = outputBackground(c.argv);
      wallpaper = bg.path;
      entries.push(`output ${c.argv[1]} bg <wallpaper> ${bg.mode}`);
    } else entries.push(c.argv.join(" "));
  }
  for (const [k, v] of vars) entries.push(`set ${k}=${v}`);
  return { entries, wallpaper };
};

/** POSIX shell: `bash -n`, then sourced by bash with every simple command counted. */
const shell: Reader = async (text, dir) => {
  await Deno.writeTextFile(`${dir}/colors.sh`, text);
  const run = (args: string[]) =>
    new Deno.Command("bash", {
      args: ["--norc", "--noprofile", ...args],
      cwd: dir,
      env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: dir },
      clearEnv: true,
    }).output();
  const syntax = await run(["-n", "./colors.sh"]);
  assertEquals(syntax.code, 0, new TextDecoder().decode(syntax.stderr));
  const names = [
    "background",
    "foreground",
    "cursor",
    ...Array.from({ length: 16 }, (_, i) => `color${i}`),
  ];
  const r = await run([
    "-c",
    `n=0; trap 'n=$((n+1))' DEBUG; . ./colors.sh; trap - DEBUG
printf '%s\\0' "$n" "$wallpaper" "$VARIETAL_WALLPAPER" ${names.map((x) => `"$${x}"`).join(" ")}`,
  ]);
  assertEquals(r.code, 0, new TextDecoder().decode(r.stderr));
  assertEquals(new TextDecoder().decode(r.stderr), "");
  const [count, wallpaper, exported, ...values] = new TextDecoder().decode(r.stdout).split("\0");
  assertEquals(exported, wallpaper, "VARIETAL_WALLPAPER");
  return { entries: [`commands=${count}`, ...names.map((x, i) => `${x}=${values[i]}`)], wallpaper };
};

const READERS: Readonly<Record<string, Reader>> = {
  alacritty: (text) => ({ entries: flatten(parseToml(text)) }),
  wezterm: (text) => {
    const doc = parseToml(text) as { metadata: { origin_url: string } };
    const wallpaper = doc.metadata.origin_url;
    doc.metadata.origin_url = "<wallpaper>";
    return { entries: flatten(doc), wallpaper };
  },
  "colors-json": (text) => {
    const doc = JSON.parse(text);
    const wallpaper = doc.wallpaper;
    doc.wallpaper = "<wallpaper>";
    return { entries: flatten(doc), wallpaper };
  },
  "colors-sh": shell,
  sway: swayLike,
  i3: swayLike,
  kitty: (text) => {
    const first = text.split("\n")[0];
    const m = /^# kitty colours from varietal \((.*)\)$/.exec(first);
    assert(m, `kitty's first line: ${JSON.stringify(first)}`);
    return { ...lines(/^#/, /\s+/)(text), wallpaper: m[1] };
  },
  foot: lines(/^[#;]/, /=/),
  dunstrc: lines(/^[#;]/, /\s*=\s*/),
  mako: lines(/^#/, /=/),
  ghostty: lines(/^#/, /\s*=\s*/),
  Xresources: lines(/^!/, /:\s*/),
  hyprland,
  gtk: css,
  waybar: css,
  rofi: css,
  gtk3: css,
  gtk4: css,
  qt5ct: lines(/^#/, /=/),
  qt6ct: lines(/^#/, /=/),
  "hyprland-material": hyprland,
};

/** What each built-in must give back as the wallpaper, when it carries it. */
const CARRIES: Readonly<Record<string, (path: string) => string>> = {
  wezterm: asWritten,
  "colors-json": asWritten, // a lone surrogate as U+FFFD, as strict JSON readers need it
  "colors-sh": asWritten,
  sway: asWritten,
  kitty: (p) => printable(p.slice(p.replace(/\/+$/, "").lastIndexOf("/") + 1).replace(/\/+$/, "")),
};

async function renderAll(wallpaper: string): Promise<Map<string, string>> {
  const palette = await readPaletteFile(COMPAT);
  const vars = templateVariables(palette, { wallpaper, alpha: 85 });
  const material = matugenVariables(materialScheme("#4285f4"), { mode: "dark", image: wallpaper });
  const cache = new TemplateCache();
  const out = new Map<string, string>();
  for (const b of await listBuiltins()) {
    const syntax = builtinSyntax(b);
    const t = await cache.load(b.path, { syntax, name: b.file });
    const v = syntax === "matugen" ? material : vars;
    out.set(b.name, t.template.render(v, { alpha: 85, include: t.include }));
  }
  return out;
}

Deno.test("every built-in template has a reader in this test", async () => {
  const missing = (await listBuiltins()).map((b) => b.name).filter((n) => !(n in READERS));
  assertEquals(missing, [], "add a reader for the new built-in's format above");
});

Deno.test("every built-in reads back the same with a hostile wallpaper path", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    const benign = await renderAll(BENIGN);
    const expected = new Map<string, Read>();
    for (const [name, text] of benign) expected.set(name, await READERS[name](text, dir));
    for (const [name, f] of Object.entries(CARRIES)) {
      assertEquals(expected.get(name)?.wallpaper, f(BENIGN), `${name} carries the wallpaper`);
    }
    for (const { label, path } of HOSTILE_NAMES) {
      await t.step(label, async () => {
        for (const [name, text] of await renderAll(path)) {
          const got = await READERS[name](text, dir);
          assertEquals(got.entries, expected.get(name)!.entries, `${name}: ${label}`);
          const carry = CARRIES[name];
          if (carry) assertEquals(got.wallpaper, carry(path), `${name}: ${label}`);
          // deno-lint-ignore no-control-regex -- control characters are what it looks for
          if (name === "kitty") assert(!/[\x00-\x1f\x7f]/.test(got.wallpaper!), label);
        }
        await Deno.stat(`${dir}/${MARK}`).then(() => assert(false, "a command ran"), () => {});
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
