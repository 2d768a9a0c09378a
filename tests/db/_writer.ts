// Child process for the concurrent-writer test: records N shows, one transaction each.
import { Database } from "../../src/db/database.ts";
import { recordShows } from "../../src/db/history.ts";

const [path, count] = Deno.args;
using db = await Database.open(path);
const ids = (db.raw.prepare("SELECT id FROM images").all() as { id: number }[]).map((r) => r.id);
for (let i = 0; i < Number(count); i++) {
  recordShows(db, [{ imageId: ids[i % ids.length], shownAt: Date.now() }]);
}
