/**
 * Forward migrations, indexed by the `user_version` they produce.
 * Append new steps at the end; never edit a released one.
 *
 * @module
 */

/** One migration step: SQL run inside a transaction. */
export interface Migration {
  /** What the step does, for error messages. */
  name: string;
  sql: string;
}

/** Migration `i` takes the schema from version `i` to `i + 1`. */
export const MIGRATIONS: readonly Migration[] = [
  {
    name: "initial schema",
    sql: `
CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL DEFAULT 'folder',
  recursive INTEGER NOT NULL DEFAULT 1,
  enabled INTEGER NOT NULL DEFAULT 1,
  last_shown_at INTEGER,
  times_shown INTEGER NOT NULL DEFAULT 0,
  last_scanned_at INTEGER,
  added_at INTEGER NOT NULL
);

CREATE TABLE images (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  size INTEGER NOT NULL,
  mtime INTEGER NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  format TEXT NOT NULL,
  content_hash TEXT,
  times_shown INTEGER NOT NULL DEFAULT 0,
  last_shown_at INTEGER,
  favorite INTEGER NOT NULL DEFAULT 0,
  banned INTEGER NOT NULL DEFAULT 0,
  missing_since INTEGER,
  indexed_at INTEGER NOT NULL
);
CREATE INDEX images_source ON images(source_id);
CREATE INDEX images_last_shown ON images(last_shown_at);
CREATE INDEX images_missing ON images(missing_since) WHERE missing_since IS NOT NULL;

CREATE TABLE palettes (
  image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
  origin TEXT NOT NULL CHECK (origin IN ('wallust', 'builtin')),
  variant TEXT NOT NULL,
  background TEXT NOT NULL,
  foreground TEXT NOT NULL,
  cursor TEXT NOT NULL,
  color0 TEXT NOT NULL, color1 TEXT NOT NULL, color2 TEXT NOT NULL,
  color3 TEXT NOT NULL, color4 TEXT NOT NULL, color5 TEXT NOT NULL,
  color6 TEXT NOT NULL, color7 TEXT NOT NULL, color8 TEXT NOT NULL,
  color9 TEXT NOT NULL, color10 TEXT NOT NULL, color11 TEXT NOT NULL,
  color12 TEXT NOT NULL, color13 TEXT NOT NULL, color14 TEXT NOT NULL,
  color15 TEXT NOT NULL,
  avg_hue REAL,
  avg_saturation REAL NOT NULL,
  avg_lightness REAL NOT NULL,
  temperature REAL NOT NULL,
  extracted_at INTEGER NOT NULL
);
CREATE INDEX palettes_lightness ON palettes(avg_lightness);
CREATE INDEX palettes_hue ON palettes(avg_hue);
CREATE INDEX palettes_saturation ON palettes(avg_saturation);
CREATE INDEX palettes_temperature ON palettes(temperature);

CREATE TABLE history (
  id INTEGER PRIMARY KEY,
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  shown_at INTEGER NOT NULL,
  output TEXT
);
CREATE INDEX history_shown_at ON history(shown_at);
CREATE INDEX history_image ON history(image_id);
`,
  },
  {
    name: "selection helpers: favourite and times_shown indexes, image count",
    sql: `
CREATE INDEX images_favorite ON images(id) WHERE favorite = 1;
CREATE INDEX images_times_shown ON images(times_shown);
CREATE TABLE image_count (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n INTEGER NOT NULL
);
INSERT INTO image_count(id, n) SELECT 1, COUNT(*) FROM images;
CREATE TRIGGER image_count_insert AFTER INSERT ON images
BEGIN UPDATE image_count SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER image_count_delete AFTER DELETE ON images
BEGIN UPDATE image_count SET n = n - 1 WHERE id = 1; END;
`,
  },
  {
    // Summary tables kept exact by triggers, so that `varietal stats` reads a
    // few hundred rows instead of scanning a million. The cell expressions are
    // the SQL twin of paletteCell() in src/stats/buckets.ts (a test compares
    // them). A BEFORE INSERT trigger deletes the palette being replaced, so
    // INSERT OR REPLACE, upserts and plain inserts all keep the counts right
    // whatever recursive_triggers says.
    name: "statistics summary tables",
    sql: `
CREATE TABLE stat_images (
  source_id INTEGER PRIMARY KEY,
  images INTEGER NOT NULL DEFAULT 0,
  favorites INTEGER NOT NULL DEFAULT 0,
  banned INTEGER NOT NULL DEFAULT 0,
  shown INTEGER NOT NULL DEFAULT 0
);
INSERT INTO stat_images(source_id, images, favorites, banned, shown)
  SELECT source_id, COUNT(*), SUM(favorite <> 0), SUM(banned <> 0), SUM(last_shown_at IS NOT NULL)
  FROM images GROUP BY source_id;
CREATE TRIGGER stat_images_insert AFTER INSERT ON images BEGIN
  INSERT INTO stat_images(source_id, images, favorites, banned, shown)
  VALUES (NEW.source_id, 1, NEW.favorite <> 0, NEW.banned <> 0, NEW.last_shown_at IS NOT NULL)
  ON CONFLICT(source_id) DO UPDATE SET images = images + 1,
    favorites = favorites + excluded.favorites, banned = banned + excluded.banned,
    shown = shown + excluded.shown;
END;
CREATE TRIGGER stat_images_delete AFTER DELETE ON images BEGIN
  UPDATE stat_images SET images = images - 1, favorites = favorites - (OLD.favorite <> 0),
    banned = banned - (OLD.banned <> 0), shown = shown - (OLD.last_shown_at IS NOT NULL)
  WHERE source_id = OLD.source_id;
  DELETE FROM stat_images WHERE source_id = OLD.source_id AND images = 0;
END;
CREATE TRIGGER stat_images_update AFTER UPDATE OF source_id, favorite, banned, last_shown_at
ON images WHEN OLD.source_id IS NOT NEW.source_id
  OR (OLD.favorite <> 0) IS NOT (NEW.favorite <> 0)
  OR (OLD.banned <> 0) IS NOT (NEW.banned <> 0)
  OR (OLD.last_shown_at IS NULL) IS NOT (NEW.last_shown_at IS NULL)
BEGIN
  UPDATE stat_images SET images = images - 1, favorites = favorites - (OLD.favorite <> 0),
    banned = banned - (OLD.banned <> 0), shown = shown - (OLD.last_shown_at IS NOT NULL)
  WHERE source_id = OLD.source_id;
  INSERT INTO stat_images(source_id, images, favorites, banned, shown)
  VALUES (NEW.source_id, 1, NEW.favorite <> 0, NEW.banned <> 0, NEW.last_shown_at IS NOT NULL)
  ON CONFLICT(source_id) DO UPDATE SET images = images + 1,
    favorites = favorites + excluded.favorites, banned = banned + excluded.banned,
    shown = shown + excluded.shown;
  DELETE FROM stat_images WHERE source_id = OLD.source_id AND images = 0;
END;

CREATE TABLE stat_palettes (
  l INTEGER NOT NULL,
  h INTEGER NOT NULL,
  s INTEGER NOT NULL,
  t INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (l, h, s, t)
) WITHOUT ROWID;
INSERT INTO stat_palettes(l, h, s, t, n)
  SELECT MAX(0, MIN(19, CAST(avg_lightness * 20 AS INTEGER))),
    CASE WHEN avg_hue IS NULL OR avg_saturation < 0.1 THEN -1
    ELSE ((CAST(avg_hue / 30 AS INTEGER) % 12) + 12) % 12 END,
    MAX(0, MIN(19, CAST(avg_saturation * 20 AS INTEGER))),
    CASE WHEN temperature > 0.1 THEN 1 WHEN temperature < -0.1 THEN -1 ELSE 0 END,
    COUNT(*)
  FROM palettes GROUP BY 1, 2, 3, 4;
CREATE TRIGGER stat_palettes_replace BEFORE INSERT ON palettes BEGIN
  DELETE FROM palettes WHERE image_id = NEW.image_id;
END;
CREATE TRIGGER stat_palettes_insert AFTER INSERT ON palettes BEGIN
  INSERT INTO stat_palettes(l, h, s, t, n)
  VALUES (MAX(0, MIN(19, CAST(NEW.avg_lightness * 20 AS INTEGER))),
    CASE WHEN NEW.avg_hue IS NULL OR NEW.avg_saturation < 0.1 THEN -1
    ELSE ((CAST(NEW.avg_hue / 30 AS INTEGER) % 12) + 12) % 12 END,
    MAX(0, MIN(19, CAST(NEW.avg_saturation * 20 AS INTEGER))),
    CASE WHEN NEW.temperature > 0.1 THEN 1 WHEN NEW.temperature < -0.1 THEN -1 ELSE 0 END, 1)
  ON CONFLICT(l, h, s, t) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER stat_palettes_delete AFTER DELETE ON palettes BEGIN
  UPDATE stat_palettes SET n = n - 1
  WHERE (l, h, s, t) = (MAX(0, MIN(19, CAST(OLD.avg_lightness * 20 AS INTEGER))),
    CASE WHEN OLD.avg_hue IS NULL OR OLD.avg_saturation < 0.1 THEN -1
    ELSE ((CAST(OLD.avg_hue / 30 AS INTEGER) % 12) + 12) % 12 END,
    MAX(0, MIN(19, CAST(OLD.avg_saturation * 20 AS INTEGER))),
    CASE WHEN OLD.temperature > 0.1 THEN 1 WHEN OLD.temperature < -0.1 THEN -1 ELSE 0 END);
END;
CREATE TRIGGER stat_palettes_update AFTER UPDATE OF avg_lightness, avg_hue, avg_saturation,
  temperature ON palettes BEGIN
  UPDATE stat_palettes SET n = n - 1
  WHERE (l, h, s, t) = (MAX(0, MIN(19, CAST(OLD.avg_lightness * 20 AS INTEGER))),
    CASE WHEN OLD.avg_hue IS NULL OR OLD.avg_saturation < 0.1 THEN -1
    ELSE ((CAST(OLD.avg_hue / 30 AS INTEGER) % 12) + 12) % 12 END,
    MAX(0, MIN(19, CAST(OLD.avg_saturation * 20 AS INTEGER))),
    CASE WHEN OLD.temperature > 0.1 THEN 1 WHEN OLD.temperature < -0.1 THEN -1 ELSE 0 END);
  INSERT INTO stat_palettes(l, h, s, t, n)
  VALUES (MAX(0, MIN(19, CAST(NEW.avg_lightness * 20 AS INTEGER))),
    CASE WHEN NEW.avg_hue IS NULL OR NEW.avg_saturation < 0.1 THEN -1
    ELSE ((CAST(NEW.avg_hue / 30 AS INTEGER) % 12) + 12) % 12 END,
    MAX(0, MIN(19, CAST(NEW.avg_saturation * 20 AS INTEGER))),
    CASE WHEN NEW.temperature > 0.1 THEN 1 WHEN NEW.temperature < -0.1 THEN -1 ELSE 0 END, 1)
  ON CONFLICT(l, h, s, t) DO UPDATE SET n = n + 1;
END;
`,
  },
  {
    name: "selection: covering palette indexes for colour constraints",
    sql: `
DROP INDEX IF EXISTS palettes_lightness;
DROP INDEX IF EXISTS palettes_hue;
DROP INDEX IF EXISTS palettes_saturation;
DROP INDEX IF EXISTS palettes_temperature;
CREATE INDEX palettes_lightness_cover
  ON palettes(avg_lightness, avg_hue, avg_saturation, temperature);
CREATE INDEX palettes_hue_cover ON palettes(avg_hue, avg_lightness, avg_saturation, temperature);
CREATE INDEX palettes_saturation_cover
  ON palettes(avg_saturation, avg_lightness, avg_hue, temperature);
CREATE INDEX palettes_temperature_cover
  ON palettes(temperature, avg_lightness, avg_hue, avg_saturation);
`,
  },
  {
    // Lets `varietal stats` subtract images marked missing from its totals
    // without reading their rows (index-only).
    name: "statistics: covering index of missing images",
    sql: `
CREATE INDEX images_missing_cover ON images(source_id, favorite, banned, last_shown_at)
  WHERE missing_since IS NOT NULL;
`,
  },
  {
    // The Material source colour (and mean tone) of each palette's image, so that
    // re-theming with Material schemes never decodes the image again.
    name: "material: source colour of each palette",
    sql: `
CREATE TABLE palette_material (
  image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
  source_color TEXT NOT NULL,
  mean_tone REAL
);
`,
  },
  {
    // What the last successful scan saw at a source's root: its device and a
    // few first-level entries that led to images. A root that holds none of
    // them (empty, or another device) is an unmounted drive, not a deletion.
    name: "sources: root device and first-level entries for offline detection",
    sql: `
ALTER TABLE sources ADD COLUMN root_dev INTEGER;
ALTER TABLE sources ADD COLUMN markers TEXT;
`,
  },
  {
    // Remote sources (src/remote/): each remote is a row of `sources` (kind 'remote', its
    // downloads folder as path) plus its settings here. remote_images credits each download;
    // remote_blocklist keeps what must never be downloaded again (bans, duplicates,
    // rejects); remote_pings queues the requests a service asks for when one of its images
    // is shown (Unsplash's download_location), sent later by the fetcher because the
    // process that shows an image has no network permission. Triggers keep the ping queue
    // and the ban keys right whoever records a show or bans an image. No API key is ever
    // stored: only the name of its variable or file.
    name: "remote sources: settings, attribution, blocklist, pending pings",
    sql: `
CREATE TABLE remotes (
  source_id INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  query TEXT NOT NULL DEFAULT '',
  api TEXT NOT NULL DEFAULT '',
  api_key_env TEXT NOT NULL DEFAULT '',
  api_key_file TEXT NOT NULL DEFAULT '',
  keep_unseen INTEGER NOT NULL,
  quota INTEGER NOT NULL,
  max_file_size INTEGER NOT NULL,
  min_width INTEGER NOT NULL,
  min_height INTEGER NOT NULL,
  sfw_only INTEGER NOT NULL DEFAULT 1,
  from_config INTEGER NOT NULL DEFAULT 0,
  backoff_until INTEGER,
  failures INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  last_fetch_at INTEGER,
  added_at INTEGER NOT NULL
);

CREATE TABLE remote_images (
  image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
  remote TEXT NOT NULL,
  kind TEXT NOT NULL,
  item_id TEXT NOT NULL,
  page_url TEXT,
  image_url TEXT NOT NULL,
  author TEXT,
  author_url TEXT,
  title TEXT,
  licence TEXT,
  ping_url TEXT,
  downloaded_at INTEGER NOT NULL
);
CREATE INDEX remote_images_url ON remote_images(image_url);
CREATE INDEX remote_images_item ON remote_images(kind, item_id);

CREATE TABLE remote_blocklist (
  key TEXT PRIMARY KEY,
  reason TEXT NOT NULL,
  remote TEXT,
  image_id INTEGER,
  at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE remote_pings (
  id INTEGER PRIMARY KEY,
  remote TEXT NOT NULL,
  url TEXT NOT NULL,
  queued_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX remote_pings_remote ON remote_pings(remote);

CREATE TRIGGER remote_pings_on_show AFTER INSERT ON history
WHEN EXISTS (SELECT 1 FROM remote_images WHERE image_id = NEW.image_id AND ping_url IS NOT NULL)
BEGIN
  INSERT INTO remote_pings(remote, url, queued_at)
    SELECT remote, ping_url, NEW.shown_at FROM remote_images WHERE image_id = NEW.image_id;
END;

CREATE TRIGGER remote_blocklist_on_ban AFTER UPDATE OF banned ON images
WHEN NEW.banned <> 0 AND OLD.banned = 0
  AND EXISTS (SELECT 1 FROM remote_images WHERE image_id = NEW.id)
BEGIN
  INSERT OR REPLACE INTO remote_blocklist(key, reason, remote, image_id, at)
    SELECT 'url:' || image_url, 'banned', remote, NEW.id, CAST(strftime('%s', 'now') AS INTEGER) * 1000
    FROM remote_images WHERE image_id = NEW.id;
  INSERT OR REPLACE INTO remote_blocklist(key, reason, remote, image_id, at)
    SELECT 'item:' || kind || ':' || item_id, 'banned', remote, NEW.id,
      CAST(strftime('%s', 'now') AS INTEGER) * 1000
    FROM remote_images WHERE image_id = NEW.id;
  INSERT OR REPLACE INTO remote_blocklist(key, reason, remote, image_id, at)
    SELECT 'hash:' || NEW.content_hash, 'banned', r.remote, NEW.id,
      CAST(strftime('%s', 'now') AS INTEGER) * 1000
    FROM remote_images r WHERE r.image_id = NEW.id AND NEW.content_hash IS NOT NULL;
END;

CREATE TRIGGER remote_blocklist_on_unban AFTER UPDATE OF banned ON images
WHEN NEW.banned = 0 AND OLD.banned <> 0
BEGIN
  DELETE FROM remote_blocklist WHERE image_id = NEW.id AND reason = 'banned';
END;
`,
  },
  {
    // Honest colour figures: a chroma threshold makes greys hue-less, and
    // hue constraints look at how much of the picture lies in a range.
    // palette_hues holds each image's share per 5° hue bucket (in units of
    // 1/10000, so sums are exact); palettes.hue_mask has bit i set when named
    // range i (src/palette/hue_ranges.ts) holds at least 10 %. The stored data
    // cannot give hue shares (the 16 colours are not pixel shares), so older
    // rows keep hue_mask NULL — "figures from an older version" — until
    // `varietal extract` (or the next show) recomputes them. The statistics
    // grid now counts the hue mask (-1 = not recomputed yet) and leaves the
    // saturation of such rows out (-1); the cell expressions are the SQL twin
    // of paletteCell() in src/stats/buckets.ts. The covering indexes carry
    // hue_mask so that colour constraints stay index-only.
    name: "colour figures: hue shares, named-hue mask, statistics by hue range",
    sql: `
ALTER TABLE palettes ADD COLUMN hue_mask INTEGER;
CREATE TABLE palette_hues (
  image_id INTEGER NOT NULL REFERENCES palettes(image_id) ON DELETE CASCADE,
  bucket INTEGER NOT NULL CHECK (bucket BETWEEN 0 AND 71),
  share INTEGER NOT NULL CHECK (share BETWEEN 1 AND 10000),
  PRIMARY KEY (image_id, bucket)
) WITHOUT ROWID;
CREATE INDEX palette_hues_bucket ON palette_hues(bucket, share);

DROP INDEX IF EXISTS palettes_lightness_cover;
DROP INDEX IF EXISTS palettes_hue_cover;
DROP INDEX IF EXISTS palettes_saturation_cover;
DROP INDEX IF EXISTS palettes_temperature_cover;
CREATE INDEX palettes_hue_mask_cover
  ON palettes(hue_mask, avg_lightness, avg_saturation, temperature, avg_hue);
CREATE INDEX palettes_lightness_cover
  ON palettes(avg_lightness, hue_mask, avg_saturation, temperature, avg_hue);
CREATE INDEX palettes_saturation_cover
  ON palettes(avg_saturation, hue_mask, avg_lightness, temperature, avg_hue);
CREATE INDEX palettes_temperature_cover
  ON palettes(temperature, hue_mask, avg_lightness, avg_saturation, avg_hue);

DROP TRIGGER IF EXISTS stat_palettes_insert;
DROP TRIGGER IF EXISTS stat_palettes_delete;
DROP TRIGGER IF EXISTS stat_palettes_update;
DELETE FROM stat_palettes;
INSERT INTO stat_palettes(l, h, s, t, n)
  SELECT MAX(0, MIN(19, CAST(avg_lightness * 20 AS INTEGER))),
    COALESCE(hue_mask, -1),
    CASE WHEN hue_mask IS NULL THEN -1
    ELSE MAX(0, MIN(19, CAST(avg_saturation * 20 AS INTEGER))) END,
    CASE WHEN temperature > 0.1 THEN 1 WHEN temperature < -0.1 THEN -1 ELSE 0 END,
    COUNT(*)
  FROM palettes GROUP BY 1, 2, 3, 4;
CREATE TRIGGER stat_palettes_insert AFTER INSERT ON palettes BEGIN
  INSERT INTO stat_palettes(l, h, s, t, n)
  VALUES (MAX(0, MIN(19, CAST(NEW.avg_lightness * 20 AS INTEGER))),
    COALESCE(NEW.hue_mask, -1),
    CASE WHEN NEW.hue_mask IS NULL THEN -1
    ELSE MAX(0, MIN(19, CAST(NEW.avg_saturation * 20 AS INTEGER))) END,
    CASE WHEN NEW.temperature > 0.1 THEN 1 WHEN NEW.temperature < -0.1 THEN -1 ELSE 0 END, 1)
  ON CONFLICT(l, h, s, t) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER stat_palettes_delete AFTER DELETE ON palettes BEGIN
  UPDATE stat_palettes SET n = n - 1
  WHERE (l, h, s, t) = (MAX(0, MIN(19, CAST(OLD.avg_lightness * 20 AS INTEGER))),
    COALESCE(OLD.hue_mask, -1),
    CASE WHEN OLD.hue_mask IS NULL THEN -1
    ELSE MAX(0, MIN(19, CAST(OLD.avg_saturation * 20 AS INTEGER))) END,
    CASE WHEN OLD.temperature > 0.1 THEN 1 WHEN OLD.temperature < -0.1 THEN -1 ELSE 0 END);
END;
CREATE TRIGGER stat_palettes_update AFTER UPDATE OF avg_lightness, avg_saturation, temperature,
  hue_mask ON palettes BEGIN
  UPDATE stat_palettes SET n = n - 1
  WHERE (l, h, s, t) = (MAX(0, MIN(19, CAST(OLD.avg_lightness * 20 AS INTEGER))),
    COALESCE(OLD.hue_mask, -1),
    CASE WHEN OLD.hue_mask IS NULL THEN -1
    ELSE MAX(0, MIN(19, CAST(OLD.avg_saturation * 20 AS INTEGER))) END,
    CASE WHEN OLD.temperature > 0.1 THEN 1 WHEN OLD.temperature < -0.1 THEN -1 ELSE 0 END);
  INSERT INTO stat_palettes(l, h, s, t, n)
  VALUES (MAX(0, MIN(19, CAST(NEW.avg_lightness * 20 AS INTEGER))),
    COALESCE(NEW.hue_mask, -1),
    CASE WHEN NEW.hue_mask IS NULL THEN -1
    ELSE MAX(0, MIN(19, CAST(NEW.avg_saturation * 20 AS INTEGER))) END,
    CASE WHEN NEW.temperature > 0.1 THEN 1 WHEN NEW.temperature < -0.1 THEN -1 ELSE 0 END, 1)
  ON CONFLICT(l, h, s, t) DO UPDATE SET n = n + 1;
END;
`,
  },
  {
    // The selector's rejection bound needs to know whether any image is a
    // favourite, never shown, or both. Asked of the table with EXISTS, SQLite
    // walks every never-shown row looking for a favourite when there is none
    // (a freshly scanned collection). One row kept exact by triggers answers
    // in O(1). Counts are over every row (banned and missing too), a superset
    // of any draw's candidates, so the bound stays an upper bound.
    name: "selection: summary row of favourites and never-shown images",
    sql: `
CREATE TABLE selection_summary (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  favorites INTEGER NOT NULL,
  unseen INTEGER NOT NULL,
  unseen_favorites INTEGER NOT NULL
);
INSERT INTO selection_summary(id, favorites, unseen, unseen_favorites)
  SELECT 1, TOTAL(favorite = 1), TOTAL(last_shown_at IS NULL),
    TOTAL(favorite = 1 AND last_shown_at IS NULL)
  FROM images;
CREATE TRIGGER selection_summary_insert AFTER INSERT ON images BEGIN
  UPDATE selection_summary SET favorites = favorites + (NEW.favorite = 1),
    unseen = unseen + (NEW.last_shown_at IS NULL),
    unseen_favorites = unseen_favorites + (NEW.favorite = 1 AND NEW.last_shown_at IS NULL)
  WHERE id = 1;
END;
CREATE TRIGGER selection_summary_delete AFTER DELETE ON images BEGIN
  UPDATE selection_summary SET favorites = favorites - (OLD.favorite = 1),
    unseen = unseen - (OLD.last_shown_at IS NULL),
    unseen_favorites = unseen_favorites - (OLD.favorite = 1 AND OLD.last_shown_at IS NULL)
  WHERE id = 1;
END;
CREATE TRIGGER selection_summary_update AFTER UPDATE OF favorite, last_shown_at ON images
WHEN (OLD.favorite = 1) IS NOT (NEW.favorite = 1)
  OR (OLD.last_shown_at IS NULL) IS NOT (NEW.last_shown_at IS NULL)
BEGIN
  UPDATE selection_summary SET
    favorites = favorites + (NEW.favorite = 1) - (OLD.favorite = 1),
    unseen = unseen + (NEW.last_shown_at IS NULL) - (OLD.last_shown_at IS NULL),
    unseen_favorites = unseen_favorites + (NEW.favorite = 1 AND NEW.last_shown_at IS NULL)
      - (OLD.favorite = 1 AND OLD.last_shown_at IS NULL)
  WHERE id = 1;
END;
`,
  },
  {
    // Images that failed to decode (damaged, over the pixel limit, too slow) are not drawn
    // again until the file changes: the file's size and mtime at the failure say which
    // version failed; decode_failed_pixels is set when the image was refused as too large,
    // so that raising the limit brings it back at the next scan. The partial index lists
    // the (few) failures without reading the table; the selector tests the column on the
    // rows it reads anyway.
    name: "images: decode failures",
    sql: `
ALTER TABLE images ADD COLUMN decode_failed_at INTEGER;
ALTER TABLE images ADD COLUMN decode_failed_size INTEGER;
ALTER TABLE images ADD COLUMN decode_failed_mtime INTEGER;
ALTER TABLE images ADD COLUMN decode_failed_pixels INTEGER;
ALTER TABLE images ADD COLUMN decode_error TEXT;
CREATE INDEX images_decode_failed ON images(decode_failed_pixels)
  WHERE decode_failed_at IS NOT NULL;
`,
  },
  {
    name: "playlists: per-folder order, play keys of ordered folders, shuffle cycles",
    sql: `
ALTER TABLE sources ADD COLUMN play_order TEXT
  CHECK (play_order IS NULL OR play_order IN ('smart', 'sequential', 'shuffle'));
ALTER TABLE images ADD COLUMN play_key TEXT;
CREATE INDEX images_play ON images(source_id, play_key);
CREATE TABLE play_state (
  source_id INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
  play_order TEXT NOT NULL CHECK (play_order IN ('sequential', 'shuffle')),
  seed INTEGER NOT NULL DEFAULT 0,
  cycle_started_at INTEGER NOT NULL DEFAULT 0
);
CREATE TRIGGER images_play_key_moved AFTER UPDATE OF source_id ON images
  WHEN NEW.source_id IS NOT OLD.source_id BEGIN
  UPDATE images SET play_key = NULL WHERE id = NEW.id;
END;
`,
  },
  {
    // Every Material role (light and dark) of an image's palette for one scheme and
    // contrast, as computed by material-color-utilities when the palette was extracted or
    // first themed, so that re-theming formats strings instead of loading the library.
    // A row counts only while it matches the palette's source colour, the configured
    // scheme and contrast, and the code's MATERIAL_SCHEME_VERSION
    // (src/db/material_schemes.ts); otherwise the scheme is computed again and replaces it.
    name: "material: role tables of each palette's scheme",
    sql: `
CREATE TABLE palette_schemes (
  image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
  source_color TEXT NOT NULL,
  scheme TEXT NOT NULL,
  contrast REAL NOT NULL,
  version INTEGER NOT NULL,
  roles BLOB NOT NULL
);
`,
  },
  {
    // Which folders scan added (or found) as config.toml's [[sources]]: one whose entry is
    // deleted from the file is disabled at the next scan instead of staying in rotation as
    // if added by 'varietal sources add'. Older rows are marked at their next scan.
    name: "sources: which came from config.toml",
    sql: `
ALTER TABLE sources ADD COLUMN from_config INTEGER NOT NULL DEFAULT 0;
`,
  },
];
