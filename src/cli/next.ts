// `varietal next`: lock → select → set → palette → record → theme.
import type { CommandSpec, Invocation } from "./_command.ts";
import type { Context } from "./_context.ts";
import { boolFlag, expectArgs, stringFlag } from "./_parse.ts";
import { printable, styles } from "./_output.ts";
import { CONSTRAINT_OPTIONS, constraintsFromFlags } from "./_constraints.ts";
import { CliError, EXIT, UsageError } from "./errors.ts";
import { type SetterName, SETTERS } from "../config/choices.ts";
import { parseDuration } from "../config/duration.ts";
import type { ShowResult } from "../pipeline/apply_show.ts";
import { BusyError } from "../pipeline/lock.ts";
import type { PipelineDeps } from "../pipeline/pipeline_deps.ts";
import { defaultServices } from "../pipeline/services.ts";
import { SetterError } from "../wallpaper/setter_error.ts";

export const spec: CommandSpec = {
  name: "next",
  summary: "Pick, set and theme the next wallpaper",
  description:
    "Takes varietal's lock (waiting for another varietal), picks an image, sets it with the\n" +
    "setter, extracts its palette, records the show and renders the theme, in that order. A\n" +
    "failing setter stops before anything is recorded. After 'varietal prev', 'next' steps\n" +
    "forward through history again (like a browser) unless --image or a constraint is given.\n" +
    "Exits 75 when another varietal stays busy longer than --wait. Exits 1 when a template\n" +
    "failed or a hook ran and failed (non-zero exit or hook_timeout); the wallpaper stays set\n" +
    "and recorded and the other targets and hooks still run. A hook whose program is not\n" +
    "installed is only a warning (exit 0).",
  options: {
    ...CONSTRAINT_OPTIONS,
    image: {
      type: "string",
      value: "PATH",
      complete: "file",
      description: "Show this image (it must be in the collection) instead of picking one",
    },
    setter: {
      type: "string",
      choices: SETTERS,
      description: "Setter to use instead of [wallpaper] setter",
    },
    "no-palette": { type: "boolean", description: "Do not extract a palette for new images" },
    "no-theme": { type: "boolean", description: "Do not render the theme" },
    "dry-run": {
      type: "boolean",
      description: "Decide and print, change nothing (no lock, no setter, no history)",
    },
    wait: {
      type: "string",
      value: "DURATION",
      description: "How long to wait for another varietal (default 60s; 0 = do not wait)",
    },
    json: { type: "boolean", description: "Print path, palette and timings per stage as JSON" },
  },
  examples: [
    "varietal next",
    "varietal next --dark --hue blue",
    "varietal next --image ~/Pictures/Wallpapers/fjord.jpg",
    "varietal next --setter none --json",
  ],
};

/** Reads `--wait` in milliseconds. */
export function waitFlag(inv: Invocation, path: string): number | undefined {
  const w = stringFlag(inv, "wait");
  if (w === undefined) return undefined;
  try {
    return parseDuration(w) * 1000;
  } catch {
    throw new UsageError(
      `invalid value '${w}' for --wait (expected a duration like 10s or 2m)`,
      path,
    );
  }
}

/** The pipeline's world for a command. */
export async function pipelineDeps(ctx: Context): Promise<PipelineDeps> {
  return {
    db: await ctx.db(),
    config: await ctx.config(),
    paths: ctx.paths,
    env: ctx.env,
    services: defaultServices(),
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

export async function run(ctx: Context, inv: Invocation): Promise<number> {
  expectArgs(inv, 0, 0, "next");
  const constraints = await constraintsFromFlags(inv, ctx, "next");
  const image = stringFlag(inv, "image");
  if (image !== undefined && Object.keys(constraints).length > 0) {
    throw new UsageError("--image cannot be combined with selection constraints", "next");
  }
  const lockTimeoutMs = waitFlag(inv, "next");
  const deps = await pipelineDeps(ctx);
  let result: ShowResult;
  try {
    const { runNext } = await import("../pipeline/next.ts");
    result = await runNext(deps, {
      constraints,
      image,
      setter: stringFlag(inv, "setter") as SetterName | undefined,
      palette: !boolFlag(inv, "no-palette"),
      theme: !boolFlag(inv, "no-theme"),
      dryRun: boolFlag(inv, "dry-run"),
      lockTimeoutMs,
      startup: true,
    });
  } catch (e) {
    throw cliError(e);
  }
  return printShow(ctx, result, boolFlag(inv, "json"));
}

/** Prints a show (text or JSON) and returns the exit code. */
export function printShow(ctx: Context, r: ShowResult, json: boolean): number {
  type Hook = { name?: string; ok?: boolean; missing?: boolean; reason?: string };
  const hooks = (r.theme?.hooks ?? []) as Hook[];
  // A hook that ran and failed is a failure (exit 1); one whose program is not
  // installed only a warning; one not run because its template failed is
  // already reported as that template's failure.
  const hookFailures = hooks
    .filter((h) => h.ok === false && !h.missing && !String(h.reason ?? "").startsWith("not run"))
    .map((h) => ({ name: `hook of ${h.name ?? "?"}`, reason: h.reason ?? "failed" }));
  const warnings = [
    ...r.warnings,
    ...hooks.filter((h) => h.missing).map((h) => `hook of ${h.name ?? "?"}: ${h.reason}`),
  ];
  const failed = [...(r.theme?.failed ?? []), ...hookFailures];
  if (json) {
    const primary = r.shows[0];
    ctx.out.json({
      path: primary.path,
      output: primary.output,
      palette: primary.palette,
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
      })),
      theme: r.theme
        ? { written: r.theme.written, failed: failed.map(describe), ms: r.theme.ms }
        : null,
      timings: r.timings,
      warnings,
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
        `${multi && s.output ? `${st.bold(s.output)}  ` : ""}${printable(s.path)}${swatch}`,
      );
    }
    if (r.dryRun) ctx.out.err("varietal: dry run: nothing was set or recorded");
  }
  for (const w of warnings) ctx.out.err(`varietal: warning: ${w}`);
  for (const f of failed) ctx.out.err(`varietal: theme: ${describe(f)}`);
  return failed.length > 0 ? EXIT.error : EXIT.ok;
}

function describe(f: unknown): string {
  if (typeof f === "string") return f;
  if (f instanceof Error) return f.message;
  if (f && typeof f === "object") {
    const o = f as Record<string, unknown>;
    const name = o.name ?? o.template ?? o.target ?? "";
    const msg = o.reason ?? o.message ?? o.error ?? "";
    return [name, msg instanceof Error ? msg.message : msg].filter(Boolean).join(": ");
  }
  return String(f);
}
