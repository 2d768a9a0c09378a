/**
 * The schema version this varietal writes: the number of steps in
 * `migrations.ts`. Kept apart so that opening an up-to-date database does not
 * load every migration's SQL (a test checks the two agree).
 *
 * @module
 */

/** `PRAGMA user_version` of a fully migrated database. */
export const SCHEMA_VERSION = 14;
