import { assert, assertEquals, assertStringIncludes, assertThrows } from "../_helpers/assert.ts";
import { Database } from "../../src/db/database.ts";
import { addSource, listSources, setSourceEnabled } from "../../src/db/sources.ts";
import { getImageByPath, insertImage } from "../../src/db/images.ts";
import { scanSources } from "../../src/scan/scanner.ts";
import { ProbeError, probeImage } from "../../src/scan/probe.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";
import { runCli, tempHome } from "../_helpers/env.ts";

/** A tree with nested folders, a symlink loop, a duplicate via symlink, non-images and bad files. */
async function makeTree(root: string) {
  const w = `${root}/walls`;
  await writeImage(`${w}/a.png`, { width: 64, height: 40, colors: [COLORS.red] });
  await writeImage(`${w}/nested/deeper/b.jpg`, { width: 30, height: 60, colors: [COLORS.blue] });
  await writeImage(`${w}/nested/c.png`, { width: 16, height: 16, colors: [COLORS.green] });
  await Deno.writeTextFile(`${w}/notes.txt`, "not an image");
  await Deno.writeTextFile(`${w}/logo.xcf`, "gimp xcf v011");
  await Deno.writeFile(`${w}/empty.jpg`, new Uint8Array());
  const jpeg = await Deno.readFile(`${w}/nested/deeper/b.jpg`);
  await Deno.writeFile(`${w}/truncated.jpg`, jpeg.slice(0, 20));
  await Deno.symlink(`${w}/nested`, `${w}/nested/deeper/loop`); // a loop
  await Deno.symlink(`${w}/a.png`, `${w}/a-again.png`); // the same file twice
  return w;
}

Deno.test("scanSources() indexes each image once, skips non-images and reports bad files", async () => {
  await using home = await tempHome();
  const w = await makeTree(home.root);
  using db = await Database.open(home.database);
  addSource(db, w);
  const r = await scanSources(db, listSources(db), { now: 1000 });
  assertEquals([r.added, r.updated, r.unchanged, r.missing], [3, 0, 0, 0]);
  assertEquals(r.skipped, 2); // notes.txt, logo.xcf
  assertEquals(r.skipped_by_extension, { txt: 1, xcf: 1 });
  // Read, but not images to index: left out with the reason, not errors (a scan
  // that exits 1 for as long as a half-downloaded file sits there helps no script).
  assertEquals(r.errors, []);
  const left = (name: string) => r.skipped_files.find((e) => e.path.endsWith(`/${name}`))!.reason;
  assertStringIncludes(left("empty.jpg"), "empty file");
  assertStringIncludes(left("truncated.jpg"), "truncated");
  const b = getImageByPath(db, `${w}/nested/deeper/b.jpg`)!;
  assertEquals([b.width, b.height, b.format], [30, 60, "jpg"]);
  assertEquals((db.raw.prepare("SELECT COUNT(*) AS n FROM images").get() as { n: number }).n, 3);

  // Re-scan: nothing to do.
  const again = await scanSources(db, listSources(db), { now: 2000 });
  assertEquals([again.added, again.updated, again.unchanged, again.missing], [0, 0, 3, 0]);
});

Deno.test("scanSources() notices changed, deleted and restored files", async () => {
  await using home = await tempHome();
  const w = await makeTree(home.root);
  using db = await Database.open(home.database);
  addSource(db, w);
  await scanSources(db, listSources(db), { now: 1000 });

  // Change one image's size, delete another, add a new one.
  await writeImage(`${w}/a.png`, { width: 80, height: 50, colors: [COLORS.orange] });
  const c = await Deno.readFile(`${w}/nested/c.png`);
  await Deno.remove(`${w}/nested/c.png`);
  await writeImage(`${w}/new.png`, { width: 10, height: 20, colors: [COLORS.teal] });
  const r = await scanSources(db, listSources(db), { now: 2000 });
  assertEquals([r.added, r.updated, r.unchanged, r.missing, r.restored], [1, 1, 1, 1, 0]);
  assertEquals(getImageByPath(db, `${w}/a.png`)!.width, 80);
  assertEquals(getImageByPath(db, `${w}/nested/c.png`)!.missing_since, 2000);

  // A second scan does not move the missing date.
  await scanSources(db, listSources(db), { now: 3000 });
  assertEquals(getImageByPath(db, `${w}/nested/c.png`)!.missing_since, 2000);

  // Restore the file with its old mtime: it comes back unchanged.
  await Deno.writeFile(`${w}/nested/c.png`, c);
  const row = getImageByPath(db, `${w}/nested/c.png`)!;
  await Deno.utime(`${w}/nested/c.png`, new Date(row.mtime), new Date(row.mtime));
  const back = await scanSources(db, listSources(db), { now: 4000 });
  assertEquals(back.restored, 1);
  assertEquals(getImageByPath(db, `${w}/nested/c.png`)!.missing_since, null);
});

Deno.test("scanSources() keeps the images of a folder that vanished and reports it", async () => {
  await using home = await tempHome();
  const w = await makeTree(home.root);
  using db = await Database.open(home.database);
  addSource(db, w);
  await scanSources(db, listSources(db), { now: 1000 });
  await Deno.rename(w, `${w}-unmounted`);
  const r = await scanSources(db, listSources(db), { now: 2000 });
  assertEquals(r.missing, 0);
  assertEquals([r.errors.length, r.offline.length], [0, 1]);
  assertStringIncludes(r.offline[0].reason, "folder not found");
  assertEquals(getImageByPath(db, `${w}/a.png`)!.missing_since, null);
});

Deno.test("scanSources() gives a file in nested sources to the innermost one", async () => {
  await using home = await tempHome();
  const w = await makeTree(home.root);
  using db = await Database.open(home.database);
  const outer = addSource(db, w).source;
  const inner = addSource(db, `${w}/nested`).source;
  const r = await scanSources(db, listSources(db), { now: 1 });
  assertEquals(r.added, 3);
  assertEquals(getImageByPath(db, `${w}/nested/c.png`)!.source_id, inner.id);
  assertEquals(getImageByPath(db, `${w}/a.png`)!.source_id, outer.id);
});

