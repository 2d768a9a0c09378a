// The selector's start-up queries: index lookups and summary rows only, and the
// summary row kept exact by its triggers.
import { DatabaseSync } from "node:sqlite";
import fc from "../_helpers/fc.ts";
import { assert, assertEquals } from "../_helpers/assert.ts";
import { Database } from "../../src/db/database.ts";
import { MIGRATIONS } from "../../src/db/migrations.ts";
import { addSource, removeSource } from "../../src/db/sources.ts";
import { deleteImages, insertImage, setImageFlag } from "../../src/db/images.ts";
import { recordShows } from "../../src/db/history.ts";
import {
  COLLECTION_FACTS_SQL,
  collectionFacts,
  SOURCE_FACTS_SQL,
} from "../../src/select/_candidates.ts";
import { selectImages } from "../../src/select/selector.ts";
import { allExist, allOnline, collection, config, DAY, NOW, type Spec } from "./_fixture.ts";

/** The plan lines of a statement. */
function plan(db: Database, sql: string): string[] {
  const params = (sql.match(/\?/g) ?? []).map(() => 10);
  return (db.raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
    .map((r) => r.detail);
}

/**
 * Plan lines that read rows of `images` in bulk: any SCAN of it, and any search
 * of a non-unique index by a value (e.g. every never-shown row through
 * `images_last_shown`). Allowed: rowid lookups and MIN/MAX from an index end.
 */
function bulkImageReads(lines: readonly string[]): string[] {
  return lines.filter((l) =>
    /^SCAN (images|i)\b/.test(l) ||
    (/^SEARCH (images|i)\b/.test(l) && /USING (COVERING )?INDEX \w+ \(/.test(l))
  );
}

/** A collection as a fresh `varietal scan` leaves it: nothing shown, no favourites. */
const SCANNED: Spec[] = Array.from({ length: 3000 }, () => ({}));
/** And one with history, favourites and bans. */
const USED: Spec[] = Array.from({ length: 3000 }, (_, i) => ({
  last_shown_at: i % 3 ? NOW - (i % 40) * DAY : null,
  favorite: i % 97 === 0,
  banned: i % 211 === 0,
  source: 1 + (i % 4),
}));

for (const [name, specs] of [["freshly scanned", SCANNED], ["used", USED]] as const) {
  Deno.test(`start-up queries of a selection read no images in bulk (EXPLAIN QUERY PLAN, ${name} collection)`, async () => {
    const { db } = await collection(specs);
    try {
      if (name === "used") {
        recordShows(db, [{ imageId: 5, shownAt: NOW }, { imageId: 6, shownAt: NOW + 1 }]);
      }
      for (const sql of [COLLECTION_FACTS_SQL, SOURCE_FACTS_SQL.enabled, SOURCE_FACTS_SQL.recent]) {
        const lines = plan(db, sql);
        assertEquals(bulkImageReads(lines), [], `${sql}\n${lines.join("\n")}`);
        // History is read newest first from its time index (LIMIT stops it), never whole.
        assert(
          !lines.some((l) => /^SCAN history\b/.test(l) && !/USING INDEX history_shown_at$/.test(l)),
          lines.join("\n"),
        );
        assert(!lines.some((l) => /^SCAN (palettes|p)\b/.test(l)), lines.join("\n"));
      }
      // The facts query touches no table but the summary rows and index ends.
      const facts = plan(db, COLLECTION_FACTS_SQL).filter((l) => /^(SCAN|SEARCH) /.test(l));
      for (const l of facts) {
        assert(
          /^SCAN CONSTANT ROW$/.test(l) ||
            /^SEARCH (image_count|selection_summary) USING INTEGER PRIMARY KEY \(rowid=\?\)$/
              .test(l) ||
            /^SEARCH images( USING COVERING INDEX images_times_shown)?$/.test(l),
          `unexpected plan line: ${l}`,
        );
      }
    } finally {
      db.close();
    }
  });
}

Deno.test("a whole `select 1` on a freshly scanned collection prepares no statement that reads images in bulk", async () => {
  const { db } = await collection(SCANNED);
  const seen = new Set<string>();
  const prepare = DatabaseSync.prototype.prepare;
  DatabaseSync.prototype.prepare = function (this: DatabaseSync, sql: string) {
    if (!sql.startsWith("EXPLAIN")) seen.add(sql);
    return prepare.call(this, sql);
  };
  try {
    for (let seed = 1; seed <= 5; seed++) {
      const r = selectImages(db, config(), { count: 1, constraints: {} }, {
        now: NOW,
        seed,
        check: allExist,
        sourceCheck: allOnline,
      });
      assertEquals(r.picks.length, 1);
    }
  } finally {
    DatabaseSync.prototype.prepare = prepare;
  }
  try {
    assert(seen.size > 0);
    for (const sql of seen) {
      const lines = plan(db, sql);
      assertEquals(bulkImageReads(lines), [], `${sql}\n${lines.join("\n")}`);
    }
  } finally {
    db.close();
  }
});

/** What the summary row must say, counted the slow way. */
function recount(db: Database) {
  const q = (where: string) =>
    (db.raw.prepare(`SELECT COUNT(*) AS n FROM images WHERE ${where}`).get() as { n: number }).n;
  return {
    favorites: q("favorite = 1"),
    unseen: q("last_shown_at IS NULL"),
    unseen_favorites: q("favorite = 1 AND last_shown_at IS NULL"),
  };
}

function summary(db: Database) {
  const r = db.raw.prepare(
    "SELECT favorites, unseen, unseen_favorites FROM selection_summary WHERE id = 1",
  ).get() as Record<string, number>;
  return { favorites: r.favorites, unseen: r.unseen, unseen_favorites: r.unseen_favorites };
}

type Op =
  | { k: "insert"; source: number; favorite: boolean; shown: boolean }
  | { k: "favorite"; at: number; value: boolean }
  | { k: "show"; at: number }
  | { k: "unshow"; at: number }
  | { k: "delete"; at: number }
  | { k: "removeSource"; source: number };

Deno.test("selection_summary and collectionFacts() stay exact through every kind of write", async () => {
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      k: fc.constant("insert" as const),
      source: fc.integer({ min: 0, max: 2 }),
      favorite: fc.boolean(),
      shown: fc.boolean(),
    }),
    fc.record({ k: fc.constant("favorite" as const), at: fc.nat(), value: fc.boolean() }),
    fc.record({ k: fc.constant("show" as const), at: fc.nat() }),
    fc.record({ k: fc.constant("unshow" as const), at: fc.nat() }),
    fc.record({ k: fc.constant("delete" as const), at: fc.nat() }),
    fc.record({ k: fc.constant("removeSource" as const), source: fc.integer({ min: 0, max: 2 }) }),
  );
  let n = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
      using db = await Database.open(":memory:");
      const sources = new Map<number, number>();
      const source = (k: number) => {
        let id = sources.get(k);
        if (id === undefined) sources.set(k, id = addSource(db, `/s${k}`, { now: NOW }).source.id);
        return id;
      };
      const ids = () =>
        (db.raw.prepare("SELECT id FROM images ORDER BY id").all() as {
          id: number;
        }[]).map((r) => r.id);
      const pick = (at: number) => {
        const all = ids();
        return all.length ? all[at % all.length] : undefined;
      };
      for (const o of ops) {
        if (o.k === "insert") {
          const id = insertImage(db, {
            path: `/s${o.source}/${n++}.jpg`,
            source_id: source(o.source),
            size: 1,
            mtime: 1,
            width: 1,
            height: 1,
            format: "jpeg",
          }, NOW);
          if (o.favorite) setImageFlag(db, id, "favorite", true);
          if (o.shown) recordShows(db, [{ imageId: id, shownAt: NOW }]);
        } else if (o.k === "removeSource") {
          const id = sources.get(o.source);
          if (id !== undefined) removeSource(db, id);
          sources.delete(o.source);
        } else {
          const id = pick(o.at);
          if (id === undefined) continue;
          if (o.k === "favorite") setImageFlag(db, id, "favorite", o.value);
          else if (o.k === "show") recordShows(db, [{ imageId: id, shownAt: NOW + o.at }]);
          else if (o.k === "unshow") {
            db.raw.prepare("UPDATE images SET last_shown_at = NULL WHERE id = ?").run(id);
          } else deleteImages(db, [id]);
        }
        const want = recount(db);
        assertEquals(summary(db), want);
        const f = collectionFacts(db);
        assertEquals(
          [f.anyFavorite, f.anyUnseen, f.anyUnseenFavorite],
          [want.favorites > 0, want.unseen > 0, want.unseen_favorites > 0],
        );
      }
    }),
    { numRuns: 60 },
  );
});

