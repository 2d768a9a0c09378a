// Parsed templates kept across processes: same renders as a fresh compile, one
// verified entry per template, anything damaged or foreign parsed again, private.
import { assert, assertEquals, assertRejects } from "../_helpers/assert.ts";
import { CompiledStore, MAX_ENTRIES } from "../../src/theme/compiled_store.ts";
import { compileTemplate } from "../../src/theme/compile_template.ts";
import { builtinSyntax, listBuiltins } from "../../src/theme/builtins.ts";
import { isNodes, TEMPLATE_IR } from "../../src/theme/template_ir.ts";
import { templateVariables } from "../../src/theme/variables.ts";
import { ThemeEngine } from "../../src/theme/engine.ts";
import { TemplateError } from "../../src/theme/template_error.ts";
import { defaultConfig } from "../../src/config/schema.ts";
import { resolvePaths } from "../../src/config/paths.ts";
import { palette } from "../select/_fixture.ts";
import { matugenVariables } from "../../src/theme/matugen_variables.ts";
import { materialScheme } from "../../src/palette/material/scheme.ts";

const VARS = templateVariables(palette({ background: "#102030" }), {
  wallpaper: "/w/a b.jpg",
  alpha: 90,
});
const MATUGEN_VARS = matugenVariables(materialScheme("#8a5a44"), {
  mode: "dark",
  image: "/w/a.jpg",
});
const varsOf = (syntax: string) => (syntax === "matugen" ? MATUGEN_VARS : VARS);
const ENV = { alpha: 90 };

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "varietal-compiled-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function store(dir: string): Promise<CompiledStore> {
  return Promise.resolve(new CompiledStore(`${dir}/compiled`));
}

const entries = (dir: string) =>
  [...Deno.readDirSync(`${dir}/compiled`)].filter((e) => e.name.endsWith(".json"));

Deno.test("a later process compiles every built-in from the kept parse and renders the same text", async () => {
  await withDir(async (dir) => {
    // Jinja and matugen built-ins alike (the Material ones are rendered at every apply).
    const builtins = await listBuiltins();
    const syntaxes = new Set(builtins.map((b) => builtinSyntax(b)));
    assertEquals([...syntaxes].sort(), ["jinja", "matugen"]);
    const first = await store(dir), second = await store(dir);
    for (const b of builtins) {
      const syntax = builtinSyntax(b);
      const vars = varsOf(syntax);
      const source = await Deno.readTextFile(b.path);
      const fresh = compileTemplate(source, b.file, syntax).render(vars, { alpha: 90 });
      const kept = first.compile(source, b.file, syntax, { path: b.path });
      const reused = second.compile(source, b.file, syntax, { path: b.path });
      assertEquals(kept.syntax, syntax, b.name);
      assertEquals(reused.syntax, syntax, b.name);
      assertEquals(kept.render(vars, { alpha: 90 }), fresh, b.name);
      assertEquals(reused.render(vars, { alpha: 90 }), fresh, b.name);
    }
    assertEquals(first.stats, { hits: 0, misses: builtins.length });
    assertEquals(second.stats, { hits: builtins.length, misses: 0 });
    assertEquals(entries(dir).length, builtins.length);
  });
});

Deno.test("every built-in's parse is JSON data the validator accepts", async () => {
  for (const b of await listBuiltins()) {
    const ir = TEMPLATE_IR[builtinSyntax(b)]!.parse(await Deno.readTextFile(b.path), b.file);
    assert(isNodes(ir), b.name);
    assertEquals(JSON.parse(JSON.stringify(ir)), ir, b.name);
  }
});

