// Messages that tell the user the step that helps, in the words of the command to run.
import { assertEquals } from "../_helpers/assert.ts";
import { runCli, tempHome } from "../_helpers/env.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";

Deno.test("advice: stop with no daemon, a move before the mv, a banned --image", async () => {
  await using home = await tempHome();
  const stop = await runCli(home, ["daemon", "--send", "stop"]);
  assertEquals(stop.code, 3);
  assertEquals(stop.stderr.includes("start it with"), false, stop.stderr);
  assertEquals(stop.stderr.trimEnd().endsWith("(nothing to stop)"), true, stop.stderr);

  const walls = `${home.root}/walls`;
  await writeImage(`${walls}/a.png`, { width: 640, height: 480, colors: [COLORS.red] });
  for (const args of [["sources", "add", walls], ["scan", "-q"], ["ban", `${walls}/a.png`]]) {
    assertEquals((await runCli(home, args)).code, 0, args.join(" "));
  }
  const early = await runCli(home, ["sources", "move", walls, `${home.root}/art`]);
  assertEquals(early.code, 1);
  assertEquals(
    early.stderr,
    `varietal: ${home.root}/art: not found; move the folder on disk first (mv OLD NEW), then run ` +
      "this again\n",
  );
  // A system file Deno keeps from varietal is said as such, not as missing.
  const system = await runCli(home, ["next", "--setter", "none", "--image", "/proc/version"]);
  assertEquals(system.code, 1);
  assertEquals(
    system.stderr.includes("is a system file varietal may not touch"),
    true,
    system.stderr,
  );
  const banned = await runCli(home, ["next", "--setter", "none", "--image", `${walls}/a.png`]);
  assertEquals(banned.code, 1);
  assertEquals(
    banned.stderr,
    `varietal: --image ${walls}/a.png: this image is banned; 'varietal unban' it first to show it\n`,
  );
});
