// `varietal completions bash|zsh|fish`: completion scripts generated from the
// command specs in registry.ts, so every command and flag is covered. The user's own
// names (remotes, groups, templates, folders) come from `varietal completions names KIND`
// when completing.
import {
  argumentKind,
  type CommandSpec,
  type CompletionKind,
  type Invocation,
  type OptionSpec,
} from "./_command.ts";
import { type Context, lazy } from "./_context.ts";
import type { Database } from "../db/database.ts";
import { boolFlag, expectArgs } from "./_parse.ts";
import { EXIT, UsageError } from "./errors.ts";
import { COMMANDS } from "./registry.ts";
import { type Shell, SHELLS } from "../config/choices.ts";

/**
 * How to install each script, a shell command on one or more lines; each makes the
 * folder it writes into (a fresh account has none of them).
 */
const INSTALL: Record<Shell, readonly string[]> = {
  bash: [
    'd="${XDG_DATA_HOME:-$HOME/.local/share}/bash-completion/completions"; mkdir -p "$d" &&',
    '  varietal completions bash > "$d/varietal"',
  ],
  zsh: [
    "mkdir -p ~/.zfunc && varietal completions zsh > ~/.zfunc/_varietal",
    "  # and fpath+=(~/.zfunc) before compinit in ~/.zshrc",
  ],
  fish: [
    'd="${XDG_CONFIG_HOME:-$HOME/.config}/fish/completions"; mkdir -p "$d" &&',
    '  varietal completions fish > "$d/varietal.fish"',
  ],
};

/** The install lines of a shell as comment lines of its script. */
const installComment = (shell: Shell) =>
  ["# Install:", ...INSTALL[shell].map((l) => `#   ${l}`)].join("\n");

/** The kinds of names `completions names` prints. */
export const NAME_KINDS = ["remote", "group", "template", "source"] as const;
/** A kind of the user's own names. */
export type NameKind = typeof NAME_KINDS[number];

export const spec: CommandSpec = {
  name: "completions",
  summary: "Print a shell completion script (bash, zsh or fish)",
  description: "The script covers every command, subcommand, flag and flag value, and offers\n" +
    "your remote, group and template names and wallpaper folders, which it asks\n" +
    "'varietal completions names' for.",
  requireSub: true,
  subcommands: [
    ...SHELLS.map((shell) => ({
      name: shell,
      summary: `Print the ${shell} completion script`,
      examples: [INSTALL[shell].join("\n")],
    })),
    {
      name: "names",
      summary: "Print the remotes, groups, templates or folders the scripts offer",
      args: "remote|group|template|source",
      complete: NAME_KINDS,
      description: "remote: the [[remote]] entries of config.toml and the remotes added with\n" +
        "'varietal remote add'; group: the [groups] of config.toml; template: the built-in\n" +
        "templates and the [[templates]] names; source: the wallpaper folders of the database\n" +
        "(also those gone from disk, which 'sources move' and 'sources remove' take). Reads no\n" +
        "more than that (the database only if it exists, read-only); prints nothing when there\n" +
        "are none. One a line leaves out a folder whose name holds a line break (--json has it).",
      options: { json: { type: "boolean", description: "Print a JSON array of the names" } },
      examples: ["varietal completions names remote", "varietal completions names group --json"],
    },
  ],
  examples: SHELLS.map((shell) => INSTALL[shell].join("\n")),
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
  /**
   * The name of its positional arguments when it takes some ("name" for `remote add NAME`),
   * else "": zsh must be told of arguments even when nothing completes them.
   */
  args: string;
  /** Words offered besides `positional` (e.g. the ORDER after `sources order`'s folders). */
  also: readonly string[];
}

const HELP: OptionSpec = { type: "boolean", short: "h", description: "Show help" };

