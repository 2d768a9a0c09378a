// wordexpWord (the inner layer of the `sway_path` filter) against the real
// expanders: the C library's wordexp(3) with the flags sway passes (0: command
// substitution allowed), and bash's own word expansion through `eval`. Both run
// in a temporary folder holding files a glob would match; neither may run a
// command or give back anything but the one original word.
import { assert, assertEquals } from "../_helpers/assert.ts";
import fc from "../_helpers/fc.ts";
import { asWritten, HOSTILE_NAMES, MARK } from "../_helpers/hostile_names.ts";
import { wordexpWord } from "../../src/theme/quoting.ts";

const SPECIAL = [..."\n\r\t\x1b\x7f\u0085\u2028 \\\"'$`;#{}[]()*?~<>|&!%="];
const samples = () => [
  ...HOSTILE_NAMES.map((h) => h.path),
  ...fc.sample(
    fc.string({
      unit: fc.oneof(
        fc.constantFrom(...SPECIAL),
        fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }),
      ),
      minLength: 1,
      maxLength: 20,
    }),
    { numRuns: 150 },
  ),
];

const WORDEXP_C = `#include <stdio.h>
#include <wordexp.h>
int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    wordexp_t p;
    int r = wordexp(argv[i], &p, 0);
    if (r != 0) { printf("error %d", r); putchar(0); continue; }
    printf("%zu", p.we_wordc); putchar(0);
    for (size_t j = 0; j < p.we_wordc; j++) { fputs(p.we_wordv[j], stdout); putchar(0); }
    wordfree(&p);
  }
  return 0;
}
`;

async function sandbox(): Promise<string> {
  const dir = await Deno.makeTempDir();
  for (const f of ["a", "b", "x.jpg"]) await Deno.writeTextFile(`${dir}/${f}`, "");
  return dir;
}

function env(dir: string): Record<string, string> {
  return { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: dir, IFS: " \t\n" };
}

async function hasCompiler(): Promise<boolean> {
  try {
    return (await new Deno.Command("cc", { args: ["--version"], stdout: "null", stderr: "null" })
      .output()).success;
  } catch {
    return false;
  }
}

Deno.test("wordexpWord: the C library's wordexp(3) gives back each name as one word", async () => {
  if (!(await hasCompiler())) {
    console.log("skipped: no C compiler (cc) to build a wordexp(3) driver");
    return;
  }
  const dir = await sandbox();
  try {
    await Deno.writeTextFile(`${dir}/wordexp.c`, WORDEXP_C);
    const cc = await new Deno.Command("cc", { args: ["-o", "wordexp", "wordexp.c"], cwd: dir })
      .output();
    assertEquals(cc.code, 0, new TextDecoder().decode(cc.stderr));
    const values = samples();
    const r = await new Deno.Command(`${dir}/wordexp`, {
      args: values.map(wordexpWord),
      cwd: dir,
      env: env(dir),
      clearEnv: true,
    }).output();
    assertEquals(r.code, 0);
    const out = new TextDecoder().decode(r.stdout).split("\0");
    const got: string[][] = [];
    while (out.length > 1) {
      const head = out.shift()!;
      got.push(/^\d+$/.test(head) ? out.splice(0, Number(head)) : [head]);
    }
    assertEquals(got, values.map((v) => [asWritten(v)]));
    await Deno.stat(`${dir}/${MARK}`).then(() => assert(false, "wordexp ran a command"), () => {});
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("wordexpWord: bash's word expansion gives back each name as one word", async () => {
  const dir = await sandbox();
  try {
    const values = samples();
    const script = values.map((v) =>
      `eval "set -- ${wordexpWord(v).replace(/["\\$`]/g, "\\$&")}"
printf '%s\\0' "$#" "$@"`
    ).join("\n");
    await Deno.writeTextFile(`${dir}/expand.sh`, script + "\n");
    const r = await new Deno.Command("bash", {
      args: ["./expand.sh"],
      cwd: dir,
      env: env(dir),
      clearEnv: true,
    }).output();
    assertEquals(r.code, 0, new TextDecoder().decode(r.stderr));
    const out = new TextDecoder().decode(r.stdout).split("\0").slice(0, -1);
    assertEquals(out, values.flatMap((v) => ["1", asWritten(v)]));
    await Deno.stat(`${dir}/${MARK}`).then(() => assert(false, "bash ran a command"), () => {});
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
