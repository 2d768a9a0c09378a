// The daemon's side of `varietal select` handed over (`run-select`): the select
// command itself, run on the daemon's warm modules, config and database, its
// output kept and sent back to be printed by the sender.
import {
  type ControlOutcome,
  type HandedOutput,
  MAX_REPLY_BYTES,
  type SelectHandOff,
} from "../pipeline/control_protocol.ts";
import type { HandOffSelect } from "../pipeline/daemon.ts";
import type { PipelineDeps } from "../pipeline/pipeline_deps.ts";
import type { Context } from "./_context.ts";
import { bufferedOutput } from "./_output.ts";
import { progressBar } from "./_progress.ts";
import { parseCommand } from "./_parse.ts";
import { CliError, failureOf, UsageError } from "./errors.ts";
import { declined, handOffMismatch } from "./_next_server.ts";
import { selectHandsOver } from "./_select_handoff.ts";
import * as select from "./select.ts";

/** Room left in a reply for its envelope. */
const ENVELOPE_BYTES = 4096;

/**
 * The `run-select` handler of a daemon: declines a sender whose set-up differs
 * (config file or its version, database, home folder, desktop session), else
 * parses and runs `select` exactly as the sender would and answers with what
 * it printed and its exit code. A failure that is not the command's own (a
 * bug, a damaged database) is declined too: the sender then meets it itself.
 *
 * @param deps The daemon's dependencies (its config changes on reload).
 * @param configStamp The stamp of the config file the daemon read last.
 */
export function selectServer(deps: PipelineDeps, configStamp: () => string): HandOffSelect {
  return async (req: SelectHandOff): Promise<ControlOutcome> => {
    const mismatch = req.home !== deps.paths.home
      ? "another home folder"
      : handOffMismatch(req, deps, configStamp());
    if (mismatch) return declined(mismatch);
    if (!selectHandsOver(req.args)) {
      return { ok: false, declined: true, message: "declined: an option the sender must run" };
    }
    const out = bufferedOutput(req.color);
    let exit: number;
    try {
      const parsed = parseCommand(select.spec, req.args);
      if (parsed.help) return { ok: false, declined: true, message: "declined: --help" };
      exit = await select.run(senderContext(deps, out), parsed.inv);
    } catch (e) {
      if (!(e instanceof UsageError || e instanceof CliError)) {
        return {
          ok: false,
          declined: true,
          message: `declined: ${failureOf(e, "select").message}`,
        };
      }
      const failure = failureOf(e, "select");
      out.err(`varietal: ${failure.message}`);
      exit = failure.exit;
    }
    const output: HandedOutput = { stdout: out.stdout, stderr: out.stderr, exit };
    const bytes = new TextEncoder().encode(JSON.stringify(output)).length; // as sent
    if (bytes > MAX_REPLY_BYTES - ENVELOPE_BYTES) {
      return { ok: false, declined: true, message: "declined: too much output for one reply" };
    }
    return { ok: exit === 0, message: `select: exit ${exit}`, output };
  };
}

/** A command context on the daemon's config and database, printing into `out`. */
function senderContext(deps: PipelineDeps, out: ReturnType<typeof bufferedOutput>): Context {
  return {
    paths: deps.paths,
    env: deps.env,
    out,
    config: () => Promise.resolve(deps.config),
    db: () => Promise.resolve(deps.db),
    progress: (title) => progressBar(title, false),
    interrupt: () => new AbortController().signal,
    close: () => {}, // the database is the daemon's
  };
}
