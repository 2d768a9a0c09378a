// `varietal favorite|unfavorite|ban|unban [PATH|current]…`: set or clear an
// image's favourite or banned flag. One module backs the four commands.
import type { CommandModule, CommandSpec, Invocation } from "./_command.ts";
import { type Context, lazy } from "./_context.ts";
import { printable } from "./_output.ts";
import { notFoundReason } from "../file_check.ts";
import { boolFlag, stringFlag } from "./_parse.ts";
import { JSON_FLAG, withHelp } from "./_flags.ts";
import { CliError, EXIT, UsageError } from "./errors.ts";
import type { Database } from "../db/database.ts";
import {
  getImage,
  getImageByPath,
  type ImageRow,
  markMissing,
  setImageFlag,
} from "../db/images.ts";
import { lastShow } from "../db/history.ts";
import { browseFile, currentShow, readBrowseState } from "../pipeline/browse.ts";
import { acquireLock, pipelineLockFile } from "../pipeline/lock.ts";
import { indexFile, NotAnImageError } from "../scan/loose.ts";
import { discardBannedDownloads } from "../remote/ban.ts";
import { fileErrorReason } from "../text/not_capable.ts";

interface FlagCommand {
  name: string;
  flag: "favorite" | "banned";
  value: boolean;
  summary: string;
  done: string;
  /** What to say when the image had that mark (or lacked it) already. */
  already: string;
}

const DEFS: FlagCommand[] = [
  {
    name: "favorite",
    flag: "favorite",
    value: true,
    summary: "Mark images as favourites (chosen more often)",
    done: "Favourite",
    already: "already a favourite",
  },
  {
    name: "unfavorite",
    flag: "favorite",
    value: false,
    summary: "Remove the favourite mark",
    done: "No longer a favourite",
    already: "was not a favourite",
  },
  {
    name: "ban",
    flag: "banned",
    value: true,
    summary: "Never choose these images again",
    done: "Banned",
    already: "already banned",
  },
  {
    name: "unban",
    flag: "banned",
    value: false,
    summary: "Allow banned images again",
    done: "Unbanned",
    already: "was not banned",
  },
];

/** An absolute, normalised path (without touching the disk). */
function absolute(path: string): string {
  const parts: string[] = [];
  for (const p of (path.startsWith("/") ? path : `${Deno.cwd()}/${path}`).split("/")) {
    if (p === "..") parts.pop();
    else if (p && p !== ".") parts.push(p);
  }
  return "/" + parts.join("/");
}

/**
 * Finds a collection image by a path argument or "current" (the wallpaper on
 * screen, which after `prev` is not the last one shown), in two steps: the
 * file (reading the disk) now, and its row from the returned function, which
 * indexes an image file not in the collection yet when `index` allows
 * (`favorite` and `ban` do; see src/scan/loose.ts). Run in one transaction
 * for every argument, the second steps index nothing unless all succeed.
 *
 * @param stateDir varietal's state dir, where `prev` keeps its position; without it
 * "current" is the last show.
 * @throws {CliError} When nothing was shown yet or the path is not in the collection
 * (from the returned function: when the file is not an image).
 */
