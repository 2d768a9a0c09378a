import { assertEquals } from "../_helpers/assert.ts";
import { runCli, tempHome } from "../_helpers/env.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";
import { setFakeMode, writeFakeWallust } from "../palette/_fake_wallust.ts";

/** Lines the stand-in wallust logged (one per run). */
async function wallustRuns(bin: string): Promise<number> {
  try {
    return (await Deno.readTextFile(`${bin}/wallust.log`)).split("\n").filter(Boolean).length;
  } catch {
    return 0;
  }
}

Deno.test("next reuses a stored wallust palette made with wallust's default palette (dark), and re-runs wallust when wallust.toml changes", async () => {
  await using home = await tempHome();
  const bin = `${home.root}/bin`;
  const exe = await writeFakeWallust(bin);
  await setFakeMode(bin, { mode: "ok" });
  const img = await writeImage(`${home.root}/pics/a.png`, {
    width: 40,
    height: 30,
    colors: [COLORS.purple, COLORS.green],
  });
  // varietal's defaults (palette.variant = "dark16") and no wallust.toml: wallust uses "dark"
  await home.writeConfig(
    `[[sources]]\npath = "${home.root}/pics"\n\n[palette]\nwallust = "${exe}"\n`,
  );
  assertEquals((await runCli(home, ["scan"])).code, 0);
  const show = async () => {
    const r = await runCli(home, ["next", "--image", img, "--setter", "none", "--no-theme"]);
    assertEquals(r.code, 0, r.stderr);
  };
  await show();
  assertEquals(await wallustRuns(bin), 1);
  await show();
  await show();
  assertEquals(await wallustRuns(bin), 1, "the stored 'dark' palette is fresh");
  // Another palette in wallust.toml: the stored one no longer is what wallust makes.
  const toml = `${home.env.XDG_CONFIG_HOME}/wallust/wallust.toml`;
  await Deno.mkdir(toml.replace(/\/[^/]+$/, ""), { recursive: true });
  await Deno.writeTextFile(toml, `palette = "light16"\n`);
  await show();
  assertEquals(await wallustRuns(bin), 2);
  await show();
  assertEquals(await wallustRuns(bin), 2, "the stored 'light16' palette is fresh");
});
