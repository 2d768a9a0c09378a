/**
 * Turning what a user typed into a source folder's real path.
 *
 * Requires `--allow-read`.
 *
 * @module
 */
import type { Config } from "../config/schema.ts";
import type { Database } from "../db/database.ts";
import { addSource, dropConfigSources, getSourceByPath, markConfigSources } from "../db/sources.ts";
import { osErrorCause } from "../text/not_capable.ts";
import { notFoundReason } from "../file_check.ts";
import { printable } from "../text/printable.ts";
import { shellWord } from "../text/shell_word.ts";

/** Expands a leading `~` and makes a path absolute against `cwd`. */
export function expandPath(input: string, home: string, cwd: string): string {
  let p = input;
  if (p === "~") p = home;
  else if (p.startsWith("~/")) p = home + p.slice(1);
  if (!p.startsWith("/")) p = `${cwd.replace(/\/$/, "")}/${p}`;
  return p;
}

/**
 * A config.toml `[[sources]]` (or `[groups]`) path as written, expanded
 * against the home folder (config paths are not relative to any current
 * folder) and without a trailing slash: what to compare with stored paths.
 */
export function configEntryPath(written: string, home: string): string {
  return expandPath(written, home, home).replace(/(.)\/$/, "$1");
}

/**
 * Why a folder is no wallpaper folder: the root, /proc, /sys or /dev (a scan
 * would walk files that never end); undefined for any other.
 */
export function systemFolderReason(path: string): string | undefined {
  if (path === "/") return "the whole file system";
  if (/^\/(proc|sys|dev)(\/|$)/.test(path)) return "a system folder without pictures";
  return undefined;
}

/** Refuses what {@linkcode systemFolderReason} names. */
function systemFolder(input: string, path: string): void {
  const why = systemFolderReason(path);
  if (why) throw new Error(`${input}: ${why}; add the folders that hold your wallpapers`);
}

/**
 * Resolves a folder to its real path, checking it is a readable directory.
 *
 * @throws {Error} Naming the path and the problem.
 */
export async function resolveFolder(
  input: string,
  home: string,
  cwd = Deno.cwd(),
): Promise<string> {
  const abs = expandPath(input, home, cwd);
  systemFolder(input, abs.replace(/(.)\/+$/, "$1"));
  let real: string;
  try {
    real = await Deno.realPath(abs);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      // A symlink that leads nowhere is no missing folder: say where it points.
      let link: string | undefined;
      try {
        link = await Deno.readLink(abs.replace(/(.)\/+$/, "$1"));
      } catch { /* not a link */ }
      throw new Error(
        link === undefined
          ? `${input}: ${
            input.includes("\uFFFD")
              ? notFoundReason(input, "folder")
              : "folder not found; check the path"
          }`
          : `${input}: a broken symlink (→ ${link}); fix it or give the folder itself`,
      );
    }
    if (e instanceof Deno.errors.FilesystemLoop || /\(os error 40\)/.test((e as Error).message)) {
      throw new Error(
        `${input}: a symlink loop (too many levels of symbolic links); check it with 'ls -l'`,
      );
    }
    throw new Error(`${input}: cannot read: ${osErrorCause(e) ?? (e as Error).message}`);
  }
  systemFolder(input, real);
  const st = await Deno.stat(real);
  if (!st.isDirectory) {
    throw new Error(`${input}: not a folder; give the folder that holds the images`);
  }
  try {
    for await (const _ of Deno.readDir(real)) break;
  } catch (e) {
    throw new Error(
      `${input}: cannot list the folder: ${
        osErrorCause(e) ?? `${(e as Error).message}; check its permissions`
      }`,
    );
  }
  return real;
}

/**
 * Adds the config file's `[[sources]]` to the database (existing ones are
 * left as they are) and marks them as the config's. A folder marked so whose
 * entry is gone from the file is disabled (see {@linkcode dropConfigSources}),
 * unless some entry cannot be resolved now (it may be that folder, offline).
 *
 * @returns Unreachable folders of enabled entries (not thrown), and the folders disabled.
 */
export async function syncConfigSources(
  db: Database,
  config: Config,
  home: string,
): Promise<{ problems: { path: string; reason: string }[]; dropped: string[]; added: string[] }> {
  const problems: { path: string; reason: string }[] = [];
  const added: string[] = [];
  const named = new Set<string>();
  const marked: { id: number; enabled: boolean; added: boolean }[] = [];
  let unresolved = 0;
  for (const s of config.sources) {
    named.add(configEntryPath(s.path, home));
    let real: string;
    try {
      real = await resolveFolder(s.path, home, home);
    } catch (e) {
      unresolved++;
      // A disabled entry's folder may well be gone (that is why it was disabled): not a problem.
      if (s.enabled) {
        problems.push({ path: s.path, reason: (e as Error).message.replace(/^[^:]*: /, "") });
      }
      continue;
    }
    named.add(real);
    const known = getSourceByPath(db, real);
    const row = known ?? addSource(db, real, { recursive: s.recursive }).source;
    if (!known) added.push(real);
    marked.push({ id: row.id, enabled: s.enabled, added: known === undefined });
  }
  markConfigSources(db, marked);
  const dropped = unresolved ? [] : dropConfigSources(db, (p) => named.has(p));
  return { problems, dropped, added };
}

/**
 * What to say of a folder disabled because no `[[sources]]` entry leads to it
 * any more. When the folder is gone too, the entry was most likely edited to
 * follow a move (or now resolves elsewhere: another home, a symlink pointed
 * at a new mount point): `sources move` keeps its marks and history, and is
 * named with the new folder when exactly one appeared in the same reading.
 *
 * @param path The folder disabled.
 * @param added Folders the same reading of config.toml added.
 * @param exists Whether `path` is still a folder.
 */
export function droppedSourceNote(
  path: string,
  added: readonly string[],
  exists: boolean,
): string {
  const p = printable(path);
  if (exists) {
    return `${p} is no longer a [[sources]] entry in config.toml: disabled, its images and ` +
      "history kept ('varietal sources remove' forgets them; 'varietal sources enable' keeps it " +
      "as a folder of your own)";
  }
  const to = added.length === 1 ? printable(added[0]) : "NEW";
  return `${p}: no [[sources]] entry in config.toml leads there any more and the folder is gone: ` +
    `disabled, its images and history kept; if it moved${
      added.length === 1 ? ` to ${to}` : ""
    }, 'varietal sources move ${shellWord(p)} ${shellWord(to)}' carries its favourites, bans and ` +
    "history over";
}
