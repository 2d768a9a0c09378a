// `varietal sources`: manage wallpaper folders.
import type { CommandSpec, Invocation } from "./_command.ts";
import type { Context } from "./_context.ts";
import { boolFlag, expectArgs, stringFlag } from "./_parse.ts";
import { JSON_FLAG } from "./_flags.ts";
import { counted, printable, styles } from "./_output.ts";
import {
  addSource,
  countImagesBySource,
  getSourceByPath,
  handOverImages,
  imagesWithoutHolder,
  moveSource,
  removeSource,
  setSourceEnabled,
  setSourceOrder,
  type SourceRow,
} from "../db/sources.ts";
import type { Database } from "../db/database.ts";
import { expandPath, resolveFolder } from "../scan/source_path.ts";
import { configEntryFor, listAllSources, type SourceEntry } from "../scan/source_list.ts";
import { CliError, EXIT, UsageError } from "./errors.ts";
import { PLAY_ORDERS, type PlayOrder } from "../config/choices.ts";
import { assertIntact } from "../db/damage.ts";
import { getRemoteBySource } from "../db/remotes.ts";
import { onScreenFrom } from "../pipeline/browse.ts";
import { fitWidth } from "../text/text_width.ts";

const json = JSON_FLAG;

/** What `sources order` takes: an order, or "default" to follow `[selection] order` again. */
const ORDER_ARGS = [...PLAY_ORDERS, "default"] as const;

export const spec: CommandSpec = {
  name: "sources",
  summary: "Add, list, move, remove, enable, disable or order wallpaper folders",
  subcommands: [
    {
      name: "list",
      summary: "List wallpaper folders: image counts, state and where each comes from",
      description: [
        'Lists the folders of config.toml ([[sources]], FROM "config"), those added with',
        "'varietal sources add' (FROM \"command\") and remotes' downloads folders (FROM",
        '"remote") in one list. STATE is enabled, disabled or',
        "offline (the folder is unreachable now: unplugged drive, unmounted share; its images",
        "are kept). A folder shown in an order other than smart says so after its path.",
        "--json prints [{path, kind, origin, config_file, config_path, enabled, recursive,",
        "status, reason, order, own_order, images, times_shown, last_shown_at, last_scanned_at}]",
        "(own_order null: the folder follows [selection] order).",
      ].join("\n"),
      options: { json },
      examples: ["varietal sources list --json"],
    },
    {
      name: "add",
      summary: "Add one or more folders (scanned by 'varietal scan')",
      args: "DIR…",
      options: {
        "no-recursive": {
          type: "boolean",
          description: "Index only the folder itself, not subfolders",
        },
        order: {
          type: "string",
          value: "ORDER",
          choices: PLAY_ORDERS,
          description: "Show its images in this order (default: [selection] order)",
        },
        json,
      },
      examples: [
        "varietal sources add ~/Pictures/Wallpapers /usr/share/backgrounds",
        "varietal sources add --order sequential ~/Pictures/Comics",
      ],
    },
    {
      name: "order",
      summary: "Set the order of folders: smart, sequential, shuffle or default",
      args: "DIR… ORDER",
      complete: "source",
      completeAlso: ORDER_ARGS,
      description: [
        "smart: by weight (recently shown images and folders weigh less); sequential: the",
        "folder's images by path in natural order (img2 before img10), continuing after the",
        "last one shown, wrapping around; shuffle: a random order without repeats until every",
        "image has been shown, then a new one. default: follow [selection] order again.",
        "A folder whose [[sources]] entry in config.toml sets order is refused: change it there.",
      ].join("\n"),
      options: { json },
      examples: [
        "varietal sources order ~/Pictures/Comics sequential",
        "varietal sources order ~/Pictures/Wallpapers shuffle",
        "varietal sources order ~/Pictures/Comics default",
      ],
    },
    {
      name: "remove",
      summary: "Remove folders and forget their images, palettes and history",
      description:
        "A folder listed in config.toml is refused (it would come back on the next scan):\nremove it from config.toml first. When the wallpaper on screen is in a removed\nfolder, a warning says so: it stays up, but current and prev forget it.",
      args: "DIR…",
      complete: "source",
      options: { json },
    },
    {
      name: "move",
      summary: "Follow a renamed or moved folder: its images keep their marks and history",
      args: "OLD NEW",
      complete: "source",
      description: [
        "After 'mv ~/Pictures/Desktop ~/Pictures/Art', run 'varietal sources move",
        "~/Pictures/Desktop ~/Pictures/Art': the folder (and any folder of varietal's inside",
        "it) and its images take the new path, keeping favourites, bans, palettes and history.",
        "A scan that ran in between and indexed the new folder (or a 'next --image' of a file",
        "there) is fine: the rows already there for the same files are merged into the old ones,",
        "their shows counted on the folder. NEW must exist; OLD must be a folder of varietal's",
        "and no longer a [[sources]] entry in config.toml (change the entry there first).",
        '--json prints {"from","to","images","merged","sources"}.',
      ].join("\n"),
      options: { json },
      examples: ["varietal sources move ~/Pictures/Desktop ~/Pictures/Art"],
    },
    {
      name: "enable",
      summary: "Use a folder again",
      args: "DIR…",
      complete: "source",
      options: { json },
    },
    {
      name: "disable",
      summary: "Stop using a folder (its images are kept)",
      args: "DIR…",
      complete: "source",
      options: { json },
    },
  ],
};

