// Parses argv against a CommandSpec with node:util's parseArgs (strict).
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { CommandSpec, Invocation } from "./_command.ts";
import { UsageError } from "./errors.ts";

/** Result of parsing: the invocation, or a request for help. */
export type Parsed =
  | { help: true; spec: CommandSpec; path: string }
  | { help: false; spec: CommandSpec; path: string; inv: Invocation };

/**
 * Parses the arguments after the command name.
 *
 * @param spec The command.
 * @param args The arguments after its name.
 * @throws {UsageError} On unknown flags, missing values, bad choices or subcommands.
 */
export function parseCommand(spec: CommandSpec, args: string[]): Parsed {
  let sub: CommandSpec | undefined;
  let rest = args;
  let path = spec.name;
  if (spec.subcommands?.length) {
    const first = args[0];
    if (first === "--help" || first === "-h") return { help: true, spec, path };
    if (first !== undefined && !first.startsWith("-")) {
      sub = spec.subcommands.find((s) => s.name === first);
      if (!sub) {
        const names = spec.subcommands.map((s) => s.name).join(", ");
        throw new UsageError(
          `unknown subcommand '${first}' for '${spec.name}' (expected one of: ${names})`,
          spec.name,
        );
      }
      rest = args.slice(1);
    } else if (spec.requireSub) {
      throw new UsageError(
        `'${spec.name}' needs a subcommand: ${spec.subcommands.map((s) => s.name).join(", ")}`,
        spec.name,
      );
    } else {
      sub = spec.subcommands[0];
    }
    path = `${spec.name} ${sub.name}`;
  }
  const target = sub ?? spec;
  const options: NonNullable<ParseArgsConfig["options"]> = {
    help: { type: "boolean", short: "h" },
  };
  for (const [name, o] of Object.entries(target.options ?? {})) {
    options[name] = {
      type: o.type,
      ...(o.multiple ? { multiple: true } : {}),
      ...(o.short ? { short: o.short } : {}),
    };
  }
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options,
      strict: true,
      allowPositionals: true,
      allowNegative: false,
    }));
  } catch (e) {
    throw new UsageError(describeParseError(e as Error & { code?: string }, path), path);
  }
  if (values.help) return { help: true, spec: target, path };
  for (const [name, o] of Object.entries(target.options ?? {})) {
    const v = values[name];
    if (o.choices && v !== undefined) {
      for (const x of Array.isArray(v) ? v : [v]) {
        if (!o.choices.includes(String(x))) {
          throw new UsageError(
            `invalid value '${x}' for --${name} (expected one of: ${o.choices.join(", ")})`,
            path,
          );
        }
      }
    }
  }
  delete values.help;
  return {
    help: false,
    spec: target,
    path,
    inv: {
      sub: sub?.name,
      flags: values as Invocation["flags"],
      positionals,
    },
  };
}

function describeParseError(e: Error & { code?: string }, path: string): string {
  const opt = /'([^']+)'/.exec(e.message)?.[1] ?? "";
  switch (e.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option '${opt}' for '${path}'`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return /argument missing/.test(e.message)
        ? `option '${opt.replace(/^-\w, /, "")}' needs a value`
        : `option '${opt}' does not take a value`;
    default:
      return e.message.split(".")[0];
  }
}

/** Reads a numeric flag, checking range. */
export function numberFlag(
  inv: Invocation,
  name: string,
  options: { min?: number; max?: number; integer?: boolean; path?: string } = {},
): number | undefined {
  const v = inv.flags[name];
  if (v === undefined) return undefined;
  const s = String(Array.isArray(v) ? v.at(-1) : v);
  const n = Number(s);
  const { min = -Infinity, max = Infinity, integer = false } = options;
  if (s.trim() === "" || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new UsageError(
      `invalid value '${s}' for --${name} (expected ${integer ? "a whole number" : "a number"})`,
      options.path,
    );
  }
  if (n < min || n > max) {
    const range = max === Infinity ? `at least ${min}` : `between ${min} and ${max}`;
    throw new UsageError(`invalid value '${s}' for --${name} (expected ${range})`, options.path);
  }
  return n;
}

/** Reads a string flag (last one wins). */
export function stringFlag(inv: Invocation, name: string): string | undefined {
  const v = inv.flags[name];
  if (v === undefined || typeof v === "boolean") return undefined;
  return Array.isArray(v) ? v.at(-1) : v;
}

/** Reads a boolean flag. */
export function boolFlag(inv: Invocation, name: string): boolean {
  return inv.flags[name] === true;
}

/** Checks the number of positional arguments. */
export function expectArgs(
  inv: Invocation,
  min: number,
  max: number,
  path: string,
  what = "argument",
): string[] {
  const n = inv.positionals.length;
  if (n < min) {
    throw new UsageError(`'${path}' needs ${min === 1 ? `a ${what}` : `${min} ${what}s`}`, path);
  }
  if (n > max) {
    const extra = inv.positionals[max];
    throw new UsageError(`unexpected argument '${extra}' for '${path}'`, path);
  }
  return inv.positionals;
}
