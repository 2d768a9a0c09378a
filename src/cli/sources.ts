// `varietal sources`: manage wallpaper folders.
import type { CommandSpec, Invocation } from "./_command.ts";
import type { Context } from "./_context.ts";
import { boolFlag, expectArgs } from "./_parse.ts";
import { JSON_FLAG } from "./_flags.ts";
import { cell, styles } from "./_output.ts";
import {
  addSource,
  countImagesBySource,
  getSourceByPath,
  listSources,
  removeSource,
  setSourceEnabled,
  type SourceRow,
} from "../db/sources.ts";
import type { Database } from "../db/database.ts";
import { expandPath, resolveFolder } from "../scan/source_path.ts";
import { CliError, EXIT } from "./errors.ts";
import { assertIntact } from "../db/damage.ts";

const json = JSON_FLAG;

export const spec: CommandSpec = {
  name: "sources",
  summary: "Add, list, remove, enable or disable wallpaper folders",
  subcommands: [
    {
      name: "list",
      summary: "List wallpaper folders with their image counts",
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
        json,
      },
      examples: ["varietal sources add ~/Pictures/Wallpapers /usr/share/backgrounds"],
    },
    {
      name: "remove",
      summary: "Remove folders and forget their images, palettes and history",
      args: "DIR…",
      options: { json },
    },
    { name: "enable", summary: "Use a folder again", args: "DIR…", options: { json } },
    {
      name: "disable",
      summary: "Stop using a folder (its images are kept)",
      args: "DIR…",
      options: { json },
    },
  ],
};

function sourceJson(s: SourceRow, images: number) {
  return {
    path: s.path,
    enabled: s.enabled,
    recursive: s.recursive,
    images,
    times_shown: s.times_shown,
    last_shown_at: s.last_shown_at === null ? null : new Date(s.last_shown_at).toISOString(),
    last_scanned_at: s.last_scanned_at === null ? null : new Date(s.last_scanned_at).toISOString(),
  };
}

/** Finds a source by what the user typed: real path, expanded path, or as stored. */
async function findSource(db: Database, input: string, ctx: Context): Promise<SourceRow> {
  const candidates = [input, expandPath(input, ctx.paths.home, Deno.cwd()).replace(/(.)\/$/, "$1")];
  try {
    candidates.push(await Deno.realPath(candidates[1]));
  } catch { /* the folder may be gone; match by the stored path */ }
  for (const c of candidates) {
    const s = getSourceByPath(db, c);
    if (s) return s;
  }
  throw new CliError(`${input}: not a wallpaper folder of varietal's; see 'varietal sources list'`);
}

export async function run(ctx: Context, inv: Invocation): Promise<number> {
  const db = await ctx.db();
  assertIntact(db); // a damaged file fails here, as in every command that met it
  const asJson = boolFlag(inv, "json");
  const s = styles(ctx.out.color);
  const path = `sources ${inv.sub}`;
  switch (inv.sub) {
    case "list": {
      expectArgs(inv, 0, 0, path);
      const counts = countImagesBySource(db);
      const rows = listSources(db);
      if (asJson) {
        ctx.out.json(rows.map((r) => sourceJson(r, counts.get(r.id) ?? 0)));
      } else if (rows.length === 0) {
        ctx.out.line(
          "No wallpaper folders yet. Add one: varietal sources add ~/Pictures/Wallpapers",
        );
      } else {
        ctx.out.line(
          s.bold(`${cell("IMAGES", 8, true)}  ${cell("SHOWN", 6, true)}  STATE     PATH`),
        );
        for (const r of rows) {
          const state = r.enabled ? s.green(cell("enabled", 8)) : s.dim(cell("disabled", 8));
          ctx.out.line(
            `${cell(String(counts.get(r.id) ?? 0), 8, true)}  ${
              cell(String(r.times_shown), 6, true)
            }  ${state}  ${r.path}${r.recursive ? "" : s.dim(" (not recursive)")}`,
          );
        }
      }
      return EXIT.ok;
    }
    case "add": {
      const dirs = expectArgs(inv, 1, Infinity, path, "folder");
      const resolved: string[] = [];
      for (const d of dirs) resolved.push(await resolveFolder(d, ctx.paths.home));
      const results = db.transaction(() =>
        resolved.map((p) => addSource(db, p, { recursive: !boolFlag(inv, "no-recursive") }))
      );
      if (asJson) {
        ctx.out.json(results.map((r) => ({ path: r.source.path, added: r.added })));
      } else {
        for (const r of results) {
          ctx.out.line(r.added ? `Added ${r.source.path}` : `Already a source: ${r.source.path}`);
        }
        if (results.some((r) => r.added)) {
          ctx.out.line(s.dim("Run 'varietal scan' to index the images."));
        }
      }
      return EXIT.ok;
    }
    case "remove":
    case "enable":
    case "disable": {
      const dirs = expectArgs(inv, 1, Infinity, path, "folder");
      const found: SourceRow[] = [];
      for (const d of dirs) found.push(await findSource(db, d, ctx));
      const counts = countImagesBySource(db);
      db.transaction(() => {
        for (const f of found) {
          if (inv.sub === "remove") removeSource(db, f.id);
          else setSourceEnabled(db, f.id, inv.sub === "enable");
        }
      });
      if (asJson) {
        ctx.out.json(
          found.map((f) => ({ path: f.path, action: inv.sub, images: counts.get(f.id) ?? 0 })),
        );
      } else {
        for (const f of found) {
          const verb = inv.sub === "remove"
            ? "Removed"
            : inv.sub === "enable"
            ? "Enabled"
            : "Disabled";
          const extra = inv.sub === "remove" ? ` (forgot ${counts.get(f.id) ?? 0} images)` : "";
          ctx.out.line(`${verb} ${f.path}${extra}`);
        }
      }
      return EXIT.ok;
    }
  }
  return EXIT.usage;
}
