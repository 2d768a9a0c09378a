// `varietal backup FILE`: a verified, WAL-consistent copy of the database.
import { normalizePath } from "../normal_path.ts";
import type { CommandSpec, Invocation } from "./_command.ts";
import type { Context } from "./_context.ts";
import { boolFlag, expectArgs } from "./_parse.ts";
import { JSON_FLAG, withHelp } from "./_flags.ts";
import { CliError, EXIT } from "./errors.ts";
import { printable } from "../text/printable.ts";
import { backupDatabase } from "../db/backup.ts";
import { expandPath } from "../scan/source_path.ts";
import { isFolder } from "../file_check.ts";

export const spec: CommandSpec = {
  name: "backup",
  summary: "Write a verified copy of the database",
  args: "FILE",
  description:
    "Copies the database with SQLite's online backup API (safe while varietal runs), then\nreopens the copy and checks it. FILE must not exist; a folder gets a dated file in it\n(varietal-backup-YYYY-MM-DD-HHMMSS.db).",
  options: { json: withHelp(JSON_FLAG, "Print what the copy holds as JSON") },
  examples: ["varietal backup ~/varietal-$(date +%F).db", "varietal backup ~/backups/"],
};

export async function run(ctx: Context, inv: Invocation): Promise<number> {
  const [file] = expectArgs(inv, 1, 1, "backup", "file");
  const db = await ctx.db();
  // `backup ./` names `/home/me/varietal-backup-…`, not `/home/me/./varietal-backup-…`.
  let target = normalizePath(expandPath(file, ctx.paths.home, Deno.cwd()));
  // A trailing slash names a folder: one that is not there is not made a file of that name.
  if (/\/\.?$/.test(file) && !isFolder(target)) {
    throw new CliError(
      `the folder ${printable(target)} does not exist; create it first (mkdir -p), or name a file`,
    );
  }
  // A folder: a dated file in it, numbered when one of that second is there (a loop or a
  // timer); an existing file is never overwritten.
  if (isFolder(target)) target = freeName(target.replace(/\/+$/, ""), new Date());
  if (sameFile(target, ctx.paths.database)) {
    throw new CliError(
      `${printable(target)} is the database itself; give another file or a folder (e.g. ` +
        "varietal backup ~/backups/)",
    );
  }
  // Ctrl-C, SIGTERM, SIGHUP: the unfinished copy is removed (exit 130, 143, 129).
  const r = await backupDatabase(db, target, ctx.interrupt());
  if (boolFlag(inv, "json")) ctx.out.json(r);
  else {
    ctx.out.line(
      `Backed up to ${printable(r.file)} (${
        (r.bytes / 1024).toFixed(0)
      } KiB: ${r.images} images, ${r.palettes} palettes, ` +
        `${r.history} history rows, ${r.sources} sources; integrity ${r.integrity})`,
    );
  }
  return EXIT.ok;
}

/** Whether two paths name one file (a link to the database too). */
function sameFile(a: string, b: string): boolean {
  try {
    const x = Deno.statSync(a), y = Deno.statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return a === b;
  }
}

/** `varietal-backup-YYYY-MM-DD-HHMMSS.db` in local time (`-N` before `.db` for the Nth of a second). */
export function datedName(d: Date, n = 1): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `varietal-backup-${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}-` +
    `${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}${n > 1 ? `-${n}` : ""}.db`;
}

/** The first dated name in `folder` that no file has yet. */
function freeName(folder: string, d: Date): string {
  for (let n = 1;; n++) {
    const path = `${folder}/${datedName(d, n)}`;
    try {
      Deno.lstatSync(path);
    } catch {
      return path;
    }
  }
}
