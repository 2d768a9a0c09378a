// Each setter's commands, run through a fake runner that records argv.
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../_helpers/assert.ts";
import { DEFAULTS, type WallpaperConfig } from "../../src/config/schema.ts";
import { SETTERS } from "../../src/config/choices.ts";
import { SETTER_REGISTRY } from "../../src/wallpaper/registry.ts";
import { loadSetter } from "../../src/wallpaper/load_setter.ts";
import {
  CommandError,
  type CommandResult,
  type CommandRunner,
} from "../../src/process/run_command.ts";
import { type Assignment, resetWarnOnce, type SetterContext } from "../../src/wallpaper/setter.ts";
import { PartialSetError, SetterError } from "../../src/wallpaper/setter_error.ts";
import { fileUri } from "../../src/wallpaper/setters/gnome.ts";
import { xfceProperties } from "../../src/wallpaper/setters/xfce.ts";
import { swaybgArgv } from "../../src/wallpaper/setters/swaybg.ts";
import { resetHyprpaperVersion } from "../../src/wallpaper/setters/hyprpaper.ts";

function recorder(reply: (argv: readonly string[]) => Partial<CommandResult> = () => ({})) {
  const calls: string[][] = [];
  const run: CommandRunner = (argv) => {
    calls.push([...argv]);
    const r = { code: 0, stdout: "", stderr: "", timedOut: false, ...reply(argv) };
    if (r.code !== 0) {
      return Promise.reject(
        new CommandError(
          argv,
          r.code,
          r.stderr,
          // As runCommand says it: stderr, or stdout when stderr is empty.
          `'${argv[0]}' exited with code ${r.code}: ${r.stderr || r.stdout.trim()}`,
        ),
      );
    }
    return Promise.resolve(r);
  };
  return { calls, run };
}

function ctx(run: CommandRunner, config: Partial<WallpaperConfig> = {}): SetterContext {
  // No PATH: the swww setter finds neither swww nor awww and runs "swww".
  return {
    config: { ...DEFAULTS.wallpaper, ...config },
    runtimeDir: "/nonexistent",
    run,
    env: () => undefined,
  };
}

const one: Assignment[] = [{ path: "/w/a b.jpg", output: null }];
const two: Assignment[] = [
  { path: "/w/a.jpg", output: "DP-1" },
  { path: "/w/b.png", output: "HDMI-A-1" },
];

Deno.test("SETTER_REGISTRY has a setter for every name but auto", () => {
  assertEquals(Object.keys(SETTER_REGISTRY).sort(), SETTERS.filter((s) => s !== "auto").sort());
});

Deno.test("loadSetter() loads the registry's setter for every name", async () => {
  for (const [name, setter] of Object.entries(SETTER_REGISTRY)) {
    assert(await loadSetter(name as keyof typeof SETTER_REGISTRY) === setter, name);
  }
});

Deno.test("swww setter runs 'swww img' per output", async () => {
  const r = recorder();
  await SETTER_REGISTRY.swww.apply(two, ctx(r.run));
  assertEquals(r.calls, [
    ["swww", "img", "--outputs", "DP-1", "/w/a.jpg"],
    ["swww", "img", "--outputs", "HDMI-A-1", "/w/b.png"],
  ]);
  const s = recorder();
  await SETTER_REGISTRY.swww.apply(one, ctx(s.run));
  assertEquals(s.calls, [["swww", "img", "/w/a b.jpg"]]);
});

