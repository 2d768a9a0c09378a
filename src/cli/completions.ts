// `varietal completions bash|zsh|fish`: completion scripts generated from the
// command specs in registry.ts, so every command and flag is covered. The user's own
// names (remotes, groups) come from `varietal completions names KIND` when completing.
import type { CommandSpec, CompletionKind, Invocation, OptionSpec } from "./_command.ts";
import { type Context, lazy } from "./_context.ts";
import { boolFlag, expectArgs } from "./_parse.ts";
import { EXIT, UsageError } from "./errors.ts";
import { COMMANDS } from "./registry.ts";
import { type Shell, SHELLS } from "../config/choices.ts";

const INSTALL: Record<Shell, string> = {
  bash: 'varietal completions bash > "${XDG_DATA_HOME:-$HOME/.local/share}/bash-completion/' +
    'completions/varietal"',
  zsh: "varietal completions zsh > ~/.zfunc/_varietal  # with fpath+=(~/.zfunc) before compinit",
  fish:
    'varietal completions fish > "${XDG_CONFIG_HOME:-$HOME/.config}/fish/completions/varietal.fish"',
};

/** The kinds of names `completions names` prints. */
export const NAME_KINDS = ["remote", "group", "template"] as const;
/** A kind of the user's own names. */
export type NameKind = typeof NAME_KINDS[number];

export const spec: CommandSpec = {
  name: "completions",
  summary: "Print a shell completion script (bash, zsh or fish)",
  description: "The script covers every command, subcommand, flag and flag value, and offers\n" +
    "your remote and group names, which it asks 'varietal completions names' for.",
  requireSub: true,
  subcommands: [
    ...SHELLS.map((shell) => ({
      name: shell,
      summary: `Print the ${shell} completion script`,
      examples: [INSTALL[shell]],
    })),
    {
      name: "names",
      summary: "Print your remote, group or template names, one a line (what the scripts offer)",
      args: "remote|group|template",
      complete: NAME_KINDS,
      description: "remote: the [[remote]] entries of config.toml and the remotes added with\n" +
        "'varietal remote add'; group: the [groups] of config.toml; template: the built-in\n" +
        "templates and the [[templates]] names. Reads no more than that (the database only\n" +
        "if it exists, read-only); prints nothing when there are none.",
      options: { json: { type: "boolean", description: "Print a JSON array of the names" } },
      examples: ["varietal completions names remote", "varietal completions names group --json"],
    },
  ],
  examples: Object.values(INSTALL),
};

/** A command or subcommand, flattened for the generators. */
export interface CompletionNode {
  /** "" for the top level, "cmd" or "cmd sub". */
  path: string;
  summary: string;
  /** Flags, including --help. */
  options: { name: string; spec: OptionSpec }[];
  /** Subcommand names and summaries (empty for leaves). */
  subs: { name: string; summary: string }[];
  /** What positional arguments complete to: a kind, a closed list of words, or nothing. */
  positional: CompletionKind | readonly string[] | "none";
  /** Words offered besides `positional` (e.g. the ORDER after `sources order`'s folders). */
  also: readonly string[];
}

const HELP: OptionSpec = { type: "boolean", short: "h", description: "Show help" };

function positional(s: CommandSpec): CompletionNode["positional"] {
  if (s.complete) return s.complete;
  const args = s.args;
  if (!args) return "none";
  if (/DIR|FOLDER/.test(args)) return "dir";
  if (/FILE|IMAGE|PATH|TEMPLATE/.test(args)) return "file";
  return "none";
}

function node(path: string, s: CommandSpec, inherit?: CommandSpec): CompletionNode {
  const leaf = inherit ?? s;
  return {
    path,
    summary: s.summary,
    options: [
      ...Object.entries(leaf.options ?? {}).filter(([, spec]) => !spec.aliasOf)
        .map(([name, spec]) => ({ name, spec })),
      { name: "help", spec: HELP },
    ],
    subs: (s.subcommands ?? []).map((x) => ({ name: x.name, summary: x.summary })),
    positional: positional(leaf),
    also: leaf.completeAlso ?? [],
  };
}

