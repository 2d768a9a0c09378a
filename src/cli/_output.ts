// Terminal output: colour only on a TTY without NO_COLOR, JSON, swatches.
import { printable } from "../text/printable.ts";

/**
 * The one rule for text output: file names and other untrusted text go
 * through `printable` before they are printed (control characters become
 * `\n`, `\t`, `\x1b`, …; see src/text/printable.ts). `--json` prints the
 * exact text. Lines written with {@linkcode Output.err} get it automatically.
 */
export { printable };

const encoder = new TextEncoder();

/**
 * Standard output could not be written (`> /dev/full`, a full disk, a terminal
 * gone): said as such, not as the bare "No space left on device" that reads as
 * the database's disk, and with what the command had done by then.
 */
export class StdoutError extends Error {
  constructor(cause: unknown) {
    const why = String((cause as Error)?.message ?? cause).replace(/ \(os error \d+\).*$/, "");
    super(
      `cannot write to standard output (${why.toLowerCase()}); the command's own work is ` +
        "done, only what it printed is lost",
      { cause },
    );
    this.name = "StdoutError";
  }
}

/**
 * Prints a line on standard output, as {@linkcode Output.line} does for commands
 * (help and version print before a command's context exists).
 *
 * @throws {StdoutError} When standard output cannot be written.
 */
export function printLine(text: string): void {
  try {
    writeAll(Deno.stdout, text + "\n");
  } catch (e) {
    if (!(e instanceof Deno.errors.BrokenPipe)) throw new StdoutError(e);
  }
}

/** Writes all bytes to a sync writer. */
function writeAll(w: { writeSync(p: Uint8Array): number }, text: string): void {
  let data = encoder.encode(text);
  while (data.length > 0) data = data.subarray(w.writeSync(data));
}

/** Where a command's text goes, and whether it may use colour. */
export interface Output {
  /** Writes a line to stdout. */
  line(text?: string): void;
  /** Writes text to stdout as it is (no newline added: a rendered file, byte for byte). */
  text(text: string): void;
  /** Writes a value as pretty JSON to stdout. */
  json(value: unknown): void;
  /** Writes a line to stderr, control characters shown as `printable` escapes. */
  err(text: string): void;
  /** Whether stdout is a terminal. */
  readonly isTTY: boolean;
  /** Whether stderr is a terminal (progress bars go there). */
  readonly errIsTTY: boolean;
  /** Whether colour escapes may be used on stdout. */
  readonly color: boolean;
}

/** How `json` and `err` print (one rule for real and kept output). */
const jsonText = (value: unknown) => JSON.stringify(value, null, 2) + "\n";
const errText = (text: string) => printable(text) + "\n";

/** Whether the process's stdout takes colour: a terminal, without `NO_COLOR` or `TERM=dumb`. */
export function stdoutColor(env: (k: string) => string | undefined): boolean {
  return Deno.stdout.isTerminal() && (env("NO_COLOR") ?? "") === "" && env("TERM") !== "dumb";
}

/** Output on the process's real stdout/stderr. */
export function processOutput(env: (k: string) => string | undefined): Output {
  const isTTY = Deno.stdout.isTerminal();
  const errIsTTY = Deno.stderr.isTerminal();
  // A reader that stopped early (`| head`, `| jq` failing) is not an error of ours.
  const out = (text: string) => {
    try {
      writeAll(Deno.stdout, text);
    } catch (e) {
      if (!(e instanceof Deno.errors.BrokenPipe)) throw new StdoutError(e);
    }
  };
  return {
    line: (text = "") => out(text + "\n"),
    text: (text) => out(text),
    json: (value) => out(jsonText(value)),
    // Messages to a stderr that is gone (a closed pipe, a terminal hung up: EIO) have nowhere
    // to go; failing on them would end a daemon over a log line.
    err: (text) => {
      try {
        writeAll(Deno.stderr, errText(text));
      } catch { /* nowhere to say it */ }
    },
    isTTY,
    errIsTTY,
    color: stdoutColor(env),
  };
}

/** An {@linkcode Output} that keeps what is written, and what it holds. */
export interface BufferedOutput extends Output {
  /** Everything written to stdout so far. */
  readonly stdout: string;
  /** Everything written to stderr so far. */
  readonly stderr: string;
}

/**
 * Output kept in memory, written as {@linkcode processOutput} writes it: what
 * the daemon runs for a sender (`varietal select` handed over), whose
 * terminal decides the colour. Neither stream is a terminal.
 */
export function bufferedOutput(color: boolean): BufferedOutput {
  let stdout = "", stderr = "";
  return {
    line: (text = "") => void (stdout += text + "\n"),
    text: (text) => void (stdout += text),
    json: (value) => void (stdout += jsonText(value)),
    err: (text) => void (stderr += errText(text)),
    isTTY: false,
    errIsTTY: false,
    color,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
  };
}

/** SGR styling that turns into plain text when colour is off. */
export function styles(color: boolean) {
  const wrap = (open: string, close: string) => (s: string) =>
    color ? `\x1b[${open}m${s}\x1b[${close}m` : s;
  return {
    bold: wrap("1", "22"),
    dim: wrap("2", "22"),
    red: wrap("31", "39"),
    green: wrap("32", "39"),
    yellow: wrap("33", "39"),
    cyan: wrap("36", "39"),
    /** Truecolor foreground from `#rrggbb`. */
    fg: (hex: string, s: string) => color ? `\x1b[38;2;${rgb(hex)}m${s}\x1b[39m` : s,
    /** Truecolor background from `#rrggbb`. */
    bg: (hex: string, s: string) => color ? `\x1b[48;2;${rgb(hex)}m${s}\x1b[49m` : s,
  };
}

function rgb(hex: string): string {
  const n = parseInt(hex.replace("#", "").slice(0, 6), 16);
  return `${(n >> 16) & 255};${(n >> 8) & 255};${n & 255}`;
}

/**
 * A count with its noun, singular for 1: `counted(1, "image")` is "1 image".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { counted } from "./_output.ts";
 *
 * assert.equal(counted(1, "image"), "1 image");
 * assert.equal(counted(0, "image"), "0 images");
 * ```
 */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