Deno.test("scanSources() says each left-out file of nested sources once", async () => {
  await using home = await tempHome();
  const w = await makeTree(home.root);
  await Deno.symlink(`${w}/gone.png`, `${w}/nested/broken.png`);
  using db = await Database.open(home.database);
  addSource(db, w);
  addSource(db, `${w}/nested`);
  const r = await scanSources(db, listSources(db), { now: 1 });
  const paths = r.skipped_files.map((k) => k.path);
  assertEquals(paths.length, new Set(paths).size, paths.join("\n"));
  assert(paths.includes(`${w}/nested/broken.png`));
  assert(paths.some((p) => p.endsWith("/loop")), paths.join("\n"));
});

Deno.test("scanSources() gives a file reached through another folder's symlink to the folder it is in", async () => {
  await using home = await tempHome();
  const a = `${home.root}/a`, b = `${home.root}/b`;
  await writeImage(`${a}/own.png`, { width: 8, height: 8, colors: [COLORS.red] });
  await writeImage(`${b}/x.png`, { width: 8, height: 8, colors: [COLORS.blue] });
  await writeImage(`${b}/sub/y.png`, { width: 8, height: 8, colors: [COLORS.green] });
  using db = await Database.open(home.database);
  const sa = addSource(db, a).source;
  const sb = addSource(db, b).source;
  await scanSources(db, listSources(db), { now: 1 });
  // a/link leads into b: walked first or last, b's files stay b's.
  await Deno.symlink("../b", `${a}/link`);
  for (const order of [listSources(db), listSources(db).reverse()]) {
    const r = await scanSources(db, order, { now: 2 });
    assertEquals([r.added, r.updated], [0, 0]);
    assertEquals(getImageByPath(db, `${b}/x.png`)!.source_id, sb.id);
    assertEquals(getImageByPath(db, `${b}/sub/y.png`)!.source_id, sb.id);
    assertEquals(getImageByPath(db, `${a}/own.png`)!.source_id, sa.id);
  }
  // b disabled: its files stay its own (so they stay out of draws), though a's link reaches them.
  db.raw.prepare("UPDATE sources SET enabled = 0 WHERE id = ?").run(sb.id);
  const off = await scanSources(db, listSources(db), { now: 3 });
  assertEquals([off.updated, off.missing], [0, 0]);
  assertEquals(getImageByPath(db, `${b}/x.png`)!.source_id, sb.id);
  // b removed: a, whose link reaches them, holds them.
  db.raw.prepare("DELETE FROM sources WHERE id = ?").run(sb.id);
  const gone = await scanSources(db, listSources(db), { now: 4 });
  assertEquals(gone.added, 2);
  assertEquals(getImageByPath(db, `${b}/x.png`)!.source_id, sa.id);
});

Deno.test("probeImage() throws ProbeError for files that stop mid-header", async () => {
  await using home = await tempHome();
  const p = await writeImage(`${home.root}/x.png`, { width: 8, height: 8, colors: [0] });
  const bytes = await Deno.readFile(p);
  await Deno.writeFile(p, bytes.slice(0, 12));
  try {
    probeImage(p, 12);
    assert(false, "should throw");
  } catch (e) {
    assert(e instanceof ProbeError, String(e));
  }
});

Deno.test("probeImage() leaves out what it read and fails only on what it could not read", async () => {
  await using home = await tempHome();
  const empty = `${home.root}/empty.png`;
  await Deno.writeFile(empty, new Uint8Array());
  const notImage = `${home.root}/text.png`;
  await Deno.writeTextFile(notImage, "just some text, no image header here at all");
  for (const [p, reason] of [[empty, "empty file"], [notImage, "not a recognised image"]]) {
    const e = assertThrows(() => probeImage(p, Deno.statSync(p).size), ProbeError);
    assertEquals(e.skipped, true, p);
    assertStringIncludes(e.message, reason);
  }
  // Opened, but reading fails (here: it is a folder): an error, not a stop of the whole scan.
  const e = assertThrows(() => probeImage(home.root, 4096), ProbeError);
  assertEquals(e.skipped, false);
  assertStringIncludes(e.message, "cannot read: ");
});

Deno.test("varietal sources add/list/disable/remove and scan --json", async () => {
  await using home = await tempHome();
  const w = await makeTree(home.root);
  const add = await runCli(home, ["sources", "add", w]);
  assertEquals(add.code, 0, add.stderr);
  const scan = await runCli(home, ["scan", "--json"]);
  assertEquals(scan.code, 0, scan.stderr); // two broken files are left out, not failures
  const report = scan.json<{
    added: number;
    errors: { path: string; reason: string }[];
    skipped_files: { path: string; reason: string }[];
  }>();
  assertEquals(report.added, 3);
  assertEquals(report.errors, []);
  assertEquals(
    report.skipped_files.map((f) => f.path.slice(w.length + 1)).filter((p) => p.endsWith(".jpg"))
      .sort(),
    ["empty.jpg", "truncated.jpg"],
  );
  // Again, as text: still exit 0, and the files are named with the reason.
  const text = await runCli(home, ["scan"]);
  assertEquals(text.code, 0, text.stderr);
  assertStringIncludes(text.stdout, "left out");
  assertStringIncludes(text.stdout, `left out ${w}/truncated.jpg: truncated or corrupt header`);
  const list = (await runCli(home, ["sources", "list", "--json"])).json<
    { path: string; images: number; enabled: boolean }[]
  >();
  assertEquals(list, [{ ...list[0], path: w, images: 3, enabled: true }]);
  assertEquals((await runCli(home, ["sources", "disable", w])).code, 0);
  const disabled = (await runCli(home, ["sources", "list", "--json"])).json<
    { enabled: boolean }[]
  >();
  assertEquals(disabled[0].enabled, false);
  const rm = await runCli(home, ["sources", "remove", w, "--json"]);
  assertEquals(rm.json(), [{ path: w, action: "remove", images: 3, kept_by: {} }]);
  const missing = await runCli(home, ["sources", "add", `${home.root}/nope`]);
  assertEquals(missing.code, 1);
  assertStringIncludes(missing.stderr, "nope: folder not found");
  // The root or a system folder would have a scan walk files that never end.
  for (const [dir, why] of [["/", "the whole file system"], ["/proc/self", "a system folder"]]) {
    const r = await runCli(home, ["sources", "add", dir]);
    assertEquals(r.code, 1, dir);
    assertStringIncludes(r.stderr, `${dir}: ${why}`);
  }
});