/**
 * Every command and subcommand of the registry, loading each module.
 *
 * @returns Nodes, top level first. A command with subcommands and a default
 * one carries the default's flags (they apply when no subcommand is given).
 */
export async function completionTree(): Promise<CompletionNode[]> {
  const nodes: CompletionNode[] = [{
    path: "",
    summary: "varietal",
    options: [
      { name: "help", spec: HELP },
      { name: "version", spec: { type: "boolean", short: "V", description: "Show the version" } },
    ],
    subs: COMMANDS.map((c) => ({ name: c.name, summary: c.summary })),
    positional: "none",
    also: [],
  }];
  for (const entry of COMMANDS) {
    const s = (await entry.load()).spec;
    const subs = s.subcommands ?? [];
    nodes.push(node(entry.name, s, subs.length && !s.requireSub ? subs[0] : undefined));
    for (const sub of subs) nodes.push(node(`${entry.name} ${sub.name}`, sub));
  }
  return nodes;
}

const flags = (o: { name: string; spec: OptionSpec }) => [
  `--${o.name}`,
  ...(o.spec.short ? [`-${o.spec.short}`] : []),
];

/** A completion target: a kind, a closed list of words, or nothing. */
type Target = CompletionNode["positional"];

const bashQ = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** The bash code that fills COMPREPLY for a target, from $cur. */
function bashAction(t: Target): string {
  if (typeof t !== "string") {
    return `mapfile -t COMPREPLY < <(compgen -W ${bashQ(t.join(" "))} -- "$cur")`;
  }
  switch (t) {
    case "dir":
      return `compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- "$cur")`;
    case "file":
      return `compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- "$cur")`;
    case "remote":
    case "group":
      return `_varietal_names ${t}`;
    case "template":
      return `_varietal_names template; compopt -o filenames 2>/dev/null; ` +
        `mapfile -t -O "\${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$cur")`;
    case "none":
      return "COMPREPLY=()";
  }
}

/** The bash completion script. */
export function bashScript(nodes: readonly CompletionNode[]): string {
  const q = bashQ;
  const valueCases: string[] = [];
  const completeCases: string[] = [];
  for (const n of nodes) {
    for (const o of n.options.filter((o) => o.spec.type === "string")) {
      const pats = flags(o).map((f) => q(`${n.path}:${f}`)).join("|");
      valueCases.push(`    ${pats}) return 0 ;;`);
      const values = o.spec.choices ?? o.spec.suggest;
      const action = values ? bashAction(values) : bashAction(o.spec.complete ?? "none");
      completeCases.push(`    ${pats}) ${action} ;;`);
    }
  }
  const flagCases = nodes.map((n) =>
    `    ${q(n.path)}) words=${q(n.options.flatMap(flags).join(" "))} ;;`
  );
  const subCases = nodes.filter((n) => n.subs.length).map((n) =>
    `    ${q(n.path)}) words=${q(n.subs.map((s) => s.name).join(" "))} ;;`
  );
  const posCases = nodes.filter((n) => n.positional !== "none").map((n) => {
    const also = n.also.length
      ? `; mapfile -t -O "\${#COMPREPLY[@]}" COMPREPLY < <(compgen -W ${
        q(n.also.join(" "))
      } -- "$cur")`
      : "";
    return `    ${q(n.path)}) ${bashAction(n.positional)}${also} ;;`;
  });
  return `# bash completion for varietal — generated by 'varietal completions bash'.
# Install: ${INSTALL.bash}

_varietal_takes_value() {
  case "$1:$2" in
${valueCases.join("\n") || "    '') ;;"}
  esac
  return 1
}

# Your remote or group names ($1) that start with $cur, from 'varietal completions names'
# at completion time; each is quoted for the command line, none is evaluated.
_varietal_names() {
  local name quoted
  COMPREPLY=()
  while IFS= read -r name; do
    [[ -n $name && $name == "$cur"* ]] || continue
    printf -v quoted '%q' "$name"
    COMPREPLY+=("$quoted")
  done < <(varietal completions names "$1" 2>/dev/null)
}

_varietal_subs() {
  local words=""
  case "$1" in
${subCases.join("\n") || "    '') ;;"}
  esac
  printf '%s' "$words"
}

_varietal() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" depth=0 i w skip=0 opt="" words subs
  COMPREPLY=()
  # bash splits "--flag=value" at "=" (COMP_WORDBREAKS): "--flag" "=" "value".
  [[ $cur == "=" ]] && cur=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ $w == "=" ]] && continue
    if ((skip)); then skip=0; continue; fi
    case "$w" in
      --*=*) continue ;;
      -*) _varietal_takes_value "$path" "$w" && skip=1 && opt="$w"; continue ;;
    esac
    subs=$(_varietal_subs "$path")
    if [[ -n $subs && " $subs " == *" $w "* && $depth -lt 2 ]]; then
      path="\${path:+$path }$w"
      depth=$((depth + 1))
    fi
  done
  if ((skip)); then
    case "$path:$opt" in
${completeCases.join("\n") || "      '') ;;"}
    esac
    return 0
  fi
  if [[ $cur == --*=* ]]; then
    local flag="\${cur%%=*}" value="\${cur#*=}"
    cur="$value"
    case "$path:$flag" in
${completeCases.join("\n") || "      '') ;;"}
    esac
    return 0
  fi
  if [[ $cur == -* ]]; then
    words=""
    case "$path" in
${flagCases.join("\n")}
    esac
    mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
    return 0
  fi
  subs=$(_varietal_subs "$path")
  if [[ -n $subs ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$subs" -- "$cur")
    [[ -z $path || \${#COMPREPLY[@]} -gt 0 ]] && return 0
  fi
  case "$path" in
${posCases.join("\n") || "    '') ;;"}
  esac
  return 0
}

complete -F _varietal varietal
`;
}

