/**
 * The sender's end of the control channel (`varietal daemon --send`,
 * `varietal status`): finds the running daemon through its lock, makes a
 * private reply FIFO, writes one request line into the daemon's control
 * FIFO and waits for the answer.
 *
 * Requires `--allow-read`, `--allow-write`, `--allow-run=mkfifo` and
 * `--allow-sys=uid`.
 *
 * @module
 */
import type { CommandRunner } from "../process/run_command.ts";
import {
  type ControlCommand,
  type ControlReply,
  encodeRequest,
  LineSplitter,
  MAX_REPLY_BYTES,
  type NextHandOff,
  parseReply,
  PROTOCOL_VERSION,
  randomHex,
  type SelectHandOff,
  SPARE_NAME,
} from "./control_protocol.ts";
import { controlDir, controlFifo, runningDaemonPid } from "./daemon_files.ts";
import { isOwnFifo, makeFifo, openFifo, removeIfPresent, writeAllSync } from "./fifo.ts";
import { afterMs } from "../timeout.ts";

/** No daemon runs (nobody holds its lock). */
export class DaemonNotRunningError extends Error {
  constructor(message = "no varietal daemon is running") {
    super(message);
    this.name = "DaemonNotRunningError";
  }
}

/** The daemon runs but could not be asked: no channel, no answer in time, or it stopped. */
export class ControlError extends Error {
  /** Whether the request had reached the daemon (it may have been carried out). */
  readonly delivered: boolean;
  constructor(message: string, options: { delivered?: boolean } = {}) {
    super(message);
    this.name = "ControlError";
    this.delivered = options.delivered ?? false;
  }
}

/** Options for {@linkcode sendControl}. */
export interface SendControlOptions {
  /** Milliseconds to wait for the answer. @default 120000 */
  timeoutMs?: number;
  /** Milliseconds between checks that the daemon still runs. @default 500 */
  pollMs?: number;
  /** Runs `mkfifo`. @default runCommand */
  run?: CommandRunner;
  /** With `run-next`: what `varietal next` hands over. */
  next?: NextHandOff;
  /** With `run-select`: what `varietal select` hands over. */
  select?: SelectHandOff;
  /**
   * Stops waiting (Ctrl-C, SIGTERM): the reply FIFO is removed, which tells
   * the daemon that nobody waits any more (a `run-next` it carries out is then
   * stopped, as `next` by itself is), and the abort reason is thrown.
   */
  signal?: AbortSignal;
}

/** The answer and who gave it. */
export interface SentControl {
  /** The daemon's pid (0 if its lock file does not say). */
  pid: number;
  reply: ControlReply;
}

/**
 * Sends a command to the running daemon and waits for its answer; `next`,
 * `theme`, `reload`, `stop` and `run-next` (with `options.next`) are
 * answered once carried out.
 *
 * @throws {DaemonNotRunningError} When no daemon runs.
 * @throws {ControlError} When the daemon has no control channel, does not
 * answer in time or stops before answering (then `delivered` is true).
 */
