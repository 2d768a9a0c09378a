// Display modes, setter_args, transitions and fill_color reaching each setter's
// programs: stand-in executables record the argv they are run with.
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../_helpers/assert.ts";
import { standIns } from "../_helpers/stand_in.ts";
import { MODES } from "../../src/config/choices.ts";
import { DEFAULTS, type WallpaperConfig } from "../../src/config/schema.ts";
import { SETTER_REGISTRY } from "../../src/wallpaper/registry.ts";
import {
  applySetter,
  resetWarnOnce,
  type SetterContext,
  setterWarnings,
} from "../../src/wallpaper/setter.ts";
import { resetKdeFillMode } from "../../src/wallpaper/setters/kde.ts";
import { swaybgArgv } from "../../src/wallpaper/setters/swaybg.ts";
import { swaybgPidFile } from "../../src/wallpaper/started_swaybg.ts";

const PATH = "/w/a b.jpg";
const EXTRA = ["--extra", "x y"];
const LISTING = "/backdrop/screen0/monitorDP-1/workspace0/last-image\n";

async function setup() {
  return await standIns({
    swww: {},
    hyprctl: { stdout: "ok" },
    feh: {},
    xwallpaper: {},
    gsettings: {},
    "plasma-apply-wallpaperimage": {},
    "xfconf-query": { script: `case "$*" in *--list*) printf '%s' '${LISTING}';; esac` },
    setwall: {},
  });
}

function context(
  s: { dir: string; run: SetterContext["run"] },
  config: Partial<WallpaperConfig>,
  warnings: string[] = [],
): SetterContext {
  return {
    config: { ...DEFAULTS.wallpaper, setter_args: EXTRA, ...config },
    runtimeDir: s.dir,
    run: s.run,
    env: (k) => (k === "PATH" ? s.dir : undefined),
    warn: (w) => warnings.push(w),
  };
}

// What each setter's programs must receive for each mode (written out, not derived).
const EXPECTED: Record<string, Record<string, string[][]>> = {
  swww: {
    fill: [["swww", "img", ...EXTRA, PATH]],
    fit: [["swww", "img", "--resize", "fit", ...EXTRA, PATH]],
    center: [["swww", "img", "--resize", "no", ...EXTRA, PATH]],
    tile: [["swww", "img", ...EXTRA, PATH]], // no tiling in swww: fill
    stretch: [["swww", "img", "--resize", "stretch", ...EXTRA, PATH]],
  },
  feh: Object.fromEntries(
    [["fill", "--bg-fill"], ["fit", "--bg-max"], ["center", "--bg-center"], ["tile", "--bg-tile"], [
      "stretch",
      "--bg-scale",
    ]].map(([m, flag]) => [m, [["feh", flag, ...EXTRA, PATH]]]),
  ),
  xwallpaper: Object.fromEntries(
    [["fill", "--zoom"], ["fit", "--maximize"], ["center", "--center"], ["tile", "--tile"], [
      "stretch",
      "--stretch",
    ]].map(([m, flag]) => [m, [["xwallpaper", ...EXTRA, flag, PATH]]]),
  ),
  gnome: Object.fromEntries(
    [["fill", "zoom"], ["fit", "scaled"], ["center", "centered"], ["tile", "wallpaper"], [
      "stretch",
      "stretched",
    ]].map(([m, value]) => {
      const g = ["gsettings", ...EXTRA, "set", "org.gnome.desktop.background"];
      return [m, [
        [...g, "picture-options", value],
        [...g, "picture-uri", "file:///w/a%20b.jpg"],
        [...g, "picture-uri-dark", "file:///w/a%20b.jpg"],
      ]];
    }),
  ),
  kde: Object.fromEntries(
    [["fill", "preserveAspectCrop"], ["fit", "preserveAspectFit"], ["center", "pad"], [
      "tile",
      "tile",
    ], ["stretch", "stretch"]].map((
      [m, value],
    ) => [m, [["plasma-apply-wallpaperimage", "--fill-mode", value, ...EXTRA, PATH]]]),
  ),
  xfce: Object.fromEntries(
    [["fill", "5"], ["fit", "4"], ["center", "1"], ["tile", "2"], ["stretch", "3"]].map(
      ([m, style]) => {
        const x = ["xfconf-query", ...EXTRA, "--channel", "xfce4-desktop", "--property"];
        const ws = "/backdrop/screen0/monitorDP-1/workspace0";
        return [m, [
          ["xfconf-query", "--channel", "xfce4-desktop", "--list"],
          [...x, `${ws}/image-style`, "--create", "--type", "int", "--set", style],
          [...x, `${ws}/last-image`, "--set", PATH],
        ]];
      },
    ),
  ),
  hyprpaper: Object.fromEntries(
    [["fill", ""], ["fit", "contain:"], ["center", ""], ["tile", "tile:"], ["stretch", ""]].map(
      ([m, prefix]) => {
        const h = ["hyprctl", ...EXTRA, "hyprpaper"];
        return [m, [
          ["hyprctl", ...EXTRA, "monitors", "-j"],
          [...h, "preload", PATH],
          [...h, "wallpaper", `,${prefix}${PATH}`],
          [...h, "unload", "unused"],
        ]];
      },
    ),
  ),
  custom: Object.fromEntries(
    MODES.map((m) => [m, [["setwall", `--how=${m}`, PATH, ...EXTRA]]]),
  ),
};