Deno.test("the selection summary migration counts the rows already in a database", async () => {
  const step = MIGRATIONS.findIndex((m) => m.name.startsWith("selection: summary row"));
  assert(step > 0, "the migration is in the list");
  const dir = await Deno.makeTempDir({ prefix: "varietal-summary-" });
  try {
    const file = `${dir}/v.db`;
    const raw = new DatabaseSync(file);
    for (let v = 0; v < step; v++) raw.exec(MIGRATIONS[v].sql);
    raw.exec(`PRAGMA user_version = ${step}`);
    raw.prepare("INSERT INTO sources(id, path, added_at) VALUES (1, '/w', 0)").run();
    const ins = raw.prepare(
      `INSERT INTO images(path, source_id, size, mtime, width, height, format, indexed_at,
         favorite, last_shown_at) VALUES (?, 1, 1, 1, 1, 1, 'jpeg', 0, ?, ?)`,
    );
    for (let i = 0; i < 50; i++) ins.run(`/w/${i}.jpg`, i % 7 === 0 ? 1 : 0, i % 3 ? i : null);
    raw.close();
    using db = await Database.open(file);
    assertEquals(db.userVersion, MIGRATIONS.length);
    assertEquals(summary(db), recount(db));
    assertEquals(summary(db), { favorites: 8, unseen: 17, unseen_favorites: 3 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