/** The name of a command's positional arguments, from its usage ("NAME…" is "name"). */
function argsName(s: CommandSpec): string {
  const first = (s.args ?? "").replace(/[[\]…]/g, "").split(/[\s|]/)[0];
  return first.toLowerCase();
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
    positional: argumentKind(leaf),
    args: argsName(leaf),
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
    args: "",
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

/** What a string flag's value completes to, and the words offered besides. */
function valueTarget(o: OptionSpec): { target: Target; also: readonly string[] } {
  return {
    target: o.choices ?? o.suggest ?? o.complete ?? "none",
    also: o.completeAlso ?? [],
  };
}

const bashQ = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/**
 * The bash code that fills COMPREPLY for a target and words besides, from the word
 * being completed. Files or folders alone are readline's own completion (which quotes
 * every name and takes any, a line break too); mixed with names or words, they are
 * listed here and readline quotes them all as file names (see _varietal_as_paths).
 */
function bashAction(t: Target, also: readonly string[]): string {
  const words = [...(typeof t === "string" ? [] : t), ...also];
  const offerWords = words.length ? [`_varietal_words ${bashQ(words.join(" "))}`] : [];
  if (typeof t !== "string" || t === "none") {
    return offerWords.length ? offerWords[0] : "COMPREPLY=()";
  }
  if ((t === "dir" || t === "file") && !also.length) {
    return `compopt -o ${t === "dir" ? "dirnames" : "default"} 2>/dev/null`;
  }
  const steps = t === "remote" || t === "group" ? [`_varietal_names ${t}`, ...offerWords] : [
    ...(t === "template" || t === "source" ? [`_varietal_names ${t} raw`] : []),
    `_varietal_paths${t === "dir" || t === "source" ? " -d" : ""}`,
    ...offerWords,
    "_varietal_as_paths",
  ];
  return steps.join("; ");
}

/**
 * The bash functions the script's completion function calls (escaped for a template
 * literal: `varietal completions bash` shows them as bash reads them).
 */
const BASH_HELPERS =
  `# The word being completed as the shell reads it: its opening quote (' or ") in $quote,
# the rest unquoted in $word (what the candidates must start with).
_varietal_unquote() {
  local s=$cur c
  quote="" word=""
  case $s in
    \\'* | \\"*) quote=\${s:0:1} s=\${s:1} ;;
  esac
  while [[ -n $s ]]; do
    c=\${s:0:1} s=\${s:1}
    if [[ $c == \\\\ && -n $s && $quote != \\' ]] && [[ -z $quote || $s == [\\"\\\\\\$\\\`]* ]]; then
      c=\${s:0:1} s=\${s:1}
    fi
    word+=$c
  done
}

# $1 quoted for the command line after the word's opening quote, in REPLY.
_varietal_quote() {
  case $quote in
    \\') REPLY=\${1//\\'/\\'\\\\\\'\\'} ;;
    \\") REPLY=\${1//\\\\/\\\\\\\\} REPLY=\${REPLY//\\"/\\\\\\"} REPLY=\${REPLY//\\$/\\\\\\$} REPLY=\${REPLY//\\\`/\\\\\\\`} ;;
    *) printf -v REPLY '%q' "$1" ;;
  esac
}

# The words of $1 that start with the word.
_varietal_words() {
  mapfile -t -O "\${#COMPREPLY[@]}" COMPREPLY < <(compgen -W "$1" -- "$word")
}

# Your names of a kind ($1) that start with the word, from 'varietal completions names' at
# completion time, none evaluated: quoted for the command line, or (raw) as they are, for
# readline to quote as file names. After ~/, folders in your home are offered with ~/.
_varietal_names() {
  local name prefix=$word home=""
  if [[ $1 == source && -z $quote && $prefix == "~/"* ]]; then
    home=$HOME prefix=$HOME/\${prefix:2}
  fi
  while IFS= read -r name; do
    [[ -n $name && $name == "$prefix"* ]] || continue
    [[ -n $home ]] && name="~/\${name#"$home/"}"
    if [[ \${2-} != raw ]]; then
      _varietal_quote "$name"
      name=$REPLY
    fi
    COMPREPLY+=("$name")
  done < <(varietal completions names "$1" 2>/dev/null)
}

# The files (-d: folders) whose paths start with the word, as they are, one entry each
# (a name may hold a line break); ~/ stands for your home, as the shell reads it.
_varietal_paths() {
  local p prefix=$word home="" nullglob=0 failglob=0
  if [[ -z $quote && $prefix == "~/"* ]]; then
    home=$HOME prefix=$HOME/\${prefix:2}
  fi
  shopt -q nullglob && nullglob=1
  shopt -q failglob && failglob=1
  shopt -s nullglob
  shopt -u failglob
  for p in "$prefix"*; do
    [[ \${1-} == -d && ! -d $p ]] && continue
    [[ -n $home ]] && p="~/\${p#"$home/"}"
    COMPREPLY+=("$p")
  done
  ((nullglob)) || shopt -u nullglob
  ((failglob)) && shopt -s failglob
  return 0
}

# Has readline quote the candidates as file names (folders get a slash, only the last part
# of a path is listed). Without an opening quote, readline would leave $ and backquotes bare
# in a name that is no file here, taking them for a variable: such candidates are quoted here.
_varietal_as_paths() {
  local i p
  if [[ -n $quote || \${COMPREPLY[*]} != *[\\$\\\`]* ]]; then
    compopt -o filenames 2>/dev/null
    return 0
  fi
  for i in "\${!COMPREPLY[@]}"; do
    p=\${COMPREPLY[i]}
    [[ $p == "~/"* ]] && p=\${p:2}
    _varietal_quote "$p"
    [[ \${COMPREPLY[i]} == "~/"* ]] && REPLY="~/$REPLY"
    [[ -d \${COMPREPLY[i]/#"~/"/$HOME/} ]] && REPLY+=/
    COMPREPLY[i]=$REPLY
  done
  [[ \${#COMPREPLY[@]} == 1 && \${COMPREPLY[0]} == */ ]] && compopt -o nospace 2>/dev/null
  return 0
}`;

/** The bash completion script. */
export function bashScript(nodes: readonly CompletionNode[]): string {
  const q = bashQ;
  const valueCases: string[] = [];
  const completeCases: string[] = [];
  for (const n of nodes) {
    for (const o of n.options.filter((o) => o.spec.type === "string")) {
      const pats = flags(o).map((f) => q(`${n.path}:${f}`)).join("|");
      valueCases.push(`    ${pats}) return 0 ;;`);
      const { target, also } = valueTarget(o.spec);
      completeCases.push(`    ${pats}) ${bashAction(target, also)} ;;`);
    }
  }
  const flagCases = nodes.map((n) =>
    `    ${q(n.path)}) words=${q(n.options.flatMap(flags).join(" "))} ;;`
  );
  const subCases = nodes.filter((n) => n.subs.length).map((n) =>
    `    ${q(n.path)}) words=${q(n.subs.map((s) => s.name).join(" "))} ;;`
  );
  const posCases = nodes.filter((n) => n.positional !== "none" || n.also.length).map((n) =>
    `    ${q(n.path)}) ${bashAction(n.positional, n.also)} ;;`
  );
  return `# bash completion for varietal — generated by 'varietal completions bash'.
${installComment("bash")}

_varietal_takes_value() {
  case "$1:$2" in
${valueCases.join("\n") || "    '') ;;"}
  esac
  return 1
}

${BASH_HELPERS}

_varietal_subs() {
  local words=""
  case "$1" in
${subCases.join("\n") || "    '') ;;"}
  esac
  printf '%s' "$words"
}

_varietal() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" depth=0 i w skip=0 opt="" words subs quote word
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
    _varietal_unquote
    case "$path:$opt" in
${completeCases.join("\n") || "      '') ;;"}
    esac
    return 0
  fi
  if [[ $cur == --*=* ]]; then
    local flag="\${cur%%=*}"
    cur="\${cur#*=}"
    _varietal_unquote
    case "$path:$flag" in
${completeCases.join("\n") || "      '') ;;"}
    esac
    return 0
  fi
  _varietal_unquote
  if [[ $word == -* ]]; then
    words=""
    case "$path" in
${flagCases.join("\n")}
    esac
    _varietal_words "$words"
    return 0
  fi
  subs=$(_varietal_subs "$path")
  if [[ -n $subs ]]; then
    _varietal_words "$subs"
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

/** The zsh `_arguments` action for a target alone. */
function zshKindAction(t: Target): string {
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
    case "source":
      return "{__varietal_names source; _files -/}";
    case "none":
      return " ";
  }
}

/** The zsh `_arguments` action for a target and the words offered besides. */
function zshAction(t: Target, also: readonly string[]): string {
  const action = zshKindAction(t);
  if (!also.length) return action;
  if (t === "none") return `(${also.join(" ")})`;
  // A brace action is evaluated: the kind's completion, then the words.
  const inner = action.startsWith("{") ? action.slice(1, -1) : action;
  return `{${inner}; compadd -- ${also.join(" ")}}`;
}

/**
 * What zsh calls a node's positional arguments: the kind, "folder" for folders, or
 * the name in its usage ("name" for `remote add NAME`).
 */
function zshLabel(n: CompletionNode): string {
  if (typeof n.positional !== "string") return "argument";
  if (n.positional === "dir" || n.positional === "source") return "folder";
  return n.positional === "none" ? n.args || "argument" : n.positional;
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
      const { target, also } = valueTarget(o.spec);
      value = `:${msg}:${zshAction(target, also)}`;
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
    installComment("zsh"),
    "",
    "# Your names of a kind (the last argument: remote, group, template or source), from",
    "# 'varietal completions names' at completion time; the other arguments are compadd options",
    "# from _arguments. After ~/, folders in your home are offered with ~/.",
    "__varietal_names() {",
    "  local -a names",
    '  names=(${(f)"$(varietal completions names ${argv[-1]} 2>/dev/null)"})',
    "  if [[ ${argv[-1]} == source && $PREFIX == '~/'* ]]; then",
    "    # ~/ stays on the line as typed; the folders under $HOME are matched after it.",
    "    local prefix=$PREFIX iprefix=$IPREFIX",
    "    compset -P '\\~/'",
    "    names=(${${(M)names:#$HOME/*}#$HOME/})",
    '    compadd "${(@)argv[1,-2]}" -a names',
    "    PREFIX=$prefix IPREFIX=$iprefix",
    "    return",
    "  fi",
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
    // Arguments must be declared even when nothing completes them (a new remote's name), or
    // _arguments takes one for a mistake and completes nothing after it; `_nothing` says so
    // (with the action ' ', _arguments would no longer insert a lone matching flag there).
    const action = n.positional === "none" && !n.also.length
      ? "_nothing"
      : zshAction(n.positional, n.also);
    const pos = n.args ? ` ${q(`*:${zshLabel(n)}:${action}`)}` : "";
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

/** What fish offers for a target and the words besides: `-a` lists and `-F` for files. */
function fishArgs(t: Target, also: readonly string[]): { files: boolean; lists: string[] } {
  const lists: string[] = typeof t === "string" ? [] : [t.join(" ")];
  if (t === "dir" || t === "source") lists.push("(__fish_complete_directories)");
  if (t === "remote" || t === "group" || t === "template" || t === "source") {
    lists.push(`(__varietal_names ${t})`);
  }
  if (also.length) lists.push(also.join(" "));
  return { files: t === "file" || t === "template", lists };
}

/** The fish `complete` options for a string flag's value. */
function fishValue(o: OptionSpec): string {
  const { target, also } = valueTarget(o);
  const { files, lists } = fishArgs(target, also);
  const words = lists.length ? ` -a ${fishQ(lists.join(" "))}` : "";
  return `${files ? "-r -F" : "-x"}${words}`;
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
    installComment("fish"),
    "",
    "function __varietal_takes_value",
    "    switch $argv[1]",
    ...valueCases,
    "    end",
    "    return 1",
    "end",
    "",
    "# Your names of a kind, from 'varietal completions names' at completion time. After ~/,",
    "# folders in your home are offered with ~/.",
    "function __varietal_names",
    "    if test $argv[1] = source; and string match -q -- '~/*' (commandline -ct)",
    '        set -l home (string escape --style=regex -- "$HOME/")',
    "        varietal completions names source 2>/dev/null | string replace -rf -- \"^$home\" '~/'",
    "        return",
    "    end",
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
      if (o.spec.type === "string") parts.push(fishValue(o.spec));
      parts.push(`-d ${q(o.spec.description)}`);
      out.push(parts.join(" "));
    }
    const { files, lists } = fishArgs(n.positional, n.also);
    if (files && !lists.length) out.push(`complete -c varietal ${cond} -F`);
    for (const [i, list] of lists.entries()) {
      const force = files && i === 0 ? " -F" : "";
      out.push(`complete -c varietal ${cond}${force} -a ${fishQ(list)}`);
    }
  }
  return out.join("\n") + "\n";
}

type DatabaseModule = typeof import("../db/database.ts");

/**
 * Names read from the database, if there is one: opened read-only (never created or
 * migrated); a database that cannot be read (damaged, older schema, …) gives none.
 */
async function databaseNames(
  file: string,
  read: (db: Database) => Promise<string[]>,
): Promise<string[]> {
  try {
    Deno.statSync(file);
  } catch {
    return [];
  }
  try {
    const { Database } = await lazy<DatabaseModule>("../db/database.ts");
    using db = await Database.open(file, { readOnly: true, busyTimeoutMs: 1000 });
    return await read(db);
  } catch {
    return [];
  }
}

/** The remotes in the database (those of `remote add` are only there). */
function databaseRemoteNames(file: string): Promise<string[]> {
  return databaseNames(file, async (db) => {
    const { listRemotes } = await lazy<typeof import("../db/remotes.ts")>("../db/remotes.ts");
    return listRemotes(db).map((r) => r.name);
  });
}

/** The wallpaper folders in the database, also those gone from disk. */
function databaseSourcePaths(file: string): Promise<string[]> {
  return databaseNames(file, async (db) => {
    const { listSources } = await lazy<typeof import("../db/sources.ts")>("../db/sources.ts");
    return listSources(db).map((s) => s.path);
  });
}

/**
 * The user's names of a kind, sorted, each once. Groups: `[groups]` of config.toml.
 * Remotes: the `[[remote]]` entries of config.toml and the remotes of the database
 * (`remote add` keeps them only there). Sources: the folders of the database (config.toml
 * is not read: its [[sources]] are there once scanned, and those not yet are on disk).
 *
 * @throws {ConfigError} When config.toml is invalid (a missing file has no names).
 */
export async function userNames(ctx: Context, kind: NameKind): Promise<string[]> {
  if (kind === "source") {
    return [...new Set(await databaseSourcePaths(ctx.paths.database))].sort();
  }
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
    const [kind] = expectArgs(inv, 1, 1, path, "kind of name (remote, group, template or source)");
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
    // A name holding a line break would read as two (the scripts read one a line).
    else for (const n of names.filter((n) => !/[\n\r]/.test(n))) ctx.out.line(n);
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
