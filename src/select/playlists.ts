/**
 * Which folders are ordered, and which belong to a named group: the
 * `[selection] order`, `[[sources]] order`, `varietal sources order` and
 * `[groups]` settings matched against the folders in the database.
 *
 * A config path matches a folder by its expanded path or its real path
 * (one `realpath` per config entry that sets an order or is in the group
 * asked for; nothing when none does).
 *
 * Requires `--allow-read` (real paths of config entries).
 *
 * @module
 */
import type { PlayOrder } from "../config/choices.ts";
import type { Config } from "../config/schema.ts";
import type { SourceRow } from "../db/sources.ts";
import { configEntryPath } from "../scan/source_path.ts";
import type { SqlClause } from "./constraints.ts";

/** A `--group` or `[daemon] group` that `[groups]` does not define. */
export class UnknownGroupError extends Error {
  /** The name asked for. */
  readonly group: string;
  /** The names `[groups]` defines. */
  readonly known: string[];
  constructor(group: string, known: string[]) {
    super(
      `no group "${group}" in [groups] of config.toml (${
        known.length ? `known groups: ${known.join(", ")}` : "no group is defined"
      })`,
    );
    this.name = "UnknownGroupError";
    this.group = group;
    this.known = known;
  }
}

/** The paths a config entry may stand for: expanded, and real when it exists. */
function candidatesOf(written: string, home: string): string[] {
  const expanded = configEntryPath(written, home);
  try {
    const real = Deno.realPathSync(expanded);
    return real === expanded ? [expanded] : [expanded, real];
  } catch {
    return [expanded];
  }
}

/**
 * Each folder's order: its `[[sources]] order` in config.toml, else its own
 * (`varietal sources order`), else `[selection] order`.
 *
 * @param config The configuration.
 * @param rows The folders of the database.
 * @param home The home folder, for `~` in config paths.
 * @returns Folder id → order, for every row.
 */
export function folderOrders(
  config: Config,
  rows: readonly SourceRow[],
  home: string,
): Map<number, PlayOrder> {
  const fromConfig = new Map<string, PlayOrder>();
  for (const s of config.sources) {
    if (s.order === null) continue;
    for (const p of candidatesOf(s.path, home)) fromConfig.set(p, s.order);
  }
  return new Map(
    rows.map((r) => [r.id, fromConfig.get(r.path) ?? r.play_order ?? config.selection.order]),
  );
}

/**
 * The folders that config.toml's `[[sources]]` turn off (`enabled = false`),
 * as their `order` counts: from the next command, before a scan writes the
 * flag into the database.
 *
 * @param rows The folders of the database.
 * @param home The home folder, for `~` in config paths.
 * @returns Their ids.
 */
export function configDisabled(
  config: Config,
  rows: readonly SourceRow[],
  home: string,
): number[] {
  const off = new Set<string>();
  for (const s of config.sources) {
    if (!s.enabled) { for (const p of candidatesOf(s.path, home)) off.add(p); }
  }
  return off.size ? rows.filter((r) => off.has(r.path)).map((r) => r.id) : [];
}

/**
 * Whether any folder may be ordered (an `order` set anywhere): false means
 * every folder is `smart`, and selection needs no more than today's draw.
 */
export function anyOrdered(config: Config, rows: readonly SourceRow[]): boolean {
  return config.selection.order !== "smart" ||
    config.sources.some((s) => s.order !== null && s.order !== "smart") ||
    rows.some((r) => r.play_order !== null && r.play_order !== "smart");
}

/** The folders of a group. */
export interface GroupFolders {
  name: string;
  /** Ids of the folders the group draws from (whole, or only some of their subfolders). */
  ids: Set<number>;
  /** The group's folders and subfolders, as stored paths (for reports). */
  paths: string[];
  /**
   * Folders of which the group takes only some subfolders: folder id → the
   * subfolders' paths. A folder the group also names whole is not here.
   */
  subfolders: Map<number, string[]>;
  /** Entries of the group that are neither a folder nor inside one (as written). */
  unknown: string[];
  /**
   * Entries inside a folder (which is there) that are no folder themselves: a
   * mistyped subfolder or a file (as written). Left out of the group.
   */
  notFolders: string[];
}