Deno.test("scanSources() reports a folder it cannot list and keeps the images under it", async () => {
  await using home = await tempHome();
  const w = await makeTree(home.root);
  using db = await Database.open(home.database);
  addSource(db, w);
  await scanSources(db, listSources(db), { now: 1000 });
  // The failure chmod 000 causes for an ordinary user (root is not stopped by it).
  const readDir = (path: string) => {
    if (path === `${w}/nested`) {
      throw new Deno.errors.PermissionDenied(`Permission denied (os error 13): readdir '${path}'`);
    }
    return Deno.readDir(path);
  };
  const r = await scanSources(db, listSources(db), { now: 2000, readDir });
  assertEquals(r.missing, 0);
  const folder = r.errors;
  assertEquals(folder.map((e) => e.path), [`${w}/nested`]);
  assertStringIncludes(folder[0].reason, "permission denied");
  for (const p of [`${w}/nested/c.png`, `${w}/nested/deeper/b.jpg`]) {
    assertEquals(getImageByPath(db, p)!.missing_since, null, p);
  }
  // Readable again: everything is unchanged, nothing new.
  const back = await scanSources(db, listSources(db), { now: 3000 });
  assertEquals([back.added, back.missing, back.restored, back.unchanged], [0, 0, 0, 3]);
});

Deno.test("scanSources() marks a deleted subfolder's images missing (its parent was listed)", async () => {
  await using home = await tempHome();
  const w = await makeTree(home.root);
  using db = await Database.open(home.database);
  addSource(db, w);
  await scanSources(db, listSources(db), { now: 1000 });
  await Deno.remove(`${w}/nested`, { recursive: true });
  const r = await scanSources(db, listSources(db), { now: 2000 });
  assertEquals(r.missing, 2);
  assertEquals(getImageByPath(db, `${w}/nested/deeper/b.jpg`)!.missing_since, 2000);
});

Deno.test("scanSources() skips broken symlinks and symlink loops with the reason", async () => {
  await using home = await tempHome();
  const w = await makeTree(home.root);
  await Deno.symlink(`${home.root}/nowhere.jpg`, `${w}/broken.jpg`);
  await Deno.symlink(`${w}/loop-b`, `${w}/loop-a`);
  await Deno.symlink(`${w}/loop-a`, `${w}/loop-b`);
  using db = await Database.open(home.database);
  addSource(db, w);
  const r = await scanSources(db, listSources(db), { now: 1000 });
  const reasons = Object.fromEntries(
    r.skipped_files.map((f) => [f.path.slice(w.length + 1), f.reason]),
  );
  assertStringIncludes(reasons["broken.jpg"], "broken symlink");
  assertStringIncludes(reasons["broken.jpg"], "nowhere.jpg");
  assertStringIncludes(reasons["loop-a"], "symlink loop");
  assertStringIncludes(reasons["loop-b"], "symlink loop");
  assertStringIncludes(reasons["nested/deeper/loop"], `symlink loop: leads back to ${w}/nested`);
  assertEquals(r.added, 3);
  assertEquals(r.errors, [], "skipped links and bad image files are not errors");
});

Deno.test("scanSources() lists a FIFO or a device link named like an image as left out, unopened", async () => {
  await using home = await tempHome();
  const w = await makeTree(home.root);
  const mk = await new Deno.Command("mkfifo", { args: [`${w}/pipe.jpg`] }).output();
  assert(mk.success, "mkfifo");
  await Deno.symlink("/dev/zero", `${w}/zero.png`);
  await Deno.symlink("/dev/shm", `${w}/shm`); // Deno reads it only with --allow-all
  await Deno.symlink("/proc/self", `${w}/proc`);
  using db = await Database.open(home.database);
  addSource(db, w);
  const r = await scanSources(db, listSources(db), { now: 1000 });
  const reasons = Object.fromEntries(
    r.skipped_files.map((f) => [f.path.slice(w.length + 1), f.reason]),
  );
  assertStringIncludes(reasons["pipe.jpg"], "not a regular file");
  assertStringIncludes(reasons["zero.png"], "symlink into a system folder (→ /dev/zero)");
  assertStringIncludes(reasons["shm"], "symlink into a system folder (→ /dev/shm)");
  assertStringIncludes(reasons["proc"], "symlink into a system folder (→ /proc/");
  assertEquals(r.added, 3);
  assertEquals(r.errors, []);
});

Deno.test("scanSources() leaves out trash and thumbnail folders, and takes one added as a source itself", async () => {
  await using home = await tempHome();
  const w = `${home.root}/drive`;
  const png = (path: string) =>
    writeImage(path, { width: 64, height: 40, colors: [COLORS.red, COLORS.blue] });
  await png(`${w}/keep.png`);
  await png(`${w}/.Trash-1000/files/thrown-away.png`);
  await png(`${w}/album/@eaDir/keep.png/SYNOFILE_THUMB_XL.png`);
  await png(`${w}/#recycle/old.png`);
  await png(`${w}/.thumbnails/large/t.png`);
  using db = await Database.open(home.database);
  addSource(db, w);
  const r = await scanSources(db, listSources(db), { now: 1000 });
  assertEquals(r.added, 1);
  const left = r.skipped_files.map((f) => f.path.slice(w.length + 1)).sort();
  assertEquals(left, [".Trash-1000", ".thumbnails", "#recycle", "album/@eaDir"].sort());
  assertStringIncludes(r.skipped_files[0].reason, "a trash or thumbnail folder");
  addSource(db, `${w}/#recycle`);
  const own = await scanSources(db, listSources(db), { now: 2000 });
  assertEquals(own.added, 1, "a source of its own is walked");
  // … and no longer said to be left out (with advice to add it as a source).
  assertEquals(own.skipped_files.some((f) => f.path === `${w}/#recycle`), false);
});

