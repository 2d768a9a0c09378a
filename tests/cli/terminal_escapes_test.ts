// Text that comes from file names, folders and templates is printed escaped on stdout too (as on
// stderr): a name holding a terminal escape sequence cannot retitle or clear the terminal.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { runCli, tempHome } from "../_helpers/env.ts";
import { writeImage } from "../_helpers/images.ts";

// deno-lint-ignore no-control-regex -- control characters are what it looks for
const RAW = /[\x07\x1b\u0080-\u009f]/;
const EVIL = "x\x1b]0;PWNED\x07\x1b[2J";

Deno.test("doctor prints an offline folder's hostile name escaped", async () => {
  await using home = await tempHome();
  await home.writeConfig('[wallpaper]\nsetter = "none"\n');
  const dir = `${home.root}/walls${EVIL}`;
  await writeImage(`${dir}/a.png`, { width: 64, height: 48, colors: [0x336699] });
  assertEquals((await runCli(home, ["sources", "add", dir])).code, 0);
  await Deno.rename(dir, `${home.root}/moved`);
  const r = await runCli(home, ["doctor"]);
  assertStringIncludes(r.stdout, "walls");
  assertStringIncludes(r.stdout, String.raw`\x1b]0;PWNED`);
  assert(!RAW.test(r.stdout), JSON.stringify(r.stdout));
});

Deno.test("theme apply says a template's failure, which quotes a file name, on stderr and escaped", async () => {
  await using home = await tempHome();
  await home.writeConfig(`[wallpaper]
setter = "none"

[[templates]]
name = "bad"
template = "bad.txt"
target = "~/bad.txt"
`);
  const templates = `${home.env.XDG_CONFIG_HOME}/varietal/templates`;
  await Deno.mkdir(templates, { recursive: true });
  await Deno.writeTextFile(`${templates}/bad.txt`, "{{ wallpaper | lighten(0.1) }}\n");
  const image = await writeImage(`${home.root}/w/pic${EVIL}.png`, {
    width: 64,
    height: 48,
    colors: [0x336699, 0xcc8844],
  });
  const next = await runCli(home, ["next", "--image", image]);
  assertEquals(next.code, 1, next.stderr);
  const r = await runCli(home, ["theme", "apply"]);
  assertEquals(r.code, 1, r.stderr);
  // The failure is said on stderr (as `next` says it), naming the template; stdout lists the rest.
  assertStringIncludes(r.stderr, "varietal: theme: bad: ");
  assertStringIncludes(r.stdout, "1 failed");
  assert(!RAW.test(r.stdout + r.stderr), JSON.stringify(r.stdout + r.stderr));
});
