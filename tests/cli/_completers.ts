// Drives bash, zsh and fish through varietal's completion scripts (each skipped with a
// message when it is not installed), for the completion tests.
import { which } from "../_helpers/which.ts";
import { assertEquals } from "../_helpers/assert.ts";
import { ROOT, RUN_FLAGS, type TempHome } from "../_helpers/env.ts";
import {
  bashScript,
  type CompletionNode,
  completionTree,
  fishScript,
  zshScript,
} from "../../src/cli/completions.ts";

const nodes: CompletionNode[] = await completionTree();

export const shq = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** The words sorted, to compare offers whose order does not matter. */
export const sorted = (xs: Iterable<string>) => [...xs].sort();

/**
 * A folder holding a `varietal` command for the shells to find on PATH: this checkout
 * (`body` unset), or a stand-in script.
 */
export async function binDir(home: TempHome, body?: string): Promise<string> {
  const bin = `${home.root}/bin`;
  await Deno.mkdir(bin, { recursive: true });
  const run = [Deno.execPath(), "run", "-q", ...RUN_FLAGS, `${ROOT}/main.ts`].map(shq).join(" ");
  await Deno.writeTextFile(`${bin}/varietal`, `#!/bin/sh\n${body ?? `exec ${run} "$@"`}\n`, {
    mode: 0o700,
  });
  return bin;
}

/** Runs a shell to the end and returns its stdout (a non-zero exit fails the test). */
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

/** The shells' environment: the home's, with `bin` first on PATH. */
function shellEnv(home: TempHome, bin: string): Record<string, string> {
  return { ...home.env, PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}` };
}

/** What each shell offers for a command line (typed up to the cursor). */
export interface Completer {
  name: string;
  offers(line: string): Promise<string[]>;
}

/**
 * bash's completion function called directly: what it puts in COMPREPLY. Files and
 * folders that readline completes itself are not there (see {@linkcode bashReadline}).
 */
async function bashCompleter(
  home: TempHome,
  bin: string,
  cwd: string,
): Promise<Completer | undefined> {
  const bash = await which("bash");
  if (!bash) return undefined;
  const file = `${home.root}/varietal.bash`;
  await Deno.writeTextFile(file, bashScript(nodes));
  return {
    name: "bash",
    async offers(line) {
      // COMP_WORDS as bash splits the line (a trailing space starts an empty word; "=" is its own).
      const words = line.replace(/=/g, " = ").split(/ +/);
      const script = `source ${shq(file)}
COMP_WORDS=(${words.map(shq).join(" ")}); COMP_CWORD=${words.length - 1}; COMPREPLY=()
_varietal; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const out = await shell(bash, ["-c", script], shellEnv(home, bin), cwd);
      return out.split("\n").filter((l) => l !== "");
    },
  };
}