Deno.test("scanSources() leaves out files and folders whose names are not UTF-8, saying how to rename them", async () => {
  await using home = await tempHome();
  const w = await makeTree(home.root);
  // Deno cannot name such a file: a shell makes a Latin-1 "café.jpg" and "dossié/x.jpg".
  const jpeg = `${w}/nested/deeper/b.jpg`;
  const sh = await new Deno.Command("sh", {
    args: [
      "-c",
      'e=$(printf "\\351"); cp "$2" "$1/caf$e.jpg" && mkdir "$1/dossi$e" && cp "$2" "$1/dossi$e/x.jpg"',
      "sh",
      w,
      jpeg,
    ],
  }).output();
  assert(sh.success, new TextDecoder().decode(sh.stderr));
  // A name that really holds U+FFFD is an ordinary name.
  await Deno.copyFile(jpeg, `${w}/odd\uFFFD.jpg`);
  using db = await Database.open(home.database);
  addSource(db, w);
  const r = await scanSources(db, listSources(db), { now: 1000 });
  assertEquals(r.errors, []); // every later scan would exit 1
  assertEquals(r.added, 4);
  const reasons = Object.fromEntries(
    r.skipped_files.map((f) => [f.path.slice(w.length + 1), f.reason]),
  );
  assertStringIncludes(reasons["caf\uFFFD.jpg"], "not in UTF-8");
  assertStringIncludes(reasons["caf\uFFFD.jpg"], "convmv");
  assertStringIncludes(reasons["dossi\uFFFD"], "not in UTF-8");
  assert(getImageByPath(db, `${w}/odd\uFFFD.jpg`));
});
Deno.test("scanSources() keeps images reached through a symlink whose target is gone", async () => {
  await using home = await tempHome();
  const w = await makeTree(home.root);
  const usb = `${home.root}/usb/walls`;
  await writeImage(`${usb}/far.png`, { width: 8, height: 8, colors: [COLORS.pink] });
  await Deno.symlink(usb, `${w}/usb`);
  using db = await Database.open(home.database);
  addSource(db, w);
  assertEquals((await scanSources(db, listSources(db), { now: 1000 })).added, 4);
  await Deno.rename(`${home.root}/usb`, `${home.root}/usb-unplugged`);
  const r = await scanSources(db, listSources(db), { now: 2000 });
  assertEquals(r.missing, 0);
  assertEquals(getImageByPath(db, `${usb}/far.png`)!.missing_since, null);
  assertStringIncludes(r.skipped_files.find((f) => f.path === `${w}/usb`)!.reason, "broken");
  // The link itself removed: the image is no longer part of the source.
  await Deno.remove(`${w}/usb`);
  assertEquals((await scanSources(db, listSources(db), { now: 3000 })).missing, 1);
});

Deno.test("scanSources() treats an emptied root (a mount point without its drive) as offline", async () => {
  await using home = await tempHome();
  const w = await makeTree(home.root);
  using db = await Database.open(home.database);
  addSource(db, w);
  await scanSources(db, listSources(db), { now: 1000 });
  const src = listSources(db)[0];
  assertEquals(src.root_dev, Deno.statSync(w).dev);
  assert(src.markers.length > 0, "first-level entries recorded");
  await Deno.rename(w, `${w}-drive`);
  await Deno.mkdir(w); // the bare mount point
  const r = await scanSources(db, listSources(db), { now: 2000 });
  assertEquals(r.missing, 0);
  assertEquals(r.errors, [], "offline is not an error");
  assertEquals(r.offline.map((e) => e.path), [w]);
  assertStringIncludes(r.offline[0].reason, "offline");
  assertEquals(getImageByPath(db, `${w}/a.png`)!.missing_since, null);
});

Deno.test("scanSources() skips KDE wallpaper package previews with the reason", async () => {
  await using home = await tempHome();
  const w = `${home.root}/wallpapers`;
  const pkg = `${w}/Altai`;
  await Deno.mkdir(`${pkg}/contents/images`, { recursive: true });
  await Deno.writeTextFile(`${pkg}/metadata.json`, "{}");
  await writeImage(`${pkg}/contents/images/1920x1080.png`, {
    width: 32,
    height: 18,
    colors: [COLORS.teal],
  });
  await writeImage(`${pkg}/contents/screenshot.png`, { width: 8, height: 6, colors: [0] });
  // Not a package (no metadata): an ordinary image that happens to have that name.
  await writeImage(`${w}/mine/contents/screenshot.png`, { width: 8, height: 6, colors: [0] });
  using db = await Database.open(home.database);
  addSource(db, w);
  const r = await scanSources(db, listSources(db), { now: 1000 });
  assertEquals(r.added, 2);
  assertEquals(r.skipped_files.map((f) => f.path), [`${pkg}/contents/screenshot.png`]);
  assertStringIncludes(r.skipped_files[0].reason, "KDE");
  assertEquals(getImageByPath(db, `${pkg}/contents/screenshot.png`), undefined);
});

/**
 * A KDE package: three sizes (and a fourth linked to the largest) and a picture
 * named otherwise, two dark sizes, a preview.
 */
async function makePackage(pkg: string, metadata = "metadata.json"): Promise<void> {
  await Deno.mkdir(`${pkg}/contents/images_dark`, { recursive: true });
  await Deno.writeTextFile(`${pkg}/${metadata}`, "{}");
  for (
    const [name, width, height] of [["1280x800.png", 32, 20], ["5120x2880.png", 64, 36], [
      "1080x1920.png",
      18,
      32,
    ]] as const
  ) {
    await writeImage(`${pkg}/contents/images/${name}`, { width, height, colors: [COLORS.teal] });
  }
  await writeImage(`${pkg}/contents/images/extra.png`, {
    width: 40,
    height: 30,
    colors: [COLORS.red],
  });
  for (const name of ["720x1440.png", "3840x2160.png"]) {
    await writeImage(`${pkg}/contents/images_dark/${name}`, {
      width: 32,
      height: 18,
      colors: [COLORS.blue],
    });
  }
  await writeImage(`${pkg}/contents/screenshot.png`, { width: 8, height: 6, colors: [0] });
  // As Debian ships them: a size that is a link to the largest, which is then found once.
  await Deno.symlink("5120x2880.png", `${pkg}/contents/images/1920x1080.png`);
}

