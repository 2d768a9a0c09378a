/**
 * The daemon's end of the control channel: a FIFO in a private folder
 * (`$XDG_RUNTIME_DIR/varietal/control/daemon.fifo`, folder 0700, FIFO 0600).
 * Nothing listens on a network port, and only the user (and root) can open
 * it. Requests are read line by line (`control_protocol.ts`); junk, and any
 * request whose reply FIFO is not a private FIFO of this user in the control
 * folder, is dropped unread; every other request is carried out and
 * answered through its reply FIFO.
 *
 * Requires `--allow-read`, `--allow-write`, `--allow-run=mkfifo` and
 * `--allow-sys=uid`.
 *
 * @module
 */
import type { CommandRunner } from "../process/run_command.ts";
import {
  type ControlCommand,
  type ControlOutcome,
  type ControlReply,
  encodeReply,
  LineSplitter,
  MAX_LINE_BYTES,
  type NextHandOff,
  parseRequest,
  PROTOCOL_VERSION,
  randomHex,
  REPLY_NAME,
  type SelectHandOff,
  SPARE_FIFOS,
  SPARE_NAME,
} from "./control_protocol.ts";
import { controlDir, controlFifo } from "./daemon_files.ts";
import { privateFolderSync } from "../private_folder.ts";
import { isOwnFifo, makeFifo, openFifo, removeIfPresent, writeAll, writeAllSync } from "./fifo.ts";

/** Carries out one command; the daemon provides it. */
export type ControlHandler = (
  command: ControlCommand,
  next?: NextHandOff,
  select?: SelectHandOff,
  /** Whether the sender still waits ({@linkcode senderWaits}): one that gave up is skipped. */
  waited?: () => Promise<boolean>,
) => Promise<ControlOutcome>;

/** A running control channel. */
export interface ControlServer {
  /** The control FIFO. */
  readonly path: string;
  /** Stops reading, waits briefly for answers in progress, removes the FIFO. */
  close(): Promise<void>;
}

/** Options for {@linkcode startControlServer}. */
export interface ControlServerOptions {
  /** Writes one line to the daemon's log. */
  log: (line: string) => void;
  /** Runs `mkfifo`. @default runCommand */
  run?: CommandRunner;
  /** The clock. @default Date.now */
  now?: () => number;
  /** Milliseconds `close()` waits for answers in progress. @default 5000 */
  closeGraceMs?: number;
}

/**
 * Whether the sender of a request still waits for its answer: its reply FIFO
 * is there (a sender that gives up removes it) and, when it says it `held`
 * one, its lock on that FIFO is still taken (a lock goes with its process,
 * however that ends: a sender killed outright leaves the FIFO behind).
 */
export async function senderWaits(dir: string, reply: string, held = false): Promise<boolean> {
  const path = `${dir}/${reply}`;
  if (!(await isOwnFifo(path))) return false;
  if (!held) return true;
  let f: Deno.FsFile;
  try {
    f = await openFifo(path);
  } catch {
    return false;
  }
  try {
    if (!f.tryLockSync(true)) return true;
    f.unlockSync();
    return false;
  } finally {
    f.close();
  }
}

/** Reply FIFOs older than this were left by a sender that was killed. */
export const STALE_REPLY_MS = 10 * 60_000;

/** Milliseconds between two log lines about dropped junk. */
const JUNK_LOG_EVERY_MS = 60_000;

/**
 * Makes the control FIFO (replacing one a killed daemon left) and answers
 * requests until closed. Call it only while holding the daemon lock.
 *
 * @throws {Error} When the folder or FIFO cannot be made (e.g. no `mkfifo`).
 */
