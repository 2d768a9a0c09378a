// What select and extract say when there is nothing to work on: the step that helps.
import { assertEquals } from "../_helpers/assert.ts";
import { runCli, tempHome } from "../_helpers/env.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";

Deno.test("select on an empty collection says so (not 'relax the constraints'); extract tells disabled folders from none", async () => {
  await using home = await tempHome();
  for (const args of [["select"], ["select", "--dark"]]) {
    const r = await runCli(home, args);
    assertEquals(r.code, 1);
    assertEquals(
      r.stderr,
      "varietal: the collection is empty; add a folder with 'varietal sources add DIR' and run " +
        "'varietal scan'\n",
    );
  }
  const walls = `${home.root}/walls`;
  await writeImage(`${walls}/a.png`, { width: 640, height: 480, colors: [COLORS.red] });
  assertEquals(
    (await runCli(home, ["extract"])).stdout,
    "No image in the collection yet: run " +
      "'varietal scan' (after 'varietal sources add DIR')\n",
  );
  for (const args of [["sources", "add", walls], ["scan", "-q"], ["sources", "disable", walls]]) {
    assertEquals((await runCli(home, args)).code, 0, args.join(" "));
  }
  const r = await runCli(home, ["extract"]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(
    r.stdout,
    "No image to extract from: every folder with images is disabled or offline ('varietal " +
      "sources list' shows them; 'varietal sources enable DIR')\n",
  );
});