Deno.test("scanSources() indexes one size of each KDE package picture and says why it left the others out", async () => {
  await using home = await tempHome();
  const w = `${home.root}/wallpapers`;
  await makePackage(`${w}/Flow`);
  await makePackage(`${w}/Old`, "metadata.desktop");
  // The same layout without metadata is an ordinary folder: everything indexed.
  await makePackage(`${w}/mine`, "notes.txt");
  using db = await Database.open(home.database);
  addSource(db, w);
  const r = await scanSources(db, listSources(db), { now: 1000 });
  const paths =
    (db.raw.prepare("SELECT path FROM images ORDER BY path").all() as { path: string }[])
      .map((x) => x.path.slice(w.length + 1));
  const pkgImages = (p: string) => [
    `${p}/contents/images/5120x2880.png`,
    `${p}/contents/images/extra.png`,
    `${p}/contents/images_dark/3840x2160.png`,
  ];
  const mine = ["1080x1920", "1280x800", "5120x2880", "extra"].map((n) =>
    `mine/contents/images/${n}.png`
  )
    .concat([
      "mine/contents/images_dark/3840x2160.png",
      "mine/contents/images_dark/720x1440.png",
      "mine/contents/screenshot.png",
    ]);
  assertEquals(paths, [...pkgImages("Flow"), ...mine, ...pkgImages("Old")].sort());
  assertEquals(r.added, paths.length);
  assertEquals(r.removed, 0);
  const sizes = r.skipped_files.filter((f) => f.reason.startsWith("another size"));
  assertEquals(sizes.map((f) => f.path.slice(w.length + 1)).sort(), [
    "Flow/contents/images/1080x1920.png",
    "Flow/contents/images/1280x800.png",
    "Flow/contents/images_dark/720x1440.png",
    "Old/contents/images/1080x1920.png",
    "Old/contents/images/1280x800.png",
    "Old/contents/images_dark/720x1440.png",
  ]);
  const reason = (p: string) => sizes.find((f) => f.path === `${w}/${p}`)!.reason;
  assertEquals(
    reason("Flow/contents/images/1280x800.png"),
    "another size of the picture of a KDE wallpaper package: 5120x2880.png is indexed",
  );
  assertStringIncludes(
    reason("Flow/contents/images_dark/720x1440.png"),
    "3840x2160.png is indexed",
  );
  // A re-scan changes nothing.
  const again = await scanSources(db, listSources(db), { now: 2000 });
  assertEquals([again.added, again.unchanged, again.missing, again.removed], [
    0,
    paths.length,
    0,
    0,
  ]);
});

Deno.test("scanSources() keeps the size of a KDE package that fits [palette] max_megapixels", async () => {
  await using home = await tempHome();
  const w = `${home.root}/wallpapers`;
  await makePackage(`${w}/Flow`);
  using db = await Database.open(home.database);
  addSource(db, w);
  // 5120x2880.png is over 2 megapixels by its name (the names are what a package promises).
  const r = await scanSources(db, listSources(db), { now: 1000, maxPixels: 2_000_000 });
  assert(getImageByPath(db, `${w}/Flow/contents/images/1280x800.png`));
  assertEquals(getImageByPath(db, `${w}/Flow/contents/images/5120x2880.png`), undefined);
  assertStringIncludes(
    r.skipped_files.find((f) => f.path.endsWith("images/5120x2880.png"))!.reason,
    "1280x800.png is indexed",
  );
});

Deno.test("scanSources() keeps a KDE package's largest size that is a file, not a broken link", async () => {
  await using home = await tempHome();
  const w = `${home.root}/wallpapers`;
  await makePackage(`${w}/Flow`);
  // The largest size points nowhere (a half-removed package, a link to another disk).
  const big = `${w}/Flow/contents/images/5120x2880.png`;
  await Deno.remove(big);
  await Deno.symlink(`${home.root}/gone.png`, big);
  await Deno.symlink(`${home.root}/gone.png`, `${w}/Flow/contents/images/7680x4320.png`);
  using db = await Database.open(home.database);
  addSource(db, w);
  const r = await scanSources(db, listSources(db), { now: 1000 });
  assert(getImageByPath(db, `${w}/Flow/contents/images/1280x800.png`), "the picture stays");
  assertStringIncludes(r.skipped_files.find((f) => f.path === big)!.reason, "broken symlink");
  assertStringIncludes(
    r.skipped_files.find((f) => f.path.endsWith("images/1080x1920.png"))!.reason,
    "1280x800.png is indexed",
  );
});

Deno.test("scanSources() takes the sizes an older scan indexed out, but keeps those the user has shown, favourited or banned", async () => {
  await using home = await tempHome();
  const w = `${home.root}/wallpapers`;
  const pkg = `${w}/Flow`;
  await makePackage(pkg);
  using db = await Database.open(home.database);
  addSource(db, w);
  // What an older varietal indexed: every size.
  const sourceId = listSources(db)[0].id;
  const ids = new Map<string, number>();
  for (
    const name of [
      "images/1280x800.png",
      "images/1080x1920.png",
      "images_dark/720x1440.png",
      "images/5120x2880.png",
    ]
  ) {
    const path = `${pkg}/contents/${name}`;
    const st = Deno.statSync(path);
    ids.set(
      name,
      insertImage(db, {
        path,
        source_id: sourceId,
        size: st.size,
        mtime: st.mtime!.getTime(),
        width: 1,
        height: 1,
        format: "png",
      }, 500),
    );
  }
  db.raw.prepare("UPDATE images SET times_shown = 1, last_shown_at = 600 WHERE id = ?").run(
    ids.get("images/1280x800.png")!,
  );
  db.raw.prepare("UPDATE images SET banned = 1 WHERE id = ?").run(
    ids.get("images_dark/720x1440.png")!,
  );
  const r = await scanSources(db, listSources(db), { now: 1000 });
  assertEquals(r.removed, 1, "1080x1920.png, never shown");
  assertEquals(getImageByPath(db, `${pkg}/contents/images/1080x1920.png`), undefined);
  for (const kept of ["images/1280x800.png", "images_dark/720x1440.png", "images/5120x2880.png"]) {
    const row = getImageByPath(db, `${pkg}/contents/${kept}`);
    assertEquals(row?.id, ids.get(kept), kept);
    assertEquals(row?.missing_since, null, kept);
  }
  assertEquals(getImageByPath(db, `${pkg}/contents/images/1280x800.png`)!.times_shown, 1);
  // What stays is not said to be left out; the one removed is.
  const left = r.skipped_files.map((f) => f.path);
  assert(!left.includes(`${pkg}/contents/images/1280x800.png`));
  assert(!left.includes(`${pkg}/contents/images_dark/720x1440.png`));
  assert(left.includes(`${pkg}/contents/images/1080x1920.png`));
  assertEquals(r.missing, 0);
  const again = await scanSources(db, listSources(db), { now: 2000 });
  assertEquals([again.added, again.removed, again.missing], [0, 0, 0]);
});