function sourceJson(s: SourceEntry, configFile: string) {
  return {
    path: s.path,
    kind: s.kind,
    origin: s.origin,
    config_file: s.origin === "config" ? configFile : null,
    config_path: s.config_path,
    enabled: s.enabled,
    recursive: s.recursive,
    status: s.status,
    reason: s.reason,
    order: s.order,
    own_order: s.own_order,
    images: s.images,
    times_shown: s.times_shown,
    // Times in ms since the epoch, as every --json of varietal gives them.
    last_shown_at: s.last_shown_at,
    last_scanned_at: s.last_scanned_at,
  };
}

/** What the user typed as a path: its real path when the folder exists, else expanded. */
async function typedPath(input: string, ctx: Context): Promise<string> {
  const expanded = expandPath(input, ctx.paths.home, Deno.cwd()).replace(/(.)\/$/, "$1");
  try {
    return await Deno.realPath(expanded);
  } catch {
    return expanded;
  }
}

/** Finds a source by what the user typed: real path, expanded path, or as stored. */
async function findSource(db: Database, input: string, ctx: Context): Promise<SourceRow> {
  const candidates = [input, expandPath(input, ctx.paths.home, Deno.cwd()).replace(/(.)\/$/, "$1")];
  candidates.push(await typedPath(input, ctx));
  for (const c of candidates) {
    const s = getSourceByPath(db, c);
    if (s) return s;
  }
  throw new CliError(`${input}: not a wallpaper folder of varietal's; see 'varietal sources list'`);
}