export async function startControlServer(
  runtimeDir: string,
  handler: ControlHandler,
  options: ControlServerOptions,
): Promise<ControlServer> {
  const { log, now = Date.now, closeGraceMs = 5000 } = options;
  const dir = controlDir(runtimeDir);
  const path = controlFifo(runtimeDir);
  privateFolderSync(dir, { symlink: "refuse" });
  // Whatever is there is stale: its daemon is gone, or we would not hold the lock.
  await removeIfPresent(path);
  await removeStaleReplies(dir, now());
  await makeFifo(path, options.run);
  const file = await openFifo(path);
  let closed = false;
  // Spare reply FIFOs for senders to claim (see SPARE_NAME), topped up after each answer;
  // an answer while a top-up runs has it look again once done (it may have missed a claim).
  let sparing: Promise<void> | undefined;
  let lookAgain = false;
  const spare = (): Promise<void> => {
    if (sparing) {
      lookAgain = true;
      return sparing;
    }
    return sparing = (async () => {
      do {
        lookAgain = false;
        await makeSpares(dir, options.run).catch((e) =>
          log(`control: cannot make spare reply FIFOs: ${(e as Error).message}`)
        );
      } while (lookAgain && !closed);
    })().finally(() => sparing = undefined);
  };
  await spare();

  const answering = new Set<Promise<void>>();
  let junk = 0;
  let junkLoggedAt = -Infinity;
  const dropJunk = (reason: string) => {
    junk++;
    if (now() - junkLoggedAt < JUNK_LOG_EVERY_MS) return;
    junkLoggedAt = now();
    log(`control: ignored ${junk} malformed request(s) (last: ${reason})`);
    junk = 0;
  };

  const answer = async (line: string) => {
    const parsed = parseRequest(line);
    if (parsed.kind === "junk") return dropJunk(parsed.reason);
    const id = parsed.kind === "request" ? parsed.request.id : parsed.id;
    const reply = parsed.kind === "request" ? parsed.request.reply : parsed.reply;
    // Nobody to answer: do nothing (a request must come from a sender that waits).
    if (!(await isOwnFifo(`${dir}/${reply}`))) {
      // A sender that gave up before we read its request (we were stopped, Ctrl-Z): it
      // ran the command itself or reported the failure. Not junk.
      if (parsed.kind === "request") {
        return log(`control: dropped '${parsed.request.command}': its sender no longer waits`);
      }
      return dropJunk("its reply FIFO is missing");
    }
    let outcome: ControlOutcome;
    if (parsed.kind === "reject") {
      outcome = { ok: false, message: parsed.message };
    } else {
      try {
        const { command, next, select, held } = parsed.request;
        outcome = await handler(command, next, select, () => senderWaits(dir, reply, held));
      } catch (e) {
        outcome = { ok: false, message: (e as Error).message };
      }
    }
    try {
      await writeReply(dir, reply, { v: PROTOCOL_VERSION, id, ...outcome });
    } catch (e) {
      // A sender interrupted meanwhile removed its FIFO: nobody to tell, nothing to log.
      if (await isOwnFifo(`${dir}/${reply}`)) {
        log(`control: cannot answer ${reply}: ${(e as Error).message}`);
      }
    }
    if (!closed) void spare();
  };

  const reading = (async () => {
    const splitter = new LineSplitter();
    const buf = new Uint8Array(MAX_LINE_BYTES);
    let overlong = 0;
    while (!closed) {
      let n: number | null;
      try {
        n = await file.read(buf);
      } catch (e) {
        if (!closed) log(`control: reading ${path} failed: ${(e as Error).message}`);
        return;
      }
      // We hold a write end ourselves, so end-of-file does not happen.
      if (n === null) return;
      for (const line of splitter.push(buf.subarray(0, n))) {
        const p = answer(line);
        answering.add(p);
        p.finally(() => answering.delete(p));
      }
      if (splitter.overlong > overlong) {
        overlong = splitter.overlong;
        dropJunk(`a line longer than ${MAX_LINE_BYTES} bytes`);
      }
    }
  })();

  return {
    path,
    async close() {
      if (closed) return;
      closed = true;
      file.close();
      await reading;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.allSettled([...answering]),
        new Promise((r) => timer = setTimeout(r, closeGraceMs)),
      ]);
      clearTimeout(timer);
      await sparing;
      await removeIfPresent(path).catch(() => {});
      await removeSpares(dir).catch(() => {});
    },
  };
}

/**
 * Writes a reply into a sender's reply FIFO, which must be a private FIFO of
 * this user in the control folder. Never blocks on a sender that is gone.
 */
async function writeReply(dir: string, name: string, reply: ControlReply): Promise<void> {
  if (!REPLY_NAME.test(name)) throw new Error("not a reply FIFO name");
  const path = `${dir}/${name}`;
  if (!(await isOwnFifo(path))) throw new Error("not a private FIFO of this user");
  const f = await openFifo(path);
  try {
    const data = new TextEncoder().encode(encodeReply(reply));
    // The reply FIFO is new and empty: up to PIPE_BUF bytes go in at once without
    // waiting, so a short answer skips the trip through Deno's thread pool.
    if (data.length <= MAX_LINE_BYTES) writeAllSync(f, data);
    else await writeAll(f, data);
  } finally {
    f.close();
  }
}

/**
 * Makes spare reply FIFOs, all with one `mkfifo`, up to {@linkcode SPARE_FIFOS}
 * once fewer than half of them are left.
 */
async function makeSpares(dir: string, run: CommandRunner | undefined): Promise<void> {
  let have = 0;
  for await (const entry of Deno.readDir(dir)) if (SPARE_NAME.test(entry.name)) have++;
  if (have * 2 >= SPARE_FIFOS) return;
  const paths = Array.from(
    { length: SPARE_FIFOS - have },
    () => `${dir}/spare-${randomHex(8)}.fifo`,
  );
  await makeFifo(paths, run);
}

/** Removes the spare reply FIFOs (the daemon's own, when it stops or starts). */
async function removeSpares(dir: string): Promise<void> {
  for await (const entry of Deno.readDir(dir)) {
    if (SPARE_NAME.test(entry.name)) await removeIfPresent(`${dir}/${entry.name}`);
  }
}

/** Removes reply FIFOs that killed senders left behind (and spares of an earlier daemon). */
async function removeStaleReplies(dir: string, now: number): Promise<void> {
  await removeSpares(dir);
  for await (const entry of Deno.readDir(dir)) {
    if (!REPLY_NAME.test(entry.name)) continue;
    const path = `${dir}/${entry.name}`;
    try {
      const st = await Deno.lstat(path);
      if (st.mtime && now - st.mtime.getTime() > STALE_REPLY_MS) await Deno.remove(path);
    } catch { /* gone meanwhile */ }
  }
}
