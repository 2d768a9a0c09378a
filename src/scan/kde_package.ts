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
 * import assert from "node:assert/strict";
 * import { packageOfSizesFolder } from "./kde_package.ts";
 *
 * assert.deepEqual(packageOfSizesFolder("/usr/share/wallpapers/Flow/contents/images_dark"), "/usr/share/wallpapers/Flow");
 * assert.deepEqual(packageOfSizesFolder("/home/me/Pictures/contents"), undefined);
 * ```
 *
 * @example The largest landscape size is kept
 * ```ts
 * import assert from "node:assert/strict";
 * import { chooseSize } from "./kde_package.ts";
 *
 * assert.deepEqual(chooseSize(["1080x1920.png", "5120x2880.png", "1920x1080.png"]), "5120x2880.png");
 * assert.deepEqual(chooseSize(["notes.png"]), undefined);
 * ```
 *
 * @example What a package says of its picture
 * ```ts
 * import assert from "node:assert/strict";
 * import { packageInfo } from "./kde_package.ts";
 *
 * const json = '{"KPlugin": {"Name": "Altai", "Name[de]": "Altai", "License": "CC-BY-SA-4.0",' +
 *   ' "Authors": [{"Name": "Alesya Khoteeva", "Email": "a@example.org"}]}}';
 * assert.deepEqual(packageInfo(json, "metadata.json"), {
 *   name: "Altai",
 *   authors: ["Alesya Khoteeva"],
 *   licence: "CC-BY-SA-4.0",
 * });
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
 * Sizes over `maxPixels` (the limit `scan` refuses larger images by) count
 * only when none fits, so that a lower limit keeps a smaller size rather
 * than losing the picture; SVGs are drawn at any size and always fit.
 * Files whose names state no size are not sizes (the caller indexes them as
 * usual); undefined when no name states one.
 */
export function chooseSize(names: readonly string[], maxPixels = Infinity): string | undefined {
  let best: { name: string; fits: boolean; landscape: boolean; area: number } | undefined;
  for (const name of names) {
    const size = sizeFromName(name);
    if (!size) continue;
    const area = size.width * size.height;
    const c = {
      name,
      fits: area <= maxPixels || /\.svg$/i.test(name),
      landscape: size.width >= size.height,
      area,
    };
    if (
      !best ||
      (c.fits !== best.fits
        ? c.fits
        : c.landscape !== best.landscape
        ? c.landscape
        : c.area !== best.area
        ? c.area > best.area
        : c.name < best.name)
    ) best = c;
  }
  return best?.name;
}

/** The package folder of an image in a package's sizes folder, else undefined. */
export function packageOfImage(path: string): string | undefined {
  const slash = path.lastIndexOf("/");
  return slash > 0 ? packageOfSizesFolder(path.slice(0, slash)) : undefined;
}

/** What a KDE wallpaper package says of its picture (untranslated). */
export interface PackageInfo {
  /** The picture's name ("Altai"), or null when the metadata gives none. */
  name: string | null;
  /** Its authors' names, in the metadata's order. */
  authors: string[];
  /** Its licence ("CC-BY-SA-4.0"), or null. */
  licence: string | null;
}

/** Longest name, author or licence kept (metadata is text anyone may write). */
const MAX_FIELD = 200;

function field(v: unknown): string | null {
  if (typeof v !== "string") return null;
  const t = v.trim();
  return t ? t.slice(0, MAX_FIELD) : null;
}

/**
 * Reads a package's metadata text: `metadata.json` (`KPlugin.Name`,
 * `KPlugin.Authors[].Name`, `KPlugin.License`) or the older
 * `metadata.desktop` (`Name`, `X-KDE-PluginInfo-Author`,
 * `X-KDE-PluginInfo-License` of `[Desktop Entry]`). Translations
 * (`Name[de]`) are not used.
 *
 * @returns The fields found; undefined when the text is not such metadata
 * (malformed JSON, no `KPlugin` object, no `[Desktop Entry]` group).
 */
export function packageInfo(
  text: string,
  fileName: typeof PACKAGE_METADATA[number],
): PackageInfo | undefined {
  if (fileName === "metadata.json") {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      return undefined;
    }
    const plugin = (doc as { KPlugin?: unknown } | null)?.KPlugin;
    if (typeof plugin !== "object" || plugin === null) return undefined;
    const p = plugin as Record<string, unknown>;
    const authors = Array.isArray(p.Authors)
      ? p.Authors.map((a) => field((a as { Name?: unknown } | null)?.Name))
        .filter((a): a is string => a !== null)
      : [];
    return { name: field(p.Name), authors, licence: field(p.License) };
  }
  const entry = desktopEntry(text);
  if (!entry) return undefined;
  const author = field(entry.get("X-KDE-PluginInfo-Author"));
  return {
    name: field(entry.get("Name")),
    authors: author ? author.split(",").map((a) => a.trim()).filter(Boolean) : [],
    licence: field(entry.get("X-KDE-PluginInfo-License")),
  };
}

/** The keys of a desktop file's `[Desktop Entry]` group, else undefined. */
function desktopEntry(text: string): Map<string, string> | undefined {
  let inEntry = false, found = false;
  const keys = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith("[")) {
      inEntry = line === "[Desktop Entry]";
      found ||= inEntry;
      continue;
    }
    if (!inEntry || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    if (!keys.has(key)) keys.set(key, line.slice(eq + 1).trim());
  }
  return found ? keys : undefined;
}