Deno.test("varietal scan says how many package sizes left the collection", async () => {
  await using home = await tempHome();
  const w = `${home.root}/wallpapers`;
  await makePackage(`${w}/Flow`);
  {
    using db = await Database.open(home.database);
    addSource(db, w);
    const path = `${w}/Flow/contents/images/1280x800.png`;
    const st = Deno.statSync(path);
    insertImage(db, {
      path,
      source_id: listSources(db)[0].id,
      size: st.size,
      mtime: st.mtime!.getTime(),
      width: 1,
      height: 1,
      format: "png",
    }, 500);
  }
  const text = await runCli(home, ["scan"]);
  assertEquals(text.code, 0, text.stderr);
  assertStringIncludes(text.stdout, "1 removed");
  assertStringIncludes(text.stdout, "3 another size of the picture of a KDE wallpaper package");
  const json = await runCli(home, ["scan", "--json"]);
  assertEquals(JSON.parse(json.stdout).removed, 0);
  // Among many sizes, only the files worth a look are listed; the sizes are counted.
  for (let i = 1; i <= 12; i++) {
    await writeImage(`${w}/Flow/contents/images/${100 + i}x${100 + i}.png`, {
      width: 4,
      height: 4,
      colors: [COLORS.red],
    });
  }
  await Deno.writeFile(`${w}/cut.png`, new Uint8Array([0x89, 0x50, 0x4e]));
  const many = await runCli(home, ["scan"]);
  const lines = many.stdout.split("\n").filter((l) => l.includes("left out /"));
  assertEquals(lines.length, 1, many.stdout);
  assertStringIncludes(lines[0], `${w}/cut.png`);
  assertStringIncludes(many.stdout, "15 another size of the picture of a KDE wallpaper package");
  assert(!many.stdout.includes("more (see 'scan --json')"), many.stdout);
  // Past ten files worth a look, the rest are counted.
  for (let i = 0; i < 11; i++) await Deno.writeFile(`${w}/cut${i}.png`, new Uint8Array([0x89]));
  const cut = await runCli(home, ["scan"]);
  const cutLines = cut.stdout.split("\n").filter((l) => l.includes("left out /"));
  assertEquals(cutLines.length, 10, cut.stdout);
  assert(cutLines.every((l) => !l.includes("/Flow/")), cut.stdout);
  assertStringIncludes(cut.stdout, "… and 2 more (see 'scan --json')");
});

Deno.test("scanSources() names why a source's root cannot be listed, and keeps its images", async () => {
  await using home = await tempHome();
  const w = `${home.root}/walls`;
  await writeImage(`${w}/a.png`, { width: 64, height: 40, colors: [COLORS.red] });
  using db = await Database.open(home.database);
  addSource(db, w);
  await scanSources(db, listSources(db), { now: 1000 });
  const reasons: string[] = [];
  for (
    const e of [
      new Deno.errors.NotFound("gone"),
      new Deno.errors.PermissionDenied("denied"),
      new Deno.errors.NotADirectory("not a dir"),
      new Error("Input/output error"),
    ]
  ) {
    const r = await scanSources(db, listSources(db), {
      now: 2000,
      sourceCheck: () => ({ online: true }), // the root looked fine a moment before
      readDir: () => {
        throw e;
      },
    });
    assertEquals([r.missing, r.errors.length], [0, 1]);
    assertEquals(r.errors[0].path, w);
    reasons.push(r.errors[0].reason);
  }
  assertStringIncludes(
    reasons[0],
    "folder not found (moved, deleted or not mounted); its images are kept",
  );
  assertStringIncludes(reasons[1], "permission denied reading the folder; check its permissions");
  assertEquals(reasons.slice(2), ["not a folder", "cannot read the folder: Input/output error"]);
  assertEquals(getImageByPath(db, `${w}/a.png`)!.missing_since, null);
});

Deno.test("scanSources() passes over a file or folder that vanishes after the listing (no error), and saves in batches", async () => {
  await using home = await tempHome();
  const w = `${home.root}/walls`;
  for (const n of ["a", "b", "c"]) {
    await writeImage(`${w}/${n}.png`, { width: 64, height: 40, colors: [COLORS.red] });
  }
  using db = await Database.open(home.database);
  addSource(db, w);
  // The listing names a file and a folder that are gone when they are looked at (a sync
  // or sorting tool at work): a scan run by a timer must not fail for that.
  const readDir = async function* (path: string): AsyncIterable<Deno.DirEntry> {
    yield* Deno.readDir(path);
    if (path === w) {
      yield { name: "ghost.png", isFile: true, isDirectory: false, isSymlink: false };
      yield { name: "gone", isFile: false, isDirectory: true, isSymlink: false };
    }
  };
  const r = await scanSources(db, listSources(db), { now: 1000, readDir, batchSize: 1 });
  assertEquals(r.added, 3);
  assertEquals(r.errors, []);
  assertEquals(getImageByPath(db, `${w}/ghost.png`), undefined);
});

