// Shared flags (cli/_flags.ts): a flag name means the same thing in every command.
import { assertEquals } from "../_helpers/assert.ts";
import { COMMANDS } from "../../src/cli/registry.ts";
import type { CommandSpec, OptionSpec } from "../../src/cli/_command.ts";
import { runCli, tempHome } from "../_helpers/env.ts";
import { writeImage } from "../_helpers/images.ts";

/** What parsing and completion read from a flag (all but its help text). */
function shape(o: OptionSpec): string {
  const { description: _, ...rest } = o;
  return JSON.stringify(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)));
}

Deno.test("every flag name has one type, short name, value name, choices and completion across commands", async () => {
  const seen = new Map<string, Map<string, string[]>>();
  const walk = (s: CommandSpec, path: string) => {
    for (const [name, o] of Object.entries(s.options ?? {})) {
      const shapes = seen.get(name) ?? new Map<string, string[]>();
      shapes.set(shape(o), [...(shapes.get(shape(o)) ?? []), path]);
      seen.set(name, shapes);
    }
    for (const sub of s.subcommands ?? []) walk(sub, `${path} ${sub.name}`);
  };
  for (const c of COMMANDS) walk((await c.load()).spec, c.name);
  const drifted = [...seen].filter(([, shapes]) => shapes.size > 1)
    .map(([name, shapes]) =>
      `--${name}: ${[...shapes.values()].map((p) => p.join(",")).join(" vs ")}`
    );
  assertEquals(drifted, []);
  // The shared ones are really shared.
  for (const name of ["json", "setter", "wait", "quiet", "count", "image", "no-theme", "group"]) {
    assertEquals((seen.get(name)?.size ?? 0) === 1, true, `--${name} is used`);
  }
});

Deno.test("an empty argument (a script's unset variable) is a usage error, never the current folder", async () => {
  await using home = await tempHome();
  await home.writeConfig('[wallpaper]\nsetter = "none"\n');
  const dir = `${home.root}/walls`;
  await writeImage(`${dir}/a.png`, { width: 64, height: 48, colors: [0x336699] });
  assertEquals((await runCli(home, ["sources", "add", dir])).code, 0);
  for (
    const args of [["sources", "remove"], ["sources", "add"], ["backup"], ["favorite"], [
      "palette",
    ]]
  ) {
    const r = await runCli(home, [...args, ""], { cwd: dir });
    assertEquals(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assertEquals(
      r.stderr.split("\n")[0],
      `varietal: '${args.join(" ")}' was given an empty argument (an unset shell variable?); ` +
        `nothing was changed; see 'varietal ${args.join(" ")} --help'`,
    );
  }
  const list = await runCli(home, ["sources", "list", "--json"]);
  assertEquals(list.json<{ path: string }[]>().map((s) => s.path), [dir]);
  assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["a.png"], "no backup written there");
});
