/**
 * The daemon's control protocol, as plain data: what `varietal daemon
 * --send` and `varietal status` write into the daemon's control FIFO, what
 * the daemon answers, and how a byte stream is cut into lines. No I/O here
 * (see `control_server.ts` and `control_client.ts`).
 *
 * A request is one line of JSON, at most {@linkcode MAX_LINE_BYTES} bytes
 * (so that one `write` is atomic and requests of several senders never
 * interleave):
 *
 * ```json
 * {"v":1,"id":"9f…","command":"next","reply":"reply-4711-9f….fifo"}
 * ```
 *
 * `reply` names a FIFO the sender made beside the control FIFO; the daemon
 * writes one line of JSON into it: `{"v":1,"id":"9f…","ok":true,"message":"…"}`.
 *
 * @module
 */

/** Every command the daemon accepts on its control channel. */
export const CONTROL_COMMANDS = [
  "next",
  "theme",
  "reload",
  "stop",
  "pause",
  "resume",
  "toggle",
  "status",
] as const;

/** A command of {@linkcode CONTROL_COMMANDS}. */
export type ControlCommand = typeof CONTROL_COMMANDS[number];

/** The protocol version; a daemon answers requests of another version with an error. */
export const PROTOCOL_VERSION = 1;

/** Longest request or reply line in bytes, newline included (Linux's PIPE_BUF). */
export const MAX_LINE_BYTES = 4096;

/** What a reply FIFO may be called: `reply-PID-HEX.fifo`, nothing else (no paths). */
export const REPLY_NAME = /^reply-[1-9][0-9]{0,9}-[0-9a-f]{16}\.fifo$/;

/** The daemon's live state, as `varietal status --json` shows it. */
export interface DaemonStatus {
  /** The daemon's process id. */
  pid: number;
  /** Whether timer rotations are paused. */
  paused: boolean;
  /** When it was paused (ms since the epoch), or null. */
  paused_at: number | null;
  /** Seconds between rotations. */
  interval: number;
  /** When the timer changes the wallpaper next (ms since the epoch); null while paused. */
  next_change_at: number | null;
  /** When the daemon started (ms since the epoch). */
  started_at: number;
  /** The command it is carrying out now ("next", "theme", …), or null when idle. */
  busy: string | null;
}

/** One request line. */
export interface ControlRequest {
  v: number;
  /** Chosen by the sender; the reply repeats it. */
  id: string;
  command: ControlCommand;
  /** File name (no folder) of the sender's reply FIFO, matching {@linkcode REPLY_NAME}. */
  reply: string;
}

/** One reply line. */
export interface ControlReply {
  v: number;
  id: string;
  ok: boolean;
  /** One line for people: what was done, or why not. */
  message: string;
  /** The daemon's state after the command (for pause/resume/toggle/status). */
  status?: DaemonStatus;
}

/** What the daemon's handler gives back for a command (the reply without its envelope). */
export type ControlOutcome = Omit<ControlReply, "v" | "id">;

/** A request line as the daemon reads it. */
export type ParsedRequest =
  /** A request to carry out. */
  | { kind: "request"; request: ControlRequest }
  /** A request that can be answered, but only with an error. */
  | { kind: "reject"; id: string; reply: string; message: string }
  /** Junk that names no usable reply FIFO: dropped. */
  | { kind: "junk"; reason: string };

/**
 * Encodes a request as one line.
 *
 * @throws {RangeError} When it would be longer than {@linkcode MAX_LINE_BYTES}.
 */
export function encodeRequest(request: ControlRequest): string {
  return encodeLine(request);
}

/**
 * Encodes a reply as one line.
 *
 * @throws {RangeError} When it would be longer than {@linkcode MAX_LINE_BYTES}.
 */
export function encodeReply(reply: ControlReply): string {
  return encodeLine(reply);
}

