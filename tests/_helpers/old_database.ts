// A database file as an older varietal left it: the first `version` migration steps.
import { DatabaseSync } from "node:sqlite";
import { MIGRATIONS } from "../../src/db/migrations.ts";

/** Writes `path` (and its folder) at schema `version`, then runs `sql` on it. */
export async function writeOldDatabase(path: string, version: number, sql = ""): Promise<void> {
  await Deno.mkdir(path.replace(/\/[^/]+$/, ""), { recursive: true });
  const raw = new DatabaseSync(path);
  try {
    for (const step of MIGRATIONS.slice(0, version)) raw.exec(step.sql);
    raw.exec(`PRAGMA user_version = ${version}`);
    if (sql) raw.exec(sql);
  } finally {
    raw.close();
  }
}