// The modes each setter lacks (it falls back to fill and says so).
// (hyprpaper has stretch from 0.8 on; 0.6–0.7, as here, fall back to fill and warn at the set.)
const LACKS: Record<string, string[]> = { swww: ["tile"], hyprpaper: ["center"] };

Deno.test("every mode reaches every setter's program, with setter_args", async () => {
  await using s = await setup();
  for (const [name, byMode] of Object.entries(EXPECTED)) {
    const setter = SETTER_REGISTRY[name as keyof typeof SETTER_REGISTRY];
    resetKdeFillMode();
    for (const mode of MODES) {
      await s.clear();
      const command = name === "custom" ? ["setwall", "--how={mode}", "{path}"] : [];
      const warnings: string[] = [];
      const ctx = context(s, { mode, command }, warnings);
      await applySetter(setter, [{ path: PATH, output: null }], ctx);
      assertEquals(await s.calls(), byMode[mode], `${name} ${mode}`);
      const lacks = (LACKS[name] ?? []).includes(mode);
      assertEquals(
        setterWarnings(setter, ctx.config).some((w) => w.includes(`no "${mode}" mode`)),
        lacks,
        `${name} ${mode}: ${setterWarnings(setter, ctx.config)}`,
      );
    }
  }
});

Deno.test("per-output setters put the mode on every output", async () => {
  await using s = await setup();
  const two = [{ path: "/w/a.jpg", output: "DP-1" }, { path: "/w/b.png", output: "HDMI-A-1" }];
  const fit = { mode: "fit" as const, setter_args: [] };
  await applySetter(SETTER_REGISTRY.swww, two, context(s, fit));
  await applySetter(SETTER_REGISTRY.xwallpaper, two, context(s, fit));
  await applySetter(SETTER_REGISTRY.hyprpaper, two, context(s, { ...fit, mode: "tile" }));
  assertEquals((await s.calls()).filter((c) => c[2] !== "preload" && c[2] !== "unload"), [
    ["swww", "img", "--outputs", "DP-1", "--resize", "fit", "/w/a.jpg"],
    ["swww", "img", "--outputs", "HDMI-A-1", "--resize", "fit", "/w/b.png"],
    [
      "xwallpaper",
      "--output",
      "DP-1",
      "--maximize",
      "/w/a.jpg",
      "--output",
      "HDMI-A-1",
      "--maximize",
      "/w/b.png",
    ],
    ["hyprctl", "hyprpaper", "wallpaper", "DP-1,tile:/w/a.jpg"],
    ["hyprctl", "hyprpaper", "wallpaper", "HDMI-A-1,tile:/w/b.png"],
  ]);
  assertEquals(
    swaybgArgv(two, { mode: "center", setter_args: ["-V"], fill_color: "#102030" }),
    [
      "swaybg",
      "-V",
      "--output",
      "DP-1",
      "--image",
      "/w/a.jpg",
      "--mode",
      "center",
      "--color",
      "#102030",
      "--output",
      "HDMI-A-1",
      "--image",
      "/w/b.png",
      "--mode",
      "center",
      "--color",
      "#102030",
    ],
  );
});

