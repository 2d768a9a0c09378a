/**
 * Reads what a KDE wallpaper package says of the picture an image belongs
 * to (its name, authors and licence) from the package's metadata file, for
 * notifications, `select --explain` and `current --json`.
 *
 * Requires `--allow-read`.
 *
 * @module
 */
import { PACKAGE_METADATA, type PackageInfo, packageInfo, packageOfImage } from "./kde_package.ts";
import { readTextFileChecked } from "../read_text.ts";

/** The metadata files of real packages are a few KiB (translations included); refuse more. */
const MAX_METADATA_BYTES = 512 * 1024;

/** A package's picture: its folder and what its metadata says. */
export interface PackagePicture extends PackageInfo {
  /** The package folder (holding `metadata.json` or `metadata.desktop`). */
  folder: string;
}

/**
 * The package of an image in `PKG/contents/images[_dark]/`, read from
 * `PKG/metadata.json`, else `PKG/metadata.desktop`.
 *
 * @returns undefined for an image outside a package, or when neither file
 * can be read or is package metadata (never throws).
 */
export function readPackagePicture(imagePath: string): PackagePicture | undefined {
  const folder = packageOfImage(imagePath);
  if (folder === undefined) return undefined;
  for (const name of PACKAGE_METADATA) {
    let text: string;
    try {
      text = readTextFileChecked(`${folder}/${name}`, MAX_METADATA_BYTES);
    } catch {
      continue;
    }
    const info = packageInfo(text, name);
    if (info) return { ...info, folder };
  }
  return undefined;
}
