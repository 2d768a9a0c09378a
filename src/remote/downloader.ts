/**
 * Downloads one image in the fetch worker: streamed to a private temporary
 * file under a byte cap (checked against Content-Length and the bytes that
 * arrive), hashed on the way, then checked (magic bytes, header, size limits,
 * whole file) and only then linked into the remote's folder under a name made
 * from the image's id or its hash — never from anything else the server sends.
 * A file that fails any check is deleted; nothing half-written is ever in the
 * remote's folder.
 *
 * Requires `--allow-net` for the image hosts and `--allow-read`/`--allow-write`
 * for the downloads folder.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { FailureInfo, RemoteItem, Timeouts } from "./protocol.ts";
import { FetchFailure, openGuarded, statusFailure } from "./guarded_fetch.ts";
import {
  checkImageSize,
  describeNonImage,
  hasJpegEnd,
  jpegDataStart,
  readImageHeader,
  type RemoteFormat,
  sniffFormat,
  truncation,
} from "./image_check.ts";

/** How much of the start of a file is kept for the header check. */
const HEAD_BYTES = 256 * 1024;
/**
 * How much of the saved file is read when the header did not fit in
 * {@linkcode HEAD_BYTES} (a JPEG whose metadata segments come before its frame).
 */
const LONG_HEAD_BYTES = 16 * 1024 * 1024;
/** How much of the end of a file is kept for the completeness check. */
const TAIL_BYTES = 8 * 1024;

/** What a download came to. */
export type DownloadOutcome =
  | {
    kind: "file";
    path: string;
    bytes: number;
    width: number;
    height: number;
    format: RemoteFormat;
    sha256: string;
    /** The file was already there with these bytes (taken, not written). */
    adopted: boolean;
  }
  | {
    kind: "rejected";
    reason: string;
    /** The file is unusable whatever the settings: do not try it again. */
    permanent: boolean;
    /** The remote should stop (its quota is reached). */
    stop?: boolean;
  }
  | { kind: "duplicate"; sha256: string }
  /** The remote should stop for now (rate-limited). */
  | { kind: "failure"; info: FailureInfo };

/** Where and how to download. */
export interface DownloadTarget {
  /** The remote's folder. */
  dir: string;
  /** Folder for partial files (same file system as `dir`). */
  partialDir: string;
  /** Largest file, in bytes. */
  maxFileSize: number;
  /** Bytes the remote may still add; a file over it stops the remote. */
  budget: number;
  minWidth: number;
  minHeight: number;
  maxPixels: number;
  allowed: ReadonlySet<string>;
  timeouts: Timeouts;
  userAgent: string;
  /** Pictures already stored (SHA-256 hex); a match is discarded and added here otherwise. */
  knownHashes: Set<string>;
  signal?: AbortSignal;
}

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * The file name for an image: its id when that is a short plain word
 * (letters, digits, `_`, `-`), else the first 32 hex digits of its hash.
 */
export function fileName(id: string, sha256: string, format: RemoteFormat): string {
  return `${SAFE_ID.test(id) ? id : sha256.slice(0, 32)}.${format}`;
}

/** Whether a Content-Type can be an image. */
function imageType(ct: string | null): boolean {
  if (!ct) return true;
  const t = ct.split(";")[0].trim().toLowerCase();
  return t.startsWith("image/") || t === "application/octet-stream" || t === "binary/octet-stream";
}

async function writeAll(f: Deno.FsFile, data: Uint8Array): Promise<void> {
  let d = data;
  while (d.length > 0) d = d.subarray(await f.write(d));
}

/**
 * Downloads, checks and stores one image.
 *
 * @returns What happened; network failures of this one file come back as
 * "rejected", a rate limit as "failure".
 */