export async function sendControl(
  runtimeDir: string,
  command: ControlCommand,
  options: SendControlOptions = {},
): Promise<SentControl> {
  const { timeoutMs = 120_000, pollMs = 500 } = options;
  const pid = await runningDaemonPid(runtimeDir);
  if (pid === null) throw new DaemonNotRunningError();
  const who = pid > 0 ? `the daemon (pid ${pid})` : "the daemon";
  const fifo = controlFifo(runtimeDir);
  if (!(await isOwnFifo(fifo))) {
    throw new ControlError(
      `${who} has no control channel (${fifo} is missing or not a private FIFO); ` +
        `${
          pid > 0
            ? `'kill -HUP ${pid}' makes it again ('kill ${pid}' stops it)`
            : "SIGHUP makes it again"
        }, or see its log`,
    );
  }
  const id = randomHex(8);
  const name = `reply-${Deno.pid}-${id}.fifo`;
  const replyPath = `${controlDir(runtimeDir)}/${name}`;
  if (!(await claimSpare(controlDir(runtimeDir), replyPath))) {
    await makeFifo(replyPath, options.run);
  }
  try {
    // Open our end first: the daemon's answer then waits in the pipe however soon it comes.
    const replies = await openFifo(replyPath);
    // Held while we wait, and gone with this process however it ends: the daemon can
    // tell that nobody waits any more (see control_server.ts's senderWaits).
    let held = false;
    try {
      held = replies.tryLockSync(true);
    } catch { /* a file system without locks: the daemon goes by the FIFO alone */ }
    let open = true;
    const closeReplies = () => {
      if (open) replies.close();
      open = false;
    };
    try {
      const ctl = await openFifo(fifo);
      try {
        const line = encodeRequest({
          v: PROTOCOL_VERSION,
          id,
          command,
          reply: name,
          ...(held ? { held } : {}),
          ...(options.next ? { next: options.next } : {}),
          ...(options.select ? { select: options.select } : {}),
        });
        writeAllSync(ctl, new TextEncoder().encode(line));
      } finally {
        ctl.close();
      }
      const sentAt = Date.now();
      let lastLook = 0;
      const reply = await readReply(replies, id, {
        timeoutMs,
        pollMs,
        alive: async () => (await runningDaemonPid(runtimeDir)) !== null,
        // A daemon suspended in its terminal (Ctrl-Z) answers nothing until resumed: after a
        // few seconds without an answer, `ps` is asked (every few seconds) whether it is.
        stopped: async () => {
          const now = Date.now();
          if (pid <= 0 || now - sentAt < STOPPED_AFTER_MS || now - lastLook < STOPPED_AFTER_MS) {
            return false;
          }
          lastLook = now;
          return await isStopped(pid, options.run);
        },
        onGiveUp: closeReplies,
        who,
        pid,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return { pid, reply };
    } finally {
      closeReplies();
    }
  } finally {
    await removeIfPresent(replyPath).catch(() => {});
  }
}

/** How long a sender waits for an answer before it asks whether the daemon is stopped. */
const STOPPED_AFTER_MS = 3000;

/** The daemon did not answer because it is stopped (Ctrl-Z, SIGSTOP). */
export class DaemonStoppedError extends ControlError {
  constructor(message: string) {
    // Not delivered, as far as the sender goes: the daemon skips a request whose
    // sender has gone by the time it is resumed (see daemon.ts).
    super(message);
    this.name = "DaemonStoppedError";
  }
}

/** Whether process `pid` is stopped by a signal (its `ps` state is `T`); false when unknown. */
export async function isStopped(pid: number, run?: CommandRunner): Promise<boolean> {
  try {
    // Loaded only here: a sender that gets its answer never needs it.
    run ??= (await import("../process/run_command.ts")).runCommand;
    const r = await run(["ps", "-o", "stat=", "-p", String(pid)], { timeoutMs: 2000 });
    return r.stdout.trim().startsWith("T");
  } catch {
    return false;
  }
}

interface ReadReplyOptions {
  timeoutMs: number;
  pollMs: number;
  alive: () => Promise<boolean>;
  /** Whether the daemon is stopped (checked at polls; gives up when it is). */
  stopped?: () => Promise<boolean>;
  /** The daemon's pid, for messages. */
  pid: number;
  /** Cancels the pending read. */
  onGiveUp: () => void;
  who: string;
  /** Stops waiting; its reason is thrown. */
  signal?: AbortSignal;
}

/** Reads lines from the reply FIFO until the one with our id. */
function readReply(
  file: Deno.FsFile,
  id: string,
  o: ReadReplyOptions,
): Promise<ControlReply> {
  return new Promise((resolve, reject) => {
    let done = false;
    // afterMs, not setTimeout: this is on a key press's path (see src/timeout.ts).
    let cancelPoll = () => {};
    const finish = (f: () => void) => {
      if (done) return;
      done = true;
      cancelTimeout();
      cancelPoll();
      o.signal?.removeEventListener("abort", interrupted);
      f();
    };
    const giveUp = (message: string) =>
      finish(() => {
        o.onGiveUp();
        reject(new ControlError(message, { delivered: true }));
      });
    const cancelTimeout = afterMs(
      o.timeoutMs,
      () => giveUp(`${o.who} did not answer within ${Math.round(o.timeoutMs / 1000)}s`),
    );
    const poll = () => {
      cancelPoll = afterMs(o.pollMs, async () => {
        if (done) return;
        if (await o.stopped?.().catch(() => false)) {
          return finish(() => {
            o.onGiveUp();
            reject(
              new DaemonStoppedError(
                `${o.who} is stopped (Ctrl-Z or SIGSTOP); resume it with 'kill -CONT ${o.pid}' ` +
                  "(or 'fg' in its terminal)",
              ),
            );
          });
        }
        if (await o.alive().catch(() => true)) return poll();
        // Its last answer may still be on its way through the pipe: a moment's grace.
        cancelPoll = afterMs(200, () => giveUp(`${o.who} stopped before answering`));
      });
    };
    poll();
    const interrupted = () =>
      finish(() => {
        o.onGiveUp();
        reject(o.signal!.reason);
      });
    if (o.signal?.aborted) interrupted();
    o.signal?.addEventListener("abort", interrupted, { once: true });
    (async () => {
      const splitter = new LineSplitter(MAX_REPLY_BYTES);
      const buf = new Uint8Array(65536);
      while (!done) {
        let n: number | null;
        try {
          n = await file.read(buf);
        } catch (e) {
          return finish(() => reject(e));
        }
        if (n === null) return giveUp(`the reply FIFO closed before ${o.who} answered`);
        for (const line of splitter.push(buf.subarray(0, n))) {
          let reply: ControlReply;
          try {
            reply = parseReply(line);
          } catch {
            continue;
          }
          if (reply.id === id) return finish(() => resolve(reply));
        }
      }
    })();
  });
}

/**
 * Renames one of the daemon's spare reply FIFOs to `target`; false when none
 * is left (another sender took the last) or it is not a private FIFO of ours.
 */
export async function claimSpare(dir: string, target: string): Promise<boolean> {
  // Blocking calls: a few system calls on the key press's path.
  let names: string[];
  try {
    names = [];
    for (const e of Deno.readDirSync(dir)) if (SPARE_NAME.test(e.name)) names.push(e.name);
  } catch {
    return false;
  }
  for (const name of names) {
    try {
      Deno.renameSync(`${dir}/${name}`, target);
    } catch {
      continue; // claimed by another sender meanwhile
    }
    if (!(await isOwnFifo(target))) {
      await removeIfPresent(target).catch(() => {});
      return false;
    }
    // A fresh mtime: a daemon starting meanwhile removes only old reply FIFOs.
    try {
      const now = new Date();
      Deno.utimeSync(target, now, now);
    } catch { /* only the clean-up of a restarting daemon looks at it */ }
    return true;
  }
  return false;
}
