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
];