Deno.test("a mode a setter lacks is reported once per process, not at every change", async () => {
  await using s = await setup();
  resetWarnOnce();
  const warnings: string[] = [];
  for (let i = 0; i < 3; i++) {
    await applySetter(
      SETTER_REGISTRY.swww,
      [{ path: PATH, output: null }],
      context(s, { mode: "tile" }, warnings),
    );
  }
  assertEquals(warnings.length, 1, warnings.join("\n"));
  assertStringIncludes(warnings[0], `setter 'swww' has no "tile" mode; using "fill"`);
  assertEquals((await s.calls()).length, 3, "the wallpaper is still set each time");
});

Deno.test("swww transitions and fill_color become swww img flags", async () => {
  await using s = await setup();
  const transition = {
    type: "grow",
    duration: 0.5,
    fps: 144,
    step: 90,
    angle: -30,
    pos: "top-left",
  } as const;
  await applySetter(
    SETTER_REGISTRY.swww,
    [{ path: PATH, output: "DP-1" }],
    context(s, { mode: "fit", fill_color: "#0a0b0c", transition }),
  );
  assertEquals(await s.calls(), [[
    "swww",
    "img",
    "--outputs",
    "DP-1",
    "--resize",
    "fit",
    "--fill-color",
    "0a0b0c",
    "--transition-type=grow",
    "--transition-duration=0.5",
    "--transition-fps=144",
    "--transition-step=90",
    "--transition-angle=-30",
    "--transition-pos=top-left",
    ...EXTRA,
    PATH,
  ]]);
});

Deno.test("transition and fill_color on other setters are reported, not passed", () => {
  const config = {
    ...DEFAULTS.wallpaper,
    fill_color: "#000000",
    transition: { ...DEFAULTS.wallpaper.transition, type: "wipe" as const },
  };
  const feh = setterWarnings(SETTER_REGISTRY.feh, config);
  assertEquals(feh.length, 2, feh.join("\n"));
  assertStringIncludes(feh[0], "[wallpaper.transition] applies to swww/awww only");
  assertStringIncludes(feh[1], "fill_color applies to swww/awww and swaybg only");
  assertEquals(setterWarnings(SETTER_REGISTRY.swaybg, config).length, 1);
  assertEquals(setterWarnings(SETTER_REGISTRY.swww, config), []);
  assertEquals(setterWarnings(SETTER_REGISTRY.none, { ...config, mode: "tile" }), []);
});

Deno.test("[wallpaper] outputs with a setter for every screen is reported, not silently dropped", () => {
  const config = { ...DEFAULTS.wallpaper, outputs: ["HDMI-1", "DP-1"] };
  for (const name of ["feh", "gnome", "kde"] as const) {
    const w = setterWarnings(SETTER_REGISTRY[name], config);
    assertEquals(w, [
      `[wallpaper] outputs is ignored: setter '${name}' sets one image on every screen (swww, ` +
      "swaybg, hyprpaper, xwallpaper and xfce set each output)",
    ]);
  }
  for (const name of ["swww", "swaybg", "hyprpaper", "xwallpaper", "xfce", "none"] as const) {
    assertEquals(setterWarnings(SETTER_REGISTRY[name], config), [], name);
  }
  const custom = { ...config, command: ["setwall", "{path}", "{mode}"] };
  assertStringIncludes(
    setterWarnings(SETTER_REGISTRY.custom, custom).join(),
    "no {output} placeholder",
  );
  custom.command.push("{output}");
  assertEquals(setterWarnings(SETTER_REGISTRY.custom, custom), []);
});

