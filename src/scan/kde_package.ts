/**
 * KDE wallpaper packages (`/usr/share/wallpapers/NAME/`, Debian's desktop-base
 * themes): one picture in several sizes, `contents/images/WIDTHxHEIGHT.EXT`
 * (and its dark version in `contents/images_dark/`), beside `metadata.json`
 * or `metadata.desktop`. Indexed as they lie, a package of twelve sizes would
 * be drawn twelve times as often as a single picture; the scan keeps one size
 * of each folder, chosen here. Pure: the walker does the listing.
 *
 * @example Which folders hold a package's sizes
 * ```ts
 * import { assertEquals } from "node:assert/strict";
 * import { packageOfSizesFolder } from "./kde_package.ts";
 *
 * assertEquals(packageOfSizesFolder("/usr/share/wallpapers/Flow/contents/images_dark"), "/usr/share/wallpapers/Flow");
 * assertEquals(packageOfSizesFolder("/home/me/Pictures/contents"), undefined);
 * ```
 *
 * @example The largest landscape size is kept
 * ```ts
 * import { assertEquals } from "node:assert/strict";
 * import { chooseSize } from "./kde_package.ts";
 *
 * assertEquals(chooseSize(["1080x1920.png", "5120x2880.png", "1920x1080.png"]), "5120x2880.png");
 * assertEquals(chooseSize(["notes.png"]), undefined);
 * ```
 *
 * @module
 */

/** The metadata files that make a folder a KDE wallpaper package. */
export const PACKAGE_METADATA = ["metadata.json", "metadata.desktop"] as const;

const SIZES_FOLDER = /^(.+)\/contents\/(?:images|images_dark)$/;
const SIZE_NAME = /^([1-9]\d{0,5})x([1-9]\d{0,5})\.[A-Za-z0-9]+$/;

/**
 * The package folder of a folder that may hold a package's sizes
 * (`PKG/contents/images` or `PKG/contents/images_dark`), else undefined.
 * Whether PKG really is a package (has its metadata) is the caller's check.
 */
export function packageOfSizesFolder(dir: string): string | undefined {
  return SIZES_FOLDER.exec(dir)?.[1];
}

/** The width and height a file name states (`1920x1080.png`), else undefined. */
export function sizeFromName(name: string): { width: number; height: number } | undefined {
  const m = SIZE_NAME.exec(name);
  return m ? { width: Number(m[1]), height: Number(m[2]) } : undefined;
}

/**
 * The one size to index among the image files of a package's sizes folder:
 * the largest landscape one (width ≥ height), else the largest; ties go to
 * the first name in code-point order, so every scan keeps the same file.
 * Files whose names state no size are not sizes (the caller indexes them as
 * usual); undefined when no name states one.
 */
export function chooseSize(names: readonly string[]): string | undefined {
  let best: { name: string; landscape: boolean; area: number } | undefined;
  for (const name of names) {
    const size = sizeFromName(name);
    if (!size) continue;
    const c = { name, landscape: size.width >= size.height, area: size.width * size.height };
    if (
      !best ||
      (c.landscape !== best.landscape
        ? c.landscape
        : c.area !== best.area
        ? c.area > best.area
        : c.name < best.name)
    ) best = c;
  }
  return best?.name;
}
