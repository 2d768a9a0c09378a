// swww's new name, awww: the swww setter runs awww when only awww is installed,
// detection knows awww-daemon, and doctor says which one is used.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { standIns } from "../_helpers/stand_in.ts";
import { fixture } from "../pipeline/_fixture.ts";
import { DEFAULTS } from "../../src/config/schema.ts";
import { detectSetter } from "../../src/wallpaper/detect.ts";
import { applySetter } from "../../src/wallpaper/setter.ts";
import { chooseSwww, swww } from "../../src/wallpaper/setters/swww.ts";

const running = (names: string[]) => (n: string) => Promise.resolve(names.includes(n));

Deno.test("chooseSwww() takes whichever is installed, and follows the running daemon when both are", async () => {
  await using onlyA = await standIns({ awww: {} });
  await using onlyS = await standIns({ swww: {} });
  await using both = await standIns({ swww: {}, awww: {} });
  await using neither = await standIns({});
  assertEquals((await chooseSwww(onlyA.dir, running([]))).client, "awww");
  assertEquals((await chooseSwww(onlyA.dir, running([]))).daemon, "awww-daemon");
  assertEquals((await chooseSwww(onlyS.dir, running(["awww-daemon"]))).client, "swww");
  assertEquals((await chooseSwww(both.dir, running([]))).client, "swww");
  assertEquals((await chooseSwww(both.dir, running(["awww-daemon"]))).client, "awww");
  assertEquals(
    (await chooseSwww(both.dir, running(["awww-daemon", "swww-daemon"]))).client,
    "swww",
  );
  const none = await chooseSwww(neither.dir, running([]));
  assertEquals([none.client, none.installed], ["swww", false]);
  assertStringIncludes(none.note, "neither swww nor awww");
});

Deno.test("the swww setter runs awww img when swww is absent", async () => {
  await using s = await standIns({ awww: {} });
  await applySetter(swww, [{ path: "/w/a.jpg", output: "DP-1" }], {
    config: { ...DEFAULTS.wallpaper, mode: "center", setter_args: ["--transition-fps", "60"] },
    runtimeDir: s.dir,
    run: s.run,
    env: (k) => (k === "PATH" ? s.dir : undefined),
  });
  assertEquals(await s.calls(), [[
    "awww",
    "img",
    "--outputs",
    "DP-1",
    "--resize",
    "no",
    "--transition-fps",
    "60",
    "/w/a.jpg",
  ]]);
});

Deno.test("detectSetter() picks the swww setter for a running awww-daemon", async () => {
  const d = await detectSetter({
    env: (k) => ({ WAYLAND_DISPLAY: "wayland-1", SWAYSOCK: "/s" } as Record<string, string>)[k],
    onPath: () => Promise.resolve(true),
    running: (p) => Promise.resolve(p === "awww-daemon"),
  });
  assertEquals(d.setter, "swww");
  assertStringIncludes(d.reason, "awww-daemon is running");
});

// The session variables a child would inherit; blanked so no output detection runs.
const NO_SESSION = {
  WAYLAND_DISPLAY: "",
  DISPLAY: "",
  SWAYSOCK: "",
  HYPRLAND_INSTANCE_SIGNATURE: "",
};

Deno.test("varietal next with only awww installed sets through awww (mode and setter_args too); doctor says so", async () => {
  await using f = await fixture({
    images: 2,
    wallpaper: 'mode = "fit"\nsetter_args = ["--transition-type", "grow"]',
  });
  await using s = await standIns({ awww: {} });
  const env = { ...NO_SESSION, PATH: s.dir };
  const r = await f.cli(["next", "--setter", "swww", "--no-theme", "--json"], env);
  assertEquals(r.code, 0, r.stderr);
  const path = r.json<{ path: string }>().path;
  assertEquals(await s.calls(), [[
    "awww",
    "img",
    "--resize",
    "fit",
    "--transition-type",
    "grow",
    path,
  ]]);
  const once = await f.cli(["next", "--setter", "swww", "--mode", "stretch", "--no-theme"], env);
  assertEquals(once.code, 0, once.stderr);
  assertEquals((await s.calls())[1].slice(0, 4), ["awww", "img", "--resize", "stretch"]);

  await f.home.writeConfig('[wallpaper]\nsetter = "swww"\nmode = "tile"\n');
  const doc = await f.cli(["doctor", "--json"], env);
  const { checks } = doc.json<{ checks: { name: string; status: string; detail: string }[] }>();
  const setter = checks.find((c) => c.name === "setter")!;
  assertStringIncludes(setter.detail, "using awww");
  assertStringIncludes(setter.detail, `no "tile" mode`);
  assertEquals(setter.status, "warn");
  assert(!setter.detail.includes("not on PATH"), setter.detail);
});
