// `varietal extract`: fill in the palettes of the whole collection.
import type { CommandSpec, Invocation } from "./_command.ts";
import type { Context } from "./_context.ts";
import { boolFlag, expectArgs, numberFlag } from "./_parse.ts";
import { JSON_FLAG, QUIET_FLAG, withHelp } from "./_flags.ts";
import { printable, styles } from "./_output.ts";
import { SILENT } from "./_progress.ts";
import { EXIT, interruptedExit } from "./errors.ts";
import { listDecodeFailures } from "../db/decode_failures.ts";
import { extractPalettes } from "../palette/extract_palettes.ts";
import { assertIntact } from "../db/damage.ts";
import { hasPresentImages, listSources } from "../db/sources.ts";
import type { Database } from "../db/database.ts";
import { sourceAvailability } from "../scan/availability.ts";
import { countImages } from "../db/images.ts";

export const spec: CommandSpec = {
  name: "extract",
  summary: "Extract the palettes of every indexed image that has none",
  description:
    "Runs a pool of workers (palette.jobs, 0 = one per core) over the images 'varietal scan'\n" +
    "indexed, saving palettes in batches. Ctrl-C stops cleanly and keeps what was saved; run\n" +
    "it again to resume. Files that fail are listed and do not stop the run (exit 1); those\n" +
    "that cannot be decoded (damaged, over [palette] max_megapixels, slower than\n" +
    "[palette] decode_timeout) are marked and left out of later runs and of every draw\n" +
    "until the file changes. Palettes whose colour figures come from an older version of\n" +
    "varietal get them recomputed from the image (their colours are kept).",
  options: {
    jobs: {
      type: "string",
      short: "j",
      value: "N",
      description: "Number of workers, 1–256, 0 one per core (default: [palette] jobs)",
    },
    force: {
      type: "boolean",
      description: "Re-extract images that already have a palette or failed to decode",
    },
    json: withHelp(JSON_FLAG, "Print the report as JSON"),
    quiet: QUIET_FLAG,
  },
  examples: ["varietal extract", "varietal extract --jobs 1 --json", "varietal extract --force"],
};