Deno.test("setters that set outputs one by one go on past a failing output and say which they set", async () => {
  const three: Assignment[] = [...two, { path: "/w/c.png", output: "eDP-1" }];
  const fails = (argv: readonly string[]) =>
    argv.some((a) => a.includes("HDMI-A-1")) ? { code: 1, stderr: "no such output" } : {};
  const s = recorder(fails);
  const e = await assertRejects(
    () => SETTER_REGISTRY.swww.apply(three, ctx(s.run)),
    PartialSetError,
  );
  assertEquals(e.set, [0, 2]);
  assertEquals(e.failures.map((f) => f.output), ["HDMI-A-1"]);
  assertStringIncludes(e.failures[0].error.message, "no such output");
  assertEquals(s.calls.length, 3, "eDP-1 was still set");
  // hyprpaper 0.6–0.7 (hyprctl exits 0, saying why) unloads what the set monitors left.
  resetHyprpaperVersion();
  const h = recorder((argv) =>
    argv.some((a) => a.startsWith("HDMI-A-1,")) ? { stdout: "wallpaper failed (no monitor)" } : {}
  );
  const he = await assertRejects(
    () => SETTER_REGISTRY.hyprpaper.apply(three, ctx(h.run)),
    PartialSetError,
  );
  assertEquals(he.set, [0, 2]);
  assertEquals(h.calls.at(-1), ["hyprctl", "hyprpaper", "unload", "unused"]);
  // An image for all outputs sent to each named output counts as set when one took it.
  const c = recorder(fails);
  const custom = { setter: "custom" as const, command: ["set", "{path}", "{output}"] };
  const outputs = ["DP-1", "HDMI-A-1"];
  const ce = await assertRejects(
    () => SETTER_REGISTRY.custom.apply(one, ctx(c.run, { ...custom, outputs })),
    PartialSetError,
  );
  assertEquals([ce.set, c.calls.length], [[0], 2]);
  // Every output failing is the setter failing, as with one output.
  const all = recorder(() => ({ code: 1, stderr: "no session" }));
  const ae = await assertRejects(
    () => SETTER_REGISTRY.swww.apply(three, ctx(all.run)),
    SetterError,
  );
  assertEquals([ae instanceof PartialSetError, all.calls.length], [false, 3]);
  // A missing program is not tried again for the other outputs.
  const gone = recorder(() => ({ code: 127, stderr: "not found" }));
  await assertRejects(() => SETTER_REGISTRY.swww.apply(three, ctx(gone.run)), SetterError);
  assertEquals(gone.calls.length, 1);
});

Deno.test("feh sets one image on every screen (it cannot name one); xwallpaper each output", async () => {
  // feh hands several images to the screens in Xinerama order and repeats the last:
  // an image for one named output would change every screen.
  assertEquals(SETTER_REGISTRY.feh.perOutput(DEFAULTS.wallpaper), false);
  const f = recorder();
  await SETTER_REGISTRY.feh.apply(one, ctx(f.run));
  assertEquals(f.calls, [["feh", "--bg-fill", "/w/a b.jpg"]]);
  const x = recorder();
  await SETTER_REGISTRY.xwallpaper.apply(two, ctx(x.run));
  assertEquals(x.calls, [[
    "xwallpaper",
    "--output",
    "DP-1",
    "--zoom",
    "/w/a.jpg",
    "--output",
    "HDMI-A-1",
    "--zoom",
    "/w/b.png",
  ]]);
});

Deno.test("gnome setter sets picture-options, picture-uri and picture-uri-dark", async () => {
  const r = recorder();
  await SETTER_REGISTRY.gnome.apply(one, ctx(r.run));
  assertEquals(r.calls, [
    ["gsettings", "set", "org.gnome.desktop.background", "picture-options", "zoom"],
    ["gsettings", "set", "org.gnome.desktop.background", "picture-uri", "file:///w/a%20b.jpg"],
    ["gsettings", "set", "org.gnome.desktop.background", "picture-uri-dark", "file:///w/a%20b.jpg"],
  ]);
  assertEquals(fileUri("/x/é#?.png"), "file:///x/%C3%A9%23%3F.png");
  assertEquals(SETTER_REGISTRY.gnome.perOutput(DEFAULTS.wallpaper), false);
});

Deno.test("gnome setter on GNOME 41 and older (no picture-uri-dark) succeeds; other failures fail", async () => {
  const old = recorder((argv) =>
    argv.includes("picture-uri-dark") ? { code: 1, stderr: "No such key “picture-uri-dark”" } : {}
  );
  await SETTER_REGISTRY.gnome.apply(one, ctx(old.run));
  assertEquals(old.calls.length, 3);
  const broken = recorder((argv) =>
    argv.includes("picture-uri-dark") ? { code: 1, stderr: "Failed to connect to dconf" } : {}
  );
  await assertRejects(() => SETTER_REGISTRY.gnome.apply(one, ctx(broken.run)), SetterError);
});

