// A progress bar on stderr, drawn only when stderr is a terminal.
import { formatDuration } from "../config/duration.ts";
import { printable } from "../text/printable.ts";
import { cutWidth, textWidth } from "../text/text_width.ts";

/** A progress display; every method is a no-op when not on a terminal. */
export interface Progress {
  /** Sets the total (unknown totals show a counter). */
  total(n: number): void;
  /** Advances by n and redraws at most every 80 ms. */
  tick(n?: number, label?: string): void;
  /** Sets the count done so far. */
  update(done: number, label?: string): void;
  /** Clears the bar. */
  done(): void;
}

/** A progress display that shows nothing (`--quiet`). */
export const SILENT: Progress = { total() {}, tick() {}, update() {}, done() {} };

/**
 * Creates a progress bar on stderr, or a silent one when stderr is not a
 * terminal or `CI` is set.
 */
export function progressBar(
  title: string,
  enabled: boolean,
  now: () => number = () => performance.now(),
): Progress {
  if (!enabled) return SILENT;
  const enc = new TextEncoder();
  const start = now();
  let total = 0;
  let count = 0;
  let last = 0;
  let label = "";
  const draw = () => {
    const elapsed = (now() - start) / 1000;
    const rate = elapsed > 0 ? count / elapsed : 0;
    let line: string;
    if (total > 0) {
      const frac = Math.min(1, count / total);
      const width = 24;
      const full = Math.round(frac * width);
      // Whole seconds (an estimate; "0ms" and "51.401s" read as more exact than it is).
      const left = Math.ceil((total - count) / rate);
      const eta = rate > 0 ? (left > 0 ? formatDuration(left) : "0s") : "?";
      line = `${title} [${"█".repeat(full)}${"░".repeat(width - full)}] ${count}/${total} ` +
        `${rate.toFixed(rate < 10 ? 1 : 0)}/s ETA ${eta}`;
    } else {
      line = `${title} ${count} ${rate.toFixed(0)}/s`;
    }
    // (A pseudo-terminal that was never sized, as under `script`, says 0 columns.)
    const cols = Deno.consoleSize?.().columns || 100;
    // Columns, not characters: a line one column too wide wraps, and every redraw then leaves a
    // line behind (a wide character takes two; a file name's end says most of it).
    const room = cols - 1 - textWidth(line) - 1;
    if (label && room >= 8) line += ` ${cutWidth(label, Math.min(room, 60), true)}`;
    Deno.stderr.writeSync(enc.encode(`\r\x1b[2K${cutWidth(line, cols - 1)}`));
  };
  return {
    total(n) {
      total = n;
    },
    update(n, l) {
      this.tick(n - count, l);
    },
    tick(n = 1, l) {
      count += n;
      // A file name's control characters must not reach the terminal raw (printable.ts).
      if (l !== undefined) label = printable(l);
      const t = now();
      if (t - last > 80) {
        last = t;
        draw();
      }
    },
    done() {
      Deno.stderr.writeSync(enc.encode("\r\x1b[2K"));
    },
  };
}