export async function downloadImage(
  item: RemoteItem,
  t: DownloadTarget,
): Promise<DownloadOutcome> {
  const cap = Math.min(t.maxFileSize, t.budget);
  const overCap = (n: number): DownloadOutcome =>
    t.budget < t.maxFileSize && n <= t.maxFileSize
      ? { kind: "rejected", reason: "the remote's quota is reached", permanent: false, stop: true }
      : {
        kind: "rejected",
        reason: `larger than max_file_size (${n} > ${t.maxFileSize} bytes)`,
        permanent: false,
      };
  let open;
  try {
    open = await openGuarded(item.imageUrl, {
      allowed: t.allowed,
      timeouts: t.timeouts,
      userAgent: t.userAgent,
      signal: t.signal,
      headers: { "Accept": "image/jpeg, image/png, image/webp;q=0.9, */*;q=0.1" },
    });
  } catch (e) {
    if (e instanceof FetchFailure) return { kind: "rejected", reason: e.message, permanent: false };
    throw e;
  }
  const tmp = `${t.partialDir}/${crypto.randomUUID()}.part`;
  let file: Deno.FsFile | undefined;
  try {
    const res = open.response;
    if (res.status !== 200) {
      const f = statusFailure(res, Date.now());
      if (f.info.rateLimited) return { kind: "failure", info: f.info };
      return {
        kind: "rejected",
        reason: f.message,
        permanent: res.status === 404 || res.status === 410,
      };
    }
    const ct = res.headers.get("content-type");
    if (!imageType(ct)) {
      return {
        kind: "rejected",
        reason: `served as ${ct!.split(";")[0].trim().slice(0, 60)}, not an image`,
        // About the file itself (an error page sent with 200): not asked for again.
        permanent: true,
      };
    }
    const lenText = res.headers.get("content-length");
    const length = lenText !== null && /^\d+$/.test(lenText.trim()) ? Number(lenText) : null;
    if (length !== null && length > cap) return overCap(length);
    // With a Content-Encoding (gzip, which fetch asks for), the length is the encoded one and
    // the body arrives decoded: what arrived cannot be held against it.
    const encoding = res.headers.get("content-encoding")?.trim().toLowerCase() ?? "identity";
    const delivered = encoding === "identity" || encoding === "" ? length : null;

    file = await Deno.open(tmp, { write: true, createNew: true, mode: 0o600 });
    const hash = createHash("sha256");
    const head = new Uint8Array(HEAD_BYTES);
    let headLen = 0;
    let tail = new Uint8Array(0);
    let bytes = 0;
    let sniffed = false;
    for await (const chunk of open.chunks()) {
      bytes += chunk.length;
      if (bytes > cap) return overCap(bytes);
      if (headLen < HEAD_BYTES) {
        const n = Math.min(chunk.length, HEAD_BYTES - headLen);
        head.set(chunk.subarray(0, n), headLen);
        headLen += n;
      }
      if (!sniffed && headLen >= 16) {
        sniffed = true;
        if (!sniffFormat(head.subarray(0, headLen))) {
          return {
            kind: "rejected",
            reason: describeNonImage(head.subarray(0, headLen)),
            permanent: true,
          };
        }
      }
      const joined = new Uint8Array(Math.min(TAIL_BYTES, tail.length + chunk.length));
      const fromChunk = Math.min(chunk.length, joined.length);
      joined.set(tail.subarray(tail.length - (joined.length - fromChunk)), 0);
      joined.set(chunk.subarray(chunk.length - fromChunk), joined.length - fromChunk);
      tail = joined;
      hash.update(chunk);
      await writeAll(file, chunk);
    }
    file.close();
    file = undefined;
    if (delivered !== null && bytes !== delivered) {
      return {
        kind: "rejected",
        reason: `truncated: ${bytes} of the ${delivered} bytes announced arrived`,
        permanent: false,
      };
    }
    let h: Uint8Array = head.subarray(0, headLen);
    let header = readImageHeader(h);
    if ("error" in header && bytes > HEAD_BYTES) {
      // The header past the first window (large metadata first): read further in the file.
      h = await readStart(tmp, Math.min(bytes, LONG_HEAD_BYTES));
      header = readImageHeader(h);
    }
    if ("error" in header) return { kind: "rejected", reason: header.error, permanent: true };
    const cut = truncation(header.format, h, tail, bytes, delivered !== null) ??
      // A length announced and delivered does not prove a JPEG whole when the server cut
      // the file itself: without an end marker near the end (there may be trailing data,
      // a motion photo's video), one must follow the start of its image data.
      (header.format === "jpg" && delivered !== null && !hasJpegEnd(tail)
        ? await jpegEndAfterData(tmp, h)
        : null);
    if (cut) return { kind: "rejected", reason: cut, permanent: false };
    const size = checkImageSize(header.width, header.height, {
      minWidth: t.minWidth,
      minHeight: t.minHeight,
      maxPixels: t.maxPixels,
    });
    if (size) return { kind: "rejected", reason: size, permanent: true };
    const sha256 = hash.digest("hex") as string;
    if (t.knownHashes.has(sha256)) return { kind: "duplicate", sha256 };
    t.knownHashes.add(sha256);
    const name = fileName(item.id, sha256, header.format);
    let path = `${t.dir}/${name}`;
    // A file of that name holding these very bytes (left by a database restored from a
    // backup, or by a remote removed from 'sources' and added again) is taken as it is,
    // rather than stored a second time beside itself.
    let adopted = false;
    const place = async (to: string) => {
      try {
        await Deno.link(tmp, to);
        return true;
      } catch (e) {
        if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
        return adopted = await sameBytes(to, sha256);
      }
    };
    if (!(await place(path))) {
      path = `${t.dir}/${name.replace(/\.[a-z]+$/, "")}-${sha256.slice(0, 12)}.${header.format}`;
      if (!(await place(path))) return { kind: "duplicate", sha256 };
    }
    return {
      kind: "file",
      path,
      bytes,
      width: header.width,
      height: header.height,
      format: header.format,
      sha256,
      adopted,
    };
  } catch (e) {
    if (e instanceof FetchFailure) return { kind: "rejected", reason: e.message, permanent: false };
    throw e;
  } finally {
    open.close();
    try {
      file?.close();
    } catch { /* already closed */ }
    await Deno.remove(tmp).catch(() => {});
  }
}

