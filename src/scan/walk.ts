/**
 * Walks a wallpaper folder, following symlinks without looping and
 * returning each file once by its real path.
 *
 * Requires `--allow-read`.
 *
 * @module
 */
import { fdir } from "fdir";

/** Options for {@linkcode walkFolder}. */
export interface WalkOptions {
  /** Descend into subfolders. @default true */
  recursive?: boolean;
  /** Stops the walk. */
  signal?: AbortSignal;
}

/**
 * Lists the files under a folder by real path, without duplicates.
 *
 * @param root An existing folder.
 * @returns Real paths of the regular files found.
 * Unreadable subfolders are skipped.
 * @throws {Deno.errors.NotFound | Deno.errors.PermissionDenied} When the root cannot be read.
 */
export async function walkFolder(root: string, options: WalkOptions = {}): Promise<string[]> {
  const { recursive = true, signal } = options;
  // fdir swallows errors; check the root ourselves so a vanished folder is not "empty".
  for await (const _ of Deno.readDir(root)) break;
  let builder = new fdir()
    .withFullPaths()
    .withSymlinks({ resolvePaths: true });
  if (!recursive) builder = builder.withMaxDepth(0);
  if (signal) builder = builder.withAbortSignal(signal);
  const files = await builder.crawl(root).withPromise();
  return [...new Set(files)];
}
