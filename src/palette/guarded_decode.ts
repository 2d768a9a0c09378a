/**
 * The guarded way to decode an image file — use it wherever untrusted
 * images are decoded (palettes, Material schemes, downloads):
 *
 * 1. the size in the header is checked before anything is decoded
 *    ({@linkcode checkImageFile}: the pixel limit, and headers the file
 *    cannot be true to);
 * 2. the decode runs in a Web Worker ({@linkcode DecodeWorker}) that is
 *    terminated when it takes longer than the timeout, so that a hostile
 *    file costs at most `timeoutMs` and leaves nothing behind.
 *
 * {@linkcode decodeImageFile} is the entry point. Requires `--allow-read`
 * and `--allow-env`.
 *
 * @module
 */
import { DECODABLE, decodeFile, ImageDecodeError, sniffFormat } from "./decode.ts";
import { svgSize } from "./svg_header.ts";
import type { ImageFormat } from "./image_format.ts";
import { downscale, type Pixels } from "./downscale.ts";
import { implausibleHeader, readImageHeader } from "./image_header.ts";
import { readUpToAsync } from "../read_bytes.ts";
import { afterMs } from "../timeout.ts";
import { checkPixelLimit, DEFAULT_MAX_MEGAPIXELS, ImageTooLargeError } from "./pixel_limit.ts";
import { type DecodeRequest, type DecodeResponse, errorFromWire } from "./_decode_wire.ts";
import {
  materialOfPixels,
  type MaterialRequest,
  type PixelsMaterial,
} from "./material/pixels_material.ts";

/** Default of `[palette] decode_timeout`, in milliseconds. */
export const DEFAULT_DECODE_TIMEOUT_MS = 20_000;

/** A decode that ran longer than its timeout and was stopped. */
export class DecodeTimeoutError extends Error {
  readonly file: string;
  readonly timeoutMs: number;
  constructor(file: string, timeoutMs: number) {
    super(
      `Cannot decode ${file}: took longer than ${timeoutMs / 1000}s and was stopped ` +
        `(raise [palette] decode_timeout if the machine is just slow)`,
    );
    this.name = "DecodeTimeoutError";
    this.file = file;
    this.timeoutMs = timeoutMs;
  }
}

/** The file name of a crash before it is known which decode it hit. */
const CRASHED = "(decoding thread)";

/** A decoding thread could not be started (e.g. the worker module is missing). */
class WorkerStartError extends Error {}

/**
 * Whether an error says that the image itself cannot be decoded — damaged,
 * over the pixel limit, or too slow — as opposed to a missing file, an
 * unsupported format or an interruption. Such images are marked in the
 * database and not drawn again until the file changes.
 */
export function isDecodeFailure(e: unknown): e is Error {
  return e instanceof ImageDecodeError || e instanceof ImageTooLargeError ||
    e instanceof DecodeTimeoutError;
}

/**
 * What to record of a decode failure: the short reason (no file name) and,
 * for an image refused by the configurable pixel limit `maxPixels`, its
 * pixel count (so that raising the limit brings it back). Undefined for
 * errors that are not decode failures.
 */
export function describeDecodeFailure(
  e: unknown,
  maxPixels: number,
): { reason: string; pixels: number | null } | undefined {
  if (e instanceof ImageDecodeError) return { reason: e.problem, pixels: null };
  if (e instanceof ImageTooLargeError) {
    // the pixel count only when raising the configured limit would let it through
    const pixels = e.width * e.height;
    return {
      reason: e.reason,
      pixels: e.maxPixels === maxPixels && pixels > maxPixels &&
          !checkPixelLimit(e.width, e.height, pixels)
        ? pixels
        : null,
    };
  }
  if (e instanceof DecodeTimeoutError) {
    return {
      reason: `decoding took longer than ${e.timeoutMs / 1000}s and was stopped`,
      pixels: null,
    };
  }
  return undefined;
}

/** Options for {@linkcode decodeImageFile}. */
export interface GuardedDecodeOptions {
  /** Images declaring more pixels are refused. @default 150 megapixels */
  maxPixels?: number;
  /** Milliseconds the decode may take. @default 20000 */
  timeoutMs?: number;
  /** Long side of the result (the image is shrunk by area averaging). @default 256 */
  maxSide?: number;
  /** Stops the decode (the worker is terminated). */
  signal?: AbortSignal;
  /**
   * Where to decode: a {@linkcode DecodeWorker} (started early, kept for
   * more images), `false` for this thread (only for code that already runs
   * in a worker someone can terminate: the timeout cannot interrupt it), or
   * undefined for a worker of its own, terminated afterwards.
   */
  worker?: DecodeWorker | false;
}