/** Whether a file holds the bytes of this SHA-256 (hex); false when it cannot be read. */
async function sameBytes(path: string, sha256: string): Promise<boolean> {
  try {
    const st = await Deno.lstat(path);
    if (!st.isFile) return false;
    return createHash("sha256").update(await Deno.readFile(path)).digest("hex") === sha256;
  } catch {
    return false;
  }
}

/** The first `n` bytes of a file (fewer when it is shorter). Only this folder's modules: the worker runs alone. */
async function readStart(path: string, n: number): Promise<Uint8Array> {
  using f = await Deno.open(path);
  const buf = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const r = await f.read(buf.subarray(got));
    if (r === null) break;
    got += r;
  }
  return buf.subarray(0, got);
}

/**
 * Why a JPEG is cut short, or null: an end marker must follow the start of its
 * image data (entropy-coded data never holds FF D9, and an EXIF thumbnail's
 * end marker comes before, inside its segment).
 */
async function jpegEndAfterData(path: string, head: Uint8Array): Promise<string | null> {
  const data = jpegDataStart(head);
  using f = await Deno.open(path);
  await f.seek(data, Deno.SeekMode.Start);
  const buf = new Uint8Array(1024 * 1024);
  let last = -1; // the previous chunk's last byte
  for (let n = await f.read(buf); n !== null; n = await f.read(buf)) {
    if (last === 0xff && n > 0 && buf[0] === 0xd9) return null;
    if (hasJpegEnd(buf.subarray(0, n))) return null;
    last = n > 0 ? buf[n - 1] : last;
  }
  return "the JPEG has no end marker after its image data (truncated)";
}
