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
import { expandPath } from "../scan/source_path.ts";

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
  const expanded = expandPath(written, home, home).replace(/(.)\/$/, "$1");
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
  /** Ids of the folders the group names. */
  ids: Set<number>;
  /** Paths of those folders (as stored). */
  paths: string[];
  /** Entries of the group that match no folder (as written). */
  unknown: string[];
}

/**
 * The folders of `[groups] name`.
 *
 * @throws {UnknownGroupError} When `[groups]` has no such name.
 */
export function groupFolders(
  config: Config,
  rows: readonly SourceRow[],
  home: string,
  name: string,
): GroupFolders {
  if (!Object.hasOwn(config.groups, name)) {
    throw new UnknownGroupError(name, Object.keys(config.groups));
  }
  const ids = new Set<number>();
  const paths: string[] = [];
  const unknown: string[] = [];
  for (const written of config.groups[name]) {
    const matches = candidatesOf(written, home);
    const found = rows.filter((r) => matches.includes(r.path));
    if (found.length === 0) unknown.push(written);
    for (const r of found) {
      if (ids.has(r.id)) continue;
      ids.add(r.id);
      paths.push(r.path);
    }
  }
  return { name, ids, paths, unknown };
}
