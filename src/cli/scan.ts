// `varietal scan`: index the images in every enabled source.
import type { CommandSpec, Invocation } from "./_command.ts";
import type { Context } from "./_context.ts";
import { boolFlag, expectArgs } from "./_parse.ts";
import { JSON_FLAG, QUIET_FLAG, withHelp } from "./_flags.ts";
import { printable, styles } from "./_output.ts";
import { SILENT } from "./_progress.ts";
import { listSources } from "../db/sources.ts";
import { maxPixelsOf } from "../palette/pixel_limit.ts";
import { scanSources } from "../scan/scanner.ts";
import { LOOSE_KIND } from "../scan/loose.ts";
import { isPackageSkip } from "../scan/walk.ts";
import { configEntryPath, droppedSourceNote, syncConfigSources } from "../scan/source_path.ts";
import { CliError, EXIT, interruptedExit } from "./errors.ts";
import { assertIntact } from "../db/damage.ts";
import { isFolder } from "../file_check.ts";

export const spec: CommandSpec = {
  name: "scan",
  summary: "Index the images in your wallpaper folders",
  description:
    "Walks every enabled source (recursively, following symlinks), reads each new or changed\n" +
    "image's size from its header and marks vanished files missing. Unchanged files\n" +
    "(same size and modification time) are not read again. A file is marked missing only\n" +
    "when its folder was read and the file was not there: the images of a folder that cannot\n" +
    "be read, and of a source that is offline (unplugged drive, unmounted share), are kept as\n" +
    "they were. Broken symlinks, symlink loops, KDE package previews and files that are not\n" +
    "images after all (empty, truncated, corrupt) are left out with the reason. A KDE\n" +
    "wallpaper package (/usr/share/wallpapers/NAME) gives one image per picture: its largest\n" +
    "landscape size, and its dark version (contents/images_dark) if it has one. Exits 1 when\n" +
    "some files or folders could not be read at all (they are listed), or when there is no\n" +
    "folder to scan yet; exits 0 otherwise, also when a source is offline (a note each;\n" +
    "'varietal doctor' fails for it).",
  options: {
    json: withHelp(JSON_FLAG, "Print the report as JSON"),
    quiet: QUIET_FLAG,
  },
  examples: ["varietal sources add ~/Pictures/Wallpapers && varietal scan", "varietal scan --json"],
};

export async function run(ctx: Context, inv: Invocation): Promise<number> {
  expectArgs(inv, 0, 0, "scan");
  const json = boolFlag(inv, "json");
  const db = await ctx.db();
  assertIntact(db); // writes across the collection: refuse a damaged file first
  const config = await ctx.config();
  const { problems: configProblems, dropped, added } = await syncConfigSources(
    db,
    config,
    ctx.paths.home,
  );
  for (const d of dropped) {
    ctx.out.err(`varietal: ${droppedSourceNote(d, added, isFolder(d))}`);
  }
  const sources = listSources(db);
  // (The single files of `next --image` are no folder a scan walks.)
  const folders = sources.filter((x) => x.kind !== LOOSE_KIND);
  if (folders.length === 0) {
    // Only config.toml entries, none usable: what is wrong with them is the news.
    const [first] = configProblems;
    if (first) {
      throw new CliError(
        `[[sources]] ${printable(first.path)} in config.toml: ${first.reason}`,
      );
    }
    throw new CliError(
      "no wallpaper folders yet; add one with 'varietal sources add DIR' or [[sources]] in config.toml",
    );
  }
  if (!folders.some((x) => x.enabled)) {
    // "Scanned 0 source(s)" would read as done: nothing was looked at.
    throw new CliError(
      `every wallpaper folder is disabled (${folders.length}); enable one with 'varietal sources ` +
        "enable DIR' (a [[sources]] entry: enabled = true in config.toml)",
    );
  }
  // "Print nothing but errors": no bar either.
  const bar = boolFlag(inv, "quiet") ? SILENT : ctx.progress("Scanning");
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
        interruptedExit(signal.reason),
      );
    }
    throw e;
  }
  bar.done();
  // A configured folder the collection knows, gone now (an unplugged drive), is offline,
  // reported as such; one never found (a typo) is an error.
  const offline = new Set(report.offline.map((o) => o.path));
  report.errors.unshift(
    ...configProblems.filter((p) => !offline.has(configEntryPath(p.path, ctx.paths.home))),
  );
  if (json) {
    ctx.out.json(report);
  } else if (!boolFlag(inv, "quiet")) {
    const s = styles(ctx.out.color);
    ctx.out.line(
      `${s.bold("Scanned")} ${sources.filter((x) => x.enabled).length} source(s): ` +
        `${
          s.green(`${report.added} added`)
        }, ${report.updated} updated, ${report.unchanged} unchanged, ` +
        `${report.moved ? `${report.moved} moved, ` : ""}` +
        `${report.removed ? `${report.removed} removed, ` : ""}` +
        `${report.missing} missing, ${report.restored} restored, ${report.skipped} skipped${
          skippedDetail(report.skipped_by_extension)
        }${
          report.skipped_files.length
            ? `, ${report.skipped_files.length} left out (${reasonSummary(report.skipped_files)})`
            : ""
        }`,
    );
    // Listed: what the user may want to act on. A KDE package's previews and other sizes
    // are routine (every scan of /usr/share/wallpapers meets them): counted above only.
    const notable = report.skipped_files.filter((f) => !isPackageSkip(f));
    for (const f of notable.slice(0, SHOW_SKIPPED)) {
      ctx.out.line(s.dim(`  left out ${printable(f.path)}: ${printable(f.reason)}`));
    }
    if (notable.length > SHOW_SKIPPED) {
      ctx.out.line(s.dim(`  … and ${notable.length - SHOW_SKIPPED} more (see 'scan --json')`));
    }
  }
  // An offline source (an unplugged drive) is a note, not a failure: a timer's scan while
  // the drive is away did all it could. `doctor` is where it fails.
  if (!json && !boolFlag(inv, "quiet")) {
    for (const o of report.offline) ctx.out.err(`varietal: ${printable(o.path)}: ${o.reason}`);
  }
  if (report.errors.length) {
    if (!json) {
      // A [[sources]] entry's problem is traced back to the file it is written in.
      const entries = new Set(configProblems.map((p) => p.path));
      for (const e of report.errors) {
        const where = entries.has(e.path)
          ? `[[sources]] ${printable(e.path)} in config.toml`
          : printable(e.path);
        ctx.out.err(`varietal: ${where}: ${e.reason}`);
      }
    }
    return EXIT.error;
  }
  return EXIT.ok;
}

/** Paths left out with a reason listed in text mode (all are in --json). */
const SHOW_SKIPPED = 10;

/** "12 preview of a KDE wallpaper package, 2 broken symlink": reasons up to their first detail. */
function reasonSummary(items: readonly { reason: string }[]): string {
  const counts = new Map<string, number>();
  for (const { reason } of items) {
    const key = reason.replace(/\s*[:(→;].*$/, "");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`).join(", ");
}

/** "(157 svg, 46 json, …)": the five most common extensions, and how many others. */
function skippedDetail(byExt: Record<string, number>): string {
  const all = Object.entries(byExt).sort((a, b) => b[1] - a[1]);
  const parts = all.slice(0, 5).map(([ext, n]) => `${n} ${ext || "no extension"}`);
  const rest = all.slice(5).reduce((sum, [, n]) => sum + n, 0);
  if (rest) parts.push(`${rest} other`);
  return parts.length ? ` (${parts.join(", ")})` : "";
}
