// The user's own names in completions: `varietal completions names remote|group`, and each
// shell's script offering them (bash, zsh and fish run for real when installed).
import { which } from "../_helpers/which.ts";
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { ROOT, RUN_FLAGS, runCli, type TempHome, tempHome } from "../_helpers/env.ts";
import { bashScript, completionTree, fishScript, zshScript } from "../../src/cli/completions.ts";

const nodes = await completionTree();

const REMOTES = ["nature", "space.apod-2"];
const GROUPS = ["late-night.2", "work"];

/** A home whose config.toml defines two remotes and two groups. */
async function namedHome(): Promise<TempHome> {
  const home = await tempHome();
  const dir = `${home.root}/pictures`;
  await Deno.mkdir(dir);
  await home.writeConfig([
    "[groups]",
    `work = [${JSON.stringify(dir)}]`,
    `"late-night.2" = [${JSON.stringify(dir)}]`,
    "",
    "[[remote]]",
    'name = "nature"',
    'kind = "wallhaven"',
    "",
    "[[remote]]",
    'name = "space.apod-2"',
    'kind = "apod"',
    "",
  ].join("\n"));
  return home;
}

const shq = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/**
 * A folder holding a `varietal` command for the shells to find on PATH: this checkout
 * (`body` unset), or a stand-in script.
 */
async function binDir(home: TempHome, body?: string): Promise<string> {
  const bin = `${home.root}/bin`;
  await Deno.mkdir(bin, { recursive: true });
  const run = [Deno.execPath(), "run", "-q", ...RUN_FLAGS, `${ROOT}/main.ts`].map(shq).join(" ");
  await Deno.writeTextFile(`${bin}/varietal`, `#!/bin/sh\n${body ?? `exec ${run} "$@"`}\n`, {
    mode: 0o700,
  });
  return bin;
}

async function shell(
  bin: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<string> {
  const o = await new Deno.Command(bin, {
    args,
    env,
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    // A shell that never finishes (e.g. zsh waiting for a prompt) fails the test, not hangs it.
    signal: AbortSignal.timeout(120_000),
  }).output();
  const d = new TextDecoder();
  assertEquals(o.code, 0, d.decode(o.stderr));
  return d.decode(o.stdout);
}

/** What each shell offers for a command line (typed up to the cursor). */
interface Completer {
  name: string;
  offers(line: string): Promise<string[]>;
}

async function bashCompleter(home: TempHome, bin: string): Promise<Completer | undefined> {
  const bash = await which("bash");
  if (!bash) return undefined;
  const file = `${home.root}/varietal.bash`;
  await Deno.writeTextFile(file, bashScript(nodes));
  const env = { ...home.env, PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}` };
  return {
    name: "bash",
    async offers(line) {
      // COMP_WORDS as bash splits the line (a trailing space starts an empty word; "=" is its own).
      const words = line.replace(/=/g, " = ").split(/ +/);
      const script = `source ${shq(file)}
COMP_WORDS=(${words.map(shq).join(" ")}); COMP_CWORD=${words.length - 1}; COMPREPLY=()
_varietal; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const out = await shell(bash, ["-c", script], env, home.root);
      return out.split("\n").filter((l) => l !== "");
    },
  };
}

