// The sender's side of `varietal select` handed to a running daemon (see
// `_select_server.ts`), which `main.ts` tries before loading the command
// line's modules when a daemon's control FIFO exists: the daemon has select's
// modules, config and database warm. Only options that read no file of the
// sender's go (the daemon parses them as select would).
import { loginRuntimeDir, resolvePaths } from "../config/paths.ts";
import { configStamp } from "../config/config_stamp.ts";
import { sendControl } from "../pipeline/control_client.ts";
import { controlFifoExists } from "../pipeline/daemon_files.ts";
import { outdatedWarning, sessionOf } from "../pipeline/control_protocol.ts";
import { stdoutColor, StdoutError } from "./_output.ts";
import { selectHandsOver } from "./_select_handoff.ts";

/**
 * Hands `select` to the running daemon of this user and prints its answer.
 *
 * @returns The exit code, or null when select must run here: no daemon, the
 * arguments do not qualify, or the daemon declined (another config, database,
 * home or session; an older daemon) or could not be asked. A select changes
 * nothing the daemon's run would not, so running it here after a failed
 * hand-over is safe.
 */
export async function quickSelect(
  args: string[],
  env: (name: string) => string | undefined,
): Promise<number | null> {
  if (!selectHandsOver(args)) return null;
  let paths;
  try {
    paths = resolvePaths(env, loginRuntimeDir);
  } catch {
    return null; // no home to find it by: the command says so
  }
  if (!controlFifoExists(paths.runtime)) return null;
  let reply, pid;
  try {
    ({ reply, pid } = await sendControl(paths.runtime, "run-select", {
      select: {
        args,
        color: stdoutColor(env),
        home: paths.home,
        config: paths.configFile,
        config_stamp: configStamp(paths.configFile),
        database: paths.database,
        session: sessionOf(env),
      },
      // The daemon answers a select at once; if it does not, draw here.
      timeoutMs: 10_000,
    }));
  } catch {
    return null; // no daemon after all, or no answer: draw here
  }
  if (reply.outdated) {
    write(Deno.stderr, `varietal: warning: ${outdatedWarning(pid)}\n`);
  }
  if (!reply.output) return null; // declined, or a daemon that does not know run-select
  write(Deno.stdout, reply.output.stdout);
  write(Deno.stderr, reply.output.stderr);
  return reply.output.exit;
}

/**
 * Writes all of `text`; a reader that stopped early is not an error of ours, nor is
 * standard error that cannot be written.
 *
 * @throws {StdoutError} When standard output cannot be written.
 */
function write(w: { writeSync(p: Uint8Array): number }, text: string): void {
  let data = new TextEncoder().encode(text);
  try {
    while (data.length > 0) data = data.subarray(w.writeSync(data));
  } catch (e) {
    if (e instanceof Deno.errors.BrokenPipe) return;
    // Standard output unwritable (a full disk): said in one line, as by a command run here.
    if (w === Deno.stdout) throw new StdoutError(e);
  }
}
