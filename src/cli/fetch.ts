// `varietal fetch`: download new wallpapers from remote sources.
import { COUNT_FLAG, JSON_FLAG, QUIET_FLAG, withHelp } from "./_flags.ts";
import type { CommandSpec, Invocation } from "./_command.ts";
import type { Context } from "./_context.ts";
import { boolFlag, numberFlag } from "./_parse.ts";
import { printable, styles } from "./_output.ts";
import { listRemotes } from "../db/remotes.ts";
import { shellWord } from "../text/shell_word.ts";
import { CliError, EXIT, interruptedExit } from "./errors.ts";
import { plainCredit } from "../db/attribution.ts";
import { type FetchedFile, fetchRemotes, RemoteSelectionError } from "../remote/fetch_remotes.ts";
import { WorkerSetupError } from "../remote/spawn_worker.ts";
import { BusyError } from "../pipeline/lock.ts";
import { localTime } from "../text/local_time.ts";

export const spec: CommandSpec = {
  name: "fetch",
  summary: "Download new wallpapers from your remote sources",
  args: "[NAME…]",
  complete: "remote",
  description: [
    "Tops every enabled remote (or the NAMEs given) up to its keep_unseen never-shown images,",
    "or downloads --count images each. Downloads run in a separate Deno process allowed to",
    "reach only the remote's API and image hosts; files are checked before they are kept and",
    "indexed with their credit at once. A remote that fails is reported (exit 1) and backed",
    "off; the others go on. The daemon does the same in the background. When every NAME",
    "given is backing off, nothing is tried and the exit code is 75 (try again later).",
  ].join("\n"),
  options: {
    count: withHelp(COUNT_FLAG, "Download COUNT images per remote instead of topping up"),
    json: withHelp(
      JSON_FLAG,
      'Print {"added":[{path, remote, page_url, author, …}], "remotes", "warnings"}',
    ),
    quiet: withHelp(QUIET_FLAG, "Print nothing but problems"),
  },
  examples: ["varietal fetch", "varietal fetch nature -n 5", "varietal fetch --json"],
};

function fileJson(f: FetchedFile) {
  return {
    path: f.path,
    width: f.width,
    height: f.height,
    bytes: f.bytes,
    format: f.format,
    ...plainCredit(f.credit),
  };
}

export async function run(ctx: Context, inv: Invocation): Promise<number> {
  const count = numberFlag(inv, "count", { min: 1, max: 1000, integer: true, path: "fetch" });
  const json = boolFlag(inv, "json");
  const quiet = boolFlag(inv, "quiet");
  const config = await ctx.config();
  const db = await ctx.db();
  const signal = ctx.interrupt();
  const bar = ctx.progress("Fetching");
  let added = 0;
  let report;
  try {
    report = await fetchRemotes(db, config, ctx.paths, {
      names: inv.positionals,
      count,
      env: ctx.env,
      signal,
      lockTimeoutMs: 120_000,
      onWait: (holder) =>
        ctx.out.err(
          `varietal: waiting for another fetch to finish${holder ? ` (${holder})` : ""}…`,
        ),
      onPlan: (n) => bar.total(n),
      onFile: (f) => {
        added++;
        bar.tick(1, `${f.credit.remote}: ${f.path.replace(/^.*\//, "")}`);
      },
    });
  } catch (e) {
    if (signal.aborted) {
      bar.done();
      ctx.out.err(
        `varietal: fetch interrupted; ${added} downloaded file(s) kept, run 'varietal fetch' again for more`,
      );
      return interruptedExit(signal.reason);
    }
    if (e instanceof RemoteSelectionError || e instanceof WorkerSetupError) {
      throw new CliError(e.message);
    }
    if (e instanceof BusyError) {
      throw new CliError(
        `another fetch is running${e.holder ? ` (${e.holder})` : ""}; try again when it is done`,
        EXIT.busy,
      );
    }
    throw e;
  } finally {
    bar.done();
  }
  const s = styles(ctx.out.color);
  if (json) {
    ctx.out.json({
      added: report.added.map(fileJson),
      remotes: report.remotes,
      warnings: report.warnings,
      notes: report.notes,
    });
  } else {
    if (!quiet) {
      if (report.remotes.length === 0) {
        // Every remote disabled: enabling one is the way, not adding another.
        const off = listRemotes(db).filter((r) => !r.enabled).map((r) => r.name);
        ctx.out.line(
          off.length
            ? `No enabled remote sources (${off.length} disabled: ${
              printable(off.join(", "))
            }). Enable one: varietal remote enable ${printable(shellWord(off[0]))}`
            : "No enabled remote sources. Add one: varietal remote add nature --kind wallhaven --query nature",
        );
      }
      for (const r of report.remotes) {
        if (r.status === "skipped") {
          ctx.out.line(`${s.bold(r.name)}: ${s.yellow(`skipped: ${printable(r.note ?? "")}`)}`);
          continue;
        }
        const what = r.wanted === 0 && r.added === 0 && r.status === "ok"
          ? s.dim("nothing to do (enough unseen images)")
          : `${s.green(`+${r.added}`)} of ${r.wanted} wanted`;
        const evicted = r.evicted
          ? s.dim(`, ${r.evicted} shown image(s) deleted for the quota`)
          : "";
        const note = r.status === "ok"
          ? ""
          : ` ${s.yellow(`(${r.status}: ${printable(r.note ?? "")})`)}`;
        ctx.out.line(`${s.bold(r.name)}: ${what}${evicted}${note}`);
      }
      for (const n of report.notes) ctx.out.err(s.dim(`varietal: ${n.remote}: ${n.message}`));
    }
  }
  // What made the exit code 1 is said on stderr, with --json too (as `next` says its warnings).
  for (const w of report.warnings) {
    ctx.out.err(`varietal: ${w.remote ? `${w.remote}: ` : ""}${printable(w.message)}`);
  }
  if (report.warnings.length) return EXIT.error;
  // Remotes named on the command line that all back off: nothing was tried, try again later.
  const named = report.remotes.filter((r) => inv.positionals.includes(r.name));
  if (named.length && named.every((r) => r.backoff_until !== undefined)) {
    const until = Math.max(...named.map((r) => r.backoff_until!));
    ctx.out.err(`varietal: not fetched: backing off until ${localTime(until)}; try again then`);
    return EXIT.busy;
  }
  return EXIT.ok;
}