function encodeLine(value: unknown): string {
  const line = JSON.stringify(value) + "\n";
  if (new TextEncoder().encode(line).length > MAX_LINE_BYTES) {
    throw new RangeError(`Cannot send a control line longer than ${MAX_LINE_BYTES} bytes`);
  }
  return line;
}

/**
 * Reads one request line. Anything that does not name a valid reply FIFO
 * is junk (nobody to answer); a request with a bad version or an unknown
 * command is rejected with a reply.
 */
export function parseRequest(line: string): ParsedRequest {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { kind: "junk", reason: "not JSON" };
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { kind: "junk", reason: "not a JSON object" };
  }
  const r = raw as Record<string, unknown>;
  if (typeof r.reply !== "string" || !REPLY_NAME.test(r.reply)) {
    return { kind: "junk", reason: "no valid reply name" };
  }
  if (typeof r.id !== "string" || !/^[0-9a-f]{1,64}$/.test(r.id)) {
    return { kind: "junk", reason: "no valid id" };
  }
  const answer = { id: r.id, reply: r.reply };
  if (r.v !== PROTOCOL_VERSION) {
    return {
      kind: "reject",
      ...answer,
      message: `protocol version ${String(r.v)} is not ${PROTOCOL_VERSION}; ` +
        "restart the daemon after updating varietal",
    };
  }
  if (typeof r.command !== "string" || !isControlCommand(r.command)) {
    return {
      kind: "reject",
      ...answer,
      message: `unknown command '${String(r.command).slice(0, 40)}' (expected one of: ${
        CONTROL_COMMANDS.join(", ")
      })`,
    };
  }
  return {
    kind: "request",
    request: { v: PROTOCOL_VERSION, id: r.id, command: r.command, reply: r.reply },
  };
}

/**
 * Reads one reply line.
 *
 * @throws {SyntaxError} When it is not a reply.
 */
export function parseReply(line: string): ControlReply {
  const r = JSON.parse(line) as Partial<ControlReply> | null;
  if (
    typeof r !== "object" || r === null || typeof r.id !== "string" ||
    typeof r.ok !== "boolean" || typeof r.message !== "string"
  ) {
    throw new SyntaxError("Cannot read the daemon's reply: not a reply object");
  }
  return {
    v: typeof r.v === "number" ? r.v : 0,
    id: r.id,
    ok: r.ok,
    message: r.message,
    ...(r.status && typeof r.status === "object" ? { status: r.status } : {}),
  };
}

/** Whether a string is one of {@linkcode CONTROL_COMMANDS}. */
export function isControlCommand(s: string): s is ControlCommand {
  return (CONTROL_COMMANDS as readonly string[]).includes(s);
}

/**
 * Cuts a byte stream into lines of at most {@linkcode MAX_LINE_BYTES}.
 * A longer line is dropped whole (counted in `overlong`), up to its newline.
 */
export class LineSplitter {
  #buf: Uint8Array = new Uint8Array(0);
  #skipping = false;
  #decoder = new TextDecoder();
  /** Lines dropped for being too long. */
  overlong = 0;

  /** Feeds bytes; returns the complete lines they finish (without newlines). */
  push(chunk: Uint8Array): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] !== 0x0a) continue;
      const part = chunk.subarray(start, i);
      start = i + 1;
      if (this.#skipping) {
        this.#skipping = false;
      } else if (this.#buf.length + part.length < MAX_LINE_BYTES) {
        lines.push(this.#decoder.decode(concat(this.#buf, part)));
      } else {
        this.overlong++;
      }
      this.#buf = new Uint8Array(0);
    }
    if (!this.#skipping) {
      const rest = chunk.subarray(start);
      if (this.#buf.length + rest.length >= MAX_LINE_BYTES) {
        this.#skipping = true;
        this.overlong++;
        this.#buf = new Uint8Array(0);
      } else if (rest.length > 0) {
        this.#buf = concat(this.#buf, rest);
      }
    }
    return lines;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b.slice();
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
