// What `next`, `prev`, `current --restore` and `daemon` share: the pipeline's world, the
// mapping of pipeline errors to exit codes, and how a show is printed.
import { type Context, lazy } from "./_context.ts";
import { printable, styles } from "./_output.ts";
import { CliError, EXIT } from "./errors.ts";
import type { ShownImage, ShowResult } from "../pipeline/apply_show.ts";
import { BusyError } from "../pipeline/lock.ts";
import type { PipelineDeps } from "../pipeline/pipeline_deps.ts";
import { defaultServices } from "../pipeline/services.ts";
import { failureLines, hookStatus } from "../theme/theme_report.ts";
import { SetterError } from "../wallpaper/setter_error.ts";

/** The pipeline's world for a command. */
export async function pipelineDeps(
  ctx: Context,
  options: { interruptible?: boolean } = {},
): Promise<PipelineDeps> {
  return {
    db: await ctx.db(),
    config: await ctx.config(),
    paths: ctx.paths,
    env: ctx.env,
    services: defaultServices(),
    // Ctrl-C stops the wait for the lock and the setter or hook that runs (each in a process
    // group of its own, which the terminal's SIGINT no longer reaches), then exits 130.
    ...(options.interruptible ? { signal: ctx.interrupt() } : {}),
  };
}

/** Maps pipeline errors to CLI errors with the right exit codes. */
export function cliError(e: unknown): unknown {
  if (e instanceof BusyError) return new CliError(e.message, EXIT.busy, { cause: e });
  if (e instanceof SetterError) {
    return new CliError(`${e.message}; nothing was recorded`, EXIT.error, { cause: e });
  }
  return e;
}

/**
 * Prints a show (text or JSON) and returns the exit code.
 *
 * @param extra Fields added to the JSON (`daemon_pid` when a daemon ran it).
 */
export async function printShow(
  ctx: Context,
  r: ShowResult,
  json: boolean,
  extra: Record<string, unknown> = {},
): Promise<number> {
  const hooks = r.theme?.hooks ?? [];
  // A hook that ran and failed is a failure (exit 1); one whose program is not
  // installed only a warning; one not run because its template failed is
  // already reported as that template's failure.
  const hookFailures = hooks
    .filter((h) => hookStatus(h) === "failed")
    .map((h) => ({ name: `hook of ${h.name}`, reason: h.reason ?? "failed" }));
  const warnings = [
    ...r.warnings,
    ...hooks.filter((h) => hookStatus(h) === "missing").map((h) =>
      `hook of ${h.name}: ${h.reason}`
    ),
  ];
  const failed = [...(r.theme?.failed ?? []), ...hookFailures];
  if (json) {
    const primary = r.shows[0];
    const { showCredits } = await lazy<typeof import("./_credits.ts")>("./_credits.ts");
    const credit = await showCredits(
      await ctx.db(),
      r.shows.map((s) => ({ image_id: s.imageId, path: s.path })),
    );
    const creditOf = (s: ShownImage) => credit({ image_id: s.imageId, path: s.path });
    ctx.out.json({
      path: primary.path,
      output: primary.output,
      palette: primary.palette,
      ...creditOf(primary),
      kind: r.kind,
      setter: r.setter,
      dry_run: r.dryRun,
      recorded: r.recorded,
      shown_at: r.shownAt,
      shows: r.shows.map((s) => ({
        path: s.path,
        output: s.output,
        image_id: s.imageId,
        palette_from: s.paletteFrom,
        palette: s.palette,
        ...creditOf(s),
      })),
      // What `theme apply --json` prints: a script reads failures one way.
      theme: r.theme,
      timings: r.timings,
      warnings,
      ...extra,
    });
  } else {
    const st = styles(ctx.out.color);
    const multi = r.shows.length > 1 || r.shows.some((s) => s.output !== null);
    for (const s of r.shows) {
      const swatch = s.palette && ctx.out.color
        ? " " + [s.palette.background, ...s.palette.colors.slice(1, 7)].map((c) => st.bg(c, "  "))
          .join("")
        : "";
      ctx.out.line(
        `${multi && s.output ? `${st.bold(s.output)}\t` : ""}${printable(s.path)}${swatch}`,
      );
    }
    if (r.dryRun) ctx.out.err("varietal: dry run: nothing was set or recorded");
  }
  for (const w of warnings) ctx.out.err(`varietal: warning: ${w}`);
  for (const line of failureLines(failed)) ctx.out.err(`varietal: theme: ${line}`);
  return failed.length > 0 ? EXIT.error : EXIT.ok;
}
