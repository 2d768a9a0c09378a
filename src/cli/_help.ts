// Help text generated from command specs.
import type { CommandSpec } from "./_command.ts";

function flagLabel(name: string, o: NonNullable<CommandSpec["options"]>[string]): string {
  const short = o.short ? `-${o.short}, ` : "    ";
  const value = o.type === "string"
    ? ` ${o.value ?? (o.choices ? o.choices.join("|") : "VALUE")}`
    : "";
  return `${short}--${name}${value}`;
}

/** An option's description, with its choices when its label names a placeholder instead. */
function describe(o: NonNullable<CommandSpec["options"]>[string]): string {
  const choices = o.type === "string" && o.value ? o.choices ?? [] : [];
  if (choices.length === 0 || choices.every((c) => o.description.includes(c))) {
    return o.description;
  }
  return `${o.description}; one of: ${choices.join(", ")}`;
}

/**
 * Renders help for a command.
 *
 * @param spec The command or subcommand.
 * @param path Its full name, e.g. "sources add".
 */
export function renderHelp(spec: CommandSpec, path: string): string {
  const lines: string[] = [];
  lines.push(`varietal ${path} — ${spec.summary}`, "");
  const subs = spec.subcommands ?? [];
  const usage = subs.length
    ? `varietal ${path} <${subs.map((s) => s.name).join("|")}> [OPTIONS]`
    : `varietal ${path}${spec.options && Object.keys(spec.options).length ? " [OPTIONS]" : ""}${
      spec.args ? ` ${spec.args}` : ""
    }`;
  lines.push(`Usage: ${usage}`);
  if (spec.description) lines.push("", ...spec.description.split("\n"));
  if (subs.length) {
    lines.push("", "Subcommands:");
    const w = Math.max(...subs.map((s) => s.name.length));
    for (const s of subs) {
      lines.push(
        `  ${s.name.padEnd(w)}  ${s.summary}${
          s === subs[0] && !spec.requireSub ? " (default)" : ""
        }`,
      );
    }
    lines.push("", `Run 'varietal ${path} <subcommand> --help' for its options.`);
    if (!spec.requireSub) {
      const json = subs[0].options?.json
        ? ` ('varietal ${path} --json' is 'varietal ${path} ${subs[0].name} --json')`
        : "";
      lines.push(`Without a subcommand, '${subs[0].name}' runs and takes its options${json}.`);
    }
  }
  const opts = Object.entries(spec.options ?? {}).filter(([, o]) => !o.aliasOf);
  const labels = opts.map(([n, o]) => flagLabel(n, o));
  labels.push("-h, --help");
  const w = Math.min(34, Math.max(...labels.map((l) => l.length)));
  lines.push("", "Options:");
  // A description on several lines goes on under its first line.
  const indent = " ".repeat(w + 4);
  opts.forEach(([, o], i) =>
    lines.push(`  ${labels[i].padEnd(w)}  ${describe(o).split("\n").join(`\n${indent}`)}`)
  );
  lines.push(`  ${"-h, --help".padEnd(w)}  Show this help`);
  if (spec.examples?.length) {
    lines.push("", "Examples:", ...spec.examples.map((e) => `  ${e}`));
  }
  return lines.join("\n");
}
