/**
 * Writes sequences to the user's own terminals (`/dev/pts/N` owned by this
 * user and writable; others are skipped) and saves them to a file a shell
 * can `cat` at start. Requires `--allow-run` (find, tee), `--allow-write`
 * (the saved file) and `--allow-sys=uid`.
 *
 * @module
 */
import { runCommand, type RunOptions } from "../process/run_command.ts";
import { writeAtomic } from "../atomic_write.ts";

/** What {@linkcode writeTerminals} did. */
export interface TerminalReport {
  /** Terminals written. */
  written: string[];
  /** Terminals that could not be written, with the reason. */
  failed: { path: string; reason: string }[];
}

/** Options for {@linkcode writeTerminals}. */
export interface WriteTerminalsOptions {
  /** The folder of pseudo-terminals. @default "/dev/pts" */
  dir?: string;
  /** The uid whose terminals to write. @default Deno.uid() */
  uid?: number | null;
  /** Milliseconds `find` and `tee` may take. @default 2000 */
  timeoutMs?: number;
}

/**
 * Writes `sequences` to each terminal of the user.
 *
 * Deno only lets a process with `--allow-all` touch `/dev/pts`, so the
 * terminals are found with `find` (owned by the user, writable) and written
 * with `tee`, both run through {@linkcode runCommand} (argv arrays, no
 * shell, with a timeout).
 *
 * @throws {CommandError} When `find` or `tee` is not installed.
 */
export async function writeTerminals(
  sequences: string,
  options: WriteTerminalsOptions = {},
): Promise<TerminalReport> {
  const dir = options.dir ?? "/dev/pts";
  const uid = options.uid === undefined ? Deno.uid() : options.uid;
  const timeoutMs = options.timeoutMs ?? 2000;
  const report: TerminalReport = { written: [], failed: [] };
  const args = [dir, "-mindepth", "1", "-maxdepth", "1", "-name", "[0-9]*"];
  if (uid !== null) args.push("-uid", String(uid));
  args.push("-writable", "-print0");
  const found = await run(["find", ...args], { timeoutMs });
  const ttys = found.stdout.split("\0").filter(Boolean).sort();
  if (ttys.length === 0) return report;
  const tee = await run(["tee", "--", ...ttys], { timeoutMs, input: sequences });
  const failed = new Map<string, string>();
  for (const line of tee.stderr.split("\n")) {
    const m = /^tee: (.+?): (.+)$/.exec(line.trim());
    if (m) failed.set(m[1], m[2]);
  }
  if (tee.timedOut) {
    for (const t of ttys) if (!failed.has(t)) failed.set(t, "write timed out");
  }
  for (const t of ttys) {
    if (failed.has(t)) report.failed.push({ path: t, reason: failed.get(t)! });
    else report.written.push(t);
  }
  return report;
}

/** Saves the sequences to `file` (atomically) for shells to `cat` at start. */
export async function saveSequences(file: string, sequences: string): Promise<void> {
  await writeAtomic(file, sequences, {
    mode: 0o600,
    forceMode: true,
    privateFolder: file.slice(0, file.lastIndexOf("/")),
  });
}

/** Runs find or tee without failing on their exit code; a timeout kills at once. */
function run(argv: string[], options: RunOptions) {
  return runCommand(argv, { ...options, check: false, killAfterMs: 0 });
}