async function fishCompleter(home: TempHome, bin: string): Promise<Completer | undefined> {
  const fish = await which("fish");
  if (!fish) return undefined;
  const file = `${home.root}/varietal.fish`;
  await Deno.writeTextFile(file, fishScript(nodes));
  const env = { ...home.env, PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}` };
  return {
    name: "fish",
    async offers(line) {
      const out = await shell(
        fish,
        [
          "--no-config",
          "-c",
          `source ${shq(file)}; complete -C ${shq(line)}`,
        ],
        env,
        home.root,
      );
      // fish repeats "--flag=" before a value completed after it.
      return out.split("\n").filter((l) => l !== "").map((l) =>
        l.split("\t")[0].replace(/^--[\w-]+=/, "")
      );
    },
  };
}

/**
 * zsh completes only in its line editor: a driver zsh runs an interactive one on a
 * pseudo-terminal (zpty), types the line and Tab, and a compadd wrapper writes down
 * every match the completion functions add.
 */
async function zshCompleter(home: TempHome, bin: string): Promise<Completer | undefined> {
  const zsh = await which("zsh");
  if (!zsh) return undefined;
  const script = `${home.root}/_varietal`;
  await Deno.writeTextFile(script, zshScript(nodes));
  const hits = `${home.root}/zsh-hits`;
  const init = `${home.root}/init.zsh`;
  await Deno.writeTextFile(
    init,
    `autoload -U compinit && compinit -u -D
source ${shq(script)}
compadd() {
  # Calls that only ask (-O, -A) or filter (-D) are not offers.
  if (( $argv[(I)-[OAD]] )); then builtin compadd "$@"; return; fi
  local -a added
  builtin compadd -A added "$@"
  print -rl -- $added >> ${shq(hits)}
  builtin compadd "$@"
}
bindkey '^I' complete-word
`,
  );
  const driver = `${home.root}/drive.zsh`;
  // The prompt is written in two pieces so that the echo of the command setting it
  // does not match the pattern that waits for it.
  await Deno.writeTextFile(
    driver,
    `zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "source ${init.replaceAll('"', '\\"')}; PS1='READ''Y> '"
local out
zpty -r -m z out '*READY> *'
zpty -w -n z "$1"$'\\t'
zpty -w -n z $'\\C-u'
zpty -w z "print END-OF-""TEST"
zpty -r -m z out '*END-OF-TEST*'
zpty -d z
`,
  );
  const env = { ...home.env, PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}` };
  return {
    name: "zsh",
    async offers(line) {
      await Deno.remove(hits).catch(() => {});
      await shell(zsh, ["-f", driver, line], env, home.root);
      const text = await Deno.readTextFile(hits).catch(() => "");
      return [...new Set(text.split("\n").filter((l) => l !== ""))];
    },
  };
}

async function completers(home: TempHome, bin: string): Promise<Completer[]> {
  const all = [
    await bashCompleter(home, bin),
    await zshCompleter(home, bin),
    await fishCompleter(home, bin),
  ];
  for (const [i, name] of ["bash", "zsh", "fish"].entries()) {
    if (!all[i]) console.log(`skipped ${name}: it is not installed`);
  }
  return all.filter((c) => c !== undefined);
}

const sorted = (xs: readonly string[]) => [...xs].sort();

Deno.test("the specs say where remote and group names complete", () => {
  const at = (path: string) => nodes.find((n) => n.path === path)!;
  for (const path of ["fetch", "remote remove", "remote enable", "remote disable"]) {
    assertEquals(at(path).positional, "remote", path);
  }
  assertEquals(at("remote add").positional, "none", "a new remote's name is not an old one");
  for (const path of ["next", "select", "daemon"]) {
    const group = at(path).options.find((o) => o.name === "group");
    assertEquals(group?.spec.complete, "group", path);
  }
  assertEquals(at("completions names").positional, ["remote", "group", "template"]);
  assertEquals(at("theme render").positional, "template");
});

Deno.test("completions names prints the remotes and groups of config.toml, one a line or JSON", async () => {
  await using home = await namedHome();
  const remotes = await runCli(home, ["completions", "names", "remote"]);
  assertEquals(remotes.code, 0, remotes.stderr);
  assertEquals(remotes.stdout, REMOTES.join("\n") + "\n");
  const groups = await runCli(home, ["completions", "names", "group"]);
  assertEquals(groups.stdout, GROUPS.join("\n") + "\n");
  const json = await runCli(home, ["completions", "names", "group", "--json"]);
  assertEquals(json.code, 0, json.stderr);
  assertEquals(json.json(), GROUPS);
  // It reads config.toml only: no database appears.
  assert(!(await Deno.stat(home.database).then(() => true, () => false)), "database created");
});