/** The zsh `_arguments` action for a target. */
function zshAction(t: Target): string {
  if (typeof t !== "string") return `(${t.join(" ")})`;
  switch (t) {
    case "dir":
      return "_files -/";
    case "file":
      return "_files";
    case "remote":
    case "group":
      // _arguments puts compadd options between the function and its last word.
      return `__varietal_names ${t}`;
    case "template":
      return "{__varietal_names template; _files}";
    case "none":
      return " ";
  }
}

/** The zsh completion script (a `#compdef` function file). */
export function zshScript(nodes: readonly CompletionNode[]): string {
  const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const desc = (s: string) => s.replace(/[[\]:\\]/g, (c) => `\\${c}`);
  const fn = (path: string) => `_varietal${path ? "_" + path.replace(/[^A-Za-z0-9]+/g, "_") : ""}`;
  const optSpec = (o: { name: string; spec: OptionSpec }): string => {
    const d = `[${desc(o.spec.description)}]`;
    let value = "";
    if (o.spec.type === "string") {
      const msg = desc(o.spec.value ?? "value");
      value = `:${msg}:${zshAction(o.spec.choices ?? o.spec.suggest ?? o.spec.complete ?? "none")}`;
    }
    const star = o.spec.multiple ? "*" : "";
    const long = `--${o.name}${o.spec.type === "string" ? "=" : ""}`;
    if (o.spec.short) {
      const excl = o.spec.multiple ? "" : `(-${o.spec.short} --${o.name})`;
      return `${q(excl)}${star ? "'*'" : ""}{-${o.spec.short},${long}}${q(d + value)}`;
    }
    return q(`${star}${long}${d}${value}`);
  };
  const out: string[] = [
    "#compdef varietal",
    "# zsh completion for varietal — generated by 'varietal completions zsh'.",
    `# Install: ${INSTALL.zsh}`,
    "",
    "# Your remote or group names (the last argument), from 'varietal completions names' at",
    "# completion time; the other arguments are compadd options from _arguments.",
    "__varietal_names() {",
    "  local -a names",
    '  names=(${(f)"$(varietal completions names ${argv[-1]} 2>/dev/null)"})',
    '  compadd "${(@)argv[1,-2]}" -a names',
    "}",
    "",
  ];
  for (const n of nodes) {
    out.push(`${fn(n.path)}() {`);
    if (n.subs.length) {
      out.push(
        `  local -a subs`,
        `  subs=(${n.subs.map((s) => q(`${s.name}:${desc(s.summary)}`)).join(" ")})`,
        `  if (( CURRENT == 2 )) && [[ $PREFIX != -* ]]; then`,
        `    _describe -t commands ${q(n.path ? `${n.path} subcommand` : "varietal command")} subs`,
        `    return`,
        `  fi`,
        `  case $words[2] in`,
      );
      for (const s of n.subs) {
        const child = n.path ? `${n.path} ${s.name}` : s.name;
        out.push(`    ${s.name}) shift words; (( CURRENT-- )); ${fn(child)}; return ;;`);
      }
      out.push(`  esac`);
      if (!n.path) {
        out.push(`  _arguments -s ${n.options.map(optSpec).join(" ")}`);
        out.push("}", "");
        continue;
      }
    }
    const what = typeof n.positional === "string" ? n.positional : "argument";
    const label = what === "dir" ? "folder" : what;
    let action = zshAction(n.positional);
    if (n.also.length) {
      // A brace action is evaluated: the kind's completion, then the words.
      const inner = action.startsWith("{") ? action.slice(1, -1) : action;
      action = `{${inner}; compadd -- ${n.also.join(" ")}}`;
    }
    const pos = n.positional === "none" ? "" : ` ${q(`*:${label}:${action}`)}`;
    out.push(`  _arguments -s -S ${n.options.map(optSpec).join(" ")}${pos}`);
    out.push("}", "");
  }
  out.push(`if [[ $zsh_eval_context[-1] == loadautofunc ]]; then`);
  out.push(`  _varietal "$@"`);
  out.push(`else`);
  out.push(`  compdef _varietal varietal`);
  out.push(`fi`);
  return out.join("\n") + "\n";
}

