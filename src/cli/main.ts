/**
 * The command-line front end: finds the command, parses its flags, runs it
 * and maps errors to exit codes. Only this module decides exit codes.
 *
 * @module
 */
import { VERSION } from "../version.ts";
import type { Context } from "./_context.ts";
import { printable, printLine } from "./_output.ts";
import { renderHelp } from "./_help.ts";
import { parseCommand } from "./_parse.ts";
import { didYouMean } from "../text/suggest.ts";
import { CliError, EXIT, failureOf, UsageError } from "./errors.ts";
import { COMMANDS, findCommand } from "./registry.ts";
import { DamagedDatabaseError, isCorruption, markDamaged } from "../db/damage.ts";
import { databaseFailure } from "../db/errors.ts";

/** Commands of the daemon's control channel that are no command of their own. */
const DAEMON_ONLY = new Set(["pause", "resume", "toggle", "stop", "reload"]);

function topHelp(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `varietal ${VERSION} — picks your next wallpaper, sets it and themes your desktop from its colours`,
    "",
    "Usage: varietal <command> [OPTIONS]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
    "",
    "Options:",
    "  -h, --help     Show help (also: varietal <command> --help)",
    "  -V, --version  Show the version",
    "",
    "Exit codes: 0 ok, 1 error, 2 usage error, 3 no daemon running (status, daemon --send),",
    "75 another varietal is busy (or the remotes named to fetch back off), 130 interrupted,",
    "129 stopped by SIGHUP (its terminal closed), 143 stopped by SIGTERM.",
    "Files: config $XDG_CONFIG_HOME/varietal/config.toml, database $XDG_DATA_HOME/varietal/varietal.db",
  ].join("\n");
}

/**
 * Runs varietal with the given arguments.
 *
 * @param args Command-line arguments (without the program name).
 * @param makeContext Builds the context (tests may replace it).
 * @returns The exit code.
 */
export async function main(
  args: string[],
  makeContext: () => Context | Promise<Context>,
): Promise<number> {
  const err = (s: string) => {
    try {
      Deno.stderr.writeSync(new TextEncoder().encode(printable(s) + "\n"));
    } catch { /* stderr closed */ }
  };
  /** Help and version on stdout; one that cannot be written is one line on stderr, exit 1. */
  const say = (text: string): number => {
    try {
      printLine(text);
      return EXIT.ok;
    } catch (e) {
      err(`varietal: ${(e as Error).message.split(";")[0]}`);
      return EXIT.error;
    }
  };
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    // `varietal help select` and `varietal --help select` are `varietal select --help`.
    if (name !== undefined && rest[0] && !rest[0].startsWith("-")) {
      return main([...rest, "--help"], makeContext);
    }
    return say(topHelp());
  }
  if (name === "--version" || name === "-V") return say(`varietal ${VERSION}`);
  const entry = findCommand(name);
  if (!entry) {
    // The daemon's own commands are sent to it, not run (a guess at them found 'prune').
    const daemonCommand = DAEMON_ONLY.has(name)
      ? ` (did you mean 'varietal daemon --send ${name}'?)`
      : undefined;
    const hint = daemonCommand ??
      (name.startsWith("--")
        ? didYouMean(name.slice(2), ["help", "version"], "--")
        : name.startsWith("-")
        ? ""
        : didYouMean(name, COMMANDS.map((c) => c.name)));
    err(
      name.startsWith("-")
        ? `varietal: unknown option '${name}'${hint}; see 'varietal --help'`
        : `varietal: unknown command '${name}'${hint}; see 'varietal --help'`,
    );
    return EXIT.usage;
  }
  let ctx: Context | undefined;
  let damaged: DamagedDatabaseError | undefined;
  try {
    const mod = await entry.load();
    const parsed = parseCommand(mod.spec, rest);
    if (parsed.help) {
      return say(renderHelp(parsed.spec, parsed.path));
    }
    ctx = await makeContext();
    return await mod.run(ctx, parsed.inv);
  } catch (e) {
    // A usage error or CliError is ours, said as it is; anything else may be damage or a bug.
    const ours = e instanceof UsageError || e instanceof CliError;
    if (!ours && ctx && isCorruption(e)) {
      // Name the file and say what to do, whichever command met the damage.
      damaged = e instanceof DamagedDatabaseError
        ? e
        : new DamagedDatabaseError(ctx.paths.database, (e as Error).message, { cause: e });
      err(`varietal: ${damaged.message}`);
      return EXIT.error;
    }
    // SQLite's bare "database is locked": name the file and what to do (exit 75).
    // SQLite's bare "database or disk is full": name the file and what to do.
    // SQLite's bare "attempt to write a readonly database": name the file that refuses.
    const failure = !ours && ctx ? databaseFailure(e, ctx.paths.database) : e;
    const { message, exit } = failureOf(failure, name);
    err(`varietal: ${message}`);
    if (!ours && Deno.env.get("VARIETAL_DEBUG")) {
      console.error(String((e as Error).stack));
    }
    return exit;
  } finally {
    ctx?.close();
    // After closing (which checkpoints the WAL): later commands refuse the same file.
    if (damaged && damaged.path === ctx?.paths.database) {
      await markDamaged(damaged.path, damaged.detail);
    }
  }
}