Deno.test("custom without {mode} says it cannot pass a mode on", () => {
  const config = { ...DEFAULTS.wallpaper, command: ["setwall", "{path}"], mode: "fit" as const };
  const w = setterWarnings(SETTER_REGISTRY.custom, config);
  assertEquals(w.length, 1);
  assertStringIncludes(w[0], "no {mode} placeholder");
  assertEquals(setterWarnings(SETTER_REGISTRY.custom, { ...config, mode: "fill" }), []);
});

Deno.test("an old plasma-apply-wallpaperimage without --fill-mode still gets the image", async () => {
  await using s = await standIns({
    "plasma-apply-wallpaperimage": {
      script: `case "$1" in --fill-mode) echo "Unknown option 'fill-mode'." >&2; exit 1;; esac`,
    },
  });
  resetKdeFillMode();
  resetWarnOnce();
  const warnings: string[] = [];
  for (let i = 0; i < 2; i++) {
    await applySetter(
      SETTER_REGISTRY.kde,
      [{ path: PATH, output: null }],
      context(s, { mode: "fit", setter_args: [] }, warnings),
    );
  }
  assertEquals(await s.calls(), [
    ["plasma-apply-wallpaperimage", "--fill-mode", "preserveAspectFit", PATH],
    ["plasma-apply-wallpaperimage", PATH],
    ["plasma-apply-wallpaperimage", PATH], // remembered: no second try with --fill-mode
  ]);
  assertEquals(warnings.length, 1);
  assert(warnings[0].includes("no --fill-mode"), warnings[0]);
  resetKdeFillMode();
});

Deno.test("plasma-apply-wallpaperimage: the unknown-option test does not depend on the language", async () => {
  // A German Plasma before 6.2 says it in German unless the C locale is asked for.
  await using s = await standIns({
    "plasma-apply-wallpaperimage": {
      script: `case "$1" in --fill-mode)
  if [ "$LC_ALL" = C ]; then echo "Unknown option 'fill-mode'." >&2
  else echo "Unbekannte Option »fill-mode«." >&2; fi
  exit 1;; esac`,
    },
  });
  resetKdeFillMode();
  resetWarnOnce();
  try {
    await applySetter(
      SETTER_REGISTRY.kde,
      [{ path: PATH, output: null }],
      context(s, { mode: "fit", setter_args: [] }),
    );
    assertEquals((await s.calls()).at(-1), ["plasma-apply-wallpaperimage", PATH]);
  } finally {
    resetKdeFillMode();
  }
});

