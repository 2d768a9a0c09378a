// `varietal completions bash|zsh|fish`: completion scripts generated from the
// command specs in registry.ts, so every command and flag is covered.
import type { CommandSpec, Invocation, OptionSpec } from "./_command.ts";
import type { Context } from "./_context.ts";
import { expectArgs } from "./_parse.ts";
import { EXIT } from "./errors.ts";
import { COMMANDS } from "./registry.ts";
import { type Shell, SHELLS } from "../config/choices.ts";

const INSTALL: Record<Shell, string> = {
  bash: "varietal completions bash > ~/.local/share/bash-completion/completions/varietal",
  zsh: "varietal completions zsh > ~/.zfunc/_varietal  # with fpath+=(~/.zfunc) before compinit",
  fish: "varietal completions fish > ~/.config/fish/completions/varietal.fish",
};

export const spec: CommandSpec = {
  name: "completions",
  summary: "Print a shell completion script (bash, zsh or fish)",
  description: "The script covers every command, subcommand, flag and flag value.",
  requireSub: true,
  subcommands: SHELLS.map((shell) => ({
    name: shell,
    summary: `Print the ${shell} completion script`,
    examples: [INSTALL[shell]],
  })),
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
  /** What positional arguments complete to. */
  positional: "file" | "dir" | "none";
}

const HELP: OptionSpec = { type: "boolean", short: "h", description: "Show help" };

function positional(args: string | undefined): CompletionNode["positional"] {
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
    positional: positional(leaf.args),
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

/** The bash completion script. */
export function bashScript(nodes: readonly CompletionNode[]): string {
  const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const valueCases: string[] = [];
  const completeCases: string[] = [];
  for (const n of nodes) {
    for (const o of n.options.filter((o) => o.spec.type === "string")) {
      const pats = flags(o).map((f) => q(`${n.path}:${f}`)).join("|");
      valueCases.push(`    ${pats}) return 0 ;;`);
      const values = o.spec.choices ?? o.spec.suggest;
      const action = values
        ? `mapfile -t COMPREPLY < <(compgen -W ${q(values.join(" "))} -- "$cur")`
        : o.spec.complete === "dir"
        ? `compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- "$cur")`
        : o.spec.complete === "file"
        ? `compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- "$cur")`
        : "COMPREPLY=()";
      completeCases.push(`    ${pats}) ${action} ;;`);
    }
  }
  const flagCases = nodes.map((n) =>
    `    ${q(n.path)}) words=${q(n.options.flatMap(flags).join(" "))} ;;`
  );
  const subCases = nodes.filter((n) => n.subs.length).map((n) =>
    `    ${q(n.path)}) words=${q(n.subs.map((s) => s.name).join(" "))} ;;`
  );
  const posCases = nodes.filter((n) => n.positional !== "none").map((n) =>
    `    ${q(n.path)}) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -${
      n.positional === "dir" ? "d" : "f"
    } -- "$cur") ;;`
  );
  return `# bash completion for varietal — generated by 'varietal completions bash'.
# Install: ${INSTALL.bash}

_varietal_takes_value() {
  case "$1:$2" in
${valueCases.join("\n") || "    '') ;;"}
  esac
  return 1
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
      const values = o.spec.choices ?? o.spec.suggest;
      const action = values
        ? `(${values.join(" ")})`
        : o.spec.complete === "dir"
        ? "_files -/"
        : o.spec.complete === "file"
        ? "_files"
        : " ";
      value = `:${msg}:${action}`;
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
    const pos = n.positional === "dir"
      ? " '*:folder:_files -/'"
      : n.positional === "file"
      ? " '*:file:_files'"
      : "";
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

/** The fish completion script. */
export function fishScript(nodes: readonly CompletionNode[]): string {
  const q = (s: string) => `'${s.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
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
        if (values) parts.push(`-x -a ${q(values.join(" "))}`);
        else if (o.spec.complete === "dir") parts.push("-x -a '(__fish_complete_directories)'");
        else if (o.spec.complete === "file") parts.push("-r -F");
        else parts.push("-x");
      }
      parts.push(`-d ${q(o.spec.description)}`);
      out.push(parts.join(" "));
    }
    if (n.positional === "file") out.push(`complete -c varietal ${cond} -F`);
    if (n.positional === "dir") {
      out.push(`complete -c varietal ${cond} -a '(__fish_complete_directories)'`);
    }
  }
  return out.join("\n") + "\n";
}

export async function run(ctx: Context, inv: Invocation): Promise<number> {
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