Deno.test("completions names template prints the built-in and configured template names", async () => {
  await using home = await tempHome();
  await home.writeConfig('[[templates]]\nname = "bar"\ntemplate = "bar.css"\ntarget = "~/b.css"\n');
  const r = await runCli(home, ["completions", "names", "template", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const names = r.json<string[]>();
  for (const n of ["bar", "kitty", "gtk4", "qt6ct"]) assert(names.includes(n), n);
  assertEquals(names, sorted(names));
});

Deno.test("completions names remote adds the remotes of 'remote add' from the database", async () => {
  await using home = await namedHome();
  const add = await runCli(home, ["remote", "add", "earth", "--kind", "reddit", "--query", "x"]);
  assertEquals(add.code, 0, add.stderr);
  const r = await runCli(home, ["completions", "names", "remote", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(r.json(), sorted(["earth", ...REMOTES]));
});

Deno.test("completions names: no config prints nothing; bad input fails quietly on stdout", async () => {
  await using home = await tempHome();
  for (const kind of ["remote", "group"]) {
    const r = await runCli(home, ["completions", "names", kind]);
    assertEquals([r.code, r.stdout, r.stderr], [0, "", ""], kind);
    const j = await runCli(home, ["completions", "names", kind, "--json"]);
    assertEquals(j.json(), []);
  }
  const bad = await runCli(home, ["completions", "names", "folder"]);
  assertEquals([bad.code, bad.stdout], [2, ""]);
  assertStringIncludes(
    bad.stderr,
    "unknown kind 'folder' (expected remote, group or template)",
  );
  const none = await runCli(home, ["completions", "names"]);
  assertEquals(none.code, 2);
  await home.writeConfig("[groups\n");
  const broken = await runCli(home, ["completions", "names", "group"]);
  assert(broken.code !== 0, "a broken config.toml is an error");
  assertEquals(broken.stdout, "");
  assertStringIncludes(broken.stderr, "config.toml");
  const help = await runCli(home, ["completions", "names", "--help"]);
  assertEquals(help.code, 0);
  assertStringIncludes(
    help.stdout,
    "Usage: varietal completions names [OPTIONS] remote|group|template",
  );
});

Deno.test("each shell offers remote names after fetch and remote SUB, group names after --group", async () => {
  await using home = await namedHome();
  const bin = await binDir(home);
  for (const c of await completers(home, bin)) {
    const check = async (line: string, expected: readonly string[]) =>
      assertEquals(sorted(await c.offers(line)), sorted(expected), `${c.name}: ${line}`);
    await check("varietal fetch ", REMOTES);
    await check("varietal fetch s", ["space.apod-2"]);
    await check("varietal fetch nature ", REMOTES);
    await check("varietal remote disable ", REMOTES);
    await check("varietal next --group ", GROUPS);
    await check("varietal select --group=w", ["work"]);
    await check("varietal completions names ", ["group", "remote", "template"]);
    // Template names (built-in and configured) and files after theme render.
    await check("varietal theme render k", ["kitty"]);
    await check("varietal theme render gtk", ["gtk", "gtk3", "gtk4"]);
  }
});

Deno.test("each shell offers names with spaces and quotes as words, never running them", async () => {
  await using home = await tempHome();
  // config.toml does not allow such names; a stand-in varietal prints them.
  const names = ["two words", "it's", "$(touch pwned)", "semi;colon"];
  const bin = await binDir(home, `printf '%s\\n' ${names.map(shq).join(" ")}`);
  for (const c of await completers(home, bin)) {
    const offered = await c.offers("varietal fetch ");
    // bash and zsh offer each quoted as it goes on the line; fish quotes when it inserts.
    const quoted = c.name !== "fish";
    const expected = quoted
      ? ["two\\ words", "it\\'s", "\\$\\(touch\\ pwned\\)", "semi\\;colon"]
      : names;
    assertEquals(sorted(offered), sorted(expected), c.name);
    const tw = await c.offers("varietal fetch tw");
    assertEquals(tw, [quoted ? "two\\ words" : "two words"], c.name);
    assert(!(await Deno.stat(`${home.root}/pwned`).then(() => true, () => false)), c.name);
  }
});
