/**
 * SVG wallpapers drawn to PNG files, for wallpaper setters that read raster
 * images only: the SVG is drawn once to a PNG in `$XDG_CACHE_HOME/varietal/svg/`
 * (at the size it asks for, its longer side kept between 1920 and 3840
 * pixels). The PNG is named by the SVG's path, size, modification time and
 * inode, so a changed SVG is drawn again and a shown one is not; the 16 most
 * recently used are kept. Drawing runs in a worker stopped after a timeout.
 *
 * Requires `--allow-read` and `--allow-write`.
 *
 * @module
 */
import { afterMs } from "../timeout.ts";
import { looksLikeSvg, mayBeginSvg } from "./svg_header.ts";
import { readUpToAsync } from "../read_bytes.ts";
import type { RasterRequest, RasterResponse } from "./_svg_raster_worker.ts";

/** How many drawn SVGs the cache keeps. */
export const RASTER_CACHE_KEEP = 16;

/** Changes when the way SVGs are drawn changes, so old PNGs are not reused. */
const RASTER_VERSION = "resvg-2.6.2/1920-3840";

/** Bytes read to tell an SVG from other files. */
const SNIFF_BYTES = 68 * 1024;

/** Whether the file at `path` is an SVG (read from its first bytes, not its name). */
export async function isSvgFile(path: string): Promise<boolean> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path);
  } catch {
    return false; // the setter reports a missing file in its own words
  }
  try {
    if (!mayBeginSvg((await readUpToAsync(file, 1))[0])) return false;
    await file.seek(0, Deno.SeekMode.Start);
    return looksLikeSvg(await readUpToAsync(file, SNIFF_BYTES));
  } finally {
    file.close();
  }
}

/** An SVG that could not be drawn, or not in time. */
export class SvgRasterError extends Error {
  /** The SVG. */
  readonly file: string;
  /** Drawing was stopped at the timeout. */
  readonly timedOut: boolean;
  constructor(file: string, message: string, options?: ErrorOptions & { timedOut?: boolean }) {
    super(message, options);
    this.name = "SvgRasterError";
    this.file = file;
    this.timedOut = options?.timedOut ?? false;
  }
}

/** Options for {@linkcode rasterizeSvg}. */
export interface RasterOptions {
  /** varietal's cache folder (`Paths.cache`); the PNGs go to its `svg/`. */
  cacheDir: string;
  /** Milliseconds the drawing may take. */
  timeoutMs: number;
  /** The pixel limit for the images an SVG embeds (`[palette] max_megapixels`). */
  maxPixels: number;
  signal?: AbortSignal;
  /** The worker module (tests). */
  worker?: URL;
}

/** The cache file for an SVG as it is now. */
async function cachePath(path: string, cacheDir: string): Promise<string> {
  const st = await Deno.stat(path);
  const key = `${RASTER_VERSION}\0${path}\0${st.size}\0${st.mtime?.getTime() ?? 0}\0${st.ino ?? 0}`;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  const hex = [...new Uint8Array(digest).subarray(0, 12)]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${cacheDir}/svg/${hex}.png`;
}

/**
 * The PNG drawn from the SVG at `path`: from the cache, or drawn now.
 *
 * @throws {SvgRasterError} When the SVG cannot be read or drawn, or drawing
 *   takes longer than `timeoutMs` (`timedOut`).
 */
export async function rasterizeSvg(path: string, o: RasterOptions): Promise<string> {
  let out: string;
  try {
    out = await cachePath(path, o.cacheDir);
  } catch (e) {
    throw new SvgRasterError(path, `cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    const now = new Date();
    await Deno.utime(out, now, now); // used again: the newest in the cache
    return out;
  } catch {
    // not drawn yet
  }
  await draw({ path, out, maxPixels: o.maxPixels }, o);
  await pruneCache(`${o.cacheDir}/svg`, RASTER_CACHE_KEEP).catch(() => {});
  return out;
}

async function draw(req: RasterRequest, o: RasterOptions): Promise<void> {
  o.signal?.throwIfAborted();
  const worker = new Worker(o.worker ?? new URL("./_svg_raster_worker.ts", import.meta.url), {
    type: "module",
  });
  let cancel = () => {};
  let onAbort = () => {};
  try {
    const reply = await new Promise<RasterResponse>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<RasterResponse>) => resolve(e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        resolve({ type: "failed", message: `the drawing thread crashed (${e.message})` });
      };
      cancel = afterMs(o.timeoutMs, () =>
        reject(
          new SvgRasterError(
            req.path,
            `drawing ${req.path} to a PNG took longer than ${Math.round(o.timeoutMs)} ms`,
            { timedOut: true },
          ),
        ));
      onAbort = () => reject(o.signal?.reason);
      o.signal?.addEventListener("abort", onAbort, { once: true });
      worker.postMessage(req);
    });
    if (reply.type === "failed") {
      throw new SvgRasterError(req.path, `cannot draw ${req.path}: ${reply.message}`);
    }
  } finally {
    cancel();
    o.signal?.removeEventListener("abort", onAbort);
    worker.terminate();
  }
}

/** Removes all but the `keep` most recently used PNGs of `dir`. */
export async function pruneCache(dir: string, keep: number): Promise<void> {
  const files: { path: string; mtime: number }[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (!e.isFile || !e.name.endsWith(".png")) continue;
    const path = `${dir}/${e.name}`;
    try {
      files.push({ path, mtime: (await Deno.stat(path)).mtime?.getTime() ?? 0 });
    } catch {
      // removed meanwhile
    }
  }
  files.sort((a, b) => b.mtime - a.mtime);
  for (const f of files.slice(keep)) await Deno.remove(f.path).catch(() => {});
}