Deno.test("a kept matugen parse keeps the dialect and is checked like a fresh one", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/m.css`;
    const source = "<* for name, value in colors *>\n{{ name }} {{ value.default.hex }};\n" +
      "<* endfor *>\n{{ colors.primary.default.rgba | set_alpha: 0.5 }}";
    const fresh = compileTemplate(source, "m", "matugen").render(MATUGEN_VARS, ENV);
    const s = await store(dir);
    assertEquals(s.compile(source, "m", "matugen", { path }).render(MATUGEN_VARS, ENV), fresh);
    const again = await store(dir);
    assertEquals(again.compile(source, "m", "matugen", { path }).render(MATUGEN_VARS, ENV), fresh);
    assertEquals(again.stats, { hits: 1, misses: 0 });
    // A kept parse naming a colour role that does not exist is refused when linked:
    // the template is parsed again, as a damaged entry would be.
    const [entry] = entries(dir);
    const file = `${dir}/compiled/${entry.name}`;
    const good = JSON.parse(await Deno.readTextFile(file));
    const bad = JSON.stringify(good.ir).replace('"primary"', '"no_such_role"');
    assert(bad !== JSON.stringify(good.ir));
    await Deno.writeTextFile(file, JSON.stringify({ ...good, ir: JSON.parse(bad) }));
    const third = await store(dir);
    assertEquals(third.compile(source, "m", "matugen", { path }).render(MATUGEN_VARS, ENV), fresh);
    assertEquals(third.stats, { hits: 0, misses: 1 });
    // A bad colour path in the source is reported as before, with nothing kept.
    const broken = "{{ colors.no_such_role.default.hex }}";
    let e: unknown;
    try {
      third.compile(broken, "b", "matugen", { path: `${dir}/b.css` });
    } catch (err) {
      e = err;
    }
    assert(
      e instanceof TemplateError && /unknown colour 'no_such_role'/.test(e.message),
      String(e),
    );
    assertEquals(entries(dir).length, 1);
  });
});

Deno.test("an edited template replaces its entry; included files keep the includer's rules", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/t.conf`;
    const a = await store(dir);
    assertEquals(
      a.compile("bg {{ background }}", "t", "jinja", { path }).render(VARS, ENV),
      "bg #102030",
    );
    assertEquals(
      a.compile("fg {{ foreground }}", "t", "jinja", { path }).render(VARS, ENV),
      `fg ${VARS.foreground}`,
    );
    assertEquals(entries(dir).length, 1, "one entry per template file");
    const b = await store(dir);
    b.compile("fg {{ foreground }}", "t", "jinja", { path });
    assertEquals(b.stats, { hits: 1, misses: 0 });
    // A name only an includer sets: fine as an included file, an error on its own.
    const inc = `${dir}/inc.conf`;
    b.compile("{{ shade }}", "inc", "jinja", { path: inc, included: true });
    const c = await store(dir);
    let e: unknown;
    try {
      c.compile("{{ shade }}", "inc", "jinja", { path: inc });
    } catch (err) {
      e = err;
    }
    assert(e instanceof TemplateError && /unknown variable 'shade'/.test(e.message), String(e));
  });
});

