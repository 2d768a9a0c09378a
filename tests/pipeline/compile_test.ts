// `deno task compile`: its flags match the varietal task's, and (where Deno's runtime can be
// downloaded) the binary it builds runs the pipeline. Skips, saying why, only when the runtime
// download is unavailable.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { ROOT, RUN_FLAGS, tempHome } from "../_helpers/env.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";

interface DenoJson {
  tasks: Record<string, string>;
}

const tasks = (JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`)) as DenoJson).tasks;
const words = (task: string) => task.split(/\s+/).filter(Boolean);
const permissions = (task: string) => words(task).filter((w) => w.startsWith("--allow-")).sort();

Deno.test("compile task uses the varietal task's permissions and ships the templates", () => {
  const compile = words(tasks.compile);
  assertEquals(compile.slice(0, 2), ["deno", "compile"]);
  assertEquals(permissions(tasks.compile), permissions(tasks.varietal));
  assert(!compile.some((w) => /^--allow-(net|ffi|all)|^-A$/.test(w)), "too broad");
  const included = compile.flatMap((w, i) => w === "--include" ? [compile[i + 1]] : []);
  assert(included.some((p) => p.replace(/\/$/, "") === "templates"), "templates/ not included");
  // Command modules, the config parser and the extract worker are imported by URLs built at
  // run time (to keep start-up fast), so compile must be told to include the sources.
  assert(included.some((p) => p.replace(/\/$/, "") === "src"), "src/ not included");
  assertEquals(compile[compile.indexOf("--output") + 1], "dist/varietal");
  assertEquals(compile.at(-1), "main.ts");
});

Deno.test("every task that runs varietal's code gives V8 the same flags as the launcher", () => {
  // Deno's code cache is kept per module with V8's flags: a module run with other flags
  // finds its cache refused and rewrites it, so mixed flags would make both ways slow.
  const v8 = (task: string) => words(task).filter((w) => w.startsWith("--v8-flags="));
  const expected = RUN_FLAGS.filter((w) => w.startsWith("--v8-flags="));
  assertEquals(expected, ["--v8-flags=--no-lazy"]);
  for (
    const name of ["varietal", "next", "daemon", "demo", "test", "test:doc", "bench", "compile"]
  ) {
    assertEquals(v8(tasks[name]), expected, `the ${name} task`);
  }
});

/** Errors that mean "could not download the runtime", not "the program does not compile". */
const NO_DOWNLOAD =
  /denort|dns error|failed to lookup address|error sending request|Connect|network/i;

Deno.test("compiled binary runs next with the same narrow permissions", async () => {
  await using home = await tempHome();
  const out = `${home.root}/bin/varietal`;
  const args = words(tasks.compile).slice(1);
  args[args.indexOf("--output") + 1] = out;
  const built = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env: home.env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(built.stderr);
  if (built.code !== 0) {
    if (NO_DOWNLOAD.test(err)) {
      console.log(
        `skipped: deno compile could not download Deno's runtime here (${
          err.split("\n").find((l) => /error sending request|dns error|failed to lookup/i.test(l))
            ?.trim() ?? err.split("\n")[0]
        })`,
      );
      return;
    }
    throw new Error(`deno compile failed:\n${err}`);
  }
  const run = async (a: string[]) => {
    const r = await new Deno.Command(out, {
      args: a,
      env: home.env,
      stdout: "piped",
      stderr: "piped",
    })
      .output();
    const dec = new TextDecoder();
    return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
  };
  assertStringIncludes((await run(["--version"])).stdout, "varietal");
  const pics = `${home.root}/pics`;
  await writeImage(`${pics}/a.png`, {
    width: 40,
    height: 30,
    colors: [COLORS.navy, COLORS.orange],
  });
  assertEquals((await run(["sources", "add", pics])).code, 0);
  assertEquals((await run(["scan"])).code, 0);
  const next = await run(["next", "--setter", "none", "--json"]);
  assertEquals(next.code, 0, next.stderr);
  const j = JSON.parse(next.stdout) as { path: string; palette: { colors: string[] } };
  assertEquals(j.path, `${pics}/a.png`);
  assertEquals(j.palette.colors.length, 16);
  const theme = await Deno.readDir(`${home.env.XDG_CACHE_HOME}/varietal/theme`);
  let files = 0;
  for await (const _ of theme) files++;
  assert(files > 0, "the built-in templates were not shipped in the binary");
});