/**
 * Decodes an image file, shrunk to `maxSide`, with the pixel limit and the
 * timeout applied (see the module doc).
 *
 * @throws {ImageTooLargeError} Over `maxPixels` (nothing decoded).
 * @throws {ImageDecodeError} Damaged, truncated or with an impossible header.
 * @throws {DecodeTimeoutError} Slower than `timeoutMs`.
 * @throws {UnsupportedFormatError} Not JPEG, PNG, GIF or WebP.
 * @throws {Deno.errors.NotFound} When the file does not exist.
 * @throws {DOMException} AbortError when `signal` aborts.
 */
export async function decodeImageFile(
  path: string,
  options: GuardedDecodeOptions = {},
): Promise<Pixels> {
  return (await guardedDecode(path, options, undefined)).pixels;
}

/**
 * {@linkcode decodeImageFile}, and from the same shrunk pixels the image's
 * Material source colour (and the scheme `want` asks for), computed in the
 * decoding thread — so the calling thread does not load
 * material-color-utilities — or here when decoding here.
 *
 * @throws Like {@linkcode decodeImageFile}.
 */
export async function decodeImageFileWithMaterial(
  path: string,
  options: GuardedDecodeOptions,
  want: MaterialRequest,
): Promise<{ pixels: Pixels; material: Promise<PixelsMaterial> }> {
  const r = await guardedDecode(path, options, want);
  return { pixels: r.pixels, material: r.material ?? materialOfPixels(r.pixels, want) };
}

async function guardedDecode(
  path: string,
  options: GuardedDecodeOptions,
  material: MaterialRequest | undefined,
): Promise<{ pixels: Pixels; material?: Promise<PixelsMaterial> }> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_MEGAPIXELS * 1e6;
  const maxSide = options.maxSide ?? 256;
  options.signal?.throwIfAborted();
  await checkImageFile(path, maxPixels);
  const here = async () => ({
    pixels: await decodeHere(path, maxPixels, maxSide, options.signal),
  });
  if (options.worker === false) return await here();
  const own = options.worker === undefined;
  const worker = options.worker || new DecodeWorker();
  let later: Promise<unknown> | undefined;
  try {
    const r = await worker.decodeWithMaterial(path, {
      maxPixels,
      maxSide,
      timeoutMs: options.timeoutMs ?? DEFAULT_DECODE_TIMEOUT_MS,
      signal: options.signal,
      ...(material ? { material } : {}),
    });
    later = r.material;
    return r;
  } catch (e) {
    // Without worker threads (a build that lacks the module) decode here: the checks above
    // still hold, only the timeout cannot interrupt.
    if (e instanceof WorkerStartError) return await here();
    throw e;
  } finally {
    // An own thread ends once everything asked of it has come back.
    if (own) {
      if (later) later.finally(() => worker.terminate()).catch(() => {});
      else worker.terminate();
    }
  }
}

async function decodeHere(
  path: string,
  maxPixels: number,
  maxSide: number,
  signal?: AbortSignal,
): Promise<Pixels> {
  const px = await decodeFile(path, { minSide: maxSide, maxPixels });
  largestHere = Math.max(largestHere, px.data.byteLength, px.workBytes ?? 0);
  signal?.throwIfAborted();
  return downscale(px, maxSide);
}

/**
 * Bytes of a decoded image (RGBA, before shrinking) past which a decoding thread
 * is replaced after the job (a full-size PNG, WebP or baseline JPEG of ~8
 * megapixels or more): the daemon's thread and `extract`'s workers. Measured on
 * 12-03: one thread that decoded the 16 largest real wallpapers held 500 MiB (a
 * fresh one ~40), all given back when it ended.
 */
export const DECODE_MEMORY_BUDGET = 32 * 2 ** 20;

/** The most bytes an image decoded in this thread needed since {@linkcode takeDecodedBytes}. */
let largestHere = 0;

/**
 * The most bytes an image decoded in this thread (without a decoding worker)
 * needed since the last call, which starts a new count. A thread whose
 * WebAssembly decoders grew that large keeps the memory; its owner may end it.
 */
export function takeDecodedBytes(): number {
  const b = largestHere;
  largestHere = 0;
  return b;
}

/** Bytes read for the header check; more only when a JPEG's frame header lies beyond them. */
const HEADER_BYTES = 256 * 1024;
/** Where a JPEG's frame header must begin by (metadata before it is rarely over 1 MiB). */
const MAX_HEADER_BYTES = 16 * 1024 * 1024;

