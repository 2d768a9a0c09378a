// ThemeEngine: targets, failures, hooks, cache invalidation, debounce, terminal sequences.
import { assert, assertEquals, assertMatch, assertRejects } from "../_helpers/assert.ts";
import { ThemeEngine } from "../../src/theme/engine.ts";
import type { ThemePalette } from "../../src/theme/render_inputs.ts";
import { defaultConfig, type TemplateConfig } from "../../src/config/schema.ts";
import { type Paths, resolvePaths } from "../../src/config/paths.ts";
import { FakeClock } from "../_helpers/fake_clock.ts";
import type { ThemeReport } from "../../src/theme/theme_report.ts";

function palette(bg: string): ThemePalette {
  return {
    origin: "builtin",
    variant: "dark16",
    background: bg,
    foreground: "#EEEEEE",
    cursor: "#DDDDDD",
    colors: Array.from({ length: 16 }, (_, i) => `#1010${(16 + i).toString(16)}`),
    avg_hue: null,
    avg_saturation: 0,
    avg_lightness: 0.1,
    temperature: 0,
  };
}

interface Setup extends AsyncDisposable {
  dir: string;
  paths: Paths;
  tdir: string;
  builtinDir: string;
  engine(
    templates: Partial<TemplateConfig>[],
    tweak?: (c: ReturnType<typeof defaultConfig>) => void,
    clock?: FakeClock,
  ): ThemeEngine;
}

