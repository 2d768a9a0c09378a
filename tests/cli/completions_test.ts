import { which } from "../_helpers/which.ts";
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { ROOT, RUN_FLAGS, runCli, tempHome } from "../_helpers/env.ts";
import { COMMANDS } from "../../src/cli/registry.ts";
import {
  bashScript,
  type CompletionNode,
  completionTree,
  fishScript,
  spec as completionsSpec,
  zshScript,
} from "../../src/cli/completions.ts";
import { renderHelp } from "../../src/cli/_help.ts";

const nodes = await completionTree();

async function sh(
  shell: string,
  args: string[],
  stdin?: string,
): Promise<{ code: number; out: string; err: string }> {
  // An empty home of its own: fish makes its config folders in HOME even with --no-config.
  const home = await Deno.makeTempDir({ prefix: "varietal-shell-home-" });
  try {
    const child = new Deno.Command(shell, {
      args,
      stdin: stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
      env: { HOME: home, PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" },
    }).spawn();
    if (stdin !== undefined) {
      const w = child.stdin.getWriter();
      await w.write(new TextEncoder().encode(stdin));
      await w.close();
    }
    const o = await child.output();
    const d = new TextDecoder();
    return { code: o.code, out: d.decode(o.stdout), err: d.decode(o.stderr) };
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

async function scriptFile(text: string, ext: string): Promise<string> {
  const f = await Deno.makeTempFile({ prefix: "varietal-completion-", suffix: ext });
  await Deno.writeTextFile(f, text);
  return f;
}

const leafFlags = (n: CompletionNode) => n.options.map((o) => o.name);

// A flag with a closed set of values, wherever one is declared (e.g. next --setter).
const chooser =
  nodes.flatMap((n) =>
    n.options.filter((o) => o.spec.choices && n.path && !n.subs.length).map((o) => ({
      path: n.path,
      flag: `--${o.name}`,
      choices: [...o.spec.choices!],
    }))
  )[0];
const prefix = chooser?.choices[0].slice(0, 1) ?? "";
const matching = chooser?.choices.filter((c) => c.startsWith(prefix)) ?? [];

Deno.test("completionTree() covers every registered command and subcommand", () => {
  const paths = new Set(nodes.map((n) => n.path));
  for (const c of COMMANDS) assert(paths.has(c.name), `missing ${c.name}`);
  assert(paths.has("completions bash") && paths.has("sources add") && paths.has("stats"));
  const stats = nodes.find((n) => n.path === "stats")!;
  assertEquals(leafFlags(stats).sort(), ["help", "json", "top"]);
});

for (
  const [shell, make, flagText] of [
    ["bash", bashScript, (f: string) => `--${f}`],
    ["zsh", zshScript, (f: string) => `--${f}`],
    ["fish", fishScript, (f: string) => `-l ${f}`],
  ] as const
) {
  Deno.test(`${shell}Script() names every command and flag and parses with ${shell} -n`, async () => {
    const text = make(nodes);
    for (const c of COMMANDS) assertStringIncludes(text, c.name);
    for (const n of nodes) {
      for (const f of leafFlags(n)) assertStringIncludes(text, flagText(f), `${n.path} --${f}`);
      for (const s of n.subs) assertStringIncludes(text, s.name);
    }
    const bin = await which(shell);
    if (!bin) {
      console.log(`skipped the ${shell} -n check: ${shell} is not installed`);
      return;
    }
    const file = await scriptFile(text, `.${shell}`);
    try {
      const r = await sh(bin, ["-n", file]);
      assertEquals(r.code, 0, r.err);
    } finally {
      await Deno.remove(file);
    }
  });
}

Deno.test("the bash script completes commands, subcommands, flags and flag values", async () => {
  const bash = await which("bash");
  if (!bash) return console.log("skipped: bash is not installed");
  const file = await scriptFile(bashScript(nodes), ".bash");
  try {
    const harness = `source ${file}
t() { COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _varietal; echo "\${COMPREPLY[*]}"; }
t varietal st
t varietal stats --
t varietal sources ""
t varietal sources add --no
t varietal completions ""
t varietal ${chooser.path} ${chooser.flag} ${prefix}
t varietal ${chooser.path} ${chooser.flag}=${prefix}
t varietal ${chooser.path} ${chooser.flag} = ${prefix}
t varietal ${chooser.path} ${chooser.flag} =
t varietal ${chooser.path} ${chooser.flag} = ${chooser.choices[0]} --hel
t varietal ${chooser.path} ${chooser.flag} ${chooser.choices[0]} --hel
cd "$(mktemp -d)" && mkdir default-folder
t varietal sources order def
t varietal sources order default-folder seq
t varietal sources move default-f
t varietal ban cur
`;
    const r = await sh(bash, [], harness);
    assertEquals(r.code, 0, r.err);
    assertEquals(r.out.trimEnd().split("\n"), [
      "status stats",
      "--json --top --help",
      "list add order remove move enable disable",
      "--no-recursive",
      "bash zsh fish names",
      matching.join(" "),
      matching.join(" "),
      matching.join(" "),
      chooser.choices.join(" "),
      "--help",
      "--help",
      "default-folder default",
      "sequential",
      "default-folder",
      "current",
    ]);
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("the fish script completes commands, subcommands and flag values", async () => {
  const fish = await which("fish");
  if (!fish) return console.log("skipped: fish is not installed");
  const file = await scriptFile(fishScript(nodes), ".fish");
  try {
    const ask = (line: string) =>
      sh(fish, ["--no-config", "-c", `source ${file}; complete -C '${line}'`]).then((r) => {
        assertEquals(r.code, 0, r.err);
        return r.out.trimEnd().split("\n").map((l) => l.split("\t")[0]);
      });
    assertEquals((await ask("varietal stat")).sort(), ["stats", "status"]);
    assertEquals((await ask("varietal stats --")).sort(), ["--help", "--json", "--top"]);
    assertEquals(await ask("varietal sources a"), ["add"]);
    assertEquals((await ask("varietal completions ")).sort(), ["bash", "fish", "names", "zsh"]);
    assertEquals(await ask("varietal sources order /nonexistent seq"), ["sequential"]);
    assertEquals(await ask("varietal favorite cur"), ["current"]);
    assertEquals(await ask("varietal sources move /e"), ["/etc/"]);
    assertEquals(
      (await ask(`varietal ${chooser.path} ${chooser.flag} ${prefix}`)).sort(),
      [...matching].sort(),
    );
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("the zsh script loads and registers _varietal with compdef", async () => {
  const zsh = await which("zsh");
  if (!zsh) return console.log("skipped: zsh is not installed");
  const file = await scriptFile(zshScript(nodes), ".zsh");
  try {
    const r = await sh(zsh, [
      "-f",
      "-c",
      `autoload -U compinit && compinit -u -D && source ${file} && print -r -- $_comps[varietal]`,
    ]);
    assertEquals(r.code, 0, r.err);
    assertEquals(r.out.trim(), "_varietal");
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("varietal completions SHELL prints the script; a bad shell is a usage error", async () => {
  await using home = await tempHome();
  const r = await runCli(home, ["completions", "bash"]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(r.stdout, bashScript(nodes));
  const bad = await runCli(home, ["completions", "tcsh"]);
  assertEquals(bad.code, 2);
  assertStringIncludes(bad.stderr, "unknown subcommand 'tcsh'");
  const none = await runCli(home, ["completions"]);
  assertEquals(none.code, 2);
});

/** Runs install lines with bash in a fresh home, and checks the script is where they wrote it. */
async function installs(bash: string, lines: string): Promise<void> {
  await using home = await tempHome();
  // A fresh account: none of the folders the lines write into exist yet.
  for (const d of [".local", ".config"]) {
    await Deno.remove(`${home.home}/${d}`, { recursive: true });
  }
  // `varietal` is this checkout, as the install route puts it on PATH.
  const stub = `varietal() { ${
    [Deno.execPath(), "run", "-q", ...RUN_FLAGS, `${ROOT}/main.ts`].map(shq).join(" ")
  } "$@"; }`;
  const child = await new Deno.Command(bash, {
    args: ["-c", `set -eo pipefail\n${stub}\n${lines}`],
    env: { ...home.env, PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" },
    cwd: home.root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(child.stderr);
  assertEquals(child.code, 0, `${lines}\n${err}`);
  // Where the lines wrote, as the shell expands it (its own $d, the XDG folders, ~).
  const d = /^d="([^"]+)"/.exec(lines)?.[1];
  const expand = (p: string) =>
    p.replace(/^"\$d\//, `${d}/`).replace(/"$/, "")
      .replace("${XDG_DATA_HOME:-$HOME/.local/share}", home.env.XDG_DATA_HOME)
      .replace("${XDG_CONFIG_HOME:-$HOME/.config}", home.env.XDG_CONFIG_HOME)
      .replace(/^~/, home.home);
  const target = expand(/> (\S+)/.exec(lines)![1]);
  const shell = /completions (\w+)/.exec(lines)![1] as keyof typeof MARKER;
  assertStringIncludes(await Deno.readTextFile(target), MARKER[shell], lines);
}

/** What each script starts with. */
const MARKER = { bash: "complete -F", zsh: "#compdef varietal", fish: "complete -c varietal" };

Deno.test("each completion install line of the README works as written in a fresh home", async () => {
  const bash = await which("bash");
  if (!bash) {
    console.log("skipped: bash is not installed");
    return;
  }
  const readme = await Deno.readTextFile(`${ROOT}/README.md`);
  const lines = readme.split("\n").filter((l) =>
    /\bvarietal completions (bash|zsh|fish)\b.*>/.test(l)
  );
  assertEquals(
    lines.map((l) => /completions (\w+)/.exec(l)![1]).sort(),
    ["bash", "fish", "zsh"],
    "one install line per shell",
  );
  for (const line of lines) await installs(bash, line);
});

Deno.test("the install lines of 'completions SHELL --help' work as shown in a fresh home", async () => {
  const bash = await which("bash");
  if (!bash) {
    console.log("skipped: bash is not installed");
    return;
  }
  for (const shell of ["bash", "zsh", "fish"] as const) {
    const help = renderHelp(
      completionsSpec.subcommands!.find((s) => s.name === shell)!,
      `completions ${shell}`,
    );
    // The examples as a user copies them: the lines under "Examples:", unindented.
    const lines = help.split("\nExamples:\n")[1].split("\n").map((l) => l.slice(2)).join("\n");
    assertStringIncludes(lines, `varietal completions ${shell} >`);
    await installs(bash, lines);
  }
});

Deno.test("completions --help names every kind of name the scripts offer", () => {
  const text = renderHelp(completionsSpec, "completions").replace(/\s+/g, " ");
  assertStringIncludes(text, "your remote, group and template names and wallpaper folders");
});

function shq(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}