Deno.test("gnome setter on an old GNOME in another language: the missing key is still told apart", async () => {
  // gsettings translates "No such key"; the setter asks for it in the C locale.
  const calls: string[][] = [];
  const run: CommandRunner = (argv, options) => {
    calls.push([...argv]);
    if (!argv.includes("picture-uri-dark")) {
      return Promise.resolve({ code: 0, stdout: "", stderr: "", timedOut: false });
    }
    const c = options?.env?.LC_ALL === "C";
    const text = c ? "No such key “picture-uri-dark”" : "Kein solcher Schlüssel »picture-uri-dark«";
    return Promise.reject(
      new CommandError(argv, 1, text, `'gsettings' exited with code 1: ${text}`),
    );
  };
  await SETTER_REGISTRY.gnome.apply(one, ctx(run));
  assertEquals(calls.length, 3);
});

Deno.test("kde setter runs plasma-apply-wallpaperimage", async () => {
  const r = recorder();
  await SETTER_REGISTRY.kde.apply(one, ctx(r.run));
  assertEquals(r.calls, [[
    "plasma-apply-wallpaperimage",
    "--fill-mode",
    "preserveAspectCrop",
    "/w/a b.jpg",
  ]]);
});

Deno.test("hyprpaper setter preloads, shows per output, unloads unused", async () => {
  const r = recorder(() => ({ stdout: "ok\n" }));
  await SETTER_REGISTRY.hyprpaper.apply(two, ctx(r.run));
  assertEquals(r.calls, [
    ["hyprctl", "hyprpaper", "preload", "/w/a.jpg"],
    ["hyprctl", "hyprpaper", "preload", "/w/b.png"],
    ["hyprctl", "hyprpaper", "wallpaper", "DP-1,/w/a.jpg"],
    ["hyprctl", "hyprpaper", "wallpaper", "HDMI-A-1,/w/b.png"],
    ["hyprctl", "hyprpaper", "unload", "unused"],
  ]);
});

Deno.test("hyprpaper setter names each monitor for an image for all (a named one ignores the fallback)", async () => {
  resetHyprpaperVersion();
  const monitors = JSON.stringify([{ id: 0, name: "eDP-1" }, { id: 1, name: "DP-2" }]);
  const r = recorder((argv) => ({ stdout: argv.includes("monitors") ? monitors : "ok\n" }));
  await SETTER_REGISTRY.hyprpaper.apply(one, ctx(r.run, { mode: "fit" }));
  assertEquals(r.calls, [
    ["hyprctl", "monitors", "-j"],
    ["hyprctl", "hyprpaper", "preload", "/w/a b.jpg"],
    ["hyprctl", "hyprpaper", "wallpaper", "eDP-1,contain:/w/a b.jpg"],
    ["hyprctl", "hyprpaper", "wallpaper", "DP-2,contain:/w/a b.jpg"],
    ["hyprctl", "hyprpaper", "unload", "unused"],
  ]);
});

Deno.test("hyprpaper 0.8 (wallpaper only, fit as a third field) is found once and then used", async () => {
  resetHyprpaperVersion();
  try {
    const r = recorder((argv) =>
      argv.includes("monitors")
        ? { stdout: "[]" }
        : argv.includes("preload")
        ? { code: 1, stdout: "error: Unknown hyprpaper request\n" }
        : { stdout: "" }
    );
    await SETTER_REGISTRY.hyprpaper.apply(two, ctx(r.run, { mode: "tile" }));
    await SETTER_REGISTRY.hyprpaper.apply(one, ctx(r.run));
    assertEquals(r.calls, [
      ["hyprctl", "hyprpaper", "preload", "/w/a.jpg"],
      ["hyprctl", "hyprpaper", "wallpaper", "DP-1,/w/a.jpg,tile"],
      ["hyprctl", "hyprpaper", "wallpaper", "HDMI-A-1,/w/b.png,tile"],
      // The next change goes straight to 0.8's form (no monitor listed: the empty name).
      ["hyprctl", "monitors", "-j"],
      ["hyprctl", "hyprpaper", "wallpaper", ",/w/a b.jpg"],
    ]);
    // 0.8's own errors (exit 1, said on stdout) are the setter's failure.
    const bad = recorder((argv) =>
      argv.includes("wallpaper")
        ? { code: 1, stdout: "error: failed to set wallpaper: Invalid monitor\n" }
        : { stdout: "[]" }
    );
    const e = await assertRejects(
      () => SETTER_REGISTRY.hyprpaper.apply(two, ctx(bad.run)),
      SetterError,
    );
    assertStringIncludes(e.message, "Invalid monitor");
  } finally {
    resetHyprpaperVersion();
  }
});