async function locateImage(
  db: Database,
  arg: string,
  stateDir: string | undefined,
  index: boolean,
  output?: string,
): Promise<Located> {
  if (arg === "current") {
    const shows = stateDir ? await currentShowOf(db, stateDir) : [lastShow(db)].filter((x) => !!x);
    if (!shows.length) throw new CliError("there is no current wallpaper yet; give an image path");
    const outputs = shows.map((h) => h.output).filter((o): o is string => o !== null);
    // One wallpaper for all outputs is each output's.
    const last = output === undefined || !outputs.length
      ? shows[0]
      : shows.find((h) => h.output === output);
    if (!last) {
      throw new CliError(
        `no wallpaper is shown on output '${printable(output!)}' (outputs: ${
          outputs.map(printable).join(", ")
        }); see 'varietal current'`,
      );
    }
    const found = getImage(db, last.image_id);
    // With a wallpaper per output, which one was meant is said (the first unless --output).
    const on = last.output !== null && new Set(shows.map((h) => h.image_id)).size > 1
      ? { output: last.output, of: shows.length }
      : undefined;
    if (found) return { find: () => found, ...(on ? { on } : {}) };
    throw new CliError(`the current wallpaper (${last.path}) is no longer in the collection`);
  }
  let real: string;
  let exists = true;
  try {
    real = await Deno.realPath(arg);
  } catch {
    // A vanished file may still be in the collection under its absolute path.
    real = absolute(arg);
    exists = false;
  }
  const img = getImageByPath(db, real);
  if (img) return { find: () => img };
  if (index && exists) {
    return {
      find: () => {
        try {
          return indexFile(db, real);
        } catch (e) {
          if (e instanceof NotAnImageError) throw new CliError(`${arg}: ${e.message}`);
          throw e;
        }
      },
    };
  }
  // No such file (a typo, say) is said as such, not as a file to add.
  if (index || !exists) throw new CliError(`${printable(arg)}: ${notFoundReason(arg)}`);
  throw new CliError(
    `${
      printable(arg)
    } is not in the collection; add its folder with 'varietal sources add DIR' and run 'varietal scan'`,
  );
}

/** An image argument found: its row (second step), and the output when "current" had several. */
interface Located {
  find: () => ImageRow;
  /** The output whose wallpaper "current" took, of how many showing different images. */
  on?: { output: string; of: number };
}

/** The shows on screen: one per output, or one for all. */
async function currentShowOf(db: Database, stateDir: string) {
  return currentShow(db, await readBrowseState(browseFile(stateDir)));
}

