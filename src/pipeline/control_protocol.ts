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
 * A reply has one writer, so it may be longer (up to {@linkcode MAX_REPLY_BYTES}).
 *
 * `run-next` is how `varietal next` hands its work to a running daemon: the
 * request carries a {@linkcode NextHandOff}, and the reply the whole result
 * (`show`), or the exit code of the failure (`exit`), or `declined` when the
 * daemon's set-up differs from the sender's (the sender then runs `next`
 * itself). A daemon older than `run-next` rejects it as an unknown command,
 * which a sender takes as declined. `run-select` does the same for
 * `varietal select` ({@linkcode SelectHandOff}): the reply carries what the
 * command printed and its exit code (`output`).
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
  "run-next",
  "run-select",
] as const;

/** A command of {@linkcode CONTROL_COMMANDS}. */
export type ControlCommand = typeof CONTROL_COMMANDS[number];

/** The protocol version; a daemon answers requests of another version with an error. */
export const PROTOCOL_VERSION = 1;

/** Longest request line in bytes, newline included (Linux's PIPE_BUF). */
export const MAX_LINE_BYTES = 4096;

/** Longest reply line in bytes, newline included (a `run-next` result with its theme report). */
export const MAX_REPLY_BYTES = 1 << 20;

/**
 * What every hand-over shares with the daemon so that it does exactly what
 * the sender would: the daemon declines when any of it differs from its own.
 */
export interface HandOffBase {
  /** The sender's config file. */
  config: string;
  /** Size, mtime and inode of that file when the sender started (see `configStamp`). */
  config_stamp: string;
  /** The sender's database. */
  database: string;
  /** The sender's desktop session variables (see `SESSION_VARIABLES`). */
  session: Record<string, string>;
}

/** What `varietal next` asks of a running daemon (`run-next`): its options. */
export interface NextHandOff extends HandOffBase {
  /** `--setter`, when given (else `[wallpaper] setter`, never the daemon's `--setter`). */
  setter?: string;
  /** `--wait`, in milliseconds. */
  wait_ms?: number;
  /** `--image`, as given. */
  image?: string;
  /** The sender's working folder (a relative `image` is taken from it). */
  cwd?: string;
}

/**
 * What `varietal select` asks of a running daemon (`run-select`): its
 * arguments, which the daemon parses as `select` would.
 */
export interface SelectHandOff extends HandOffBase {
  /** The arguments after `select` (only options that read no file of the sender's). */
  args: string[];
  /** Whether the sender's stdout takes colour. */
  color: boolean;
  /** The sender's home folder (sources and groups name paths under it). */
  home: string;
}

/** What a command run by the daemon for its sender printed (`run-select`). */
export interface HandedOutput {
  /** The text for the sender's stdout, as the command would have written it. */
  stdout: string;
  /** The text for its stderr. */
  stderr: string;
  /** The command's exit code. */
  exit: number;
}

/** Most arguments a `run-select` request may carry, and the longest one. */
export const MAX_HANDOFF_ARGS = 16;
const MAX_ARG_LENGTH = 256;

/** The environment variables that tell which desktop session a process belongs to. */
export const SESSION_VARIABLES = [
  "WAYLAND_DISPLAY",
  "DISPLAY",
  "XDG_CURRENT_DESKTOP",
  "SWAYSOCK",
  "HYPRLAND_INSTANCE_SIGNATURE",
] as const;

/**
 * The session variables of an environment, those set and non-empty.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sessionOf } from "./control_protocol.ts";
 *
 * const env: Record<string, string> = { WAYLAND_DISPLAY: "wayland-1", HOME: "/home/a", DISPLAY: "" };
 * assert.deepEqual(sessionOf((k) => env[k]), { WAYLAND_DISPLAY: "wayland-1" });
 * ```
 */
export function sessionOf(env: (name: string) => string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of SESSION_VARIABLES) {
    const v = env(k);
    if (v) out[k] = v;
  }
  return out;
}

/**
 * Whether two session variable sets are the same.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sameSession } from "./control_protocol.ts";
 *
 * assert.ok(sameSession({ DISPLAY: ":0" }, { DISPLAY: ":0" }));
 * assert.ok(!sameSession({ DISPLAY: ":0" }, { DISPLAY: ":1" }));
 * assert.ok(!sameSession({ DISPLAY: ":0" }, {}));
 * ```
 */
export function sameSession(a: Record<string, string>, b: Record<string, string>): boolean {
  return SESSION_VARIABLES.every((k) => (a[k] ?? "") === (b[k] ?? ""));
}

/** What a reply FIFO may be called: `reply-PID-HEX.fifo`, nothing else (no paths). */
export const REPLY_NAME = /^reply-[1-9][0-9]{0,9}-[0-9a-f]{16}\.fifo$/;

/**
 * What a spare reply FIFO is called: the daemon keeps {@linkcode SPARE_FIFOS}
 * ready in its control folder, and a sender claims one by renaming it to its
 * reply name (one rename, where making a FIFO costs starting `mkfifo`).
 */
export const SPARE_NAME = /^spare-[0-9a-f]{16}\.fifo$/;

