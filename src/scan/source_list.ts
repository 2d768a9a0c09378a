/**
 * Every wallpaper folder in use, in one list: those listed in config.toml
 * (`[[sources]]`, added to the database by each scan) and those added with
 * `varietal sources add` (only in the database), each with where it comes
 * from and whether it is reachable now.
 *
 * Requires `--allow-read` for the folders.
 *
 * @module
 */
import type { PlayOrder } from "../config/choices.ts";
import type { Config } from "../config/schema.ts";
import type { Database } from "../db/database.ts";
import { countImagesBySource, listSources, type SourceRow } from "../db/sources.ts";
import {
  type Availability,
  checkSourceRoot,
  sourceAvailability,
  type SourceCheck,
} from "./availability.ts";
import { configEntryPath, systemFolderReason } from "./source_path.ts";

/** One folder in use. */
export interface SourceEntry {
  /** The folder (its real path once it has been reached). */
  path: string;
  /** "folder", or "loose" for the pseudo-source of single files (`src/scan/loose.ts`). */
  kind: string;
  /**
   * "config": listed in config.toml (comes back on every scan); "command": added with
   * `sources add`; "remote": the downloads folder of a remote source (`remote add`).
   */
  origin: "config" | "command" | "remote";
  /** The path as written in config.toml (origin "config"), else null. */
  config_path: string | null;
  /** Its id in the database; null until a scan has reached it. */
  id: number | null;
  enabled: boolean;
  recursive: boolean;
  /** Images indexed and not marked missing. */
  images: number;
  times_shown: number;
  last_shown_at: number | null;
  last_scanned_at: number | null;
  /** "offline": enabled but unreachable (see `reason`). */
  status: "online" | "offline" | "disabled";
  /** Why it is offline; null otherwise. */
  reason: string | null;
  /** The order its images are shown in (its own, else `[selection] order`). */
  order: PlayOrder;
  /** Its own order (`[[sources]] order`, else `varietal sources order`); null follows `[selection] order`. */
  own_order: PlayOrder | null;
}

/** A config-file source with its resolved path. */
interface Configured {
  written: string;
  /** Real path when the folder exists, else the expanded path. */
  path: string;
  expanded: string;
  recursive: boolean;
  enabled: boolean;
  order: PlayOrder | null;
}

function configured(config: Config, home: string): Configured[] {
  return config.sources.map((s) => {
    const expanded = configEntryPath(s.path, home);
    let path = expanded;
    try {
      path = Deno.realPathSync(expanded);
    } catch { /* not there (now): shown by its expanded path */ }
    return {
      written: s.path,
      path,
      expanded,
      recursive: s.recursive,
      enabled: s.enabled,
      order: s.order,
    };
  });
}

/** Whether a config.toml entry no scan has reached can be used, and why not. */
function entryProblem(c: Configured): Availability {
  const system = systemFolderReason(c.path);
  if (system) {
    return { online: false, reason: `${system}; add the folders that hold your wallpapers` };
  }
  try {
    if (!Deno.statSync(c.path).isDirectory) {
      return { online: false, reason: "not a folder; give the folder that holds the images" };
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      return {
        online: false,
        reason: "folder not found: check the path in config.toml (or plug in its drive)",
      };
    }
  }
  return checkSourceRoot({ path: c.path, root_dev: null, markers: [] }, () => false);
}

/**
 * The config.toml entry a database source comes from, if any.
 *
 * @param path A source's stored (real) path.
 */
export function configEntryFor(
  path: string,
  config: Config,
  home: string,
): { written: string; order: PlayOrder | null } | undefined {
  return configured(config, home).find((c) => c.path === path || c.expanded === path);
}

/**
 * Lists every folder in use, sorted by path.
 *
 * @param db The database, or undefined when there is none yet.
 * @param config The configuration (its `sources`).
 * @param home The home folder, for `~` in config paths.
 * @param check Checks a database source. @default sourceAvailability
 */
export function listAllSources(
  db: Database | undefined,
  config: Config,
  home: string,
  check?: SourceCheck,
): SourceEntry[] {
  const rows = db ? listSources(db) : [];
  const counts = db ? countImagesBySource(db) : new Map<number, number>();
  const fromConfig = configured(config, home);
  const probe = check ?? ((s: SourceRow) => sourceAvailability(db!, s));
  const out: SourceEntry[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    const c = fromConfig.find((x) => x.path === r.path || x.expanded === r.path);
    // An entry turned off in config.toml is off from now on (a scan writes it down later).
    const enabled = r.enabled && (c?.enabled ?? true);
    const a = enabled ? probe(r) : undefined;
    const own = c?.order ?? r.play_order;
    out.push({
      path: r.path,
      kind: r.kind,
      origin: c ? "config" : r.kind === "remote" ? "remote" : "command",
      config_path: c?.written ?? null,
      id: r.id,
      enabled,
      recursive: r.recursive,
      images: counts.get(r.id) ?? 0,
      times_shown: r.times_shown,
      last_shown_at: r.last_shown_at,
      last_scanned_at: r.last_scanned_at,
      status: !a ? "disabled" : a.online ? "online" : "offline",
      reason: a && !a.online ? a.reason : null,
      order: own ?? config.selection.order,
      own_order: own,
    });
    if (c) seen.add(c.path);
  }
  for (const c of fromConfig) {
    if (seen.has(c.path)) continue;
    seen.add(c.path);
    // Never reached by a scan: a wrong entry more likely than an unplugged drive.
    const a = c.enabled ? entryProblem(c) : undefined;
    out.push({
      path: c.path,
      kind: "folder",
      origin: "config",
      config_path: c.written,
      id: null,
      enabled: c.enabled,
      recursive: c.recursive,
      images: 0,
      times_shown: 0,
      last_shown_at: null,
      last_scanned_at: null,
      status: !a ? "disabled" : a.online ? "online" : "offline",
      reason: a && !a.online ? a.reason : null,
      order: c.order ?? config.selection.order,
      own_order: c.order,
    });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
