// The README's first command: `deno task demo` must exit 0 on a fresh machine.
import { assertEquals, assertStringIncludes } from "./_helpers/assert.ts";
import { ROOT } from "./_helpers/env.ts";

Deno.test("deno task demo runs the whole chain on generated wallpapers and exits 0", async () => {
  const tasks = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`)).tasks as Record<
    string,
    string
  >;
  // Run exactly the task's command line (its permissions), not a looser one.
  const argv = tasks.demo.split(/\s+/).slice(1);
  const out = await new Deno.Command(Deno.execPath(), {
    args: argv,
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  assertEquals(out.code, 0, `${stdout}\n${stderr}`);
  assertStringIncludes(stdout, "Painted 12 sample wallpapers");
  assertStringIncludes(stdout, "12 added");
  assertStringIncludes(stdout, "▶ Done\n");
});
