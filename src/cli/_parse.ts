// Parses argv against a CommandSpec (strict: unknown flags are usage errors).
import { type CommandSpec, type Invocation, type OptionSpec, takesPaths } from "./_command.ts";
import { UsageError } from "./errors.ts";
import { didYouMean } from "../text/suggest.ts";

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
        const names = spec.subcommands.map((s) => s.name);
        const hint = didYouMean(first, names);
        throw new UsageError(
          hint
            ? `unknown subcommand '${first}' for '${spec.name}'${hint}`
            : `unknown subcommand '${first}' for '${spec.name}' (expected one of: ${
              names.join(", ")
            })`,
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
  const { values, positionals } = parseFlags(
    { help: { type: "boolean", short: "h", description: "" }, ...target.options },
    rest,
    path,
    takesPaths(target),
  );
  if (values.help) return { help: true, spec: target, path };
  for (const [name, o] of Object.entries(target.options ?? {})) {
    const v = values[name];
    if (o.choices && v !== undefined) {
      for (const x of Array.isArray(v) ? v : [v]) {
        if (!o.choices.includes(String(x))) {
          const hint = didYouMean(String(x), o.choices);
          throw new UsageError(
            `invalid value '${x}' for --${name}${
              hint || ` (expected one of: ${o.choices.join(", ")})`
            }`,
            path,
          );
        }
      }
    }
  }
  // An empty argument is a script's unset variable, never a name: `sources remove "$DIR"` must not
  // mean the current folder.
  if (positionals.includes("")) {
    throw new UsageError(
      `'${path}' was given an empty argument (an unset shell variable?); nothing was changed`,
      path,
    );
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

type Values = Record<string, string | boolean | string[] | undefined>;

/**
 * Strict GNU-style flag parsing: `--name`, `--name=value`, `--name value`,
 * `-x`, `-x value`, `-xVALUE`, bundled short booleans (`-qj`), and `--` to end
 * flags. Written here rather than taken from node:util, whose loading alone
 * cost ~10 ms of every command's start-up.
 *
 * @param paths Whether the command takes paths: an unknown `-xyz` may then be a file's name.
 */
function parseFlags(
  options: Record<string, OptionSpec>,
  args: readonly string[],
  path: string,
  paths: boolean,
): { values: Values; positionals: string[] } {
  const values: Values = {};
  const positionals: string[] = [];
  const byShort = new Map<string, string>();
  for (const [name, o] of Object.entries(options)) if (o.short) byShort.set(o.short, name);
  const set = (name: string, value: string | boolean) => {
    if (options[name].multiple) {
      const list = (values[name] as string[] | undefined) ?? [];
      list.push(String(value));
      values[name] = list;
    } else values[name] = value;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const given = arg.slice(2, eq < 0 ? undefined : eq);
      const name = options[given]?.aliasOf ?? given;
      const o = options[name];
      if (!o) {
        const names = Object.keys(options).filter((n) => !options[n].aliasOf);
        // A command of paths: `--json.png` is more likely a file than a typo of an option.
        const hint = didYouMean(given, names, "--") ||
          (paths && /[./]/.test(given)
            ? ` (a file whose name starts with '-'? write ./${arg} or put -- before it)`
            : "");
        throw new UsageError(`unknown option '--${given}' for '${path}'${hint}`, path);
      }
      if (o.type === "boolean") {
        if (eq >= 0) throw new UsageError(`option '--${given}' does not take a value`, path);
        set(name, true);
      } else if (eq >= 0) {
        set(name, arg.slice(eq + 1));
      } else {
        if (i + 1 >= args.length) throw new UsageError(`option '--${given}' needs a value`, path);
        set(name, args[++i]);
      }
      continue;
    }
    if (arg.length > 1 && arg.startsWith("-") && !/^-\d/.test(arg)) {
      for (let j = 1; j < arg.length; j++) {
        const name = byShort.get(arg[j]);
        if (!name) {
          throw new UsageError(
            `unknown option '-${arg[j]}' for '${path}'${shortHint(arg, j, options, paths)}`,
            path,
          );
        }
        if (options[name].type === "boolean") {
          set(name, true);
          continue;
        }
        const inline = arg.slice(j + 1);
        if (inline) set(name, inline);
        else if (i + 1 < args.length) set(name, args[++i]);
        else throw new UsageError(`option '-${arg[j]}, --${name}' needs a value`, path);
        break;
      }
      continue;
    }
    // `–json` (an en dash: what word processors and some chat apps make of `--`) is no file.
    const ascii = asciiDashes(arg);
    if (ascii !== undefined) {
      const flag = ascii.replace(/=.*$/, "");
      const known = flag.startsWith("--")
        ? options[flag.slice(2)] !== undefined
        : flag.length === 2 && byShort.has(flag[1]);
      if (known) {
        throw new UsageError(
          `'${arg}' starts with a dash look-alike, not '-'; did you mean '${ascii}'?`,
          path,
        );
      }
    }
    positionals.push(arg);
  }
  return { values, positionals };
}

/**
 * What an unknown short option at `arg[j]` may have meant: a long option written
 * with one dash (`-json`: "did you mean '--json'?"), or, for a command that takes
 * paths, a file whose name starts with '-'. Empty when neither fits.
 */
function shortHint(
  arg: string,
  j: number,
  options: Record<string, OptionSpec>,
  paths: boolean,
): string {
  const eq = arg.indexOf("=");
  const long = arg.slice(1, eq < 0 ? undefined : eq);
  if (long.length > 1 && Object.hasOwn(options, long)) {
    return ` (did you mean '-${arg}'?)`;
  }
  if (paths && j === 1 && arg.length > 2) {
    return ` (a file whose name starts with '-'? write ./${arg} or put -- before it)`;
  }
  return "";
}

/**
 * `arg` with its leading dash look-alikes (hyphen, en and em dash, minus sign)
 * made ASCII — one before a long name stands for `--` — or undefined when it
 * starts with none.
 *
 * @example
 * ```ts ignore
 * asciiDashes("\u2013json"); // "--json"
 * asciiDashes("\u2212n");    // "-n"
 * ```
 */
function asciiDashes(arg: string): string | undefined {
  const m = /^[\u2010-\u2015\u2212]{1,2}/.exec(arg);
  if (!m) return undefined;
  const dashes = m[0].length === 1 && arg.length > 2 ? "--" : "-".repeat(m[0].length);
  return dashes + arg.slice(m[0].length);
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
  // Decimal only: Number() would also take "0x10", "1e3" and "Infinity".
  if (
    !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(s.trim()) || !Number.isFinite(n) ||
    (integer && !Number.isInteger(n))
  ) {
    throw new UsageError(
      `invalid value '${s}' for --${name} (expected ${integer ? "a whole number" : "a number"})`,
      options.path,
    );
  }
  // Past 2^53 Number() rounds ("9007199254740993" is 2^53): compare whole numbers exactly.
  const whole = integer && /^[+-]?\d+$/.test(s.trim()) ? BigInt(s.trim()) : undefined;
  const outside = whole === undefined
    ? n < min || n > max
    : (Number.isInteger(min) && whole < BigInt(min)) ||
      (Number.isInteger(max) && whole > BigInt(max));
  if (outside || n < min || n > max) {
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
    const one = /^[aeiou]/i.test(what) ? `an ${what}` : `a ${what}`;
    throw new UsageError(`'${path}' needs ${min === 1 ? one : `${min} ${what}s`}`, path);
  }
  if (n > max) {
    const extra = inv.positionals[max];
    throw new UsageError(`unexpected argument '${extra}' for '${path}'`, path);
  }
  return inv.positionals;
}