export async function run(ctx: Context, inv: Invocation): Promise<number> {
  expectArgs(inv, 0, 0, "extract");
  // 0: one per core, as [palette] jobs = 0.
  const given = numberFlag(inv, "jobs", { min: 0, max: 256, integer: true, path: "extract" });
  const jobs = given === 0 ? navigator.hardwareConcurrency || 1 : given;
  const json = boolFlag(inv, "json");
  const config = await ctx.config();
  const db = await ctx.db();
  assertIntact(db); // writes across the collection: refuse a damaged file first
  const force = boolFlag(inv, "force");
  const quiet = json || boolFlag(inv, "quiet");
  if (!force && !quiet) {
    const { countPendingFigures } = await import("../db/palettes.ts");
    const outdated = countPendingFigures(db);
    if (outdated > 0) {
      ctx.out.line(
        `${outdated} palette(s) from an older version of varietal: recomputing their colour ` +
          `figures (hue shares, saturation); their colours are kept`,
      );
    }
  }
  // Disabled folders are left out, and so are offline ones (an unplugged drive): a timer's
  // extract must not fail for as long as a drive is away.
  const sourceIds: number[] = [];
  for (const src of listSources(db)) {
    if (!src.enabled) continue;
    const a = sourceAvailability(db, src);
    if (a.online) sourceIds.push(src.id);
    else if (!quiet) {
      ctx.out.err(
        `varietal: ${printable(src.path)}: offline (${a.reason}); its images are left out`,
      );
    }
  }
  const signal = ctx.interrupt();
  const bar = boolFlag(inv, "quiet") ? SILENT : ctx.progress("Extracting"); // quiet: no bar
  let report;
  try {
    report = await extractPalettes(db, {
      config,
      paths: ctx.paths,
      jobs,
      force,
      signal,
      sourceIds,
      onProgress: (e) => {
        bar.total(e.total);
        bar.update(e.done, e.path.replace(/^.*\//, ""));
      },
    });
  } finally {
    bar.done();
  }
  const s = styles(ctx.out.color);
  if (json) ctx.out.json(report);
  else if (!quiet) {
    const fresh = report.total - report.outdated;
    if (report.total === 0 && report.undecodable === 0 && !hasImages(db, sourceIds)) {
      ctx.out.line(
        countImages(db) > 0
          ? "No image to extract from: every folder with images is disabled or offline " +
            "('varietal sources list' shows them; 'varietal sources enable DIR')"
          : "No image in the collection yet: run 'varietal scan' (after 'varietal sources add DIR')",
      );
    } else if (report.total === 0 && report.undecodable === 0) {
      ctx.out.line("Every image already has a palette.");
    } else if (report.total === 0) ctx.out.line("No image to extract.");
    else {
      const rate = report.seconds > 0 ? (report.extracted + report.recomputed) / report.seconds : 0;
      const timing = `in ${report.seconds.toFixed(1)}s, ${rate.toFixed(1)}/s with ` +
        `${report.workers} worker(s)` +
        (report.failed.length ? `, ${s.red(`${report.failed.length} failed`)}` : "");
      const parts: string[] = [];
      if (fresh > 0) {
        parts.push(
          `${s.bold("Extracted")} ${s.green(String(report.extracted))} of ${fresh} palette(s)` +
            ` (wallust ${report.origins.wallust}, built-in ${report.origins.builtin})`,
        );
      }
      if (report.outdated > 0) {
        parts.push(
          `${fresh > 0 ? "recomputed" : s.bold("Recomputed")} the figures of ${
            s.green(String(report.recomputed))
          } of ${report.outdated} palette(s) from an older version`,
        );
      }
      ctx.out.line(`${parts.join("; ")} ${timing}`);
    }
  }
  if (!json) {
    // Notes of earlier runs, said again each run: not under -q (a timer's job would mail them).
    if (report.undecodable > 0 && !quiet) {
      ctx.out.err(
        `varietal: ${report.undecodable} image(s) that failed to decode before were left out ` +
          `until their files change ('varietal extract --force' tries them again):`,
      );
      // Not this run's failures, which are said below.
      const now = new Set(report.failed.map((f) => f.path));
      const shown = listDecodeFailures(db, 5 + now.size).filter((f) => !now.has(f.path))
        .slice(0, 5);
      for (const f of shown) ctx.out.err(`varietal:   ${f.path}: ${f.reason}`);
      if (report.undecodable > shown.length) {
        ctx.out.err(`varietal:   … and ${report.undecodable - shown.length} more`);
      }
    }
    if (report.unsupported.length > 0 && !quiet) {
      const formats = [...new Set(report.unsupported.map((u) => u.format.toUpperCase()))];
      ctx.out.err(
        `varietal: ${report.unsupported.length} image(s) in formats the built-in extractor ` +
          `cannot read (${formats.join(", ")}) have no palette: they are shown, but the theme ` +
          "keeps the colours it had (wallust reads them when installed), e.g. " +
          printable(report.unsupported[0].path),
      );
    }
    for (const w of report.warnings) ctx.out.err(`varietal: warning: ${w.path}: ${w.message}`);
    for (const f of report.failed) {
      // Decoders' messages name the file already ("Cannot decode PATH: …"): say it once.
      const line = f.reason.includes(f.path) ? f.reason : `${f.path}: ${f.reason}`;
      ctx.out.err(`varietal: ${printable(line)}`);
    }
  }
  if (report.interrupted) {
    ctx.out.err(
      `varietal: extract interrupted; ${report.extracted} palette(s) saved, ` +
        (force
          // --force redoes every image: a rerun starts over rather than resuming.
          ? "run 'varietal extract --force' again to recompute them all (it starts over)"
          : "run 'varietal extract' again to resume"),
    );
    return interruptedExit(signal.reason);
  }
  if (json && report.failed.length > 0) {
    // Exit 1 comes with a line on stderr; the JSON's `failed` has each one.
    ctx.out.err(
      `varietal: ${report.failed.length} image(s) failed to extract (see "failed" in the JSON), ` +
        `e.g. ${printable(report.failed[0].path)}`,
    );
  }
  return report.failed.length ? EXIT.error : EXIT.ok;
}

/** Whether any of these sources holds an image that is not missing. */
function hasImages(db: Database, sourceIds: readonly number[]): boolean {
  return sourceIds.some((id) => hasPresentImages(db, id));
}