async function fishCompleter(
  home: TempHome,
  bin: string,
  cwd: string,
): Promise<Completer | undefined> {
  const fish = await which("fish");
  if (!fish) return undefined;
  const file = `${home.root}/varietal.fish`;
  await Deno.writeTextFile(file, fishScript(nodes));
  return {
    name: "fish",
    async offers(line) {
      const out = await shell(
        fish,
        ["--no-config", "-c", `source ${shq(file)}; complete -C ${shq(line)}`],
        shellEnv(home, bin),
        cwd,
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
async function zshCompleter(
  home: TempHome,
  bin: string,
  cwd: string,
): Promise<Completer | undefined> {
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
  return {
    name: "zsh",
    async offers(line) {
      await Deno.remove(hits).catch(() => {});
      await shell(zsh, ["-f", driver, line], shellEnv(home, bin), cwd);
      const text = await Deno.readTextFile(hits).catch(() => "");
      return [...new Set(text.split("\n").filter((l) => l !== ""))];
    },
  };
}

/**
 * The three shells (those installed) completing in `cwd` (default: the home's root),
 * each running the `varietal` of `bin`.
 */
export async function completers(
  home: TempHome,
  bin: string,
  cwd = home.root,
): Promise<Completer[]> {
  const all = [
    await bashCompleter(home, bin, cwd),
    await zshCompleter(home, bin, cwd),
    await fishCompleter(home, bin, cwd),
  ];
  for (const [i, name] of ["bash", "zsh", "fish"].entries()) {
    if (!all[i]) console.log(`skipped ${name}: it is not installed`);
  }
  return all.filter((c) => c !== undefined);
}

/** Keys for {@linkcode bashReadline}: Tab, and Meta-* (insert every completion). */
export const TAB = "\t", ALL = "\x1b*";

/**
 * An interactive bash on a pseudo-terminal (driven by zsh's zpty) with the script loaded:
 * `line(keys)` types the keys and returns the command line as readline left it (Ctrl-T,
 * bound to write it down, is no prefix key as Ctrl-X is). This is where readline's own
 * completion of files and folders, and its quoting of what it inserts, can be seen.
 * Undefined when bash or zsh is not installed.
 */
export async function bashReadline(
  home: TempHome,
  bin: string,
  cwd: string,
): Promise<{ line(keys: string): Promise<string> } | undefined> {
  const [bash, zsh] = [await which("bash"), await which("zsh")];
  if (!bash || !zsh) {
    console.log("skipped interactive bash: it needs bash and zsh (zpty)");
    return undefined;
  }
  const script = `${home.root}/varietal-rl.bash`;
  await Deno.writeTextFile(script, bashScript(nodes));
  const dump = `${home.root}/bash-line`;
  const init = `${home.root}/init.bash`;
  await Deno.writeTextFile(
    init,
    `source ${shq(script)}
bind 'set bell-style none'
bind 'set completion-query-items -1'
bind 'set page-completions off'
bind -x '"\\C-t": printf "%s" "$READLINE_LINE" > ${shq(dump)}'
cd ${shq(cwd)}
`,
  );
  const driver = `${home.root}/drive-bash.zsh`;
  await Deno.writeTextFile(
    driver,
    `zmodload zsh/zpty
zpty b ${shq(bash)} --norc --noprofile -i
zpty -w b "source ${init.replaceAll('"', '\\"')}; PS1='READ''Y> '"
local out
zpty -r -m b out '*READY> *'
zpty -w -n b "$1"$'\\C-t\\C-u'
zpty -w b "echo END-OF-""TEST"
zpty -r -m b out '*END-OF-TEST*'
zpty -d b
`,
  );
  return {
    async line(keys) {
      await Deno.remove(dump).catch(() => {});
      await shell(zsh, ["-f", driver, keys], shellEnv(home, bin), cwd);
      return await Deno.readTextFile(dump);
    },
  };
}

/**
 * An interactive zsh on a pseudo-terminal (zpty) with the script loaded: `line(keys)` types
 * the keys and returns the command line as the line editor left it (what a Tab inserted,
 * which the matches alone do not tell). Undefined when zsh is not installed.
 */
export async function zshLine(
  home: TempHome,
  bin: string,
  cwd: string,
): Promise<{ line(keys: string): Promise<string> } | undefined> {
  const zsh = await which("zsh");
  if (!zsh) {
    console.log("skipped interactive zsh: it is not installed");
    return undefined;
  }
  const script = `${home.root}/_varietal-line`;
  await Deno.writeTextFile(script, zshScript(nodes));
  const dump = `${home.root}/zsh-line`;
  const init = `${home.root}/init-line.zsh`;
  await Deno.writeTextFile(
    init,
    `autoload -U compinit && compinit -u -D
source ${shq(script)}
__dump() { print -rn -- "$BUFFER" > ${shq(dump)} }
zle -N __dump
bindkey '^T' __dump
bindkey '^I' complete-word
cd ${shq(cwd)}
`,
  );
  const driver = `${home.root}/drive-line.zsh`;
  await Deno.writeTextFile(
    driver,
    `zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "source ${init.replaceAll('"', '\\"')}; PS1='READ''Y> '"
local out
zpty -r -m z out '*READY> *'
zpty -w -n z "$1"$'\\C-t\\C-u'
zpty -w z "print END-OF-""TEST"
zpty -r -m z out '*END-OF-TEST*'
zpty -d z
`,
  );
  return {
    async line(keys) {
      await Deno.remove(dump).catch(() => {});
      await shell(zsh, ["-f", driver, keys], shellEnv(home, bin), cwd);
      return await Deno.readTextFile(dump);
    },
  };
}