async function setup(): Promise<Setup> {
  const dir = await Deno.makeTempDir({ prefix: "varietal-theme-" });
  const paths = resolvePaths((k) => (k === "HOME" ? dir : undefined));
  const tdir = `${paths.config}/templates`;
  const builtinDir = `${dir}/builtin`;
  await Deno.mkdir(tdir, { recursive: true });
  await Deno.mkdir(builtinDir);
  await Deno.writeTextFile(`${builtinDir}/mini.conf`, "bg={{ background }}\n");
  const engines: ThemeEngine[] = [];
  return {
    dir,
    paths,
    tdir,
    builtinDir,
    engine(templates, tweak, clock) {
      const config = defaultConfig();
      config.templates = templates.map((t) => ({
        name: t.name ?? t.template!,
        template: t.template!,
        target: t.target!,
        syntax: t.syntax ?? null,
        hook: t.hook ?? [],
      }));
      tweak?.(config);
      const e = new ThemeEngine({
        config,
        paths,
        builtinDir,
        env: (k) => ({ HOME: dir, NAME: "named" } as Record<string, string>)[k],
        ptsDir: `${dir}/pts`,
        ...(clock ? { sleep: clock.sleep, now: clock.now } : {}),
      });
      engines.push(e);
      return e;
    },
    async [Symbol.asyncDispose]() {
      for (const e of engines) e.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("ThemeEngine.apply() writes targets and the cached built-ins", async () => {
  await using s = await setup();
  await Deno.writeTextFile(`${s.tdir}/bar.css`, "@define-color bg {{ background | strip }};\n");
  await Deno.writeTextFile(`${s.tdir}/old.sh`, "bg='{background}'\n");
  const e = s.engine([
    { template: "bar.css", target: "~/out/$NAME.css" },
    { name: "pywal", template: "old.sh", target: `${s.dir}/out/old.sh` },
    { name: "via-builtin", template: "mini", target: `${s.dir}/out/mini.conf` },
    { name: "xdg", template: "mini", target: "$XDG_CONFIG_HOME/mini/colors.conf" },
  ]);
  const r = await e.apply(palette("#123456"), "/w/a.jpg");
  assertEquals(r.failed, []);
  assertEquals(r.written.map((w) => w.name), [
    "bar.css",
    "pywal",
    "via-builtin",
    "xdg",
    "builtin:mini",
  ]);
  // An unset XDG variable falls back to its default under HOME
  assertEquals(r.written[3].target, `${s.dir}/.config/mini/colors.conf`);
  assertEquals(await Deno.readTextFile(`${s.dir}/out/named.css`), "@define-color bg 123456;\n");
  assertEquals(await Deno.readTextFile(`${s.dir}/out/old.sh`), "bg='#123456'\n");
  assertEquals(await Deno.readTextFile(`${s.dir}/out/mini.conf`), "bg=#123456\n");
  assertEquals(await Deno.readTextFile(`${s.paths.cache}/theme/mini.conf`), "bg=#123456\n");
  assert(r.ms >= 0);
});

Deno.test("ThemeEngine.apply() reports a broken template by name and line, keeps its old target, renders the rest", async () => {
  await using s = await setup();
  await Deno.writeTextFile(`${s.tdir}/good.conf`, "{{ background }}");
  await Deno.writeTextFile(`${s.tdir}/bad.conf`, "line one\n{{ backgrond }}");
  await Deno.mkdir(`${s.dir}/out`);
  await Deno.writeTextFile(`${s.dir}/out/bad.conf`, "previous");
  const e = s.engine([
    { template: "good.conf", target: `${s.dir}/out/good.conf` },
    { template: "bad.conf", target: `${s.dir}/out/bad.conf`, hook: ["true"] },
    { template: "missing.conf", target: `${s.dir}/out/missing.conf` },
    { template: "good.conf", name: "unset-var", target: "$NOPE/x.conf" },
  ]);
  const r = await e.apply(palette("#000000"), null);
  assertEquals(r.written.map((w) => w.name), ["good.conf", "builtin:mini"]);
  assertEquals(r.failed.map((f) => f.name), ["bad.conf", "missing.conf", "unset-var"]);
  assertMatch(r.failed[0].reason, /bad\.conf:2:4: unknown variable 'backgrond'/);
  assertMatch(r.failed[1].reason, /template not found/);
  assertMatch(r.failed[2].reason, /\$NOPE is not set/);
  assertEquals(await Deno.readTextFile(`${s.dir}/out/bad.conf`), "previous");
  assertEquals(r.hooks, [{ name: "bad.conf", ok: false, reason: "not run: the template failed" }]);
});

Deno.test("ThemeEngine.apply() runs hooks after all targets are written; a failing hook is reported", async () => {
  await using s = await setup();
  await Deno.writeTextFile(`${s.tdir}/a.conf`, "A{{ background }}");
  const out = `${s.dir}/out`;
  const check = `cat ${out}/a.conf ${out}/b.conf > ${out}/seen`;
  const e = s.engine([
    { name: "a", template: "a.conf", target: `${out}/a.conf`, hook: ["sh", "-c", check] },
    { name: "b", template: "a.conf", target: `${out}/b.conf`, hook: ["false"] },
    { name: "c", template: "a.conf", target: `${out}/c.conf`, hook: ["sh", "-c", check] },
    { name: "d", template: "a.conf", target: `${out}/d.conf`, hook: ["touch", "~/out/tilde"] },
  ]);
  const r = await e.apply(palette("#ABCDEF"), null);
  // The first hook saw both targets; the duplicate command ran once.
  assertEquals(await Deno.readTextFile(`${out}/seen`), "A#ABCDEFA#ABCDEF");
  assertEquals(r.hooks, [
    { name: "a", ok: true },
    { name: "b", ok: false, reason: "exit code 1" },
    { name: "d", ok: true },
  ]);
  assertEquals(r.written.length, 5);
  // A leading ~ in a hook argument is expanded (there is no shell to do it)
  assert((await Deno.stat(`${s.dir}/out/tilde`)).isFile);
});

Deno.test("ThemeEngine.apply() kills a hook after theme.hook_timeout", async () => {
  await using s = await setup();
  await Deno.writeTextFile(`${s.tdir}/a.conf`, "x");
  const e = s.engine(
    [{ name: "slow", template: "a.conf", target: `${s.dir}/o/a`, hook: ["sleep", "30"] }],
    (c) => (c.theme.hook_timeout = 0.3),
  );
  const r = await e.apply(palette("#000000"), null);
  assertEquals(r.hooks, [{ name: "slow", ok: false, reason: "timed out after 300ms" }]);
});

Deno.test("ThemeEngine re-parses a template only when the file changes", async () => {
  await using s = await setup();
  const file = `${s.tdir}/t.conf`;
  await Deno.writeTextFile(file, "v1 {{ background }}");
  const e = s.engine([{ template: "t.conf", target: `${s.dir}/o/t.conf` }], (c) => {
    c.theme.cache_builtins = false;
  });
  await e.apply(palette("#111111"), null);
  await e.apply(palette("#222222"), null);
  assertEquals(e.cache.compiles, 1);
  assertEquals(await Deno.readTextFile(`${s.dir}/o/t.conf`), "v1 #222222");
  await Deno.writeTextFile(file, "v2 {{ background | strip }}");
  await Deno.utime(file, new Date(), new Date(Date.now() + 5000));
  await e.apply(palette("#333333"), null);
  assertEquals(e.cache.compiles, 2);
  assertEquals(await Deno.readTextFile(`${s.dir}/o/t.conf`), "v2 333333");
});

Deno.test("ThemeEngine re-reads an included file when it changes", async () => {
  await using s = await setup();
  await Deno.writeTextFile(`${s.tdir}/main.conf`, '[{% include "part.inc" %}]');
  await Deno.writeTextFile(`${s.tdir}/part.inc`, "one {{ background }}");
  const e = s.engine([{ template: "main.conf", target: `${s.dir}/o/m` }]);
  await e.apply(palette("#111111"), null);
  assertEquals(await Deno.readTextFile(`${s.dir}/o/m`), "[one #111111]");
  await Deno.writeTextFile(`${s.tdir}/part.inc`, "two {{ background }}");
  await Deno.utime(`${s.tdir}/part.inc`, new Date(), new Date(Date.now() + 5000));
  await e.apply(palette("#111111"), null);
  assertEquals(await Deno.readTextFile(`${s.dir}/o/m`), "[two #111111]");
});

/** An engine on a fake clock with this debounce, one template, and the backgrounds it renders. */
async function debounced(s: Awaited<ReturnType<typeof setup>>, debounceMs: number) {
  await Deno.writeTextFile(`${s.tdir}/t.conf`, "{{ background }}");
  const clock = new FakeClock();
  const e = s.engine([{ template: "t.conf", target: `${s.dir}/o/t` }], (c) => {
    c.daemon.theme_debounce_ms = debounceMs;
  }, clock);
  const rendered: string[] = [];
  const apply = e.apply.bind(e);
  e.apply = (p, w, o) => {
    rendered.push(p.background);
    return apply(p, w, o);
  };
  return { clock, e, rendered };
}

Deno.test("ThemeEngine.applySoon() renders a burst of 20 calls in 50 ms once, after the debounce, with the last palette", async () => {
  await using s = await setup();
  const { clock, e, rendered } = await debounced(s, 60);
  for (let i = 0; i < 20; i++) {
    e.applySoon(palette(`#0000${i.toString(16).padStart(2, "0")}`), null);
    clock.advance(2.5);
  }
  assertEquals(clock.sleeping, 1, "each call restarts the one debounce wait");
  clock.advance(57); // 59.5 ms after the last call
  await clock.idle();
  assertEquals(rendered, [], "nothing renders before the debounce has passed since the last call");
  clock.advance(0.5);
  await new Promise((r) => setTimeout(r, 0)); // let the woken debounce start its render
  assertEquals(rendered, ["#000013"]);
  await e.flush(); // the render under way
  assertEquals(await Deno.readTextFile(`${s.dir}/o/t`), "#000013");
  assertEquals(clock.sleeping, 0);
  assertEquals(await e.flush(), undefined);
});

Deno.test("ThemeEngine.applySoon() with calls coming faster than the debounce renders within twice it", async () => {
  await using s = await setup();
  // A debounce longer than the daemon's interval: every change comes before the last renders.
  const { clock, e, rendered } = await debounced(s, 2500);
  for (let i = 1; i <= 6; i++) {
    e.applySoon(palette(`#00000${i}`), null);
    clock.advance(2000);
    await new Promise((r) => setTimeout(r, 0));
  }
  await e.flush();
  // Changes at 0, 2, 4, 6, 8 and 10 s: each waits at most 5 s, so renders at 5 s (#000003, the
  // burst pending since 0) and at 11 s (#000006, pending since 6 s); before, none rendered.
  assertEquals(rendered, ["#000003", "#000006"]);
});

Deno.test("ThemeEngine.flush() runs a pending render now; close() cancels one", async () => {
  await using s = await setup();
  await Deno.writeTextFile(`${s.tdir}/t.conf`, "{{ background }}");
  const e = s.engine([{ template: "t.conf", target: `${s.dir}/o/t` }], (c) => {
    c.daemon.theme_debounce_ms = 10_000;
  });
  e.applySoon(palette("#000001"), null);
  e.applySoon(palette("#000002"), null);
  const r = await e.flush();
  assertEquals(r?.written.map((w) => w.name), ["t.conf", "builtin:mini"]);
  assertEquals(await Deno.readTextFile(`${s.dir}/o/t`), "#000002");
  e.applySoon(palette("#000003"), null);
  e.close();
  assertEquals(await e.flush(), undefined);
  assertEquals(await Deno.readTextFile(`${s.dir}/o/t`), "#000002");
});

Deno.test("ThemeEngine onDebounced hears what each debounced render did, failures included", async () => {
  await using s = await setup();
  await Deno.writeTextFile(`${s.tdir}/t.conf`, "{{ background }}");
  const config = defaultConfig();
  config.templates = [{
    name: "bar",
    template: "t.conf",
    target: `${s.dir}/o/t`,
    syntax: null,
    hook: ["sh", "-c", "exit 4"],
  }];
  config.daemon.theme_debounce_ms = 10_000;
  const heard: ThemeReport[] = [];
  const e = new ThemeEngine({
    config,
    paths: s.paths,
    builtinDir: s.builtinDir,
    onDebounced: (r) => heard.push(r),
  });
  try {
    e.applySoon(palette("#000001"), null);
    e.applySoon(palette("#000002"), null);
    await e.flush();
    await new Promise((r) => setTimeout(r, 0));
    assertEquals(heard.length, 1, "one report for the burst");
    assertEquals(heard[0].written.map((w) => w.name), ["bar", "builtin:mini"]);
    assertEquals(heard[0].hooks.map((h) => [h.name, h.ok]), [["bar", false]]);
    // A direct apply is its caller's to report.
    await e.apply(palette("#000003"), null);
    assertEquals(heard.length, 1);
  } finally {
    e.close();
  }
});

Deno.test("ThemeEngine writes terminal sequences to the user's terminals and the sequences file", async () => {
  await using s = await setup();
  await Deno.mkdir(`${s.dir}/pts`);
  await Deno.writeTextFile(`${s.dir}/pts/3`, "");
  await Deno.writeTextFile(`${s.dir}/pts/ptmx`, "");
  const e = s.engine([], (c) => (c.theme.terminal_sequences = true));
  const r = await e.apply(palette("#102030"), null);
  assertEquals(r.terminals, [`${s.dir}/pts/3`]);
  const seq = await Deno.readTextFile(`${s.dir}/pts/3`);
  assert(seq.startsWith("\x1b]4;0;#101010\x1b\\"));
  assert(seq.includes("\x1b]11;#102030\x1b\\") && seq.includes("\x1b]708;#102030\x1b\\"));
  assert(seq.includes("\x1b]10;#EEEEEE\x1b\\") && seq.includes("\x1b]12;#DDDDDD\x1b\\"));
  assertEquals(await Deno.readTextFile(`${s.paths.cache}/sequences`), seq);
  assertEquals(await Deno.readTextFile(`${s.dir}/pts/ptmx`), "");
});

Deno.test("ThemeEngine.apply() rejects when its signal is aborted and writes nothing", async () => {
  await using s = await setup();
  const e = s.engine([]);
  const ac = new AbortController();
  ac.abort(new DOMException("stop", "AbortError"));
  await assertRejects(() => e.apply(palette("#000000"), null, { signal: ac.signal }));
  await assertRejects(() => Deno.stat(`${s.paths.cache}/theme/mini.conf`));
});

Deno.test("ThemeEngine.apply() does nothing when theme.enabled is false", async () => {
  await using s = await setup();
  const e = s.engine([], (c) => (c.theme.enabled = false));
  const r = await e.apply(palette("#000000"), null);
  assertEquals([r.written, r.failed, r.hooks], [[], [], []]);
});