export async function run(ctx: Context, inv: Invocation): Promise<number> {
  const db = await ctx.db();
  // Before what writes across the collection (a damaged file fails here, as in every command
  // that met it); `list`, `add`, `enable` and `disable` read or write a row or two, and a damaged
  // page they meet is said by the database error itself (`quick_check` reads every page: seconds
  // on a million images).
  if (inv.sub === "remove" || inv.sub === "move" || inv.sub === "order") assertIntact(db);
  const asJson = boolFlag(inv, "json");
  const s = styles(ctx.out.color);
  const path = `sources ${inv.sub}`;
  switch (inv.sub) {
    case "list": {
      expectArgs(inv, 0, 0, path);
      const config = await ctx.config();
      const rows = listAllSources(db, config, ctx.paths.home);
      const file = ctx.paths.configFile;
      if (asJson) {
        ctx.out.json(rows.map((r) => sourceJson(r, file)));
      } else if (rows.length === 0) {
        ctx.out.line(
          "No wallpaper folders yet. Add one: varietal sources add ~/Pictures/Wallpapers",
        );
      } else {
        ctx.out.line(
          s.bold(
            `${fitWidth("IMAGES", 8, true)}  ${
              fitWidth("SHOWN", 6, true)
            }  STATE     FROM     PATH`,
          ),
        );
        for (const r of rows) {
          const state = r.status === "online"
            ? s.green(fitWidth("enabled", 8))
            : r.status === "offline"
            ? s.red(fitWidth("offline", 8))
            : s.dim(fitWidth("disabled", 8));
          ctx.out.line(
            `${fitWidth(String(r.images), 8, true)}  ${
              fitWidth(String(r.times_shown), 6, true)
            }  ${state}  ${fitWidth(r.origin, 7)}  ${printable(r.path)}${
              r.recursive ? "" : s.dim(" (not recursive)")
            }${r.order === "smart" ? "" : s.dim(` (${r.order})`)}`,
          );
          if (r.reason) ctx.out.line(s.dim(`${" ".repeat(36)}offline: ${printable(r.reason)}`));
        }
        if (rows.some((r) => r.origin === "config")) {
          ctx.out.line(
            s.dim(
              `"config": listed in ${file} (edit it to change those); "command": added with 'varietal sources add'.`,
            ),
          );
        }
      }
      return EXIT.ok;
    }
    case "add": {
      const dirs = expectArgs(inv, 1, Infinity, path, "folder");
      const resolved: string[] = [];
      for (const d of dirs) resolved.push(await resolveFolder(d, ctx.paths.home));
      const order = stringFlag(inv, "order") as PlayOrder | undefined;
      const noRecursive = boolFlag(inv, "no-recursive");
      const results = db.transaction(() =>
        resolved.map((p) => {
          const r = addSource(db, p, { recursive: !noRecursive, order });
          // An explicit --order applies to a folder that was already there too.
          if (!r.added && order !== undefined) setSourceOrder(db, r.source.id, order);
          return r;
        })
      );
      for (const r of results) {
        // Whether a folder is walked recursively is fixed when it is added.
        if (!r.added && noRecursive && r.source.recursive) {
          ctx.out.err(
            `varietal: ${r.source.path} is already a source and stays recursive; to change that, 'varietal sources remove' it (forgetting its history) and add it again with --no-recursive`,
          );
        }
      }
      if (asJson) {
        ctx.out.json(results.map((r) => ({ path: r.source.path, added: r.added })));
      } else {
        for (const r of results) {
          const shown = printable(r.source.path);
          if (r.added) {
            ctx.out.line(`Added ${shown}`);
            continue;
          }
          const notes = [
            ...(order !== undefined ? [`its order is now ${order}`] : []),
            ...(r.source.enabled ? [] : [
              `it is disabled: 'varietal sources enable ${printable(r.source.path)}' turns it on`,
            ]),
          ];
          ctx.out.line(`Already a source: ${shown}${notes.length ? ` (${notes.join("; ")})` : ""}`);
        }
        if (results.some((r) => r.added)) {
          ctx.out.line(s.dim("Run 'varietal scan' to index the images."));
        }
      }
      return EXIT.ok;
    }
    case "order":
      return await setOrder(ctx, inv, db, asJson);
    case "move":
      return await moveFolder(ctx, inv, db, asJson);
    case "remove":
    case "enable":
    case "disable": {
      const dirs = expectArgs(inv, 1, Infinity, path, "folder");
      const config = await ctx.config();
      const found: SourceRow[] = [];
      for (const d of dirs) {
        // A folder listed in config.toml comes back on the next scan: say where to remove it.
        const fromConfig = configEntryFor(await typedPath(d, ctx), config, ctx.paths.home);
        if (fromConfig && (inv.sub === "remove" || inv.sub === "enable")) {
          const listed = config.sources.find((x) => x.path === fromConfig.written);
          if (inv.sub === "remove" || listed?.enabled === false) {
            throw new CliError(
              `${d} is listed in ${ctx.paths.configFile} ([[sources]] path = ${
                JSON.stringify(fromConfig.written)
              }), so it would come back on the next scan; ${
                inv.sub === "remove"
                  ? "delete that [[sources]] entry there, then run 'varietal sources remove' again to forget its images"
                  : "set enabled = true in that [[sources]] entry"
              }`,
            );
          }
        }
        const source = await findSource(db, d, ctx);
        // A remote's downloads folder goes with its remote (else the remote is forgotten and
        // its files stay, to be downloaded again beside themselves if it is added back).
        const remote = inv.sub === "remove" && source.kind === "remote"
          ? getRemoteBySource(db, source.id)
          : undefined;
        if (remote) {
          throw new CliError(
            `${d} is the downloads folder of remote '${remote.name}'; use 'varietal remote ` +
              `remove ${remote.name}' (which deletes its downloads too) or 'varietal remote ` +
              `disable ${remote.name}'`,
          );
        }
        found.push(source);
      }
      // Images another folder holds too go to it first: only the rest are forgotten.
      const kept = new Map<number, Map<string, number>>();
      if (inv.sub === "remove") {
        const reached = new Map<number, Map<string, number>>();
        for (const f of found) reached.set(f.id, await reachedByLinks(db, f.id));
        db.transaction(() => {
          for (const f of found) kept.set(f.id, handOverImages(db, f.id, reached.get(f.id)));
        });
      }
      const counts = countImagesBySource(db);
      // Removing the folder of the wallpaper on screen forgets its history too: say so.
      const onScreen = inv.sub === "remove"
        ? await onScreenFrom(db, ctx.paths.state, found.map((f) => f.id))
        : undefined;
      db.transaction(() => {
        for (const f of found) {
          if (inv.sub === "remove") removeSource(db, f.id);
          else setSourceEnabled(db, f.id, inv.sub === "enable");
        }
      });
      if (asJson) {
        ctx.out.json(
          found.map((f) => ({
            path: f.path,
            action: inv.sub,
            images: counts.get(f.id) ?? 0,
            ...(inv.sub === "remove"
              ? { kept_by: Object.fromEntries(kept.get(f.id) ?? new Map()) }
              : {}),
          })),
        );
      } else {
        for (const f of found) {
          const already = inv.sub !== "remove" && f.enabled === (inv.sub === "enable");
          const verb = inv.sub === "remove"
            ? "Removed"
            : inv.sub === "enable"
            ? already ? "Already enabled:" : "Enabled"
            : already
            ? "Already disabled:"
            : "Disabled";
          const keptBy = [...(kept.get(f.id) ?? new Map<string, number>())].map(([p, n]) =>
            `${counted(n, "image")} stay with ${printable(p)}, which holds them too`
          );
          const extra = inv.sub === "remove"
            ? ` (forgot ${counted(counts.get(f.id) ?? 0, "image")}${
              keptBy.length ? `; ${keptBy.join("; ")}` : ""
            })`
            : "";
          ctx.out.line(`${verb} ${printable(f.path)}${extra}`);
        }
      }
      if (onScreen) {
        ctx.out.err(
          `varietal: the wallpaper on screen, ${
            printable(onScreen)
          }, was in a removed folder: it stays up, but 'current' and 'prev' no longer know it ('varietal next' picks another)`,
        );
      }
      return EXIT.ok;
    }
  }
  return EXIT.usage;
}