/**
 * Checks an image file's header without decoding: the pixel limit, and
 * (for JPEG) whether the file holds enough data for the size it declares.
 * Formats the built-in decoders do not read (BMP, AVIF, …) pass unchecked
 * when their header gives no size; an SVG, drawn at a size varietal
 * chooses, has only its root tag checked. Reads the first 256 KiB (up to 16 MiB
 * when a JPEG's frame header lies further; one further out is refused).
 *
 * @returns The format and size when known.
 * @throws {ImageTooLargeError} Over `maxPixels`.
 * @throws {ImageDecodeError} A header the file cannot be true to.
 * @throws {Deno.errors.NotFound} When the file does not exist.
 */
export async function checkImageFile(
  path: string,
  maxPixels: number,
): Promise<{ format: ImageFormat | undefined; width?: number; height?: number }> {
  const file = await Deno.open(path);
  let bytes: Uint8Array;
  let size: number;
  try {
    size = (await file.stat()).size;
    bytes = await readUpToAsync(file, Math.min(size, HEADER_BYTES));
  } finally {
    file.close();
  }
  const format = sniffFormat(bytes);
  if (!format) return { format };
  if (format === "svg") {
    // drawn at a size varietal chooses: no pixel limit to check
    const size = svgSize(bytes);
    if (!size) throw new ImageDecodeError(path, "damaged SVG: the <svg> root tag is cut off");
    return { format, ...size };
  }
  if (!DECODABLE.includes(format)) {
    const dims = await otherFormatSize(bytes);
    if (dims && checkPixelLimit(dims.width, dims.height, maxPixels)) {
      throw new ImageTooLargeError(path, dims.width, dims.height, maxPixels);
    }
    return { format, ...dims };
  }
  let header = readImageHeader(bytes, format);
  if (!header && size > bytes.length) {
    const f = await Deno.open(path);
    try {
      bytes = await readUpToAsync(f, Math.min(size, MAX_HEADER_BYTES));
    } finally {
      f.close();
    }
    header = readImageHeader(bytes, format);
  }
  if (!header) {
    throw new ImageDecodeError(
      path,
      `damaged ${format.toUpperCase()}: no image size in the header`,
    );
  }
  if (checkPixelLimit(header.width, header.height, maxPixels)) {
    throw new ImageTooLargeError(path, header.width, header.height, maxPixels);
  }
  const implausible = implausibleHeader(header, size);
  if (implausible) {
    throw new ImageDecodeError(path, `damaged ${format.toUpperCase()}: ${implausible}`);
  }
  return { format, width: header.width, height: header.height };
}

/** The size of a BMP, TIFF, AVIF, … from image-size (the scanner's header reader). */
async function otherFormatSize(
  bytes: Uint8Array,
): Promise<{ width: number; height: number } | undefined> {
  try {
    const { imageSize } = await import("image-size");
    const r = imageSize(bytes);
    return r.width && r.height ? { width: r.width, height: r.height } : undefined;
  } catch {
    return undefined;
  }
}

/** Options for {@linkcode DecodeWorker.decode}. */
export interface WorkerDecodeOptions {
  maxPixels: number;
  maxSide: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Options for {@linkcode DecodeWorker.decodeWithMaterial}. */
export interface WorkerMaterialOptions extends WorkerDecodeOptions {
  /** Also compute these Material facts of the shrunk pixels in the thread. */
  material?: MaterialRequest;
}

/** Options for {@linkcode DecodeWorker}. */
export interface DecodeWorkerOptions {
  /**
   * Replace the thread once a decode needed more than this many bytes for the
   * image as decoded: the WebAssembly decoders keep the memory they grew to
   * (a 5120×2880 PNG: ~200 MiB more), which only ending the thread gives back.
   * For owners that keep one thread for long (the daemon). @default Infinity
   */
  recycleAboveBytes?: number;
  /**
   * Milliseconds after such a decode's last reply before the thread is
   * replaced (by a new one, warmed as the last {@linkcode DecodeWorker.warm}
   * asked), so that the work of the show it served is not delayed. @default 1000
   */
  recycleDelayMs?: number;
}

/**
 * A decoding thread. Create it early (and {@linkcode DecodeWorker.warm} it)
 * to have it ready when an image needs decoding: starting one costs a few
 * tens of milliseconds. A decode that times out or is aborted terminates
 * the thread; the next decode starts a new one. Terminate it when done (or
 * `using` it): a live worker keeps the process running.
 *
 * @example
 * ```ts ignore
 * using worker = new DecodeWorker();
 * worker.warm("jpeg");
 * // … other work …
 * const px = await decodeImageFile(path, { worker, timeoutMs: 20_000 });
 * ```
 */
export class DecodeWorker implements Disposable {
  #url: URL;
  #worker: Worker | undefined;
  #ready: Promise<void> | undefined;
  #pending = new Map<
    number,
    { resolve: (r: DecodeResponse) => void; reject: (e: unknown) => void }
  >();
  /** Material facts still to come, by request (they follow the pixels). */
  #materials = new Map<
    number,
    { resolve: (m: PixelsMaterial) => void; reject: (e: unknown) => void }
  >();
  #nextId = 1;
  #recycleAbove: number;
  #recycleDelayMs: number;
  /** A decode needed more than `recycleAboveBytes`: replace the thread when it is idle. */
  #recycleDue = false;
  #cancelRecycle: (() => void) | undefined;
  #lastWarm: { format?: ImageFormat; material?: { scheme: boolean } } | undefined;
  #started = 0;

