// Help text generated from command specs.
import type { CommandSpec } from "./_command.ts";
import { textWidth } from "../text/text_width.ts";

/** Every line of help fits in this many columns. */
export const HELP_WIDTH = 100;

/** The widest the flag column gets; a longer flag has its description on the next line. */
const LABEL_COLUMN = 34;

type Option = NonNullable<CommandSpec["options"]>[string];

function flagLabel(name: string, o: Option): string {
  const short = o.short ? `-${o.short}, ` : "    ";
  const value = o.type === "string"
    ? ` ${o.value ?? (o.choices ? o.choices.join("|") : "VALUE")}`
    : "";
  return `${short}--${name}${value}`;
}

/** An option's description, with its choices when its label names a placeholder instead. */
function describe(o: Option): string {
  const choices = o.type === "string" && o.value ? o.choices ?? [] : [];
  if (choices.length === 0 || choices.every((c) => o.description.includes(c))) {
    return o.description;
  }
  return `${o.description}; one of: ${choices.join(", ")}`;
}

/**
 * A word too wide for a line, broken after its commas (a JSON key list): the first
 * piece at most `room` columns (empty when nothing fits there), the others at most
 * `width` where they can be.
 */
function breakWord(word: string, width: number, room: number): string[] {
  const pieces: string[] = [];
  let piece = "";
  for (const part of word.split(/(?<=,)/)) {
    const limit = pieces.length ? width : room;
    if (textWidth(piece + part) > limit && (piece || !pieces.length)) {
      pieces.push(piece);
      piece = part;
    } else piece += part;
  }
  pieces.push(piece);
  return pieces;
}

/**
 * Breaks text at spaces into lines of at most `width` columns; a word wider than
 * that is broken after its commas, or has a line of its own.
 *
 * @param text One paragraph (line breaks in it count as spaces).
 * @param width Columns per line.
 */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    const room = line ? width - textWidth(line) - 1 : width;
    if (textWidth(word) <= room) {
      line = line ? `${line} ${word}` : word;
      continue;
    }
    const pieces = textWidth(word) > width ? breakWord(word, width, room) : ["", word];
    if (pieces[0]) line = line ? `${line} ${pieces[0]}` : pieces[0];
    if (line) lines.push(line);
    lines.push(...pieces.slice(1, -1));
    line = pieces.at(-1)!;
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/** A line of free text, wrapped to the help's width when it is wider (its leading spaces kept). */
function fit(line: string): string[] {
  if (textWidth(line) <= HELP_WIDTH) return [line];
  const indent = /^ */.exec(line)![0];
  return wrap(line, HELP_WIDTH - indent.length).map((l) => indent + l);
}

/**
 * One entry of a two-column list (a flag or a subcommand and what it does): the text
 * starts `column` columns in and wraps there; a label wider than the column puts it
 * on the next line.
 */
function entry(label: string, text: string, column: number): string[] {
  const indent = " ".repeat(column + 4);
  const body = wrap(text, HELP_WIDTH - indent.length).map((l) => indent + l);
  if (textWidth(label) > column) return [`  ${label}`, ...body];
  const first = `  ${label}${" ".repeat(column - textWidth(label))}  ${body[0].trimStart()}`;
  return [first, ...body.slice(1)];
}

/** The "Subcommands:" section and what running none does. */
function subcommandLines(spec: CommandSpec, path: string): string[] {
  const subs = spec.subcommands ?? [];
  const w = Math.max(...subs.map((s) => s.name.length));
  const lines = ["", "Subcommands:"];
  for (const s of subs) {
    const dflt = s === subs[0] && !spec.requireSub ? " (default)" : "";
    lines.push(...entry(s.name, `${s.summary}${dflt}`, w));
  }
  lines.push("", `Run 'varietal ${path} <subcommand> --help' for its options.`);
  if (!spec.requireSub) {
    const runs = `Without a subcommand, '${subs[0].name}' runs and takes its options`;
    const json = subs[0].options?.json
      ? `('varietal ${path} --json' is 'varietal ${path} ${subs[0].name} --json')`
      : "";
    const one = json ? `${runs} ${json}.` : `${runs}.`;
    // Too long for a line, it breaks before the parenthesis, not inside a command.
    lines.push(...(textWidth(one) <= HELP_WIDTH ? [one] : [runs, `${json}.`]));
  }
  return lines;
}

/** The "Options:" section, --help last. */
function optionLines(spec: CommandSpec): string[] {
  const opts = Object.entries(spec.options ?? {}).filter(([, o]) => !o.aliasOf);
  const rows = opts.map(([n, o]) => ({ label: flagLabel(n, o), text: describe(o) }));
  rows.push({ label: "-h, --help", text: "Show this help" });
  const fitting = rows.map((r) => textWidth(r.label)).filter((w) => w <= LABEL_COLUMN);
  const w = Math.max(...fitting);
  return ["", "Options:", ...rows.flatMap((r) => entry(r.label, r.text, w))];
}

/**
 * Renders help for a command, every line at most {@linkcode HELP_WIDTH} columns
 * (but for an example too long to break).
 *
 * @param spec The command or subcommand.
 * @param path Its full name, e.g. "sources add".
 */
export function renderHelp(spec: CommandSpec, path: string): string {
  const lines: string[] = [];
  lines.push(...fit(`varietal ${path} — ${spec.summary}`), "");
  const subs = spec.subcommands ?? [];
  const usage = subs.length
    ? `varietal ${path} <${subs.map((s) => s.name).join("|")}> [OPTIONS]`
    : `varietal ${path}${spec.options && Object.keys(spec.options).length ? " [OPTIONS]" : ""}${
      spec.args ? ` ${spec.args}` : ""
    }`;
  lines.push(...fit(`Usage: ${usage}`));
  if (spec.description) lines.push("", ...spec.description.split("\n").flatMap(fit));
  if (subs.length) lines.push(...subcommandLines(spec, path));
  lines.push(...optionLines(spec));
  if (spec.examples?.length) {
    lines.push(
      "",
      "Examples:",
      ...spec.examples.flatMap((e) => e.split("\n")).map((e) => `  ${e}`),
    );
  }
  return lines.join("\n");
}
