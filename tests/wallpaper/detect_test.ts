// Setter detection from the session.
import { assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { detectSetter, type SessionProbe } from "../../src/wallpaper/detect.ts";

function probe(
  env: Record<string, string>,
  onPath: string[] = [],
  running: string[] = [],
): SessionProbe {
  return {
    env: (k) => env[k],
    onPath: (p) => Promise.resolve(onPath.includes(p)),
    running: (p) => Promise.resolve(running.includes(p)),
  };
}

Deno.test("detectSetter() prefers a running swww-daemon", async () => {
  const d = await detectSetter(
    probe({ WAYLAND_DISPLAY: "wayland-1", SWAYSOCK: "/run/sway.sock" }, ["swaybg"], [
      "swww-daemon",
    ]),
  );
  assertEquals(d.setter, "swww");
  assertStringIncludes(d.reason, "swww-daemon");
});

Deno.test("detectSetter() picks hyprpaper on Hyprland when it runs", async () => {
  const env = { WAYLAND_DISPLAY: "wayland-1", HYPRLAND_INSTANCE_SIGNATURE: "abc" };
  assertEquals((await detectSetter(probe(env, ["swaybg"], ["hyprpaper"]))).setter, "hyprpaper");
  assertEquals((await detectSetter(probe(env, ["swaybg"]))).setter, "swaybg");
  const d = await detectSetter(probe(env));
  assertEquals(d.setter, "hyprpaper");
  assertStringIncludes(d.reason, "start hyprpaper");
});

Deno.test("detectSetter() picks swaybg on sway", async () => {
  const d = await detectSetter(probe({ WAYLAND_DISPLAY: "wayland-1", SWAYSOCK: "/s" }));
  assertEquals(d.setter, "swaybg");
  assertEquals(d.session, "sway (Wayland)");
});

Deno.test("detectSetter() follows XDG_CURRENT_DESKTOP for GNOME, KDE and XFCE", async () => {
  const w = { WAYLAND_DISPLAY: "wayland-0" };
  assertEquals(
    (await detectSetter(probe({ ...w, XDG_CURRENT_DESKTOP: "ubuntu:GNOME" }))).setter,
    "gnome",
  );
  assertEquals((await detectSetter(probe({ ...w, XDG_CURRENT_DESKTOP: "KDE" }))).setter, "kde");
  assertEquals(
    (await detectSetter(probe({ DISPLAY: ":0", XDG_CURRENT_DESKTOP: "XFCE" }))).setter,
    "xfce",
  );
});

Deno.test("detectSetter() uses feh or xwallpaper on plain X11", async () => {
  assertEquals((await detectSetter(probe({ DISPLAY: ":0" }, ["feh"]))).setter, "feh");
  assertEquals(
    (await detectSetter(probe({ DISPLAY: ":0" }, ["xwallpaper"]))).setter,
    "xwallpaper",
  );
  const d = await detectSetter(probe({ DISPLAY: ":0" }));
  assertEquals(d.setter, null);
  assertStringIncludes(d.reason, "without feh or xwallpaper");
});

Deno.test("detectSetter() finds nothing without a graphical session", async () => {
  const d = await detectSetter(probe({}));
  assertEquals(d.setter, null);
  assertStringIncludes(d.reason, "no graphical session");
});

Deno.test("detectSetter() in another Wayland session: swaybg when installed, else none with the reason", async () => {
  const env = { WAYLAND_DISPLAY: "wayland-1", XDG_CURRENT_DESKTOP: "river" };
  const with_ = await detectSetter(probe(env, ["swaybg"]));
  assertEquals([with_.setter, with_.session], ["swaybg", "Wayland"]);
  const without = await detectSetter(probe(env));
  assertEquals([without.setter, without.session], [null, "Wayland"]);
  assertStringIncludes(
    without.reason,
    "without swww-daemon/awww-daemon running or swaybg installed",
  );
});
