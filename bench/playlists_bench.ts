// Playlists (issue 15 §7): the cost of ordered picks in a large folder, in process.
// A database with one folder of N images (default 100,000) and a small second folder;
// for sequential and shuffle: the first draw (every key written), then one pick after
// another (each recorded, as `next` would), a pick with --explain positions, the two
// folders mixed, and a new shuffle round; the smart draw on the same data for
// comparison. Writes bench/results/playlists.json.
//
// Usage: deno task bench playlists   (VARIETAL_BENCH_PLAYLIST=100000 sets the size)
import { median, printTable, type Row, writeResults } from "./_report.ts";
import { Database } from "../src/db/database.ts";
import { defaultConfig } from "../src/config/schema.ts";
import type { PlayOrder } from "../src/config/choices.ts";
import { selectImages, type SelectOptions } from "../src/select/selector.ts";
import { recordShows } from "../src/db/history.ts";

const N = Number(Deno.env.get("VARIETAL_BENCH_PLAYLIST") ?? 100_000);
const SMALL = 1_000;
const PICKS = 15;
const tmp = await Deno.makeTempDir({ prefix: "varietal-playlist-bench-" });

async function build(file: string): Promise<void> {
  const db = await Database.open(file);
  const now = Date.now();
  db.transaction(() => {
    const src = db.raw.prepare("INSERT INTO sources(path, added_at) VALUES (?, ?)");
    src.run("/big", now);
    src.run("/small", now);
    const img = db.raw.prepare(
      `INSERT INTO images(path, source_id, size, mtime, width, height, format, times_shown,
         last_shown_at, indexed_at) VALUES (?, ?, 1, 1, 1920, 1080, 'jpeg', ?, ?, ?)`,
    );
    for (let i = 0; i < N; i++) {
      const shown = i % 3 === 0;
      img.run(`/big/${i % 100}/img${i}.jpg`, 1, shown ? 1 : 0, shown ? now - i * 1000 : null, now);
    }
    for (let i = 0; i < SMALL; i++) img.run(`/small/${i}.jpg`, 2, 0, null, now);
  });
  db.close();
}

const template = `${tmp}/template.db`;
await build(template);

const OPTIONS: SelectOptions = {
  check: () => "ok",
  sourceCheck: () => ({ online: true }),
};

/** A fresh copy of the database with these folder orders. */
async function open(big: PlayOrder, small: PlayOrder | null): Promise<Database> {
  const file = `${tmp}/${crypto.randomUUID()}.db`;
  await Deno.copyFile(template, file);
  const db = await Database.open(file);
  db.prepare("UPDATE sources SET play_order = ? WHERE path = '/big'").run(big);
  db.prepare("UPDATE sources SET play_order = ? WHERE path = '/small'").run(small);
  if (small === null) db.prepare("UPDATE sources SET enabled = 0 WHERE path = '/small'").run();
  return db;
}

let clock = Date.now();
/** One pick, recorded as shown; returns its time in ms (the draw only). */
function pick(db: Database, positions = false): number {
  clock += 60_000;
  const t = performance.now();
  const r = selectImages(db, defaultConfig(), { count: 1, constraints: {} }, {
    ...OPTIONS,
    now: clock,
    positions,
  });
  const ms = performance.now() - t;
  if (r.picks.length !== 1) throw new Error(`no pick: ${r.warnings.join("; ")}`);
  recordShows(db, [{ imageId: r.picks[0].image.id, shownAt: clock }]);
  return ms;
}

const rows: Row[] = [];
for (const order of ["smart", "sequential", "shuffle"] as const) {
  using db = await open(order, null);
  const first = pick(db);
  const each = median(Array.from({ length: PICKS }, () => pick(db)));
  const explained = median(Array.from({ length: 5 }, () => pick(db, true)));
  rows.push({
    order,
    images: N,
    "first draw ms": first,
    "pick ms": each,
    "--explain ms": explained,
  });
}
{
  // Two folders: the folder is drawn by weight, then the big one gives its next image.
  using db = await open("sequential", "smart");
  pick(db);
  const each = median(Array.from({ length: PICKS }, () => pick(db)));
  rows.push({ order: "sequential + smart folder", images: N + SMALL, "pick ms": each });
}
{
  // A new shuffle round: every key of the folder rewritten.
  using db = await open("shuffle", null);
  pick(db);
  db.prepare("UPDATE images SET last_shown_at = ? WHERE source_id = 1").run(clock + 1);
  db.prepare("UPDATE sources SET last_shown_at = ? WHERE id = 1").run(clock + 1);
  clock += 1;
  const t = pick(db, true);
  rows.push({ order: "shuffle, new round", images: N, "pick ms": t });
}
printTable(`Ordered picks, ${N.toLocaleString("en")} images (in process)`, rows);
const file = await writeResults("playlists", { images: N, rows, loadavg: Deno.loadavg() });
console.log(`\nwrote ${file}`);
await Deno.remove(tmp, { recursive: true });