  /**
   * @param module The worker module (tests point it elsewhere).
   * @param options When to replace a thread that holds on to memory.
   */
  constructor(module?: URL, options: DecodeWorkerOptions = {}) {
    this.#url = module ?? new URL("./_decode_worker.ts", import.meta.url);
    this.#recycleAbove = options.recycleAboveBytes ?? Infinity;
    this.#recycleDelayMs = options.recycleDelayMs ?? 1000;
  }

  /** How many threads this object has started (a replaced or restarted thread counts anew). */
  get threadsStarted(): number {
    return this.#started;
  }

  /**
   * Starts the thread now and has it load the decoder for `format` and,
   * with `material`, the Material modules (the scheme's too when
   * `material.scheme`).
   */
  warm(format?: ImageFormat, material?: { scheme: boolean }): void {
    this.#lastWarm = { ...(format ? { format } : {}), ...(material ? { material } : {}) };
    const w = this.#start();
    if (w && (format || material)) {
      w.postMessage(
        {
          type: "warm",
          ...(format ? { format } : {}),
          ...(material ? { material } : {}),
        } satisfies DecodeRequest,
      );
    }
  }

  /**
   * Decodes and shrinks one image in the thread.
   *
   * @throws Like {@linkcode decodeImageFile} (without the header check done there).
   */
  async decode(path: string, o: WorkerDecodeOptions): Promise<Pixels> {
    return (await this.#request(path, o)).pixels;
  }

  /**
   * {@linkcode DecodeWorker.decode}, and with `o.material` the Material
   * facts of the same shrunk pixels, computed in the thread after it has
   * handed the pixels over (so the caller can work on them meanwhile); the
   * timeout covers the decode only.
   *
   * @throws Like {@linkcode DecodeWorker.decode}; `material` rejects when the
   *   thread stops or the signal aborts first.
   */
  decodeWithMaterial(
    path: string,
    o: WorkerMaterialOptions,
  ): Promise<{ pixels: Pixels; material?: Promise<PixelsMaterial> }> {
    return this.#request(path, o);
  }

  async #request(
    path: string,
    o: WorkerMaterialOptions,
  ): Promise<{ pixels: Pixels; material?: Promise<PixelsMaterial> }> {
    o.signal?.throwIfAborted();
    const w = this.#start();
    const ready = this.#ready;
    if (!w || !ready) throw new WorkerStartError("cannot start a decoding thread");
    const id = this.#nextId++;
    let cancelTimer: (() => void) | undefined;
    let onAbort: (() => void) | undefined;
    // Registered before the request goes out, so that the reply cannot come first.
    const material = o.material ? this.#awaitMaterial(id, o.signal) : undefined;
    material?.catch(() => {}); // a failed decode leaves it unused
    let decoded = false;
    try {
      const reply = await new Promise<DecodeResponse>((resolve, reject) => {
        this.#pending.set(id, { resolve, reject });
        // afterMs, not setTimeout: a first show's palette is on a key press's path.
        cancelTimer = afterMs(o.timeoutMs, () => {
          reject(new DecodeTimeoutError(path, o.timeoutMs));
          this.terminate();
        });
        onAbort = () => {
          reject(o.signal!.reason ?? new DOMException("Interrupted", "AbortError"));
          this.terminate();
        };
        o.signal?.addEventListener("abort", onAbort, { once: true });
        ready.then(() => {
          w.postMessage(
            {
              type: "decode",
              id,
              path,
              maxPixels: o.maxPixels,
              maxSide: o.maxSide,
              ...(o.material ? { material: o.material } : {}),
            } satisfies DecodeRequest,
          );
        }, reject);
      });
      if (reply.type === "failed") throw errorFromWire(reply.error);
      if (reply.type !== "done") throw new Error("unexpected reply from the decoding thread");
      decoded = true;
      if ((reply.decodedBytes ?? 0) > this.#recycleAbove) this.#recycleDue = true;
      const pixels = { width: reply.width, height: reply.height, data: reply.data };
      return material ? { pixels, material } : { pixels };
    } catch (e) {
      // a crash is reported without the file's name
      if (e instanceof ImageDecodeError && e.file === CRASHED) {
        throw new ImageDecodeError(path, e.problem);
      }
      throw e;
    } finally {
      cancelTimer?.();
      this.#pending.delete(id);
      if (onAbort) o.signal?.removeEventListener("abort", onAbort);
      if (!decoded) this.#materials.delete(id);
      // The job ends here, or with its Material facts (see #awaitMaterial).
      if (!decoded || !material) this.#jobEnded();
    }
  }

  /**
   * After each job: when a decode needed more than the budget, replace the
   * thread a little later, once no job is in flight (a later job's end looks again).
   */
  #jobEnded(): void {
    if (!this.#recycleDue || !this.#worker) return;
    this.#cancelRecycle?.();
    // afterMs, not setTimeout: it must not load Node's timers into a key press's process.
    this.#cancelRecycle = afterMs(this.#recycleDelayMs, () => {
      this.#cancelRecycle = undefined;
      if (!this.#recycleDue || this.#pending.size > 0 || this.#materials.size > 0) return;
      this.#recycleDue = false;
      if (!this.#worker) return;
      this.#stop(new DOMException("The decoding thread was replaced", "AbortError"));
      const warm = this.#lastWarm;
      if (warm) this.warm(warm.format, warm.material);
      else this.#start();
    });
  }

  /** The Material facts that follow request `id`'s pixels. */
  #awaitMaterial(id: number, signal: AbortSignal | undefined): Promise<PixelsMaterial> {
    return new Promise<PixelsMaterial>((resolve, reject) => {
      const onAbort = () => {
        this.#materials.delete(id);
        reject(signal!.reason ?? new DOMException("Interrupted", "AbortError"));
        this.#jobEnded();
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      const done = () => {
        signal?.removeEventListener("abort", onAbort);
        this.#jobEnded();
      };
      this.#materials.set(id, {
        resolve: (m) => (done(), resolve(m)),
        reject: (e) => (done(), reject(e)),
      });
    });
  }

