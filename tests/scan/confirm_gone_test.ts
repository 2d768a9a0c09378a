import { assertEquals } from "../_helpers/assert.ts";
import { Database } from "../../src/db/database.ts";
import { addSource } from "../../src/db/sources.ts";
import { insertImage, markMissing } from "../../src/db/images.ts";
import { confirmGone, fileVerdict } from "../../src/scan/confirm_gone.ts";
import type { SourceCheck } from "../../src/scan/availability.ts";

/** A fake file system: the folders and files that exist; paths under `locked` are unreadable. */
function fakeStat(dirs: string[], files: string[], locked: string[] = []) {
  return (p: string) => {
    if (locked.some((l) => p.startsWith(`${l}/`))) {
      throw new Deno.errors.PermissionDenied(`Permission denied: ${p}`);
    }
    if (dirs.includes(p)) return { isDirectory: true };
    if (files.includes(p)) return { isDirectory: false };
    throw new Deno.errors.NotFound(`No such file: ${p}`);
  };
}

Deno.test("fileVerdict() calls a file gone only when the folder that held it is there", () => {
  const stat = fakeStat(["/w", "/w/a", "/other"], ["/w/a/x.jpg"], ["/w/locked"]);
  assertEquals(fileVerdict("/w/a/x.jpg", "/w", stat), "present");
  assertEquals(fileVerdict("/w/a/gone.jpg", "/w", stat), "gone");
  assertEquals(fileVerdict("/w/deleted/deeper/y.jpg", "/w", stat), "gone", "subfolder deleted");
  assertEquals(fileVerdict("/w/locked/z.jpg", "/w", stat), "unconfirmed");
  assertEquals(fileVerdict("/other/q.jpg", "/w", stat), "gone", "out of tree, folder there");
  assertEquals(fileVerdict("/mnt/usb/q.jpg", "/w", stat), "unconfirmed", "out of tree, no folder");
  // Something that no scan would bring back as this picture: gone, not "back".
  const odd = (p: string) =>
    p === "/w/a/fifo.jpg"
      ? { isDirectory: false, isFile: false }
      : p === "/w/a/dir.jpg"
      ? { isDirectory: true, isFile: false }
      : { isDirectory: false, isFile: true };
  assertEquals(fileVerdict("/w/a/fifo.jpg", "/w", odd), "gone", "a FIFO in its place");
  assertEquals(fileVerdict("/w/a/dir.jpg", "/w", odd), "gone", "a folder in its place");
  assertEquals(fileVerdict("/w/.Trash-1000/files/x.jpg", "/w", odd), "gone", "in the trash");
  assertEquals(fileVerdict("/w/a/x.jpg", "/w", odd), "present");
});

Deno.test("confirmGone() keeps images of offline sources without looking at their files", async () => {
  using db = await Database.open(":memory:");
  const on = addSource(db, "/on").source.id;
  const off = addSource(db, "/off").source.id;
  const ids: number[] = [];
  for (const [src, path] of [[on, "/on/gone.jpg"], [on, "/on/back.jpg"], [off, "/off/a.jpg"]]) {
    ids.push(insertImage(db, {
      path: path as string,
      source_id: src as number,
      size: 1,
      mtime: 1,
      width: 1,
      height: 1,
      format: "jpg",
    }, 1));
  }
  markMissing(db, ids, 2);
  const looked: string[] = [];
  const stat = (p: string) => {
    looked.push(p);
    return fakeStat(["/on"], ["/on/back.jpg"])(p);
  };
  const sourceCheck: SourceCheck = (s) =>
    s.id === off ? { online: false, reason: "unplugged" } : { online: true };
  const r = confirmGone(db, { sourceCheck, stat });
  assertEquals(r.gone, [ids[0]]);
  assertEquals(r.kept, { offline: 1, present: 1, unconfirmed: 0 });
  assertEquals(looked.filter((p) => p.startsWith("/off")), []);
});
