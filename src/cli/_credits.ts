// Who made a picture, for the JSON of the commands that print shows: the credit of an image
// downloaded from a remote, else the metadata of the KDE wallpaper package it is in.
import { lazy } from "./_context.ts";
import type { Database } from "../db/database.ts";
import { getCredits, plainCredit } from "../db/attribution.ts";
import type { ImageCredit } from "../remote/credit.ts";
import type { PackagePicture } from "../scan/package_info.ts";

/** The `attribution` and `package` fields of a show in JSON. */
export interface ShowCredit {
  attribution: ImageCredit | null;
  package: PackagePicture | null;
}

/**
 * Looks up the credits of several shown images at once.
 *
 * @returns The fields for one of them (a package's metadata is read once per folder).
 */
export async function showCredits(
  db: Database,
  shows: readonly { image_id: number; path: string }[],
): Promise<(show: { image_id: number; path: string }) => ShowCredit> {
  const credits = getCredits(db, shows.map((s) => s.image_id));
  const { readPackagePicture } = await lazy<typeof import("../scan/package_info.ts")>(
    "../scan/package_info.ts",
  );
  const packages = new Map<string, PackagePicture | undefined>();
  const packageOf = (path: string) => {
    const dir = path.slice(0, path.lastIndexOf("/"));
    if (!packages.has(dir)) packages.set(dir, readPackagePicture(path));
    return packages.get(dir) ?? null;
  };
  return (s) => {
    const c = credits.get(s.image_id);
    return { attribution: c ? plainCredit(c) : null, package: c ? null : packageOf(s.path) };
  };
}