  /** Stops the thread; pending decodes are rejected. Later decodes start a new one. */
  terminate(): void {
    this.#stop(new DOMException("The decoding thread was stopped", "AbortError"));
  }

  [Symbol.dispose](): void {
    this.terminate();
  }

  #stop(reason: unknown): void {
    this.#cancelRecycle?.();
    this.#cancelRecycle = undefined;
    this.#recycleDue = false;
    const w = this.#worker;
    if (!w) return;
    this.#worker = undefined;
    this.#ready = undefined;
    w.terminate();
    const pending = [...this.#pending.values(), ...this.#materials.values()];
    this.#pending.clear();
    this.#materials.clear();
    for (const p of pending) p.reject(reason);
  }

  #start(): Worker | undefined {
    if (this.#worker) return this.#worker;
    let w: Worker;
    try {
      w = new Worker(this.#url, { type: "module" });
    } catch {
      return undefined;
    }
    this.#worker = w;
    this.#started++;
    let started = false;
    this.#ready = new Promise<void>((resolve, reject) => {
      w.onmessage = (e: MessageEvent<DecodeResponse>) => {
        const m = e.data;
        if (m.type === "ready") {
          started = true;
          resolve();
        } else if (m.type === "material" || m.type === "material-failed") {
          const waiting = this.#materials.get(m.id);
          this.#materials.delete(m.id);
          if (m.type === "material") waiting?.resolve(m.material);
          else waiting?.reject(errorFromWire(m.error));
        } else this.#pending.get(m.id)?.resolve(m);
      };
      w.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        const err = started
          ? new ImageDecodeError(CRASHED, `the decoding thread crashed (${e.message})`)
          : new WorkerStartError(`cannot start a decoding thread: ${e.message}`);
        reject(err);
        if (this.#worker === w) this.#stop(err);
      };
    });
    this.#ready.catch(() => {});
    return w;
  }
}
