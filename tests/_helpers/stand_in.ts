// Stand-in executables that record their argv (one line per call, tab-separated),
// for testing setters and notify-send without the real programs.
import { type CommandRunner, runCommand } from "../../src/process/run_command.ts";

/** What one stand-in does besides recording its argv. */
export interface StandInBehaviour {
  /** Printed on stdout. */
  stdout?: string;
  /** Shell lines run after recording (use only builtins: PATH may be empty). */
  script?: string;
}

/** A folder of stand-ins. */
export interface StandIns extends AsyncDisposable {
  dir: string;
  /** Each recorded call: [program, ...args]. */
  calls(): Promise<string[][]>;
  /** Forgets the recorded calls. */
  clear(): Promise<void>;
  /** Runs argv[0] from the stand-in folder (a real process; PATH untouched). */
  run: CommandRunner;
}

/**
 * Writes one executable per program into a temporary folder; each appends
 * `NAME\targ1\targ2…` to a log, then prints `stdout` and runs `script`.
 */
export async function standIns(programs: Record<string, StandInBehaviour>): Promise<StandIns> {
  const dir = await Deno.makeTempDir({ prefix: "varietal-stand-in-" });
  const log = `${dir}/calls.log`;
  await Deno.writeTextFile(log, "");
  for (const [name, b] of Object.entries(programs)) {
    const out = b.stdout === undefined
      ? ""
      : `printf '%s' '${b.stdout.replaceAll("'", "'\\''")}'\n`;
    await Deno.writeTextFile(
      `${dir}/${name}`,
      `#!/bin/sh
line="\${0##*/}"
for a in "$@"; do line="$line	$a"; done
printf '%s\\n' "$line" >> '${log}'
${out}${b.script ?? ""}
`,
    );
    await Deno.chmod(`${dir}/${name}`, 0o755);
  }
  return {
    dir,
    async calls() {
      return (await Deno.readTextFile(log)).split("\n").filter(Boolean).map((l) => l.split("\t"));
    },
    clear: () => Deno.writeTextFile(log, ""),
    run: (argv, options) =>
      runCommand(
        [argv[0].includes("/") ? argv[0] : `${dir}/${argv[0]}`, ...argv.slice(1)],
        options,
      ),
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