Deno.test("a known image whose file grew past the pixel limit or was cut off is kept out of draws until it changes", async () => {
  await using home = await tempHome();
  const w = `${home.root}/walls`;
  await writeImage(`${w}/big.png`, { width: 64, height: 40, colors: [COLORS.red] });
  await writeImage(`${w}/cut.jpg`, { width: 30, height: 60, colors: [COLORS.blue] });
  using db = await Database.open(home.database);
  addSource(db, w);
  const limit = { maxPixels: 5000 };
  await scanSources(db, listSources(db), { now: 1000, ...limit });
  const marked = () =>
    db.prepare(
      "SELECT path, decode_failed_pixels AS pixels, decode_error AS reason FROM images " +
        "WHERE decode_failed_at IS NOT NULL ORDER BY path",
    ).all().map((r) => ({ ...r }));
  assertEquals(marked(), []);
  // Overwritten in place: a larger picture, and a cut-off download.
  await writeImage(`${w}/big.png`, { width: 100, height: 80, colors: [COLORS.red] });
  const jpeg = await Deno.readFile(`${w}/cut.jpg`);
  await Deno.writeFile(`${w}/cut.jpg`, jpeg.slice(0, 20));
  const r = await scanSources(db, listSources(db), { now: 2000, ...limit });
  assertEquals(r.skipped_files.map((s) => s.path).sort(), [`${w}/big.png`, `${w}/cut.jpg`]);
  assertEquals(marked(), [
    { path: `${w}/big.png`, pixels: 8000, reason: "too large: 100×80 exceeds 0.01 megapixels" },
    {
      path: `${w}/cut.jpg`,
      pixels: null,
      reason: r.skipped_files.find((s) => s.path.endsWith("cut.jpg"))!.reason,
    },
  ]);
  // Their rows (and so their history) stay.
  assertEquals(db.prepare("SELECT count(*) AS n FROM images").get()?.n, 2);
  // A raised limit frees the large one; the cut-off file, once whole again, is back too.
  await Deno.writeFile(`${w}/cut.jpg`, jpeg);
  await scanSources(db, listSources(db), { now: 3000, maxPixels: 10_000 });
  assertEquals(marked(), []);
});

Deno.test("an image moved or renamed with its folder keeps its favourite, ban and history", async () => {
  await using home = await tempHome();
  const w = `${home.root}/walls`;
  for (const n of ["x1", "x2", "x3"]) {
    await writeImage(`${w}/a/sub/${n}.png`, { width: 16, height: 9, colors: [COLORS.red] });
  }
  // Same bytes as x1, elsewhere: a copy with its own history, which must stay apart.
  const { recordShows } = await import("../../src/db/history.ts");
  const { setImageFlag } = await import("../../src/db/images.ts");
  using db = await Database.open(home.database);
  addSource(db, w);
  await scanSources(db, listSources(db), { now: 1000 });
  const id = (p: string) => getImageByPath(db, p)!.id;
  const x1 = id(`${w}/a/sub/x1.png`), x2 = id(`${w}/a/sub/x2.png`);
  setImageFlag(db, x1, "favorite", true);
  setImageFlag(db, x2, "banned", true);
  recordShows(db, [{ imageId: x1, shownAt: 2000 }]);
  // The folder is renamed, and x2 then moved into a folder of its own.
  await Deno.rename(`${w}/a/sub`, `${w}/a/renamed`);
  await Deno.mkdir(`${w}/b`);
  await Deno.rename(`${w}/a/renamed/x2.png`, `${w}/b/x2.png`);
  const r = await scanSources(db, listSources(db), { now: 3000 });
  assertEquals([r.added, r.moved, r.missing], [0, 3, 0]);
  const one = getImageByPath(db, `${w}/a/renamed/x1.png`)!;
  assertEquals([one.id, one.favorite], [x1, true]);
  const two = getImageByPath(db, `${w}/b/x2.png`)!;
  assertEquals([two.id, two.banned], [x2, true]);
  assertEquals(getImageByPath(db, `${w}/a/sub/x1.png`), undefined);
  // Its place in an ordered folder follows the new name.
  assertEquals(db.prepare("SELECT play_key FROM images WHERE id = ?").get(x1)?.play_key, null);
  const shows = db.prepare("SELECT image_id FROM history").all() as { image_id: number }[];
  assertEquals(shows.map((s) => s.image_id), [x1]);
  // A new file that only looks like a gone one in name (other bytes, other time) is new.
  await Deno.remove(`${w}/b/x2.png`);
  await scanSources(db, listSources(db), { now: 4000 });
  await writeImage(`${w}/c/x2.png`, { width: 20, height: 9, colors: [COLORS.blue] });
  const again = await scanSources(db, listSources(db), { now: 5000 });
  assertEquals([again.added, again.moved], [1, 0]);
  assertEquals(getImageByPath(db, `${w}/c/x2.png`)!.banned, false);
});

Deno.test("an image moved out of a disabled folder keeps its ban and favourite; one still there does not move", async () => {
  await using home = await tempHome();
  const old = `${home.root}/old`, keep = `${home.root}/keep`;
  for (const n of ["banned", "loved", "copy"]) {
    await writeImage(`${old}/${n}.png`, { width: 16, height: 9, colors: [COLORS.red] });
  }
  await Deno.mkdir(keep);
  const { setImageFlag } = await import("../../src/db/images.ts");
  using db = await Database.open(home.database);
  addSource(db, old);
  addSource(db, keep);
  await scanSources(db, listSources(db), { now: 1000 });
  const id = (p: string) => getImageByPath(db, p)!.id;
  const banned = id(`${old}/banned.png`), loved = id(`${old}/loved.png`);
  setImageFlag(db, banned, "banned", true);
  setImageFlag(db, loved, "favorite", true);
  // "keep, but stop using" the old folder, then sort its pictures into another one.
  setSourceEnabled(db, listSources(db).find((s) => s.path === old)!.id, false);
  await Deno.rename(`${old}/banned.png`, `${keep}/banned.png`);
  await Deno.rename(`${old}/loved.png`, `${keep}/loved.png`);
  // A copy (as `cp -p` makes: same name, size and time) whose original stays is another image.
  const copyP = async (from: string, to: string) => {
    await Deno.copyFile(from, to);
    const { mtime } = await Deno.stat(from);
    await Deno.utime(to, mtime!, mtime!);
  };
  await copyP(`${old}/copy.png`, `${keep}/copy.png`);
  const r = await scanSources(db, listSources(db), { now: 2000 });
  assertEquals([r.added, r.moved, r.missing], [1, 2, 0]);
  const b = getImageByPath(db, `${keep}/banned.png`)!;
  assertEquals([b.id, b.banned], [banned, true]);
  const l = getImageByPath(db, `${keep}/loved.png`)!;
  assertEquals([l.id, l.favorite], [loved, true]);
  assert(getImageByPath(db, `${old}/copy.png`), "the original of a copy keeps its row");
  assert(getImageByPath(db, `${keep}/copy.png`), "the copy is a new image");
  // A disabled folder that is not there (unmounted) gives nothing away.
  setImageFlag(db, id(`${old}/copy.png`), "banned", true);
  await Deno.rename(old, `${home.root}/unmounted`);
  await Deno.mkdir(`${keep}/again`);
  await copyP(`${home.root}/unmounted/copy.png`, `${keep}/again/copy.png`);
  const u = await scanSources(db, listSources(db), { now: 3000 });
  assertEquals([u.added, u.moved], [1, 0]);
  assertEquals(getImageByPath(db, `${old}/copy.png`)!.banned, true);
  assertEquals(getImageByPath(db, `${keep}/again/copy.png`)!.banned, false);
});