const fishQ = (s: string) => `'${s.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;

/** The fish `-a` argument for a target other than files and nothing. */
function fishWords(t: Exclude<Target, "file" | "none">): string {
  if (typeof t !== "string") return fishQ(t.join(" "));
  return t === "dir" ? "'(__fish_complete_directories)'" : `'(__varietal_names ${t})'`;
}

/** The fish completion script. */
export function fishScript(nodes: readonly CompletionNode[]): string {
  const q = fishQ;
  const valueCases = nodes.flatMap((n) =>
    n.options.filter((o) => o.spec.type === "string").map((o) =>
      `        case ${flags(o).map((f) => q(`${n.path}:${f}`)).join(" ")}\n            return 0`
    )
  );
  const subCases = nodes.filter((n) => n.subs.length).map((n) =>
    `        case ${q(n.path || "@")}\n            printf '%s\\n' ${
      n.subs.map((s) => q(s.name)).join(" ")
    }`
  );
  const out: string[] = [
    "# fish completion for varietal — generated by 'varietal completions fish'.",
    `# Install: ${INSTALL.fish}`,
    "",
    "function __varietal_takes_value",
    "    switch $argv[1]",
    ...valueCases,
    "    end",
    "    return 1",
    "end",
    "",
    "# Your remote or group names, from 'varietal completions names' at completion time.",
    "function __varietal_names",
    "    varietal completions names $argv[1] 2>/dev/null",
    "end",
    "",
    "function __varietal_subs",
    "    set -l p $argv[1]",
    '    test -z "$p"; and set p @',
    "    switch $p",
    ...subCases,
    "    end",
    "end",
    "",
    "# Prints the command path typed so far: '', 'cmd' or 'cmd sub'.",
    "function __varietal_path",
    "    set -l tokens (commandline -opc)",
    "    set -e tokens[1]",
    "    set -l path ''",
    "    set -l skip 0",
    "    for t in $tokens",
    "        if test $skip = 1",
    "            set skip 0",
    "            continue",
    "        end",
    "        switch $t",
    "            case '--*=*'",
    "                continue",
    "            case '-*'",
    '                __varietal_takes_value "$path:$t"; and set skip 1',
    "                continue",
    "        end",
    '        if contains -- $t (__varietal_subs "$path")',
    '            if test -z "$path"',
    "                set path $t",
    "            else",
    '                set path "$path $t"',
    "            end",
    "        end",
    "    end",
    "    echo $path",
    "end",
    "",
    "function __varietal_at",
    "    set -l p (__varietal_path)",
    '    test "$p" = "$argv[1]"',
    "end",
    "",
    "complete -c varietal -f",
  ];
  for (const n of nodes) {
    const cond = `-n ${q(`__varietal_at ${q(n.path)}`)}`;
    for (const s of n.subs) {
      out.push(`complete -c varietal ${cond} -a ${q(s.name)} -d ${q(s.summary)}`);
    }
    for (const o of n.options) {
      const parts = [`complete -c varietal ${cond}`, `-l ${o.name}`];
      if (o.spec.short) parts.push(`-s ${o.spec.short}`);
      if (o.spec.type === "string") {
        const values = o.spec.choices ?? o.spec.suggest;
        const t = values ?? o.spec.complete ?? "none";
        parts.push(t === "file" ? "-r -F" : t === "none" ? "-x" : `-x -a ${fishWords(t)}`);
      }
      parts.push(`-d ${q(o.spec.description)}`);
      out.push(parts.join(" "));
    }
    if (n.positional === "file") out.push(`complete -c varietal ${cond} -F`);
    else if (n.positional === "template") {
      out.push(`complete -c varietal ${cond} -F -a ${fishWords(n.positional)}`);
    } else if (n.positional !== "none") {
      out.push(`complete -c varietal ${cond} -a ${fishWords(n.positional)}`);
    }
    if (n.also.length) out.push(`complete -c varietal ${cond} -a ${fishWords(n.also)}`);
  }
  return out.join("\n") + "\n";
}

