// palette_schemes: every Material role of a palette's scheme, packed, read back only while it
// matches the source colour, scheme, contrast and version asked for.
import { assertEquals, assertThrows } from "../_helpers/assert.ts";
import { Database } from "../../src/db/database.ts";
import { addSource } from "../../src/db/sources.ts";
import { insertImage } from "../../src/db/images.ts";
import { deletePalette } from "../../src/db/palettes.ts";
import {
  getImageScheme,
  MATERIAL_SCHEME_VERSION,
  packRoles,
  saveImageScheme,
  unpackRoles,
} from "../../src/db/material_schemes.ts";
import { materialScheme } from "../../src/palette/material/scheme.ts";
import { MATERIAL_ROLES, STATUS_ROLE_NAMES } from "../../src/palette/material/roles.ts";
import { withStatusRoles } from "../../src/palette/material/status_roles.ts";

async function withImage(fn: (db: Database, id: number) => void | Promise<void>) {
  using db = await Database.open(":memory:");
  const src = addSource(db, "/w", { now: 1 }).source;
  const id = insertImage(db, {
    path: "/w/a.jpg",
    source_id: src.id,
    size: 1,
    mtime: 1,
    width: 10,
    height: 10,
    format: "jpg",
  }, 1);
  await fn(db, id);
}

Deno.test("packRoles() and unpackRoles() keep every role of both variants", () => {
  for (const s of [materialScheme("#4285f4"), materialScheme("#8a5a44", { scheme: "vibrant" })]) {
    const bytes = packRoles(s.light, s.dark);
    assertEquals(bytes.length, MATERIAL_ROLES.length * 6);
    assertEquals(unpackRoles(bytes), { light: s.light, dark: s.dark });
  }
  assertEquals(unpackRoles(new Uint8Array(5)), undefined);
  const s = materialScheme("#4285f4");
  assertThrows(() => packRoles({ ...s.light, primary: "red" }, s.dark), RangeError);
});

Deno.test("the status colours are packed after the roles, and rows without them still read", async () => {
  const s = withStatusRoles(materialScheme("#9c27b0", { scheme: "expressive" }));
  const bytes = packRoles(s.light, s.dark, s.status);
  assertEquals(bytes.length, (MATERIAL_ROLES.length + STATUS_ROLE_NAMES.length) * 6);
  assertEquals(unpackRoles(bytes), { light: s.light, dark: s.dark, status: s.status });
  // An older row: the roles alone, no status (made again when a theme needs them).
  const old = bytes.subarray(0, MATERIAL_ROLES.length * 6);
  assertEquals(unpackRoles(old), { light: s.light, dark: s.dark });
  assertEquals(unpackRoles(bytes.subarray(0, bytes.length - 1)), undefined);
  assertThrows(
    () =>
      packRoles(s.light, s.dark, { ...s.status!, dark: { ...s.status!.dark, warning: "#abc" } }),
    RangeError,
  );
  await withImage((db, id) => {
    saveImageScheme(db, id, s);
    assertEquals(getImageScheme(db, id, s.source, "expressive", 0), s);
    const { status: _, ...roles } = s;
    saveImageScheme(db, id, roles);
    assertEquals(getImageScheme(db, id, s.source, "expressive", 0), roles);
  });
});

Deno.test("a stored scheme is read back only for its source colour, scheme, contrast and version", async () => {
  await withImage((db, id) => {
    const s = materialScheme("#8a5a44", { scheme: "content", contrast: 0.5 });
    assertEquals(getImageScheme(db, id, s.source, "content", 0.5), undefined);
    saveImageScheme(db, id, s);
    assertEquals(getImageScheme(db, id, s.source, "content", 0.5), s);
    assertEquals(getImageScheme(db, id, s.source.toUpperCase(), "content", 0.5), s);
    assertEquals(getImageScheme(db, id, "#8a5a45", "content", 0.5), undefined);
    assertEquals(getImageScheme(db, id, s.source, "tonal-spot", 0.5), undefined);
    assertEquals(getImageScheme(db, id, s.source, "content", 0), undefined);
    db.prepare("UPDATE palette_schemes SET version = ?").run(MATERIAL_SCHEME_VERSION + 1);
    assertEquals(getImageScheme(db, id, s.source, "content", 0.5), undefined, "another version");
    // one row per image: a new scheme replaces the old
    const t = materialScheme("#8a5a44");
    saveImageScheme(db, id, t);
    assertEquals(getImageScheme(db, id, t.source, "tonal-spot", 0), t);
    assertEquals(getImageScheme(db, id, s.source, "content", 0.5), undefined);
    assertEquals(
      (db.prepare("SELECT COUNT(*) AS n FROM palette_schemes").get() as { n: number }).n,
      1,
    );
  });
});

Deno.test("a scheme goes with its palette and its image", async () => {
  await withImage((db, id) => {
    const s = materialScheme("#4285f4");
    saveImageScheme(db, id, s);
    deletePalette(db, id);
    assertEquals(getImageScheme(db, id, s.source, "tonal-spot", 0), undefined);
    saveImageScheme(db, id, s);
    db.prepare("DELETE FROM images WHERE id = ?").run(id);
    assertEquals(getImageScheme(db, id, s.source, "tonal-spot", 0), undefined);
  });
});