Deno.test("plasma-apply-wallpaperimage refuses a ' in a path: it is given a link with a plain name", async () => {
  await using s = await standIns({
    "plasma-apply-wallpaperimage": {
      script:
        `for a in "$@"; do case "$a" in *\\'*) echo "stray single quote" ; exit 1;; esac; done`,
    },
  });
  const cache = await Deno.makeTempDir();
  try {
    const quoted = `${cache}/it's.jpg`;
    await Deno.writeTextFile(quoted, "x");
    for (let i = 0; i < 2; i++) {
      await applySetter(SETTER_REGISTRY.kde, [{ path: quoted, output: null }], {
        ...context(s, { setter_args: [] }),
        cacheDir: cache,
      });
    }
    const calls = await s.calls();
    assertEquals(calls.length, 2, "accepted the first time");
    const link = calls[0].at(-1)!;
    assertEquals(calls[1].at(-1), link, "the same link each time");
    assert(link.startsWith(`${cache}/kde-links/`) && !link.includes("'"), link);
    assertEquals(await Deno.readLink(link), quoted);
    // Without a cache folder (no place for the link) it is refused, naming the file.
    await assertRejects(
      () =>
        applySetter(
          SETTER_REGISTRY.kde,
          [{ path: quoted, output: null }],
          context(s, {
            setter_args: [],
          }),
        ),
      Error,
      "refuses a ' and Plasma misreads #, ?, %, \\ and line breaks in its path; rename the file",
    );
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
});

Deno.test("kde: a path Plasma would read as a URL fragment, query or escape goes through a link", async () => {
  // plasma-apply-wallpaperimage puts the path into 'file://PATH' of a script unescaped; this
  // stand-in fails, as Plasma silently would, when the path holds #, ?, %, \ or a newline.
  await using s = await standIns({
    "plasma-apply-wallpaperimage": {
      script: `nl='
'; for a in "$@"; do case "$a" in *'#'*|*'?'*|*%*|*'\\'*|*"$nl"*) exit 3;; esac; done`,
    },
  });
  const cache = await Deno.makeTempDir();
  try {
    const names = ["pic #1.jpg", "what?.png", "100%20.jpg", "back\\tslash.jpg", "new\nline.jpg"];
    for (const name of [...names, "plain name.jpg"]) {
      const path = `${cache}/${name}`;
      await Deno.writeTextFile(path, "x");
      await applySetter(SETTER_REGISTRY.kde, [{ path, output: null }], {
        ...context(s, { setter_args: [] }),
        cacheDir: cache,
      });
      const given = (await s.calls()).at(-1)!.at(-1)!;
      if (name === "plain name.jpg") assertEquals(given, path, "a plain path is given as it is");
      else {
        assert(given.startsWith(`${cache}/kde-links/`), given);
        assertEquals(await Deno.readLink(given), path);
      }
    }
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
});

Deno.test("swww or hyprpaper taking over stops the swaybg varietal started (a pid reused is left)", async () => {
  // At login detection may pick swaybg while swww-daemon is not up yet; once swww sets the
  // picture, that swaybg would stay on the background layer with the old one.
  await using s = await standIns({
    swww: {},
    hyprctl: { stdout: "ok" },
    pgrep: { script: 'exec /usr/bin/pgrep "$@"' },
  });
  const script = `${s.dir}/swaybg`;
  await Deno.writeTextFile(script, "#!/bin/sh\nwhile :; do sleep 1; done\n", { mode: 0o755 });
  const bg = new Deno.Command(script, { stdout: "null", stderr: "null" }).spawn();
  const other = new Deno.Command("sleep", { args: ["30"] }).spawn();
  const ended = (c: Deno.ChildProcess) =>
    Promise.race([c.status, new Promise<null>((r) => setTimeout(() => r(null), 3000))]);
  try {
    await new Promise((r) => setTimeout(r, 100)); // exec'd: its name is swaybg now
    await Deno.writeTextFile(swaybgPidFile(s.dir), `${other.pid}\n`);
    await applySetter(SETTER_REGISTRY.swww, [{ path: PATH, output: null }], context(s, {}));
    await Deno.writeTextFile(swaybgPidFile(s.dir), `${bg.pid}\n`);
    await applySetter(SETTER_REGISTRY.hyprpaper, [{ path: PATH, output: "DP-1" }], context(s, {}));
    assertEquals((await ended(bg))?.signal, "SIGTERM");
    await assertRejects(() => Deno.stat(swaybgPidFile(s.dir)), Deno.errors.NotFound);
    // The pid of another program (a swaybg long gone, its pid reused) was not touched.
    assertEquals(
      await Promise.race([other.status.then(() => "ended"), Promise.resolve("running")]),
      "running",
    );
  } finally {
    for (const c of [bg, other]) {
      try {
        c.kill();
      } catch { /* ended */ }
    }
    await bg.status;
    await other.status;
  }
});
