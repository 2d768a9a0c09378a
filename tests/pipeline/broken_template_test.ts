// A broken template stops a change before anything is set, and every command that themes says
// how to go on without the theme in a way that command takes.
import { assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { runCli, tempHome } from "../_helpers/env.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";

Deno.test("a broken template: next, prev and current --restore name the template and take --no-theme", async () => {
  await using home = await tempHome();
  const walls = `${home.root}/walls`;
  for (const [i, c] of [COLORS.red, COLORS.green, COLORS.blue].entries()) {
    await writeImage(`${walls}/${i}.png`, { width: 640, height: 480, colors: [c] });
  }
  const tdir = `${home.env.XDG_CONFIG_HOME}/varietal/templates`;
  await Deno.mkdir(tdir, { recursive: true });
  await Deno.writeTextFile(`${tdir}/a.conf`, "bg {{ background }}\n");
  await home.writeConfig(
    `[wallpaper]\nsetter = "none"\n[[sources]]\npath = "${walls}"\n` +
      `[[templates]]\ntemplate = "a.conf"\ntarget = "${home.root}/a.conf"\n`,
  );
  const ok = async (args: string[]) => {
    const r = await runCli(home, args);
    assertEquals(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
    return r;
  };
  await ok(["scan", "-q"]);
  await ok(["next"]);
  await ok(["next"]);
  await Deno.writeTextFile(`${tdir}/a.conf`, "bg {{ backgroud }}\n"); // a typo
  const before = (await ok(["current"])).stdout;
  for (const args of [["next"], ["prev"], ["current", "--restore"]]) {
    const r = await runCli(home, args);
    assertEquals(r.code, 1, args.join(" "));
    assertStringIncludes(r.stderr, `template 'a.conf': ${tdir}/a.conf:1:7: unknown variable`);
    assertStringIncludes(
      r.stderr,
      `fix the template or its [[templates]] entry in ${home.configFile}; to go on without the ` +
        "theme, add --no-theme to the command (or set [theme] enabled = false); nothing was " +
        "changed\n",
    );
  }
  assertEquals((await ok(["current"])).stdout, before, "nothing was changed");
  await ok(["prev", "--no-theme"]);
  await ok(["current", "--restore", "--no-theme"]);
  const alone = await runCli(home, ["current", "--no-theme"]);
  assertEquals(alone.code, 2);
});

Deno.test("a template including a file that is not there stops next before anything is set; doctor says so", async () => {
  await using home = await tempHome();
  const walls = `${home.root}/walls`;
  await writeImage(`${walls}/0.png`, { width: 640, height: 480, colors: [COLORS.red] });
  // Kept with matugen's other templates; its include is looked for in varietal's folder.
  const mine = `${home.root}/matugen`;
  await Deno.mkdir(mine);
  await Deno.writeTextFile(
    `${mine}/main.css`,
    '<* include "common.css" *>\n@define-color a {{ colors.primary.default.hex }};\n',
  );
  await Deno.writeTextFile(`${mine}/common.css`, "/* shared */\n");
  await home.writeConfig(
    `[wallpaper]\nsetter = "none"\n[[sources]]\npath = "${walls}"\n` +
      `[[templates]]\nname = "m"\ntemplate = "${mine}/main.css"\ntarget = "${home.root}/m.css"\n`,
  );
  assertEquals((await runCli(home, ["scan", "-q"])).code, 0);
  const next = await runCli(home, ["next"]);
  assertEquals(next.code, 1);
  const where = `${home.env.XDG_CONFIG_HOME}/varietal/templates`;
  assertStringIncludes(
    next.stderr,
    `template 'm': ${mine}/main.css: cannot include "common.css": no such file in ${where}`,
  );
  assertStringIncludes(next.stderr, "nothing was changed");
  assertEquals((await runCli(home, ["history", "--json"])).json<unknown[]>(), []);
  const doctor = await runCli(home, ["doctor", "--json"]);
  const checks = doctor.json<{ checks: { name: string; status: string; detail: string }[] }>();
  const t = checks.checks.find((c) => c.name === "templates")!;
  assertEquals(t.status, "error", t.detail);
  // Put where includes are read from, it is found.
  await Deno.mkdir(where, { recursive: true });
  await Deno.copyFile(`${mine}/common.css`, `${where}/common.css`);
  assertEquals((await runCli(home, ["next"])).code, 0);
});