function makeCommand(d: FlagCommand): CommandModule {
  const spec: CommandSpec = {
    name: d.name,
    summary: d.summary,
    args: "[PATH|current]…",
    completeAlso: ["current"],
    description: "Without arguments, acts on the current wallpaper (the last one shown); with a\n" +
      "wallpaper per output ([wallpaper] outputs), the first output's unless --output names\n" +
      "another, and the output is named." +
      (d.value
        ? "\nAn image file outside the collection is indexed first (as a single file)."
        : ""),
    options: {
      output: {
        type: "string",
        value: "NAME",
        description: "The current wallpaper of this output ('varietal current' lists them)",
      },
      json: withHelp(
        JSON_FLAG,
        'Print [{"path","favorite","banned"}] (plus "output" for the current wallpaper of one\n' +
          "of several outputs)",
      ),
      ...(d.name === "ban"
        ? {
          trash: {
            type: "boolean",
            description: "Also move the files to the desktop's trash, where the file manager " +
              "can restore them (downloads are deleted anyway)",
          },
        } as const
        : {}),
    },
    examples: [
      `varietal ${d.name}`,
      `varietal ${d.name} ~/Pictures/walls/sunset.jpg`,
      `varietal ${d.name} --output HDMI-A-1`,
      ...(d.name === "ban" ? ["varietal ban --trash && varietal next"] : []),
    ],
  };
  return {
    spec,
    async run(ctx: Context, inv: Invocation): Promise<number> {
      const args = inv.positionals.length ? inv.positionals : ["current"];
      const output = stringFlag(inv, "output");
      if (output !== undefined && output.trim() === "") {
        throw new UsageError("--output was given an empty name; see 'varietal current'", d.name);
      }
      if (output !== undefined) {
        // A key binding's typo fails now, not only once there is a wallpaper per output.
        const named = (await ctx.config()).wallpaper.outputs;
        if (named.length && !named.includes(output)) {
          throw new UsageError(
            `no output '${printable(output)}' in [wallpaper] outputs (${named.join(", ")})`,
            d.name,
          );
        }
      }
      if (output !== undefined && !args.includes("current")) {
        throw new UsageError(
          "--output picks the current wallpaper of an output: give no PATH, or 'current'",
          d.name,
        );
      }
      // A change in progress has set its wallpaper but records it only after the palette:
      // "current" waits for it (the pipeline's lock), so it is the image on screen.
      using _lock = args.includes("current")
        ? await acquireLock(pipelineLockFile(ctx.paths), {
          timeoutMs: 60_000,
          purpose: d.name,
          signal: ctx.interrupt(),
        })
        : undefined;
      const db = await ctx.db();
      // Every argument is found before any is indexed or marked: one that is not an image
      // or not there changes nothing (a ban with a typo must not put the others in rotation).
      const located: Located[] = [];
      for (const a of args) {
        located.push(await locateImage(db, a, ctx.paths.state, d.value, output));
      }
      const images = db.transaction(() => {
        const rows = located.map((l) => l.find());
        for (const img of rows) setImageFlag(db, img.id, d.flag, d.value);
        return rows;
      });
      // The two marks together: banned wins (a banned image is never shown), so say so.
      for (const img of images) {
        const clash = clashNote(d, img);
        if (clash) ctx.out.err(`varietal: ${printable(img.path)} ${clash}`);
      }
      // A banned download is deleted and never downloaded again (src/remote/ban.ts).
      const deleted = new Set(
        d.flag === "banned" && d.value
          ? await discardBannedDownloads(db, images.map((img) => img.id))
          : [],
      );
      // --trash: the other files go to the desktop's trash (src/trash.ts); one that cannot
      // stays banned, and is named.
      const trashed = new Map<number, string>();
      const failed: string[] = [];
      if (boolFlag(inv, "trash")) {
        const { trashFile } = await lazy<typeof import("../trash.ts")>("../trash.ts");
        const dataHome = ctx.paths.data.replace(/\/varietal$/, "");
        for (const img of images) {
          if (deleted.has(img.id)) continue;
          try {
            trashed.set(img.id, (await trashFile(img.path, { dataHome })).path);
          } catch (e) {
            failed.push(
              `${printable(img.path)}: banned, but not moved to the trash: ${
                e instanceof Deno.errors.NotFound ? "the file is gone" : fileErrorReason(e)
              }`,
            );
          }
        }
        const now = Date.now();
        db.transaction(() => markMissing(db, [...trashed.keys()], now));
      }
      if (boolFlag(inv, "json")) {
        ctx.out.json(images.map((img, i) => ({
          path: img.path,
          ...(located[i].on ? { output: located[i].on.output } : {}),
          favorite: d.flag === "favorite" ? d.value : img.favorite,
          banned: d.flag === "banned" ? d.value : img.banned,
          ...(deleted.has(img.id) ? { file_deleted: true } : {}),
          ...(trashed.has(img.id) ? { trashed: trashed.get(img.id) } : {}),
        })));
      } else {
        for (const [i, img] of images.entries()) {
          const extra = deleted.has(img.id)
            ? " (downloaded file deleted)"
            : trashed.has(img.id)
            ? " (moved to the trash)"
            : "";
          const on = located[i].on;
          const where = !on
            ? ""
            : output !== undefined
            ? ` (on ${printable(on.output)})`
            : ` (on ${
              printable(on.output)
            }, the first of ${on.of} outputs; --output NAME for another)`;
          ctx.out.line(
            img[d.flag] === d.value
              ? `${printable(img.path)}${where}: ${d.already}${extra || " (nothing changed)"}`
              : `${d.done}: ${printable(img.path)}${where}${extra}`,
          );
        }
      }
      for (const f of failed) ctx.out.err(`varietal: ${f}`);
      return failed.length ? EXIT.error : EXIT.ok;
    },
  };
}

/**
 * What to tell a user who marks an image favourite while it is banned, or bans
 * a favourite: a banned image is never shown, whatever else it is.
 */
function clashNote(d: FlagCommand, img: ImageRow): string | undefined {
  if (d.flag === "favorite" && d.value && img.banned) {
    return "is banned, so it is still never shown; 'varietal unban' it to let it come back";
  }
  if (d.flag === "banned" && d.value && img.favorite) {
    return "is a favourite; banned, it is never shown ('varietal unban' undoes this)";
  }
  return undefined;
}

/** The four commands by name. */
export const commands: Record<string, CommandModule> = Object.fromEntries(
  DEFS.map((d) => [d.name, makeCommand(d)]),
);
