// Shared flags (cli/_flags.ts): a flag name means the same thing in every command.
import { assertEquals } from "../_helpers/assert.ts";
import { COMMANDS } from "../../src/cli/registry.ts";
import type { CommandSpec, OptionSpec } from "../../src/cli/_command.ts";

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