Deno.test("scanSources() indexes SVGs with the size their root tag asks for", async () => {
  await using home = await tempHome();
  const w = `${home.root}/svgs`;
  await Deno.mkdir(w);
  const svg = (attrs: string) => `<svg xmlns="http://www.w3.org/2000/svg" ${attrs}><rect/></svg>`;
  await Deno.writeTextFile(`${w}/px.svg`, svg('width="1920" height="1080"'));
  await Deno.writeTextFile(`${w}/box.SVG`, svg('viewBox="0 0 4096 4096"'));
  // Inkscape's prolog, units and a size far over the pixel limit: drawn at a size varietal picks
  await Deno.writeTextFile(
    `${w}/mm.svg`,
    `<?xml version="1.0"?>\n<!-- Created with Inkscape -->\n<!DOCTYPE svg [<!ENTITY a "x">]>\n` +
      svg('width="297mm" height="210mm"'),
  );
  await Deno.writeTextFile(`${w}/huge.svg`, svg('width="100000" height="100000"'));
  await Deno.writeTextFile(`${w}/page.svg`, "<html><svg/></html>");
  await Deno.writeTextFile(`${w}/cut.svg`, '<svg width="10" height');
  using db = await Database.open(home.database);
  addSource(db, w);
  const r = await scanSources(db, listSources(db), { now: 1000, maxPixels: 150e6 });
  const size = (name: string) => {
    const i = getImageByPath(db, `${w}/${name}`);
    return i && [i.width, i.height, i.format];
  };
  assertEquals(size("px.svg"), [1920, 1080, "svg"]);
  assertEquals(size("box.SVG"), [4096, 4096, "svg"]);
  assertEquals(size("mm.svg"), [1123, 794, "svg"]);
  assertEquals(size("huge.svg"), [100000, 100000, "svg"]);
  assertEquals(r.added, 4);
  const left = (name: string) => r.skipped_files.find((e) => e.path.endsWith(`/${name}`))?.reason;
  assertStringIncludes(left("page.svg") ?? "", "not a recognised image");
  assert(left("cut.svg") !== undefined, "a cut-off root tag is left out");
});

Deno.test("an image moved and shown at its new place before a scan keeps its favourite and history there", async () => {
  await using home = await tempHome();
  const w = `${home.root}/walls`;
  await writeImage(`${w}/a.png`, { width: 16, height: 9, colors: [COLORS.red] });
  await writeImage(`${w}/b.png`, { width: 16, height: 9, colors: [COLORS.blue] });
  const ok = (args: string[]) => cliOk(home, args);
  await ok(["sources", "add", w]);
  await ok(["scan"]);
  await ok(["favorite", `${w}/a.png`]);
  await ok(["next", "--setter", "none", "--no-theme", "--image", `${w}/a.png`]);
  // Moved, then shown at its new place (a key binding's `next --image`) before any scan.
  await Deno.mkdir(`${w}/sub`);
  await Deno.rename(`${w}/a.png`, `${w}/sub/a.png`);
  await ok(["next", "--setter", "none", "--no-theme", "--image", `${w}/sub/a.png`]);
  const scan = (await ok(["scan", "--json"])).json<
    { moved: number; missing: number; added: number; unchanged: number }
  >();
  assertEquals([scan.moved, scan.missing, scan.added, scan.unchanged], [1, 0, 0, 1]);
  using db = await Database.open(home.database);
  const row = getImageByPath(db, `${w}/sub/a.png`)!;
  assertEquals([row.favorite, row.times_shown], [true, 2]);
  assertEquals(getImageByPath(db, `${w}/a.png`), undefined);
  const shows = db.prepare("SELECT image_id FROM history ORDER BY id").all() as {
    image_id: number;
  }[];
  assertEquals(shows.map((s) => s.image_id), [row.id, row.id]);
  const src = db.prepare("SELECT times_shown FROM sources").get() as { times_shown: number };
  assertEquals(src.times_shown, 2);
});

Deno.test("a subfolder added as a folder of its own takes its images' shows; removed again, they go back once", async () => {
  await using home = await tempHome();
  const w = `${home.root}/walls`;
  await writeImage(`${w}/a.png`, { width: 16, height: 9, colors: [COLORS.red] });
  await writeImage(`${w}/sub/b.png`, { width: 16, height: 9, colors: [COLORS.blue] });
  const ok = (args: string[]) => cliOk(home, args);
  await ok(["sources", "add", w]);
  await ok(["scan"]);
  await ok(["next", "--setter", "none", "--no-theme", "--image", `${w}/sub/b.png`]);
  await ok(["next", "--setter", "none", "--no-theme", "--image", `${w}/sub/b.png`]);
  const shown = async () =>
    Object.fromEntries(
      (await ok(["sources", "list", "--json"])).json<{ path: string; times_shown: number }[]>()
        .map((s) => [s.path, s.times_shown]),
    );
  assertEquals(await shown(), { [w]: 2 });
  await ok(["sources", "add", `${w}/sub`]);
  await ok(["scan"]);
  assertEquals(await shown(), { [w]: 0, [`${w}/sub`]: 2 });
  await ok(["sources", "remove", `${w}/sub`]);
  assertEquals(await shown(), { [w]: 2 }, "counted once, not twice");
});

/** Runs a command that must succeed (its stderr in the failure). */
async function cliOk(home: Parameters<typeof runCli>[0], args: string[]) {
  const r = await runCli(home, args);
  assertEquals(r.code, 0, r.stderr);
  return r;
}
