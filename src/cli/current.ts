// `varietal current`: the wallpaper on screen now (per output).
import { printable } from "./_output.ts";
import type { CommandSpec, Invocation } from "./_command.ts";
import type { Context } from "./_context.ts";
import { boolFlag, expectArgs, stringFlag } from "./_parse.ts";
import { CliError, EXIT, UsageError } from "./errors.ts";
import type { DisplayMode } from "../config/choices.ts";
import { browseFile, currentShow, NOTHING_SHOWN, readBrowseState } from "../pipeline/browse.ts";
import { getPalette, plainPalette } from "../db/palettes.ts";
import { showCredits } from "./_credits.ts";
import {
  JSON_FLAG,
  MODE_FLAG,
  NO_THEME_FLAG,
  SETTER_FLAG,
  setterFlag,
  withHelp,
} from "./_flags.ts";
import { cliError, pipelineDeps, printShow } from "./_show.ts";

export const spec: CommandSpec = {
  name: "current",
  summary: "Print the current wallpaper",
  description: "Prints the path of the wallpaper varietal last set, taking 'varietal prev' into\n" +
    "account. With a wallpaper per output ([wallpaper] outputs), each line is the output's\n" +
    "name, a tab and its path. Control characters in a name are written as escapes (\\n,\n" +
    "\\x1b); --json gives the exact paths. Exits 1 when nothing has been shown yet.",
  options: {
    restore: {
      type: "boolean",
      description: "Set the current wallpaper again (after login, without the daemon)",
    },
    setter: withHelp(SETTER_FLAG, "Setter for --restore instead of [wallpaper] setter"),
    "no-theme": withHelp(NO_THEME_FLAG, "With --restore: set the wallpaper, render no theme"),
    mode: withHelp(
      MODE_FLAG,
      "With --restore: how it covers the screen this once (e.g. fit, to see it whole)",
    ),
    json: withHelp(
      JSON_FLAG,
      'Print [{"path","output","shown_at","palette","attribution","package"}] as JSON\n' +
        "(attribution: the remote, page_url, image_url, author, author_url, title and licence of\n" +
        "a downloaded image; package: the name, authors, licence and folder of a KDE wallpaper\n" +
        "package's picture; null otherwise). With --restore: the object 'next --json' prints",
    ),
  },
  examples: [
    "varietal current",
    'cp "$(varietal current)" ~/keep/   # one wallpaper for all outputs',
    "varietal current --restore --mode fit   # the picture whole, without a new show",
  ],
};

export async function run(ctx: Context, inv: Invocation): Promise<number> {
  expectArgs(inv, 0, 0, "current");
  if (boolFlag(inv, "restore")) return await restore(ctx, inv);
  if (stringFlag(inv, "mode") !== undefined) {
    throw new UsageError("--mode needs --restore", "current");
  }
  if (stringFlag(inv, "setter") !== undefined) {
    throw new UsageError("--setter needs --restore", "current");
  }
  if (boolFlag(inv, "no-theme")) throw new UsageError("--no-theme needs --restore", "current");
  const db = await ctx.db();
  const rows = currentShow(db, await readBrowseState(browseFile(ctx.paths.state)));
  if (boolFlag(inv, "json")) {
    const credit = await showCredits(db, rows);
    ctx.out.json(rows.map((r) => {
      const p = getPalette(db, r.image_id);
      return {
        path: r.path,
        output: r.output,
        shown_at: r.shown_at,
        palette: p ? plainPalette(p) : null,
        ...credit(r),
      };
    }));
    // An empty list for scripts that parse it, the exit code and a line for the rest.
    if (rows.length === 0) ctx.out.err(`varietal: ${NOTHING_SHOWN}`);
    return rows.length ? EXIT.ok : EXIT.error;
  }
  if (rows.length === 0) throw new CliError(NOTHING_SHOWN);
  const multi = rows.length > 1 || rows.some((r) => r.output !== null);
  for (const r of rows) {
    ctx.out.line(multi && r.output ? `${r.output}\t${printable(r.path)}` : printable(r.path));
  }
  return EXIT.ok;
}

async function restore(ctx: Context, inv: Invocation): Promise<number> {
  const deps = await pipelineDeps(ctx, { interruptible: true });
  const { runRestore } = await import("../pipeline/restore.ts");
  let r;
  try {
    r = await runRestore(deps, {
      setter: setterFlag(inv),
      mode: stringFlag(inv, "mode") as DisplayMode | undefined,
      ...(boolFlag(inv, "no-theme") ? { theme: false } : {}),
    });
  } catch (e) {
    throw cliError(e);
  }
  if (!r) {
    throw new CliError(`nothing to restore: ${await whyNoRestore(deps)}; run 'varietal next'`);
  }
  return await printShow(ctx, r, boolFlag(inv, "json"));
}

/** Why the last wallpaper cannot be set again: nothing shown, its file gone, or banned. */
async function whyNoRestore(deps: Awaited<ReturnType<typeof pipelineDeps>>): Promise<string> {
  const rows = currentShow(deps.db, await readBrowseState(browseFile(deps.paths.state)));
  if (rows.length === 0) return "nothing was shown yet";
  const { checkFile } = await import("../file_check.ts");
  const { getImage } = await import("../db/images.ts");
  for (const r of rows) {
    if (getImage(deps.db, r.image_id)?.banned) {
      return `the last wallpaper, ${printable(r.path)}, is banned`;
    }
    const file = checkFile(r.path, { read: true });
    if (file === "missing") {
      // On an unplugged drive: it comes back with the drive, which is what to say.
      const { listSources } = await import("../db/sources.ts");
      const { sourceAvailability } = await import("../scan/availability.ts");
      const source = getImage(deps.db, r.image_id)?.source_id;
      const src = listSources(deps.db).find((x) => x.id === source);
      const a = src ? sourceAvailability(deps.db, src) : { online: true as const };
      if (!a.online) {
        return `the last wallpaper, ${printable(r.path)}, is in ${printable(src!.path)}, which ` +
          `is offline (${a.reason})`;
      }
    }
    if (file !== "ok") {
      return `the last wallpaper, ${printable(r.path)}, ${
        file === "missing" ? "is gone" : `cannot be read (${file})`
      }`;
    }
  }
  return "the last wallpaper cannot be set again";
}