/**
 * The folders of `[groups] name`. An entry names a wallpaper folder, or a
 * subfolder of one (then only the images under it are the group's). Images
 * are indexed by real path, so a subfolder reached through a symlink (Debian
 * links `/usr/share/wallpapers/Joy` to desktop-base's folder) takes the images
 * under its real path; an entry outside every folder whose images a folder
 * reached through a symlink is a subfolder of that folder (`holders` says which).
 *
 * @param holders The folders holding images under a path (real, no trailing
 *   slash); by default none.
 * @throws {UnknownGroupError} When `[groups]` has no such name.
 */
export function groupFolders(
  config: Config,
  rows: readonly SourceRow[],
  home: string,
  name: string,
  holders: (path: string) => number[] = () => [],
): GroupFolders {
  if (!Object.hasOwn(config.groups, name)) {
    throw new UnknownGroupError(name, Object.keys(config.groups));
  }
  const whole = new Set<number>();
  const paths: string[] = [];
  const subfolders = new Map<number, string[]>();
  const unknown: string[] = [];
  const notFolders: string[] = [];
  const addSubfolder = (id: number, prefixes: readonly string[]) => {
    const list = subfolders.get(id) ?? [];
    for (const p of prefixes) {
      if (list.includes(p)) continue;
      list.push(p);
      if (!paths.includes(p)) paths.push(p);
    }
    subfolders.set(id, list);
  };
  for (const written of config.groups[name]) {
    const matches = candidatesOf(written, home);
    const found = rows.filter((r) => matches.includes(r.path));
    for (const r of found) {
      if (whole.has(r.id)) continue;
      whole.add(r.id);
      paths.push(r.path);
    }
    if (found.length > 0) continue;
    // Inside a folder: for the path as written and its real path, the innermost folder
    // holding it (the images are indexed under the real path).
    // A real path outside every folder is reached through the written path's symlink:
    // the written path's folder holds its images.
    const inside = new Map<number, { row: SourceRow; paths: string[] }>();
    let through: SourceRow | undefined;
    for (const m of matches) {
      let best: SourceRow | undefined;
      for (const r of rows) {
        if (!m.startsWith(r.path === "/" ? "/" : `${r.path}/`)) continue;
        if (!best || r.path.length > best.path.length) best = r;
      }
      best ??= through;
      through ??= best;
      if (best) inside.set(best.id, { row: best, paths: [...inside.get(best.id)?.paths ?? [], m] });
    }
    const real = matches[matches.length - 1];
    if (inside.size === 0) {
      // Outside every folder: a folder that a folder's symlink leads to, if any holds its images.
      const ids = isDir(real) ? holders(real) : [];
      if (ids.length === 0) unknown.push(written);
      for (const id of ids) addSubfolder(id, [real]);
      continue;
    }
    if (!isDir(real) && [...inside.values()].some((i) => isDir(i.row.path))) {
      notFolders.push(written);
      continue;
    }
    for (const [id, i] of inside) addSubfolder(id, i.paths);
  }
  for (const id of whole) subfolders.delete(id);
  const ids = new Set([...whole, ...subfolders.keys()]);
  return { name, ids, paths, subfolders, unknown, notFolders };
}

function isDir(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

/**
 * SQL that keeps, of the folders a group takes only in part, the images
 * under those subfolders (a range of `images.path`, so the path index serves it).
 *
 * @example Only /w/a/nature of folder 1; folder 2 whole
 * ```ts
 * import assert from "node:assert/strict";
 * import { subfolderSql } from "./playlists.ts";
 *
 * const q = subfolderSql(new Map([[1, ["/w/a/nature"]]]));
 * assert.equal(q.sql, "(i.source_id NOT IN (?) OR (i.path >= ? AND i.path < ?))");
 * assert.deepEqual(q.params, [1, "/w/a/nature/", "/w/a/nature0"]);
 * assert.equal(subfolderSql(new Map()).sql, "1");
 * ```
 */
export function subfolderSql(
  subfolders: ReadonlyMap<number, readonly string[]>,
): SqlClause {
  if (subfolders.size === 0) return { sql: "1", params: [] };
  const ids = [...subfolders.keys()];
  const prefixes = [...subfolders.values()].flat();
  // Paths under P sort from "P/" up to (not including) "P0": "0" follows "/" in byte order.
  const ranges = prefixes.map(() => "(i.path >= ? AND i.path < ?)");
  return {
    sql: `(i.source_id NOT IN (${ids.map(() => "?").join(", ")}) OR ${ranges.join(" OR ")})`,
    params: [...ids, ...prefixes.flatMap((p) => [`${p}/`, `${p}0`])],
  };
}