/** `sources move OLD NEW`. */
async function moveFolder(
  ctx: Context,
  inv: Invocation,
  db: Database,
  asJson: boolean,
): Promise<number> {
  const [oldArg, newArg] = expectArgs(inv, 2, 2, "sources move", "folder");
  const source = await findSource(db, oldArg, ctx);
  if (source.kind !== "folder") {
    throw new CliError(
      `${oldArg} is not a folder of yours (it is ${
        source.kind === "remote" ? "a remote's downloads folder" : "the single files"
      }); it cannot be moved`,
    );
  }
  const config = await ctx.config();
  const entry = configEntryFor(source.path, config, ctx.paths.home);
  if (entry) {
    throw new CliError(
      `${oldArg} is still listed in ${ctx.paths.configFile} ([[sources]] path = ${
        JSON.stringify(entry.written)
      }); change that path to the new folder first, then run this again`,
    );
  }
  let to: string;
  try {
    to = await resolveFolder(newArg, ctx.paths.home, Deno.cwd());
  } catch (e) {
    // Run before the `mv`: the old folder is there and the new one not yet.
    const before = await Deno.stat(source.path).then((st) => st.isDirectory, () => false) &&
      !(await Deno.stat(expandPath(newArg, ctx.paths.home, Deno.cwd())).then(
        () => true,
        () => false,
      ));
    throw new CliError(
      before
        ? `${
          printable(newArg)
        }: not found; move the folder on disk first (mv OLD NEW), then run this again`
        : (e as Error).message,
    );
  }
  const from = source.path;
  if (to === from || to.startsWith(`${from}/`) || from.startsWith(`${to}/`)) {
    throw new CliError(
      `${newArg} is ${
        to === from ? "the folder itself" : "inside it, or holds it"
      }; give the folder's new place`,
    );
  }
  const exists = await Deno.stat(from).then((st) => st.isDirectory, () => false);
  if (exists) {
    throw new CliError(
      `${oldArg} is still there; move it on disk first (mv OLD NEW), then run this again`,
    );
  }
  const done = moveSource(db, from, to, (path) => {
    try {
      return Deno.statSync(path).isFile;
    } catch {
      return false;
    }
  });
  if (asJson) ctx.out.json({ from, to, ...done });
  else {
    ctx.out.line(
      `Moved ${printable(from)} to ${printable(to)}: ${counted(done.images, "image")} kept ` +
        `their favourites, bans, palettes and history` +
        (done.merged ? ` (${done.merged} merged with rows already there)` : "") +
        `. Run 'varietal scan' to check them.`,
    );
  }
  return EXIT.ok;
}

