// `varietal report`: one self-contained HTML page about the collection.
import type { CommandSpec, Invocation } from "./_command.ts";
import type { Context } from "./_context.ts";
import { boolFlag, expectArgs, numberFlag, stringFlag } from "./_parse.ts";
import { printable } from "../text/printable.ts";
import { JSON_FLAG, withHelp } from "./_flags.ts";
import { CliError, EXIT, UsageError } from "./errors.ts";
import { VERSION } from "../version.ts";
import { writeAtomic } from "../atomic_write.ts";
import { CommandError, NOT_FOUND_EXIT, runCommand } from "../process/run_command.ts";
import { fileErrorReason } from "../text/not_capable.ts";

export const spec: CommandSpec = {
  name: "report",
  summary: "Write an HTML report: charts, hue wheel, history with palettes, folders",
  description: "Writes one self-contained HTML file (inline CSS and SVG, no network) with the\n" +
    "collection's charts, a hue wheel and strip of the palettes, the history timeline\n" +
    "with each wallpaper's thumbnail (a file:// link) and palette, and a folders table.\n" +
    "The default file is $XDG_CACHE_HOME/varietal/report.html.",
  options: {
    out: {
      type: "string",
      short: "o",
      value: "FILE",
      description: "Where to write the report (.html)",
      complete: "file",
    },
    open: { type: "boolean", description: "Open it with xdg-open afterwards" },
    shows: {
      type: "string",
      value: "N",
      description: "Shows in the history timeline (default 60)",
    },
    days: {
      type: "string",
      value: "N",
      description: "Days in the shows-per-day chart (default 90)",
    },
    json: withHelp(JSON_FLAG, "Print where it was written as JSON"),
  },
  examples: ["varietal report --open", "varietal report --out ~/collection.html"],
};

export async function run(ctx: Context, inv: Invocation): Promise<number> {
  expectArgs(inv, 0, 0, "report");
  const shows = numberFlag(inv, "shows", { min: 0, max: 10000, integer: true, path: "report" });
  const days = numberFlag(inv, "days", { min: 1, max: 3650, integer: true, path: "report" });
  const given = stringFlag(inv, "out");
  if (given?.trim() === "") {
    throw new UsageError("--out was given an empty value (an unset shell variable?)", "report");
  }
  const out = absolute(given ?? `${ctx.paths.cache}/report.html`);
  const db = await ctx.db();
  const { gatherReport } = await import("../stats/report_data.ts");
  const { renderReport } = await import("../stats/report_html.ts");
  const now = Date.now();
  const offsetAt = (ms: number) => -new Date(ms).getTimezoneOffset();
  const data = gatherReport(db, now, { shows, days, offsetMinutes: offsetAt(now), offsetAt });
  // Ctrl-C (SIGTERM, SIGHUP) waits for the file to be written whole or not at all: left to
  // Deno, it could end the process between the temporary file and its rename.
  const signal = ctx.interrupt();
  const html = renderReport(data, VERSION, offsetAt);
  signal.throwIfAborted();
  refuseOtherFile(out);
  await writeFileAtomic(out, html);
  const bytes = new TextEncoder().encode(html).length;
  if (boolFlag(inv, "json")) {
    ctx.out.json({
      path: out,
      bytes,
      shows: data.recent.length,
      palettes_drawn: data.sample.length,
    });
  } else {
    ctx.out.line(`Wrote ${printable(out)} (${Math.max(1, Math.round(bytes / 1024))} KB)`);
  }
  if (boolFlag(inv, "open")) await openFile(ctx, out);
  return EXIT.ok;
}

/** What every report's head holds (its title), so that an earlier report is known as one. */
const REPORT_MARK = "<title>varietal — collection report</title>";

/**
 * Refuses to write over a file that is not an earlier report (notes, a config file
 * given to --out by mistake); an earlier report is replaced, as a re-run expects.
 */
function refuseOtherFile(path: string): void {
  let head: string;
  try {
    if (!Deno.statSync(path).isFile) return; // a folder or FIFO: the atomic write refuses it
    using f = Deno.openSync(path);
    const buf = new Uint8Array(2048);
    const n = f.readSync(buf) ?? 0;
    head = new TextDecoder().decode(buf.subarray(0, n));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return;
    throw new CliError(`cannot write the report ${path}: ${fileErrorReason(e)}`);
  }
  if (!head.includes(REPORT_MARK)) {
    throw new CliError(
      `${path} already exists and is not a varietal report; choose another file name ` +
        "(an earlier report there would be replaced)",
    );
  }
}

function absolute(path: string): string {
  return path.startsWith("/") ? path : `${Deno.cwd()}/${path}`;
}

async function writeFileAtomic(path: string, text: string): Promise<void> {
  try {
    // Private, also when an earlier report there was not: it lists the wallpapers shown and when.
    await writeAtomic(path, text, { mode: 0o600, forceMode: true });
  } catch (e) {
    throw new CliError(`cannot write the report ${path}: ${fileErrorReason(e)}`);
  }
}

async function openFile(ctx: Context, path: string): Promise<void> {
  try {
    const r = await runCommand(["xdg-open", path], {
      timeoutMs: 10_000,
      check: false,
      stdout: "null",
    });
    if (r.code !== 0) {
      ctx.out.err(`varietal: xdg-open exited with ${r.code}; open ${path} yourself`);
    }
  } catch (e) {
    if (e instanceof CommandError && e.exitCode === NOT_FOUND_EXIT) {
      ctx.out.err(`varietal: xdg-open is not installed; open ${path} in a browser`);
    } else {
      const cause = e instanceof CommandError && e.cause instanceof Error ? e.cause : e as Error;
      ctx.out.err(`varietal: cannot run xdg-open: ${cause.message}`);
    }
  }
}
