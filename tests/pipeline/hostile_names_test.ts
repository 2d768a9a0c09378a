// A wallpaper whose file name holds newlines, an escape sequence and shell syntax,
// end to end: text output shows it on one visible line, --json keeps it exact, and
// the sway and shell built-ins written by `next` read it back without running it.
// deno-lint-ignore-file no-control-regex -- the test looks for control characters
import { assert, assertEquals } from "../_helpers/assert.ts";
import { MARK } from "../_helpers/hostile_names.ts";
import { outputBackground, readSwayConfig } from "../_helpers/sway_reader.ts";
import { printable } from "../../src/text/printable.ts";
import { fixture } from "./_fixture.ts";

Deno.test("a hostile file name: one visible line in text output, exact in JSON and in themes", async () => {
  await using f = await fixture({
    images: 2,
    config: `
[[templates]]
template = "sway"
target = "OUT/sway.conf"

[[templates]]
template = "colors-sh"
target = "OUT/colors.sh"
`,
  });
  const out = `${f.home.root}/out`;
  const config = await Deno.readTextFile(f.home.configFile);
  await Deno.writeTextFile(f.home.configFile, config.replaceAll("OUT/", `${out}/`));
  const dir = `${f.pics}/x\nexec touch ${MARK}\n`;
  const path = `${dir}/$(touch ${MARK}) \x1b[31mred\x07\t.png`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.copyFile(f.images[0], path);
  assertEquals((await f.cli(["scan"])).code, 0);

  const shown = printable(path);
  assert(!/[\x00-\x1f\x7f]/.test(shown));
  const next = await f.cli(["next", "--image", path]);
  assertEquals(next.code, 0, next.stderr);
  assertEquals(next.stdout, `${shown}\n`);
  const json = await f.cli(["current", "--json"]);
  assertEquals(json.json<{ path: string }[]>()[0].path, path);
  for (
    const args of [["current"], ["history"], ["select", "-n", "3"], ["favorite"]]
  ) {
    const r = await f.cli(args);
    assertEquals(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
    const lines = r.stdout.split("\n").filter(Boolean);
    assert(lines.some((l) => l.endsWith(shown)), `${args.join(" ")}: ${r.stdout}`);
    assert(!/[\x00-\x08\x0b-\x1f\x7f]/.test(r.stdout), `${args.join(" ")} printed a control`);
    assertEquals(r.stdout.split("\n").length - 1, lines.length);
  }

  const sway = readSwayConfig(await Deno.readTextFile(`${out}/sway.conf`));
  const bg = sway.filter((c) => c.argv[0] === "output");
  assertEquals(bg.length, 1);
  assertEquals(outputBackground(bg[0].argv).path, path);
  assertEquals(sway.filter((c) => !c.argv[0].startsWith("client.") && c.argv[0] !== "output"), []);

  const sh = await new Deno.Command("bash", {
    args: ["-c", `. "${out}/colors.sh"; printf %s "$wallpaper"`],
    cwd: f.home.root,
  }).output();
  assertEquals(new TextDecoder().decode(sh.stdout), path);
  for (const where of [f.home.root, f.home.home, f.pics]) {
    await Deno.stat(`${where}/${MARK}`).then(() => assert(false, "a command ran"), () => {});
  }
});

Deno.test("error messages on stderr show control characters escaped", async () => {
  await using f = await fixture({ images: 1 });
  const r = await f.cli(["next", "--image", `${f.pics}/no\nsuch\x1b[2J.png`]);
  assert(r.code !== 0);
  assert(r.stderr.includes(String.raw`such\x1b[2J.png`), r.stderr);
  assertEquals(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
});

Deno.test("a hostile folder name: sources and config show print it escaped, on one line", async () => {
  await using f = await fixture({ images: 1 });
  const dir = `${f.home.root}/x\nexec touch ${MARK}\n\x1b[31mred`;
  await Deno.mkdir(dir, { recursive: true });
  const shown = printable(dir);
  for (
    const args of [
      ["sources", "add", dir],
      ["sources", "list"],
      ["sources", "order", dir, "shuffle"],
      ["sources", "disable", dir],
      ["sources", "enable", dir],
      ["config", "show"],
      ["sources", "remove", dir],
    ]
  ) {
    const r = await f.cli(args);
    assertEquals(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
    assert(r.stdout.includes(shown), `${args.join(" ")}: ${r.stdout}`);
    assert(!/[\x00-\x08\x0b-\x1f\x7f]/.test(r.stdout), `${args.join(" ")} printed a control`);
    assert(!r.stdout.includes(`\nexec touch`), `${args.join(" ")} broke a line: ${r.stdout}`);
  }
});

Deno.test("a hostile name among scan's skipped files is printed escaped", async () => {
  await using f = await fixture({ images: 1 });
  const link = `${f.pics}/gone\n\x1b[2Jlink.png`;
  await Deno.symlink(`${f.home.root}/nowhere.png`, link);
  const r = await f.cli(["scan"]);
  assertEquals(r.code, 0, r.stderr);
  assert(r.stdout.includes(`left out ${printable(link)}`), r.stdout);
  assert(!/[\x00-\x08\x0b-\x1f\x7f]/.test(r.stdout), `scan printed a control: ${r.stdout}`);
});