Deno.test("entries that are damaged, edited or from another parser are parsed again and replaced", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/t.conf`;
    const source = "{% for c in colors %}{{ c | strip }},{% endfor %}";
    const fresh = compileTemplate(source, "t", "jinja").render(VARS, ENV);
    const s = await store(dir);
    s.compile(source, "t", "jinja", { path });
    const [entry] = entries(dir);
    const file = `${dir}/compiled/${entry.name}`;
    const good = JSON.parse(await Deno.readTextFile(file));
    const tampered: [string, string][] = [
      ["garbage", "{not json"],
      ["another source", JSON.stringify({ ...good, source: "{{ background }}" })],
      ["another parser", JSON.stringify({ ...good, parser: "1:2:3,4:5:6" })],
      ["another format", JSON.stringify({ ...good, format: 999 })],
      ["another syntax", JSON.stringify({ ...good, syntax: "pywal" })],
      ["not nodes", JSON.stringify({ ...good, ir: [{ k: "exec", cmd: "rm -rf /" }] })],
      [
        "a bad field",
        JSON.stringify({ ...good, ir: [{ k: "out", e: { k: "name", name: 7, at: 0 } }] }),
      ],
      [
        "an unknown filter",
        JSON.stringify({
          ...good,
          ir: [{
            k: "out",
            e: {
              k: "filter",
              value: { k: "name", name: "background", at: 3 },
              name: "nope",
              args: [],
              at: 3,
            },
          }],
        }),
      ],
      [
        "an unknown variable",
        JSON.stringify({ ...good, ir: [{ k: "out", e: { k: "name", name: "secret", at: 3 } }] }),
      ],
    ];
    for (const [what, text] of tampered) {
      await Deno.writeTextFile(file, text);
      const again = await store(dir);
      const t = again.compile(source, "t", "jinja", { path });
      assertEquals(t.render(VARS, ENV), fresh, what);
      assertEquals(again.stats, { hits: 0, misses: 1 }, what);
      assertEquals(
        JSON.parse(await Deno.readTextFile(file)),
        good,
        `${what}: the entry is replaced`,
      );
    }
  });
});

Deno.test("kept parses are private, and a folder that is not private or not ours is not used", async () => {
  await withDir(async (dir) => {
    const s = await store(dir);
    s.compile("{{ background }}", "t", "jinja", { path: `${dir}/t` });
    assertEquals((await Deno.stat(`${dir}/compiled`)).mode! & 0o777, 0o700);
    for (const e of entries(dir)) {
      assertEquals((await Deno.stat(`${dir}/compiled/${e.name}`)).mode! & 0o777, 0o600);
    }
    // Others may write into it: neither read nor written.
    await Deno.chmod(`${dir}/compiled`, 0o777);
    const open = await store(dir);
    assertEquals(
      open.compile("{{ background }}", "t", "jinja", { path: `${dir}/t` }).render(VARS, ENV),
      "#102030",
    );
    open.compile("{{ foreground }}", "u", "jinja", { path: `${dir}/u` });
    assertEquals(open.stats, { hits: 0, misses: 0 });
    assertEquals(entries(dir).length, 1);
    await Deno.chmod(`${dir}/compiled`, 0o700);
    if (Deno.uid() !== 0) {
      console.log("skipping the foreign-owner case: changing a folder's owner needs root");
      return;
    }
    await Deno.chown(`${dir}/compiled`, 65534, 65534);
    const foreign = await store(dir);
    foreign.compile("{{ background }}", "t", "jinja", { path: `${dir}/t` });
    assertEquals(foreign.stats, { hits: 0, misses: 0 });
    // A symlink in its place is not followed either.
    await Deno.chown(`${dir}/compiled`, 0, 0);
    await Deno.rename(`${dir}/compiled`, `${dir}/real`);
    await Deno.symlink(`${dir}/real`, `${dir}/compiled`);
    const linked = await store(dir);
    linked.compile("{{ background }}", "t", "jinja", { path: `${dir}/t` });
    assertEquals(linked.stats, { hits: 0, misses: 0 });
  });
});

Deno.test("the folder stays bounded", async () => {
  await withDir(async (dir) => {
    await Deno.mkdir(`${dir}/compiled`, { mode: 0o700 });
    for (let i = 0; i < MAX_ENTRIES + 10; i++) {
      await Deno.writeTextFile(`${dir}/compiled/jinja-old${i}.json`, "{}", { mode: 0o600 });
    }
    const s = await store(dir);
    s.compile("{{ background }}", "t", "jinja", { path: `${dir}/t` });
    const left = entries(dir).length;
    assert(left <= MAX_ENTRIES / 2 + 1, `${left} entries left`);
    assert(entries(dir).some((e) => !e.name.startsWith("jinja-old")), "the new entry is kept");
  });
});

Deno.test("a syntax error is reported as before and nothing is kept", async () => {
  await withDir(async (dir) => {
    const s = await store(dir);
    await assertRejects(
      () =>
        Promise.resolve().then(() =>
          s.compile("{{ background ", "t", "jinja", { path: `${dir}/t` })
        ),
      TemplateError,
      "t:1:",
    );
    assertEquals(entries(dir).length, 0);
    // pywal templates are compiled each time (their parse is one pass).
    s.compile("{color1}", "p", "pywal", { path: `${dir}/p` });
    assertEquals(entries(dir).length, 0);
  });
});

Deno.test("ThemeEngine keeps parses in the cache folder, or nowhere with compiledDir: null", async () => {
  await withDir(async (dir) => {
    const paths = resolvePaths((k) => (k === "HOME" ? dir : undefined));
    const config = defaultConfig();
    const p = palette({ background: "#203040" });
    const a = await new ThemeEngine({ config, paths }).apply(p, "/w/x.jpg");
    assertEquals(a.failed, []);
    const kept = [...Deno.readDirSync(`${paths.cache}/compiled`)].length;
    assertEquals(kept, (await listBuiltins()).length, "Jinja and matugen built-ins");
    const again = new ThemeEngine({ config, paths });
    await again.apply(p, "/w/x.jpg");
    assertEquals(again.store!.stats, { hits: kept, misses: 0 });
    const texts = new Map(a.written.map((w) => [w.target, Deno.readTextFileSync(w.target)]));
    const off = new ThemeEngine({ config, paths, compiledDir: null });
    assertEquals(off.store, null);
    await off.apply(p, "/w/x.jpg");
    for (const [target, text] of texts) assertEquals(Deno.readTextFileSync(target), text, target);
  });
});

Deno.test("an edited parser never meets a parse kept by the old one", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/t.conf`;
    (await store(dir)).compile("{{ background }}", "t", "jinja", { path });
    // Editing the parser's module changes its modification time (restored after).
    const parser = new URL("../../src/theme/jinja_parse.ts", import.meta.url);
    const st = await Deno.stat(parser);
    try {
      await Deno.utime(parser, st.atime!, new Date(st.mtime!.getTime() + 1000));
      const s = await store(dir);
      assertEquals(
        s.compile("{{ background }}", "t", "jinja", { path }).render(VARS, ENV),
        "#102030",
      );
      assertEquals(s.stats, { hits: 0, misses: 1 });
    } finally {
      await Deno.utime(parser, st.atime!, st.mtime!);
    }
    const back = await store(dir);
    back.compile("{{ background }}", "t", "jinja", { path });
    assertEquals(back.stats, { hits: 0, misses: 1 }, "the entry now belongs to the edited parser");
  });
});
