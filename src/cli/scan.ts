// `varietal scan`: index the images in every enabled source.
import type { CommandSpec, Invocation } from "./_command.ts";
import type { Context } from "./_context.ts";
import { boolFlag } from "./_parse.ts";
import { styles } from "./_output.ts";
import { listSources } from "../db/sources.ts";
import { maxPixelsOf } from "../palette/pixel_limit.ts";
import { scanSources } from "../scan/scanner.ts";
import { syncConfigSources } from "../scan/source_path.ts";
import { CliError, EXIT } from "./errors.ts";

export const spec: CommandSpec = {
  name: "scan",
  summary: "Index the images in your wallpaper folders",
  description:
    "Walks every enabled source (recursively, following symlinks), reads each new or changed\n" +
    "image's size from its header and marks vanished files missing. Unchanged files\n" +
    "(same size and modification time) are not read again. Exits 1 when some files or\n" +
    "folders could not be indexed (they are listed).",
  options: {
    json: { type: "boolean", description: "Print the report as JSON" },
    quiet: { type: "boolean", short: "q", description: "Print nothing but errors" },
  },
  examples: ["varietal sources add ~/Pictures/Wallpapers && varietal scan", "varietal scan --json"],
};

export async function run(ctx: Context, inv: Invocation): Promise<number> {
  const json = boolFlag(inv, "json");
  const db = await ctx.db();
  const config = await ctx.config();
  const configProblems = await syncConfigSources(db, config, ctx.paths.home);
  const sources = listSources(db);
  if (sources.length === 0) {
    throw new CliError(
      "no wallpaper folders yet; add one with 'varietal sources add DIR' or [[sources]] in config.toml",
    );
  }
  const bar = json ? ctx.progress("") : ctx.progress("Scanning");
  const signal = ctx.interrupt();
  let report;
  try {
    report = await scanSources(db, sources, {
      signal,
      maxPixels: maxPixelsOf(config),
      onProgress: (e) => {
        bar.total(e.total);
        bar.update(e.done, e.path?.replace(/^.*\//, ""));
      },
    });
  } catch (e) {
    bar.done();
    if (signal.aborted) {
      throw new CliError(
        "scan interrupted; nothing from the unfinished batch was saved",
        EXIT.interrupted,
      );
    }
    throw e;
  }
  bar.done();
  report.errors.unshift(...configProblems);
  if (json) {
    ctx.out.json(report);
  } else if (!boolFlag(inv, "quiet")) {
    const s = styles(ctx.out.color);
    ctx.out.line(
      `${s.bold("Scanned")} ${sources.filter((x) => x.enabled).length} source(s): ` +
        `${
          s.green(`${report.added} added`)
        }, ${report.updated} updated, ${report.unchanged} unchanged, ` +
        `${report.missing} missing, ${report.restored} restored, ${report.skipped} skipped${
          skippedDetail(report.skipped_by_extension)
        }`,
    );
    for (const f of report.skipped_files) ctx.out.err(`varietal: skipped ${f.path}: ${f.reason}`);
  }
  if (report.errors.length) {
    if (!json) {
      for (const e of report.errors) ctx.out.err(`varietal: ${e.path}: ${e.reason}`);
    }
    return EXIT.error;
  }
  return EXIT.ok;
}

function skippedDetail(byExt: Record<string, number>): string {
  const parts = Object.entries(byExt).sort((a, b) => b[1] - a[1]).slice(0, 5)
    .map(([ext, n]) => `${n} ${ext || "no extension"}`);
  return parts.length ? ` (${parts.join(", ")})` : "";
}
