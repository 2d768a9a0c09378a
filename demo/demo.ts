/**
 * `deno task demo`: varietal's main job on a built-in sample, in a throwaway
 * home. Generates wallpapers, adds them as a source, scans, then runs every
 * later step this build has (select, palettes, next ×3 with setter `none`,
 * theme files, stats), printing what a user would see.
 *
 * Requires the demo task's permissions (imagescript needs `--allow-ffi` to
 * paint the sample images).
 *
 * @module
 */
import { COMMANDS } from "../src/cli/registry.ts";
import { writeImage } from "../tests/_helpers/images.ts";
import { homeEnv, RUN_FLAGS } from "../tests/_helpers/env.ts";

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const has = (name: string) => COMMANDS.some((c) => c.name === name);
const color = Deno.stdout.isTerminal() && !Deno.env.get("NO_COLOR");
const head = (s: string) => console.log(color ? `\n\x1b[1;36m▶ ${s}\x1b[0m` : `\n▶ ${s}`);

const root = await Deno.makeTempDir({ prefix: "varietal-demo-" });
const home = `${root}/home`;
// homeEnv keeps Deno's own cache where it was, so the child processes need no downloads.
const env: Record<string, string> = {
  ...homeEnv(home),
  XDG_RUNTIME_DIR: `${root}/run`,
  PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
};
if (!color) env.NO_COLOR = "1";
await Deno.mkdir(env.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 });
await Deno.mkdir(`${env.XDG_CONFIG_HOME}/varietal`, { recursive: true });

let failures = 0;
async function varietal(...args: string[]): Promise<number> {
  console.log(
    color ? `\x1b[2m$ varietal ${args.join(" ")}\x1b[0m` : `$ varietal ${args.join(" ")}`,
  );
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-q", ...RUN_FLAGS, `${ROOT}/main.ts`, ...args],
    env,
    clearEnv: true,
    cwd: home,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) {
    failures++;
    console.log(`(exit code ${code})`);
  }
  return code;
}

try {
  head(`A temporary home at ${home}`);
  const samples: [string, number, number, number[], boolean][] = [
    ["landscapes/sunset.jpg", 1920, 1080, [0x1a1033, 0x6b2a5c, 0xe0603a, 0xf6c26b], true],
    ["landscapes/ocean.jpg", 2560, 1440, [0x0b1d3a, 0x1f4e79, 0x3a8fb7, 0xa7d8e8], true],
    ["landscapes/forest.png", 1920, 1200, [0x0e1f12, 0x1e4d2b, 0x4f7f3a, 0x9cba6a], true],
    ["landscapes/desert.jpg", 1600, 900, [0xf3e0b5, 0xd9a066, 0xb0643a], true],
    ["landscapes/snow.png", 1280, 800, [0xf5f7fa, 0xdde6ee, 0xaab8c6], true],
    ["abstract/night.png", 1920, 1080, [0x05060d, 0x101a3c, 0x2b2d6e], true],
    ["abstract/neon.jpg", 1920, 1080, [0x120018, 0xff2bd6, 0x00e5ff, 0x120018], false],
    ["abstract/autumn.jpg", 1366, 768, [0x3b1d0e, 0x8a3b12, 0xd9822b, 0xf2c14e], false],
    ["abstract/mono.png", 1024, 768, [0x111111, 0x555555, 0x999999, 0xdddddd], true],
    ["portrait/lavender.jpg", 1080, 1920, [0x2d2140, 0x6c5b9e, 0xb8a9e0], true],
    ["portrait/mint.png", 900, 1600, [0xe8f7f0, 0x9fd8c0, 0x3f8f7a], true],
    ["portrait/ember.jpg", 1080, 1920, [0x0d0502, 0x5a1a06, 0xd04a0c, 0xffb347], true],
  ];
  for (const [name, width, height, colors, gradient] of samples) {
    await writeImage(`${home}/Pictures/Wallpapers/${name}`, {
      width,
      height,
      colors,
      gradient,
      noise: 18,
    });
  }
  console.log(`Painted ${samples.length} sample wallpapers in ${home}/Pictures/Wallpapers`);

  const templates: string[] = [];
  if (has("theme")) {
    templates.push(
      `[[templates]]\nname = "shell"\ntemplate = "colors.sh"\ntarget = "~/.cache/wal/colors.sh"\n`,
      `[[templates]]\nname = "kitty"\ntemplate = "kitty.conf"\ntarget = "~/.config/kitty/colors.conf"\n`,
      `[[templates]]\nname = "waybar"\ntemplate = "waybar.css"\ntarget = "~/.config/waybar/colors.css"\n`,
    );
  }
  await Deno.writeTextFile(
    `${env.XDG_CONFIG_HOME}/varietal/config.toml`,
    `[wallpaper]\nsetter = "none"\n\n[palette]\norigin = "auto"\n\n${templates.join("\n")}`,
  );

  head("Add the folder and scan it");
  await varietal("sources", "add", "~/Pictures/Wallpapers");
  await varietal("scan");
  await varietal("sources", "list");

  if (has("extract")) {
    head("Learn every wallpaper's colours");
    await varietal("extract");
  }
  if (has("select")) {
    head("What would come next? (changes nothing)");
    await varietal("select", "-n", "3", "--seed", "7", "--explain");
    if (has("extract")) {
      head("Something dark and blue");
      await varietal("select", "-n", "2", "--dark", "--hue", "180-260", "--seed", "1");
    }
  }
  if (has("next")) {
    head("Three wallpaper changes (setter 'none': recorded, not shown on this machine)");
    for (let i = 0; i < 3; i++) await varietal("next");
    if (has("history")) await varietal("history", "-n", "3");
    if (has("current")) await varietal("current");
  }
  if (has("palette")) {
    head("The palette of a wallpaper");
    await varietal("palette", `${home}/Pictures/Wallpapers/landscapes/sunset.jpg`);
  }
  if (has("theme") && has("next")) {
    head("Theme files written from the current wallpaper's palette");
    for (
      const f of [
        "~/.cache/wal/colors.sh",
        "~/.config/kitty/colors.conf",
        "~/.config/waybar/colors.css",
      ]
    ) {
      const path = f.replace("~", home);
      try {
        const text = await Deno.readTextFile(path);
        console.log(`${f} (${text.split("\n").length} lines):`);
        console.log(text.split("\n").slice(0, 6).map((l) => `    ${l}`).join("\n"));
      } catch {
        console.log(`${f}: not written`);
        failures++;
      }
    }
  }
  if (has("stats")) {
    head("The collection at a glance");
    await varietal("stats");
  }
  head(failures ? `Done, with ${failures} failing step(s)` : "Done");
  console.log(
    "Try it on your own wallpapers: varietal sources add ~/Pictures && varietal scan && varietal next",
  );
} finally {
  await Deno.remove(root, { recursive: true }).catch(() => {});
}
Deno.exit(failures ? 1 : 0);
