// Debian's wallpaper packages (gnome-backgrounds, plasma-workspace-wallpapers,
// mate-backgrounds, desktop-base): every JPEG/PNG/WebP indexed once, SVGs
// skipped and counted, and a re-scan finds everything unchanged.
import { assertEquals } from "../_helpers/assert.ts";
import { Database } from "../../src/db/database.ts";
import { addSource, listSources } from "../../src/db/sources.ts";
import { scanSources } from "../../src/scan/scanner.ts";

const ROOTS = ["/usr/share/backgrounds", "/usr/share/wallpapers"];

async function exists(p: string): Promise<boolean> {
  try {
    return (await Deno.stat(p)).isDirectory;
  } catch {
    return false;
  }
}

/** Real paths of the files under a folder, found independently of the scanner (find -L). */
async function realFiles(root: string): Promise<string[]> {
  const out = await new Deno.Command("find", {
    args: ["-L", root, "-type", "f", "-print0"],
    stdout: "piped",
    stderr: "null",
  }).output();
  const paths = new TextDecoder().decode(out.stdout).split("\0").filter(Boolean);
  return [...new Set(await Promise.all(paths.map((p) => Deno.realPath(p))))];
}

Deno.test("scan indexes every real JPEG/PNG/WebP once and skips the SVGs", async (t) => {
  const roots = [];
  for (const r of ROOTS) if (await exists(r)) roots.push(r);
  if (roots.length === 0) {
    console.log(
      `skipped: none of ${ROOTS.join(", ")} is installed (apt-get install gnome-backgrounds …)`,
    );
    return;
  }
  const files = (await Promise.all(roots.map(realFiles))).flat();
  const unique = [...new Set(files)];
  const ext = (p: string) => p.slice(p.lastIndexOf(".") + 1).toLowerCase();
  const images = unique.filter((p) => ["jpg", "jpeg", "png", "webp"].includes(ext(p)));
  const svgs = unique.filter((p) => ext(p) === "svg");

  using db = await Database.open(":memory:");
  for (const r of roots) addSource(db, await Deno.realPath(r));
  const first = await scanSources(db, listSources(db));
  await t.step(`${images.length} images, ${svgs.length} SVGs`, () => {
    assertEquals(first.errors, []);
    assertEquals(first.added, images.length);
    assertEquals(first.skipped_by_extension.svg ?? 0, svgs.length);
    const stored = (db.raw.prepare("SELECT path FROM images ORDER BY path").all() as {
      path: string;
    }[]).map((r) => r.path);
    assertEquals(stored, [...images].sort());
  });
  const again = await scanSources(db, listSources(db));
  assertEquals([again.added, again.updated, again.unchanged, again.missing], [
    0,
    0,
    images.length,
    0,
  ]);
});
