// [wallpaper] mode, setter_args, fill_color, [wallpaper.transition] and [notify]:
// defaults, validation and the `config show` round trip.
import { assertEquals, assertThrows } from "../_helpers/assert.ts";
import { runCli, tempHome } from "../_helpers/env.ts";
import { parseConfig } from "../../src/config/parse.ts";
import { ConfigError } from "../../src/config/errors.ts";
import { DEFAULTS } from "../../src/config/schema.ts";

Deno.test("the display, transition and notify settings default to doing what the setter does", () => {
  const cfg = parseConfig("", "c.toml");
  assertEquals(cfg.wallpaper.mode, "fill");
  assertEquals(cfg.wallpaper.setter_args, []);
  assertEquals(cfg.wallpaper.fill_color, null);
  assertEquals(Object.values(cfg.wallpaper.transition), [null, null, null, null, null, null]);
  assertEquals(cfg.notify, { enabled: false, program: "notify-send", timeout: 3 });
});

Deno.test("parseConfig() reads mode, setter_args, fill_color, transition and notify", () => {
  const cfg = parseConfig(
    `
[wallpaper]
mode = "fit"
setter_args = "--transition-bezier .43,1.19,1,.4"
fill_color = "1E1E2E"

[wallpaper.transition]
type = "wipe"
duration = 0.75
fps = 144
step = 255
angle = -30.5
pos = "0.25,0.9"

[notify]
enabled = true
program = "dunstify"
timeout = "1s"
`,
    "c.toml",
  );
  assertEquals(cfg.wallpaper.mode, "fit");
  assertEquals(cfg.wallpaper.setter_args, ["--transition-bezier", ".43,1.19,1,.4"]);
  assertEquals(cfg.wallpaper.fill_color, "#1e1e2e");
  assertEquals(cfg.wallpaper.transition, {
    type: "wipe",
    duration: 0.75,
    fps: 144,
    step: 255,
    angle: -30.5,
    pos: "0.25,0.9",
  });
  assertEquals(cfg.notify, { enabled: true, program: "dunstify", timeout: 1 });
  assertEquals(
    parseConfig('[wallpaper.transition]\npos = "top-right"\ntype = "auto"\n', "c")
      .wallpaper.transition.pos,
    "top-right",
  );
  assertEquals(parseConfig('[wallpaper]\nfill_color = "auto"\n', "c").wallpaper.fill_color, null);
});

Deno.test("parseConfig() names the key of a bad display or transition value", () => {
  const bad: [string, string][] = [
    ['[wallpaper]\nmode = "zoom"\n', 'wallpaper.mode: expected one of "fill", "fit"'],
    ['[wallpaper]\nfill_color = "#12345"\n', 'wallpaper.fill_color: expected a colour "#rrggbb"'],
    ['[wallpaper.transition]\ntype = "spiral"\n', "wallpaper.transition.type: expected one of"],
    ["[wallpaper.transition]\nfps = 0\n", "wallpaper.transition.fps: expected a number between 1"],
    ["[wallpaper.transition]\nstep = 256\n", "wallpaper.transition.step"],
    ["[wallpaper.transition]\nduration = -1\n", "wallpaper.transition.duration"],
    ['[wallpaper.transition]\npos = "middle"\n', 'wallpaper.transition.pos: expected "X,Y"'],
    ["[wallpaper.transition]\nbezier = 1\n", "wallpaper.transition.bezier: unknown key"],
    ['[notify]\nprogram = ""\n', "notify.program: must not be empty"],
    ['[notify]\nenabled = "yes"\n', "notify.enabled: expected true or false"],
  ];
  for (const [toml, message] of bad) {
    assertThrows(() => parseConfig(toml, "c.toml"), ConfigError, message);
  }
});

Deno.test("config show prints TOML that reads back as the same configuration", async () => {
  await using home = await tempHome();
  await home.writeConfig(
    '[wallpaper]\nmode = "center"\n[wallpaper.transition]\ntype = "grow"\nfps = 60\n[notify]\nenabled = true\n',
  );
  const shown = await runCli(home, ["config", "show"]);
  assertEquals(shown.code, 0, shown.stderr);
  const again = parseConfig(shown.stdout, "shown.toml");
  const json = (await runCli(home, ["config", "show", "--json"])).json<typeof again>();
  assertEquals(again.wallpaper, json.wallpaper);
  assertEquals(again.notify, json.notify);
  assertEquals(again.wallpaper.transition, {
    ...DEFAULTS.wallpaper.transition,
    type: "grow",
    fps: 60,
  });
});