/**
 * The remotes in the database, if there is one: opened read-only (never created or
 * migrated); a database that cannot be read (damaged, older schema, …) adds nothing.
 */
async function databaseRemoteNames(file: string): Promise<string[]> {
  try {
    Deno.statSync(file);
  } catch {
    return [];
  }
  try {
    const { Database } = await lazy<typeof import("../db/database.ts")>("../db/database.ts");
    const { listRemotes } = await lazy<typeof import("../db/remotes.ts")>("../db/remotes.ts");
    using db = await Database.open(file, { readOnly: true, busyTimeoutMs: 1000 });
    return listRemotes(db).map((r) => r.name);
  } catch {
    return [];
  }
}

/**
 * The user's names of a kind, sorted, each once. Groups: `[groups]` of config.toml.
 * Remotes: the `[[remote]]` entries of config.toml and the remotes of the database
 * (`remote add` keeps them only there).
 *
 * @throws {ConfigError} When config.toml is invalid (a missing file has no names).
 */
export async function userNames(ctx: Context, kind: NameKind): Promise<string[]> {
  const config = await ctx.config();
  if (kind === "template") {
    const { listBuiltins } = await lazy<typeof import("../theme/builtins.ts")>(
      "../theme/builtins.ts",
    );
    const names = (await listBuiltins()).map((b) => b.name);
    return [...new Set([...names, ...config.templates.map((t) => t.name)])].sort();
  }
  const names = new Set(
    kind === "group" ? Object.keys(config.groups) : config.remote.map((r) => r.name),
  );
  if (kind === "remote") {
    for (const n of await databaseRemoteNames(ctx.paths.database)) names.add(n);
  }
  return [...names].sort();
}

export async function run(ctx: Context, inv: Invocation): Promise<number> {
  if (inv.sub === "names") {
    const path = "completions names";
    const [kind] = expectArgs(inv, 1, 1, path, "kind of name (remote, group or template)");
    if (!(NAME_KINDS as readonly string[]).includes(kind)) {
      throw new UsageError(
        `unknown kind '${kind}' (expected ${NAME_KINDS.slice(0, -1).join(", ")} or ${
          NAME_KINDS.at(-1)
        })`,
        path,
      );
    }
    const names = await userNames(ctx, kind as NameKind);
    if (boolFlag(inv, "json")) ctx.out.json(names);
    else for (const n of names) ctx.out.line(n);
    return EXIT.ok;
  }
  expectArgs(inv, 0, 0, `completions ${inv.sub}`);
  const nodes = await completionTree();
  const shell = inv.sub as Shell;
  const text = shell === "bash"
    ? bashScript(nodes)
    : shell === "zsh"
    ? zshScript(nodes)
    : fishScript(nodes);
  ctx.out.line(text.trimEnd());
  return EXIT.ok;
}