/**
 * How many spare reply FIFOs the daemon makes at a time (one `mkfifo`); it
 * makes more once fewer than half are left.
 */
export const SPARE_FIFOS = 8;

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
  /** Set when varietal was updated or moved on disk since it started (it runs the old code). */
  outdated?: true;
  /** The fingerprint of the config file in use (`configStamp`), when the daemon tells it. */
  config_stamp?: string;
}

/** One request line. */
export interface ControlRequest {
  v: number;
  /** Chosen by the sender; the reply repeats it. */
  id: string;
  command: ControlCommand;
  /** File name (no folder) of the sender's reply FIFO, matching {@linkcode REPLY_NAME}. */
  reply: string;
  /** With `run-next`: what to do (required there, absent elsewhere). */
  next?: NextHandOff;
  /** With `run-select`: what to do (required there, absent elsewhere). */
  select?: SelectHandOff;
  /**
   * The sender holds an exclusive lock on its reply FIFO while it waits (the
   * lock goes when its process ends, even when killed outright), so the daemon
   * can tell that it stopped waiting. Absent: it cannot be told (older senders).
   */
  held?: boolean;
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
  /** `run-next` done: the pipeline's result (`ShowResult` of `apply_show.ts`, as JSON). */
  show?: Record<string, unknown>;
  /** `run-next` failed: the exit code `varietal next` gives for that failure. */
  exit?: number;
  /** `run-next` not taken (another config, database or session): the sender runs it itself. */
  declined?: boolean;
  /** Declined because the daemon's code was updated on disk since it started: restart it. */
  outdated?: boolean;
  /** `run-select` done: what it printed and its exit code. */
  output?: HandedOutput;
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
 * @throws {RangeError} When it would be longer than {@linkcode MAX_REPLY_BYTES}.
 */
export function encodeReply(reply: ControlReply): string {
  return encodeLine(reply, MAX_REPLY_BYTES);
}

function encodeLine(value: unknown, max = MAX_LINE_BYTES): string {
  const line = JSON.stringify(value) + "\n";
  if (new TextEncoder().encode(line).length > max) {
    throw new RangeError(`Cannot send a control line longer than ${max} bytes`);
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
  const request: ControlRequest = {
    v: PROTOCOL_VERSION,
    id: r.id,
    command: r.command,
    reply: r.reply,
  };
  if (r.held === true) request.held = true;
  // A hand-over's payload, required by its command (and ignored on any other).
  if (r.command === "run-next") {
    const next = parseHandOff(r.next);
    if (typeof next === "string") return { kind: "reject", ...answer, message: next };
    request.next = next;
  } else if (r.command === "run-select") {
    const select = parseSelectHandOff(r.select);
    if (typeof select === "string") return { kind: "reject", ...answer, message: select };
    request.select = select;
  }
  return { kind: "request", request };
}

/**
 * A hand-over object's fields (`raw[name]`) and its {@linkcode HandOffBase},
 * or why it is not one (prefixed with the command).
 */
function parseBase(
  raw: unknown,
  command: "run-next" | "run-select",
  name: string,
  fields: readonly string[],
): { n: Record<string, unknown>; base: HandOffBase; bad: (what: string) => string } | string {
  const bad = (what: string) => `${command}: ${what}`;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return bad(`no '${name}' object`);
  }
  const n = raw as Record<string, unknown>;
  // A newer sender's option this daemon would not carry out: refused, so the sender
  // runs the command itself rather than have it done without that option.
  const unknown = Object.keys(n).find((k) => !BASE_FIELDS.includes(k) && !fields.includes(k));
  if (unknown !== undefined) {
    return bad(
      `unknown field '${unknown.slice(0, 40)}' (restart the daemon after updating varietal)`,
    );
  }
  for (const k of ["config", "config_stamp", "database"] as const) {
    if (typeof n[k] !== "string") return bad(`'${k}' is not a string`);
  }
  const session: Record<string, string> = {};
  if (typeof n.session !== "object" || n.session === null || Array.isArray(n.session)) {
    return bad("no 'session' object");
  }
  for (const [k, v] of Object.entries(n.session)) {
    if (!(SESSION_VARIABLES as readonly string[]).includes(k) || typeof v !== "string") {
      return bad(`unexpected session variable '${k.slice(0, 40)}'`);
    }
    session[k] = v;
  }
  const base = {
    config: n.config as string,
    config_stamp: n.config_stamp as string,
    database: n.database as string,
    session,
  };
  return { n, base, bad };
}

const BASE_FIELDS: readonly string[] = ["config", "config_stamp", "database", "session"];

/** A `run-select` request's {@linkcode SelectHandOff}, or why it is not one. */
function parseSelectHandOff(raw: unknown): SelectHandOff | string {
  const parsed = parseBase(raw, "run-select", "select", ["args", "color", "home"]);
  if (typeof parsed === "string") return parsed;
  const { n, base, bad } = parsed;
  if (
    !Array.isArray(n.args) || n.args.length > MAX_HANDOFF_ARGS ||
    !n.args.every((a) => typeof a === "string" && a.length <= MAX_ARG_LENGTH)
  ) return bad(`'args' is not a list of at most ${MAX_HANDOFF_ARGS} short strings`);
  if (typeof n.color !== "boolean") return bad("'color' is not true or false");
  if (typeof n.home !== "string" || !n.home.startsWith("/")) {
    return bad("'home' is not an absolute path");
  }
  return { ...base, args: [...n.args as string[]], color: n.color, home: n.home };
}

/** A `run-next` request's {@linkcode NextHandOff}, or why it is not one. */
function parseHandOff(raw: unknown): NextHandOff | string {
  const parsed = parseBase(raw, "run-next", "next", ["setter", "wait_ms", "image", "cwd"]);
  if (typeof parsed === "string") return parsed;
  const { n, base, bad } = parsed;
  if (n.setter !== undefined && typeof n.setter !== "string") {
    return bad("'setter' is not a string");
  }
  if (n.image !== undefined && (typeof n.image !== "string" || n.image === "")) {
    return bad("'image' is not a path");
  }
  if (n.cwd !== undefined && (typeof n.cwd !== "string" || !n.cwd.startsWith("/"))) {
    return bad("'cwd' is not an absolute path");
  }
  if (
    n.wait_ms !== undefined &&
    (typeof n.wait_ms !== "number" || !Number.isFinite(n.wait_ms) || n.wait_ms < 0)
  ) return bad("'wait_ms' is not a duration");
  return {
    ...base,
    ...(n.setter === undefined ? {} : { setter: n.setter as string }),
    ...(n.wait_ms === undefined ? {} : { wait_ms: n.wait_ms as number }),
    ...(n.image === undefined ? {} : { image: n.image as string }),
    ...(n.cwd === undefined ? {} : { cwd: n.cwd as string }),
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
    ...(r.show && typeof r.show === "object" && !Array.isArray(r.show) ? { show: r.show } : {}),
    ...(typeof r.exit === "number" && Number.isInteger(r.exit) ? { exit: r.exit } : {}),
    ...(r.declined === true ? { declined: true } : {}),
    ...(r.outdated === true ? { outdated: true } : {}),
    ...(isHandedOutput(r.output) ? { output: r.output } : {}),
  };
}

function isHandedOutput(o: unknown): o is HandedOutput {
  if (typeof o !== "object" || o === null) return false;
  const h = o as Record<string, unknown>;
  return typeof h.stdout === "string" && typeof h.stderr === "string" &&
    typeof h.exit === "number" && Number.isInteger(h.exit) && h.exit >= 0 && h.exit < 256;
}

/**
 * `bytes` random bytes as lowercase hex (request ids, reply and spare FIFO names).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randomHex } from "./control_protocol.ts";
 *
 * assert.match(randomHex(8), /^[0-9a-f]{16}$/);
 * ```
 */
export function randomHex(bytes: number): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/**
 * What a sender prints when the daemon declined as older than the code on
 * disk ({@linkcode ControlReply.outdated}).
 *
 * @param pid The daemon's pid (0 when unknown).
 */
export function outdatedWarning(pid: number): string {
  return `the daemon${pid > 0 ? ` (pid ${pid})` : ""} started before varietal was updated and ` +
    "runs the old code, so this ran here; restart it ('varietal daemon --send stop', then " +
    "start it as you do, e.g. 'systemctl --user restart varietal')";
}

/**
 * What a daemon whose code changed on disk since it started says in its log,
 * and `status` of it: it runs the old code, and a part not loaded yet may be
 * gone (a moved checkout: no palette, no theme) or newer than the rest.
 */
export function outdatedDaemonWarning(pid: number): string {
  return `varietal was updated or moved since the daemon${
    pid > 0 ? ` (pid ${pid})` : ""
  } started: it runs the old code, and what it has not loaded yet may fail (palettes, themes); ` +
    "restart it ('varietal daemon --send stop', then start it as you do, e.g. " +
    "'systemctl --user restart varietal')";
}

/** Whether a string is one of {@linkcode CONTROL_COMMANDS}. */
export function isControlCommand(s: string): s is ControlCommand {
  return (CONTROL_COMMANDS as readonly string[]).includes(s);
}

/**
 * Cuts a byte stream into lines of at most `max` bytes ({@linkcode MAX_LINE_BYTES}
 * unless told). A longer line is dropped whole (counted in `overlong`), up to its newline.
 */
export class LineSplitter {
  #buf: Uint8Array = new Uint8Array(0);
  #skipping = false;
  #decoder = new TextDecoder();
  readonly #max: number;
  /** Lines dropped for being too long. */
  overlong = 0;

  /** @param max Longest line in bytes, newline included. */
  constructor(max = MAX_LINE_BYTES) {
    this.#max = max;
  }

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
      } else if (this.#buf.length + part.length < this.#max) {
        lines.push(this.#decoder.decode(concat(this.#buf, part)));
      } else {
        this.overlong++;
      }
      this.#buf = new Uint8Array(0);
    }
    if (!this.#skipping) {
      const rest = chunk.subarray(start);
      if (this.#buf.length + rest.length >= this.#max) {
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
