// Output detection: parsers of each tool's answer, and the fallback order.
import { assertEquals } from "../_helpers/assert.ts";
import {
  detectOutputs,
  parseHyprctlMonitors,
  parseSwayOutputs,
  parseSwwwQuery,
  parseXrandrMonitors,
} from "../../src/wallpaper/outputs.ts";
import type { CommandRunner } from "../../src/process/run_command.ts";

Deno.test("parseHyprctlMonitors() puts the focused monitor first", () => {
  const json = JSON.stringify([
    { id: 0, name: "eDP-1", width: 1920, height: 1200, focused: false },
    { id: 1, name: "DP-3", width: 2560, height: 1440, focused: true },
  ]);
  assertEquals(parseHyprctlMonitors(json), [
    { name: "DP-3", width: 2560, height: 1440 },
    { name: "eDP-1", width: 1920, height: 1200 },
  ]);
  // Turned a quarter (transform 1, 3, 5, 7): Hyprland still gives the mode's size.
  const turned = JSON.stringify([
    { id: 0, name: "HDMI-A-1", width: 1920, height: 1080, transform: 1, focused: true },
    { id: 1, name: "DP-1", width: 1920, height: 1080, transform: 2 },
    { id: 2, name: "DP-2", width: 1920, height: 1080, transform: 7 },
  ]);
  assertEquals(parseHyprctlMonitors(turned).map((o) => [o.name, o.width, o.height]), [
    ["HDMI-A-1", 1080, 1920],
    ["DP-1", 1920, 1080],
    ["DP-2", 1080, 1920],
  ]);
});

Deno.test("parseSwayOutputs() skips inactive outputs", () => {
  const json = JSON.stringify([
    { name: "eDP-1", active: true, focused: false, current_mode: { width: 1920, height: 1080 } },
    { name: "HDMI-A-1", active: false, focused: false },
    // sway gives the mode's size and the transform apart: this one stands portrait.
    {
      name: "DP-2",
      active: true,
      focused: true,
      transform: "90",
      current_mode: { width: 1920, height: 1080 },
    },
    { name: "DP-3", transform: "flipped-270", current_mode: { width: 2560, height: 1440 } },
    { name: "DP-4", transform: "180", current_mode: { width: 2560, height: 1440 } },
  ]);
  assertEquals(parseSwayOutputs(json).map((o) => [o.name, o.width, o.height]), [
    ["DP-2", 1080, 1920],
    ["eDP-1", 1920, 1080],
    ["DP-3", 1440, 2560],
    ["DP-4", 2560, 1440],
  ]);
});

Deno.test("parseSwwwQuery() reads old and new swww formats", () => {
  const old = "eDP-1: 1920x1080, scale: 1, currently displaying: color: 000000\n";
  const neu = ": DP-1: 2560x1440, scale: 1, currently displaying: image: /w/a.jpg\n" +
    ": HDMI-A-1: 1920x1080, scale: 1, currently displaying: image: /w/b.jpg\n";
  assertEquals(parseSwwwQuery(old), [{ name: "eDP-1", width: 1920, height: 1080 }]);
  assertEquals(parseSwwwQuery(neu).map((o) => o.name), ["DP-1", "HDMI-A-1"]);
});

Deno.test("parseXrandrMonitors() puts the primary monitor first", () => {
  const text = "Monitors: 2\n" +
    " 0: +HDMI-1 1920/477x1080/268+1920+0  HDMI-1\n" +
    " 1: +*eDP-1 1920/344x1080/194+0+0  eDP-1\n";
  assertEquals(parseXrandrMonitors(text), [
    { name: "eDP-1", width: 1920, height: 1080 },
    { name: "HDMI-1", width: 1920, height: 1080 },
  ]);
});

