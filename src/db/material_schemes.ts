/**
 * The `palette_schemes` table: the Material scheme (every role, light and
 * dark, with their success and warning colours) of an image's palette, for
 * the scheme and contrast it was computed with, so that re-theming an image
 * with matugen templates does not load material-color-utilities (nor make
 * the status colours again). One row per image; a row is used only while it
 * matches the palette's source colour, the scheme and contrast asked for,
 * and {@linkcode MATERIAL_SCHEME_VERSION}.
 *
 * @module
 */
import type { Database } from "./database.ts";
import type { MaterialSchemeName } from "../config/choices.ts";
import {
  MATERIAL_ROLES,
  type MaterialScheme,
  type RoleColors,
  STATUS_ROLE_NAMES,
} from "../palette/material/roles.ts";

/**
 * What computed the stored roles: bump it when they could come out
 * differently (another version of material-color-utilities, roles added or
 * reordered), so that older rows are computed again.
 */
export const MATERIAL_SCHEME_VERSION = 1;

/** Bytes of one stored scheme's roles: 3 per role, light then dark. */
const BYTES = MATERIAL_ROLES.length * 3 * 2;
/** Bytes of its status colours, after the roles when it has them (also light then dark). */
const STATUS_BYTES = STATUS_ROLE_NAMES.length * 3 * 2;

/** The status colours of a scheme, light and dark. */
type Status = NonNullable<MaterialScheme["status"]>;

function packColors<K extends string>(
  out: Uint8Array,
  at: number,
  names: readonly K[],
  variants: readonly Record<K, string>[],
): void {
  let o = at;
  for (const variant of variants) {
    for (const name of names) {
      const hex = variant[name];
      if (!/^#[0-9a-f]{6}$/.test(hex)) throw new RangeError(`not a #rrggbb colour: ${hex}`);
      const v = parseInt(hex.slice(1), 16);
      out[o++] = v >> 16;
      out[o++] = (v >> 8) & 255;
      out[o++] = v & 255;
    }
  }
}

function unpackColors<K extends string>(
  bytes: Uint8Array,
  at: number,
  names: readonly K[],
): { light: Record<K, string>; dark: Record<K, string> } {
  let o = at;
  const variant = () => {
    const out = {} as Record<K, string>;
    for (const name of names) {
      const v = (bytes[o] << 16) | (bytes[o + 1] << 8) | bytes[o + 2];
      o += 3;
      out[name] = `#${v.toString(16).padStart(6, "0")}`;
    }
    return out;
  };
  const light = variant();
  return { light, dark: variant() };
}

/**
 * The roles as bytes (`#rrggbb` → r, g, b), light then dark, in
 * `MATERIAL_ROLES` order; then, when given, the status colours the same way
 * in `STATUS_ROLE_NAMES` order.
 */
export function packRoles(light: RoleColors, dark: RoleColors, status?: Status): Uint8Array {
  const out = new Uint8Array(BYTES + (status ? STATUS_BYTES : 0));
  packColors(out, 0, MATERIAL_ROLES, [light, dark]);
  if (status) packColors(out, BYTES, STATUS_ROLE_NAMES, [status.light, status.dark]);
  return out;
}

/**
 * The inverse of {@linkcode packRoles} (`status` only when the bytes hold
 * it: rows of older versions do not); undefined when `bytes` is not one.
 */
export function unpackRoles(
  bytes: Uint8Array,
): { light: RoleColors; dark: RoleColors; status?: Status } | undefined {
  if (bytes.length !== BYTES && bytes.length !== BYTES + STATUS_BYTES) return undefined;
  const roles = unpackColors(bytes, 0, MATERIAL_ROLES);
  if (bytes.length === BYTES) return roles;
  return { ...roles, status: unpackColors(bytes, BYTES, STATUS_ROLE_NAMES) };
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
    packRoles(s.light, s.dark, s.status),
  );
}
