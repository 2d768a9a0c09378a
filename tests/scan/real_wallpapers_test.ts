// Debian's wallpaper packages (gnome-backgrounds, plasma-workspace-wallpapers,
// mate-backgrounds, desktop-base): every JPEG/PNG/WebP/SVG indexed once, KDE
// package previews (contents/screenshot.*) and all but one size of each KDE
// package picture skipped with the reason, and a
// re-scan finds everything unchanged.
import { assert, assertEquals } from "../_helpers/assert.ts";
import { defaultConfig } from "../../src/config/schema.ts";
import { selectImages } from "../../src/select/selector.ts";
import { Database } from "../../src/db/database.ts";
import { addSource, listSources } from "../../src/db/sources.ts";
import { scanSources } from "../../src/scan/scanner.ts";

const ROOTS = ["/usr/share/backgrounds", "/usr/share/wallpapers"];

async function exists(p: string, kind: "dir" | "file" = "dir"): Promise<boolean> {
  try {
    const st = await Deno.stat(p);
    return kind === "dir" ? st.isDirectory : st.isFile;
  } catch {
    return false;
  }
}

/** The files under a folder as `find -L` reaches them, with their real paths (independent of the scanner). */
async function foundFiles(root: string): Promise<{ found: string; real: string }[]> {
  const out = await new Deno.Command("find", {
    args: ["-L", root, "-type", "f", "-print0"],
    stdout: "piped",
    stderr: "null",
  }).output();
  const paths = new TextDecoder().decode(out.stdout).split("\0").filter(Boolean);
  return await Promise.all(
    paths.map(async (found) => ({ found, real: await Deno.realPath(found) })),
  );
}

/** Whether a path is a KDE package's preview: PKG/contents/screenshot.EXT with PKG/metadata.*. */
async function isKdePreview(found: string): Promise<boolean> {
  const m = found.match(/^(.*)\/contents\/screenshot\.[^/.]+$/);
  if (!m) return false;
  for (const meta of ["metadata.json", "metadata.desktop"]) {
    if (await exists(`${m[1]}/${meta}`, "file")) return true;
  }
  return false;
}

Deno.test("scan indexes every real JPEG/PNG/WebP/SVG once, one size per KDE package picture, skips the KDE previews", async (t) => {
  const roots = [];
  for (const r of ROOTS) if (await exists(r)) roots.push(r);
  if (roots.length === 0) {
    console.log(
      `skipped: none of ${ROOTS.join(", ")} is installed (apt-get install gnome-backgrounds …)`,
    );
    return;
  }
  const found = (await Promise.all(roots.map(foundFiles))).flat();
  const ext = (p: string) => p.slice(p.lastIndexOf(".") + 1).toLowerCase();
  const previews = new Set<string>();
  const wanted = new Set<string>();
  for (const f of found) {
    if (await isKdePreview(f.found)) previews.add(f.found);
    else wanted.add(f.real);
  }
  // A KDE package's sizes (PKG/contents/images[_dark]/WxH.EXT): only the largest landscape one.
  const sizeGroups = new Map<string, { path: string; w: number; h: number }[]>();
  for (const p of wanted) {
    const m = p.match(/^(.*)\/contents\/images(?:_dark)?\/(\d+)x(\d+)\.[a-z]+$/i);
    if (
      !m ||
      !(await exists(`${m[1]}/metadata.json`, "file") ||
        await exists(`${m[1]}/metadata.desktop`, "file"))
    ) continue;
    const folder = p.slice(0, p.lastIndexOf("/"));
    sizeGroups.set(folder, [...(sizeGroups.get(folder) ?? []), { path: p, w: +m[2], h: +m[3] }]);
  }
  const otherSizes = new Set<string>();
  for (const group of sizeGroups.values()) {
    const landscape = group.filter((g) => g.w >= g.h);
    const pool = landscape.length ? landscape : group;
    const best = Math.max(...pool.map((g) => g.w * g.h));
    const keep = pool.filter((g) => g.w * g.h === best).map((g) => g.path).sort()[0];
    for (const g of group) if (g.path !== keep) otherSizes.add(g.path);
  }
  for (const p of otherSizes) wanted.delete(p);
  const images = [...wanted].filter((p) => ["jpg", "jpeg", "png", "webp", "svg"].includes(ext(p)));
  const svgs = images.filter((p) => ext(p) === "svg");

  using db = await Database.open(":memory:");
  for (const r of roots) addSource(db, await Deno.realPath(r));
  const first = await scanSources(db, listSources(db));
  await t.step(
    `${images.length} images, ${svgs.length} SVGs, ${previews.size} previews, ${otherSizes.size} other sizes`,
    () => {
      assertEquals(first.errors, []);
      assertEquals(
        new Set(
          first.skipped_files.filter((f) => f.reason.startsWith("another size")).map((f) => f.path),
        ),
        otherSizes,
      );
      const skipped = first.skipped_files.filter((f) => f.reason.startsWith("preview"));
      assertEquals(
        new Set(skipped.map((f) => f.path)).size,
        new Set([...previews].map((p) => Deno.realPathSync(p.replace(/\/[^/]*$/, "")))).size,
        "one skipped entry per preview folder",
      );
      assertEquals(first.added, images.length);
      assertEquals(first.skipped_by_extension.svg, undefined);
      const indexedSvgs = db.raw.prepare("SELECT COUNT(*) AS n FROM images WHERE format = 'svg'")
        .get() as { n: number };
      assertEquals(indexedSvgs.n, svgs.length);
      const stored = (db.raw.prepare("SELECT path FROM images ORDER BY path").all() as {
        path: string;
      }[]).map((r) => r.path);
      assertEquals(stored, [...images].sort());
    },
  );
  const again = await scanSources(db, listSources(db));
  assertEquals([again.added, again.updated, again.unchanged, again.missing], [
    0,
    0,
    images.length,
    0,
  ]);
});

Deno.test("no real Debian boot-splash icon or logo is drawn with the default minimum size", async () => {
  const roots = [];
  for (const r of [...ROOTS, "/usr/share/desktop-base"]) if (await exists(r)) roots.push(r);
  if (roots.length === 0) {
    console.log(`skipped: none of ${ROOTS.join(", ")}, /usr/share/desktop-base is installed`);
    return;
  }
  using db = await Database.open(":memory:");
  for (const r of roots) addSource(db, await Deno.realPath(r));
  await scanSources(db, listSources(db));
  const small = (db.raw.prepare(
    "SELECT COUNT(*) AS n FROM images WHERE width < 640 OR height < 480",
  ).get() as { n: number }).n;
  const all = (db.raw.prepare("SELECT COUNT(*) AS n FROM images").get() as { n: number }).n;
  const config = defaultConfig();
  const r = selectImages(db, config, { count: all, constraints: {} }, { seed: 1 });
  console.log(`${all} images, ${small} smaller than 640 × 480`);
  assertEquals(r.offline, []);
  assertEquals(r.picks.length, all - small);
  for (const p of r.picks) {
    assert(p.image.width >= 640 && p.image.height >= 480, `${p.image.path} is too small`);
  }
});
