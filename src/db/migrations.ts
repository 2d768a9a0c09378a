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
];