/** `sources order DIR… ORDER`. */
async function setOrder(
  ctx: Context,
  inv: Invocation,
  db: Database,
  asJson: boolean,
): Promise<number> {
  const path = "sources order";
  const args = expectArgs(inv, 2, Infinity, path, "argument");
  const given = args[args.length - 1];
  if (!(ORDER_ARGS as readonly string[]).includes(given)) {
    throw new UsageError(
      `invalid order '${given}' (the last argument; expected one of: ${ORDER_ARGS.join(", ")})`,
      path,
    );
  }
  const order = given === "default" ? null : given as PlayOrder;
  const config = await ctx.config();
  const found: SourceRow[] = [];
  for (const d of args.slice(0, -1)) {
    const fromConfig = configEntryFor(await typedPath(d, ctx), config, ctx.paths.home);
    if (fromConfig?.order) {
      throw new CliError(
        `${d} is listed in ${ctx.paths.configFile} with order = ${
          JSON.stringify(fromConfig.order)
        } ([[sources]] path = ${
          JSON.stringify(fromConfig.written)
        }), which wins; change or delete that order there`,
      );
    }
    found.push(await findSource(db, d, ctx));
  }
  db.transaction(() => {
    for (const f of found) setSourceOrder(db, f.id, order);
  });
  const effective = order ?? config.selection.order;
  if (asJson) {
    ctx.out.json(found.map((f) => ({ path: f.path, order: effective, own_order: order })));
  } else {
    for (const f of found) {
      ctx.out.line(
        `${printable(f.path)}: ${effective}${
          order === null ? " (following [selection] order)" : ""
        }`,
      );
    }
  }
  return EXIT.ok;
}

/**
 * The files the other folder sources reach (by real path, with the source),
 * walked only when some of the source's images lie under none of them by path:
 * a symlink in another folder may lead to them (`handOverImages`). A folder that
 * cannot be walked (offline) reaches nothing.
 */
async function reachedByLinks(db: Database, id: number): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const others = imagesWithoutHolder(db, id);
  if (others.length === 0) return out;
  const { walkFolder } = await import("../scan/walk.ts");
  for (const o of others) {
    try {
      for (const f of (await walkFolder(o.path, { recursive: o.recursive })).files) {
        if (!out.has(f)) out.set(f, o.id);
      }
    } catch { /* offline: its images are not forgotten by this, only not handed to it */ }
  }
  return out;
}
