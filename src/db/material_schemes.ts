/**
 * The `palette_schemes` table: the Material scheme (every role, light and
 * dark) of an image's palette, for the scheme and contrast it was computed
 * with, so that re-theming an image with matugen templates does not load
 * material-color-utilities. One row per image; a row is used only while it
 * matches the palette's source colour, the scheme and contrast asked for,
 * and {@linkcode MATERIAL_SCHEME_VERSION}.
 *
 * @module
 */
import type { Database } from "./database.ts";
import type { MaterialSchemeName } from "../config/choices.ts";
import { MATERIAL_ROLES, type MaterialScheme, type RoleColors } from "../palette/material/roles.ts";

/**
 * What computed the stored roles: bump it when they could come out
 * differently (another version of material-color-utilities, roles added or
 * reordered), so that older rows are computed again.
 */
export const MATERIAL_SCHEME_VERSION = 1;

/** Bytes of one stored scheme: 3 per role, light then dark. */
const BYTES = MATERIAL_ROLES.length * 3 * 2;

/** The roles as bytes (`#rrggbb` → r, g, b), light then dark, in `MATERIAL_ROLES` order. */
export function packRoles(light: RoleColors, dark: RoleColors): Uint8Array {
  const out = new Uint8Array(BYTES);
  let o = 0;
  for (const variant of [light, dark]) {
    for (const role of MATERIAL_ROLES) {
      const hex = variant[role];
      if (!/^#[0-9a-f]{6}$/.test(hex)) throw new RangeError(`not a #rrggbb colour: ${hex}`);
      const v = parseInt(hex.slice(1), 16);
      out[o++] = v >> 16;
      out[o++] = (v >> 8) & 255;
      out[o++] = v & 255;
    }
  }
  return out;
}

/** The inverse of {@linkcode packRoles}; undefined when `bytes` is not one. */
export function unpackRoles(
  bytes: Uint8Array,
): { light: RoleColors; dark: RoleColors } | undefined {
  if (bytes.length !== BYTES) return undefined;
  let o = 0;
  const variant = () => {
    const out = {} as RoleColors;
    for (const role of MATERIAL_ROLES) {
      const v = (bytes[o] << 16) | (bytes[o + 1] << 8) | bytes[o + 2];
      o += 3;
      out[role] = `#${v.toString(16).padStart(6, "0")}`;
    }
    return out;
  };
  const light = variant();
  return { light, dark: variant() };
}

/**
 * The stored scheme of an image's palette when it was made from `source`
 * with this scheme and contrast (and by this version); else undefined.
 */
export function getImageScheme(
  db: Database,
  imageId: number,
  source: string,
  scheme: MaterialSchemeName,
  contrast: number,
): MaterialScheme | undefined {
  const r = db.prepare(
    `SELECT roles FROM palette_schemes WHERE image_id = ? AND source_color = ? AND scheme = ?
       AND contrast = ? AND version = ?`,
  ).get(imageId, source.toLowerCase(), scheme, contrast, MATERIAL_SCHEME_VERSION) as
    | { roles: Uint8Array }
    | undefined;
  const roles = r ? unpackRoles(r.roles) : undefined;
  return roles ? { source: source.toLowerCase(), scheme, contrast, ...roles } : undefined;
}

/** Stores (replaces) the scheme of an image's palette. */
export function saveImageScheme(db: Database, imageId: number, s: MaterialScheme): void {
  db.prepare(
    `INSERT OR REPLACE INTO palette_schemes(image_id, source_color, scheme, contrast, version,
       roles) VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(
    imageId,
    s.source.toLowerCase(),
    s.scheme,
    s.contrast,
    MATERIAL_SCHEME_VERSION,
    packRoles(s.light, s.dark),
  );
}