Deno.test("detectOutputs() asks the session's tool and falls back when it fails", async () => {
  const asked: string[] = [];
  const run: CommandRunner = (argv) => {
    asked.push(argv[0]);
    if (argv[0] === "swaymsg") return Promise.reject(new Error("not installed"));
    return Promise.resolve({
      code: 0,
      stdout: ": DP-1: 2560x1440, scale: 1\n: DP-2: 2560x1440, scale: 1\n",
      stderr: "",
      timedOut: false,
    });
  };
  const env: Record<string, string> = { WAYLAND_DISPLAY: "wayland-1", SWAYSOCK: "/s" };
  const found = await detectOutputs((k) => env[k], { run });
  assertEquals(asked, ["swaymsg", "swww"]);
  assertEquals(found.via, "swww");
  assertEquals(found.list.map((o) => o.name), ["DP-1", "DP-2"]);
  assertEquals((await detectOutputs(() => undefined, { run })).list, []);
});

Deno.test("resolveOutputs() prefers flags, then config, then several detected outputs", async () => {
  const { resolveOutputs } = await import("../../src/pipeline/resolve_outputs.ts");
  const { defaultConfig } = await import("../../src/config/schema.ts");
  const config = defaultConfig();
  const answer = (stdout: string): CommandRunner => () =>
    Promise.resolve({ code: 0, stdout, stderr: "", timedOut: false });
  const env = (k: string) => (k === "WAYLAND_DISPLAY" ? "wayland-1" : undefined);
  const two = answer(": DP-1: 2560x1440, scale: 1\n: DP-2: 1080x1920, scale: 1\n");
  const one = answer(": DP-1: 2560x1440, scale: 1\n");
  assertEquals(await resolveOutputs({ config, env, run: two }, "swww", false), []);
  assertEquals(
    (await resolveOutputs({ config, env, run: two }, "swww", true)).map((o) => o.name),
    ["DP-1", "DP-2"],
  );
  assertEquals(await resolveOutputs({ config, env, run: one }, "swww", true), []);
  assertEquals(await resolveOutputs({ config, env, run: two }, "none", true), []);
  assertEquals(await resolveOutputs({ config, env, run: two }, "swww", true, ["X"]), [{
    name: "X",
  }]);
  config.wallpaper.outputs = ["HDMI-A-1"];
  assertEquals(await resolveOutputs({ config, env, run: two }, "swww", true), [{
    name: "HDMI-A-1",
  }]);
  // Named in config and seen in the session: with its size (a portrait one stays portrait).
  config.wallpaper.outputs = ["DP-2", "DP-1"];
  assertEquals(await resolveOutputs({ config, env, run: two }, "swww", true), [
    { name: "DP-2", width: 1080, height: 1920 },
    { name: "DP-1", width: 2560, height: 1440 },
  ]);
  // A custom command with {output} and no names in config: the session's outputs, also one
  // alone (an undocked laptop: its monitor's name, not an empty {output}).
  config.wallpaper.outputs = [];
  assertEquals(
    (await resolveOutputs({ config, env, run: two }, "custom", true)).map((o) => o.name),
    ["DP-1", "DP-2"],
  );
  assertEquals(
    (await resolveOutputs({ config, env, run: one }, "custom", true)).map((o) => o.name),
    ["DP-1"],
  );
});

Deno.test("detectOutputs() takes Xwayland's XWAYLAND0… for no answer (one image for all)", async () => {
  const run: CommandRunner = () =>
    Promise.resolve({
      code: 0,
      stdout: "Monitors: 2\n 0: +*XWAYLAND0 1920/344x1080/194+0+0  XWAYLAND0\n" +
        " 1: +XWAYLAND1 1920/477x1080/268+1920+0  XWAYLAND1\n",
      stderr: "",
      timedOut: false,
    });
  const env: Record<string, string> = { WAYLAND_DISPLAY: "wayland-0", DISPLAY: ":0" };
  assertEquals(await detectOutputs((k) => env[k], { run }), { list: [], via: "none" });
});