Deno.test("hyprpaper: a path with ',', '#', '$' or a trailing space is given as a plain link", async () => {
  // hyprctl splits at commas; hyprpaper 0.6–0.7 read '#' as a comment and '$X' as a variable.
  resetHyprpaperVersion();
  const cache = await Deno.makeTempDir();
  try {
    const names = ["sea, dawn.jpg", "pic #1.jpg", "$HOME.png", "trail .jpg "];
    for (const name of names) {
      const path = `${cache}/${name}`;
      const r = recorder((argv) =>
        argv.includes("monitors") ? { stdout: "[]" } : { stdout: "ok\n" }
      );
      await SETTER_REGISTRY.hyprpaper.apply([{ path, output: "DP-1" }], {
        ...ctx(r.run),
        cacheDir: cache,
      });
      const preload = r.calls[0];
      const link = preload.at(-1)!;
      assertEquals(preload.slice(0, 3), ["hyprctl", "hyprpaper", "preload"]);
      assert(link.startsWith(`${cache}/hyprpaper-links/`) && !/[,#$]|\s$/.test(link), link);
      assertEquals(await Deno.readLink(link), path);
      assertEquals(r.calls[1], ["hyprctl", "hyprpaper", "wallpaper", `DP-1,${link}`]);
    }
    // Without a cache folder there is no place for a link: refused, naming the file, nothing run.
    const r = recorder(() => ({ stdout: "ok\n" }));
    const e = await assertRejects(
      () =>
        SETTER_REGISTRY.hyprpaper.apply([{ path: "/w/sea, dawn.jpg", output: null }], ctx(r.run)),
      SetterError,
    );
    assertStringIncludes(e.message, "cannot show /w/sea, dawn.jpg: hyprpaper reads ','");
    assertEquals(r.calls, []);
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
});

Deno.test("hyprpaper: stretch is 0.8's third field; 0.6–0.7 use fill for it and say so once", async () => {
  resetHyprpaperVersion();
  resetWarnOnce();
  try {
    const warnings: string[] = [];
    const legacy = recorder(() => ({ stdout: "ok\n" }));
    await SETTER_REGISTRY.hyprpaper.apply(two, {
      ...ctx(legacy.run, { mode: "stretch" }),
      warn: (m) => warnings.push(m),
    });
    assertEquals(legacy.calls[2], ["hyprctl", "hyprpaper", "wallpaper", "DP-1,/w/a.jpg"]);
    assertEquals(warnings, ['hyprpaper before 0.8 has no "stretch" mode; using "fill"']);
    const modern = recorder((argv) =>
      argv.includes("preload") ? { code: 1, stdout: "error: Unknown hyprpaper request\n" } : {
        stdout: "",
      }
    );
    // A 0.8 found out by its answer to preload: no word of a fallback it does not need.
    resetHyprpaperVersion();
    resetWarnOnce();
    warnings.length = 0;
    await SETTER_REGISTRY.hyprpaper.apply(two, {
      ...ctx(modern.run, { mode: "stretch" }),
      warn: (m) => warnings.push(m),
    });
    assertEquals(warnings, []);
    assertEquals(modern.calls.at(-1), [
      "hyprctl",
      "hyprpaper",
      "wallpaper",
      "HDMI-A-1,/w/b.png,stretch",
    ]);
  } finally {
    resetHyprpaperVersion();
    resetWarnOnce();
  }
});

Deno.test("hyprpaper 0.6–0.7 saying 'no such file' (exit 0) is a failure", async () => {
  resetHyprpaperVersion();
  const r = recorder(() => ({ stdout: "no such file: /w/a.jpg\n" }));
  const e = await assertRejects(
    () => SETTER_REGISTRY.hyprpaper.apply(two, ctx(r.run)),
    SetterError,
  );
  assertStringIncludes(e.message, "no such file");
});

Deno.test("hyprpaper setter fails when hyprctl reports an error with exit 0", async () => {
  const r = recorder(() => ({ stdout: "couldn't connect to /tmp/hypr/.socket2.sock" }));
  const e = await assertRejects(
    () => SETTER_REGISTRY.hyprpaper.apply(one, ctx(r.run)),
    SetterError,
  );
  assertStringIncludes(e.message, "couldn't connect");
});

Deno.test("xfce setter sets each last-image property of the output", async () => {
  const listing = [
    "/backdrop/screen0/monitorDP-1/workspace0/last-image",
    "/backdrop/screen0/monitorDP-1/workspace1/last-image",
    "/backdrop/screen0/monitorHDMI-A-1/workspace0/last-image",
    "/backdrop/screen0/monitorDP-1/workspace0/image-style",
  ].join("\n");
  assertEquals(xfceProperties(listing, null).length, 3);
  const r = recorder((argv) => argv.includes("--list") ? { stdout: listing } : {});
  await SETTER_REGISTRY.xfce.apply([{ path: "/w/a.jpg", output: "DP-1" }], ctx(r.run));
  const set = ["xfconf-query", "--channel", "xfce4-desktop", "--property"];
  const ws = (n: number) => `/backdrop/screen0/monitorDP-1/workspace${n}`;
  assertEquals(r.calls.slice(1), [
    [...set, `${ws(0)}/image-style`, "--create", "--type", "int", "--set", "5"],
    [...set, `${ws(0)}/last-image`, "--set", "/w/a.jpg"],
    [...set, `${ws(1)}/image-style`, "--create", "--type", "int", "--set", "5"],
    [...set, `${ws(1)}/last-image`, "--set", "/w/a.jpg"],
  ]);
  const none = recorder(() => ({ stdout: "" }));
  await assertRejects(() => SETTER_REGISTRY.xfce.apply(one, ctx(none.run)), SetterError);
  // A monitor without properties stops the change before any monitor is set.
  const half = recorder((argv) => argv.includes("--list") ? { stdout: listing } : {});
  const e = await assertRejects(
    () =>
      SETTER_REGISTRY.xfce.apply([
        { path: "/w/a.jpg", output: "DP-1" },
        { path: "/w/b.jpg", output: "DP-2" },
      ], ctx(half.run)),
    SetterError,
  );
  assertStringIncludes(e.message, "for monitor DP-2");
  assertEquals(half.calls.length, 1, "only the listing ran");
});

Deno.test("custom setter fills {path} and {output} and needs a command", async () => {
  const r = recorder();
  const command = ["setwall", "--on={output}", "{path}"];
  await SETTER_REGISTRY.custom.apply(two, ctx(r.run, { command }));
  assertEquals(r.calls, [["setwall", "--on=DP-1", "/w/a.jpg"], [
    "setwall",
    "--on=HDMI-A-1",
    "/w/b.png",
  ]]);
  assert(SETTER_REGISTRY.custom.perOutput({ ...DEFAULTS.wallpaper, command }));
  assert(!SETTER_REGISTRY.custom.perOutput({ ...DEFAULTS.wallpaper, command: ["x", "{path}"] }));
  // A placeholder inside a file name is part of the name, not filled in again.
  const named = recorder();
  await SETTER_REGISTRY.custom.apply(
    [{ path: "/w/{mode}-{output}.jpg", output: "DP-1" }],
    ctx(named.run, { command: ["setwall", "{output}", "{path}", "{mode}"] }),
  );
  assertEquals(named.calls, [["setwall", "DP-1", "/w/{mode}-{output}.jpg", "fill"]]);
  const e = await assertRejects(() => SETTER_REGISTRY.custom.apply(one, ctx(r.run)), SetterError);
  assertStringIncludes(e.message, "[wallpaper] command");
  // A command that never names the image would "succeed" without setting anything.
  const blind = await assertRejects(
    () => SETTER_REGISTRY.custom.apply(one, ctx(r.run, { command: ["echo", "{output}"] })),
    SetterError,
  );
  assertStringIncludes(blind.message, 'command never names the image; put "{path}"');
  assertEquals(r.calls.length, 2, "nothing more was run");
  // An image for every output goes to each configured output by name, not to an empty {output}.
  const all = recorder();
  await SETTER_REGISTRY.custom.apply(
    [{ path: "/w/a.jpg", output: null }],
    ctx(all.run, { command, outputs: ["DP-1", "HDMI-A-1"] }),
  );
  assertEquals(all.calls, [
    ["setwall", "--on=DP-1", "/w/a.jpg"],
    ["setwall", "--on=HDMI-A-1", "/w/a.jpg"],
  ]);
});

Deno.test("custom setter with {output}: an image for all goes to the session's monitors", async () => {
  const command = ["swaymsg", "output", "{output}", "bg", "{path}", "fill"];
  const sway = recorder((argv) =>
    argv[0] === "swaymsg" && argv.includes("get_outputs")
      ? {
        stdout: JSON.stringify([{
          name: "eDP-1",
          active: true,
          focused: true,
          current_mode: { width: 1920, height: 1080 },
          transform: "normal",
        }]),
      }
      : {}
  );
  const c = {
    ...ctx(sway.run, { command }),
    env: (k: string) => k === "SWAYSOCK" ? "/s" : undefined,
  };
  await SETTER_REGISTRY.custom.apply([{ path: "/w/a.jpg", output: null }], c);
  assertEquals(sway.calls.at(-1), ["swaymsg", "output", "eDP-1", "bg", "/w/a.jpg", "fill"]);
  // No session to ask: {output} stays empty, as before (a script may take it for "all").
  const none = recorder();
  await SETTER_REGISTRY.custom.apply(
    [{ path: "/w/a.jpg", output: null }],
    ctx(none.run, { command }),
  );
  assertEquals(none.calls.at(-1), ["swaymsg", "output", "", "bg", "/w/a.jpg", "fill"]);
});

Deno.test("a failing setter command becomes a SetterError with exit code and stderr", async () => {
  const r = recorder(() => ({ code: 3, stderr: "no daemon" }));
  const e = await assertRejects(() => SETTER_REGISTRY.swww.apply(one, ctx(r.run)), SetterError);
  assertEquals(e.setter, "swww");
  assertEquals(e.exitCode, 3);
  assertEquals(e.stderr, "no daemon");
  assertStringIncludes(e.message, "no daemon");
});

Deno.test("none setter runs nothing", async () => {
  const r = recorder();
  await SETTER_REGISTRY.none.apply(two, ctx(r.run));
  assertEquals(r.calls, []);
});

Deno.test("swaybgArgv() gives each output its image", () => {
  assertEquals(swaybgArgv(two), [
    "swaybg",
    "--output",
    "DP-1",
    "--image",
    "/w/a.jpg",
    "--mode",
    "fill",
    "--output",
    "HDMI-A-1",
    "--image",
    "/w/b.png",
    "--mode",
    "fill",
  ]);
  assertEquals(swaybgArgv(one), ["swaybg", "--image", "/w/a b.jpg", "--mode", "fill"]);
});

Deno.test("[wallpaper] timeout bounds the whole setter, not each of its commands", async () => {
  const { applySetter } = await import("../../src/wallpaper/setter.ts");
  // Four outputs, four commands of 0.3 s each: 1.2 s in all, over a 1 s timeout.
  const command = ["sh", "-c", "sleep 0.3", "sh", "{path}", "{output}"];
  const c: SetterContext = {
    config: { ...DEFAULTS.wallpaper, command, timeout: 1 },
    runtimeDir: "/nonexistent",
    env: () => undefined,
  };
  const four = ["A", "B", "C", "D"].map((output) => ({ path: "/w/a.jpg", output }));
  // The outputs set in time stand (and are recorded); the rest keep their pictures.
  const e = await assertRejects(
    () => applySetter(SETTER_REGISTRY.custom, four, c),
    PartialSetError,
  );
  assertStringIncludes(e.message, "[wallpaper] timeout (1s for the whole setter)");
  assert(e.set.length >= 1 && e.set.length < 4, String(e.set));
  assertEquals(e.failures.length, 1, "no command is started past the timeout");
  // Out of time before any output was set, the setter failed.
  const late = await assertRejects(
    () => applySetter(SETTER_REGISTRY.custom, four, { ...c, deadline: Date.now() - 1 }),
    SetterError,
  );
  assertStringIncludes(late.message, "[wallpaper] timeout (1s for the whole setter)");
  // Within the time it is done.
  await applySetter(SETTER_REGISTRY.custom, four.slice(0, 1), c);
});
