/**
 * A JPEG decoder that reads only what a 1/8-scale image needs: the DC
 * coefficient (the mean) of every 8×8 block (pure, no I/O).
 *
 * For progressive JPEGs (most photos from the web) the AC scans are not
 * even Huffman-decoded — they are skipped by looking for the next marker —
 * so a 4K progressive JPEG costs a few tens of milliseconds instead of a
 * full progressive decode; once every DC coefficient is known to within a
 * pixel level (libjpeg sends each one's last bit after most AC scans) the rest
 * of the file is not read. Baseline JPEGs are Huffman-decoded but no
 * inverse DCT is done. Supports 8-bit Huffman JPEGs (baseline, extended,
 * progressive) with 1 (grey) or 3 (YCbCr or Adobe RGB) components and any
 * sampling factors; anything else returns `undefined` so that the caller
 * can use a full decoder.
 *
 * @module
 */
import type { Pixels } from "./downscale.ts";
import { walkJpegMarkers } from "./image_header.ts";

interface Component {
  id: number;
  h: number;
  v: number;
  tq: number;
  /** Blocks per line / column, padded to whole MCUs. */
  bw: number;
  bh: number;
  /** Blocks actually covering the component (non-interleaved scans use these). */
  cw: number;
  ch: number;
  /** DC coefficient (quantised) of each block. */
  dc: Int32Array;
  pred: number;
  /** The lowest bit of the DC coefficients read so far (-1: none yet; 0: all read). */
  dcBit: number;
  dcTable?: Huffman;
  acTable?: Huffman;
}

interface Huffman {
  /** 9-bit lookahead: (length << 8) | symbol, or 0 when the code is longer. */
  fast: Uint16Array;
  maxcode: Int32Array;
  valptr: Int32Array;
  mincode: Int32Array;
  values: Uint8Array;
}

const FAST_BITS = 9;

function buildHuffman(counts: Uint8Array, values: Uint8Array): Huffman {
  const fast = new Uint16Array(1 << FAST_BITS);
  const maxcode = new Int32Array(18).fill(-1);
  const valptr = new Int32Array(17);
  const mincode = new Int32Array(17);
  let code = 0, k = 0;
  for (let len = 1; len <= 16; len++) {
    valptr[len] = k;
    mincode[len] = code;
    for (let i = 0; i < counts[len - 1]; i++, k++, code++) {
      if (len <= FAST_BITS) {
        const shift = FAST_BITS - len;
        for (let j = 0; j < 1 << shift; j++) fast[(code << shift) | j] = (len << 8) | values[k];
      }
    }
    maxcode[len] = counts[len - 1] ? code - 1 : -1;
    code <<= 1;
  }
  maxcode[17] = 0x7fffffff;
  return { fast, maxcode, valptr, mincode, values };
}

/**
 * A Huffman code longer than the lookahead table, read from `next16` (the
 * next 16 bits, first bit highest): `(length << 8) | symbol`.
 */
function longCode(t: Huffman, next16: number): number {
  let code = 0;
  for (let len = 1; len <= 16; len++) {
    code = (code << 1) | ((next16 >> (16 - len)) & 1);
    if (code <= t.maxcode[len]) return (len << 8) | t.values[t.valptr[len] + code - t.mincode[len]];
  }
  throw new Error("bad Huffman code");
}

/** A `size`-bit value as JPEG stores a signed difference or coefficient. */
function extendSigned(v: number, size: number): number {
  return v < 1 << (size - 1) ? v - (1 << size) + 1 : v;
}

/** Entropy-coded data reader: handles byte stuffing and stops at markers. */
class Bits {
  buf = 0;
  cnt = 0;
  marker = false;
  /** Zero bytes read past the end of the file. */
  past = 0;
  /** The window's bytes (refreshed when it reads more). */
  d: Uint8Array;
  constructor(readonly w: JpegBytes, public pos: number) {
    this.d = w.buf;
  }
  /** Makes `pos + 1` readable when the file has it (the window may drop what is behind `pos`). */
  #more(): void {
    this.pos -= this.w.more(this.pos);
    this.d = this.w.buf;
  }
  fill(): void {
    while (this.cnt <= 24) {
      let b = 0;
      if (!this.marker) {
        while (this.pos + 1 >= this.d.length && !this.w.eof) this.#more();
        // Past the end of the file (a restart marker ends the data legitimately, not this).
        if (this.pos >= this.d.length && ++this.past > MAX_LOOKAHEAD_BYTES + 1) {
          throw new Error("the scan's data ends early (cut off)");
        }
        if (this.pos < this.d.length) {
          b = this.d[this.pos];
          if (b === 0xff) {
            const n = this.d[this.pos + 1];
            if (n === 0) this.pos += 2;
            else {
              this.marker = true;
              b = 0;
            }
          } else this.pos++;
        }
      }
      this.buf = ((this.buf << 8) | b) >>> 0;
      this.cnt += 8;
    }
  }
  bits(n: number): number {
    if (n === 0) return 0;
    if (this.cnt < n) this.fill();
    this.cnt -= n;
    return (this.buf >>> this.cnt) & ((1 << n) - 1);
  }
  decode(t: Huffman): number {
    if (this.cnt < 16) this.fill();
    const f = t.fast[(this.buf >>> (this.cnt - FAST_BITS)) & ((1 << FAST_BITS) - 1)];
    if (f) {
      this.cnt -= f >> 8;
      return f & 255;
    }
    const r = longCode(t, (this.buf >>> (this.cnt - 16)) & 0xffff);
    this.cnt -= r >> 8;
    return r & 255;
  }
  extend(s: number): number {
    return extendSigned(this.bits(s), s);
  }
  /** Drops buffered bits and positions after the next RSTn (restart). */
  restart(): void {
    this.buf = this.cnt = 0;
    this.marker = false;
    for (;;) {
      if (this.pos + 1 >= this.d.length) {
        if (this.w.eof) return;
        this.#more();
        continue;
      }
      const d = this.d;
      if (d[this.pos] === 0xff && d[this.pos + 1] >= 0xd0 && d[this.pos + 1] <= 0xd7) {
        this.pos += 2;
        return;
      }
      if (d[this.pos] === 0xff && d[this.pos + 1] !== 0 && d[this.pos + 1] !== 0xff) {
        return; // another marker: let the scan end
      }
      this.pos++;
    }
  }
}

/**
 * Position of the next marker at or after `p` (skipping entropy-coded data),
 * or the end of the bytes when there is none.
 */
function nextMarker(w: JpegBytes, p: number): number {
  for (;;) {
    const d = w.buf;
    while (p + 1 < d.length) {
      p = d.indexOf(0xff, p); // native search: skipping a scan costs little
      if (p < 0 || p + 1 >= d.length) break;
      const n = d[p + 1];
      if (n !== 0 && n !== 0xff && (n < 0xd0 || n > 0xd7)) return p;
      p++;
    }
    if (w.eof) return d.length;
    // Read on, keeping a 0xFF at the very end (its next byte decides).
    const keep = p < 0 ? d.length : Math.min(p, d.length);
    p = keep - w.more(keep);
  }
}

/**
 * The size and kind of a JPEG from its frame header, without decoding.
 *
 * @example A progressive 1920×1080 frame header
 * ```ts
 * import assert from "node:assert/strict";
 * import { jpegSize } from "./jpeg_dc.ts";
 *
 * const head = new Uint8Array([
 *   ...[0xff, 0xd8], // SOI
 *   ...[0xff, 0xc2, 0x00, 0x11, 8, 0x04, 0x38, 0x07, 0x80, 3], // SOF2: 8 bits, 1080 × 1920, 3 components
 *   ...[1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1],
 * ]);
 * assert.deepEqual(jpegSize(head), { width: 1920, height: 1080, progressive: true });
 * ```
 */
export function jpegSize(
  d: Uint8Array,
): { width: number; height: number; progressive: boolean } | undefined {
  let frame: { width: number; height: number; progressive: boolean } | undefined;
  walkJpegMarkers(d, (m, p) => {
    if (m < 0xc0 || m > 0xcf || m === 0xc4 || m === 0xc8 || m === 0xcc) return true;
    if (p + 9 <= d.length) {
      frame = {
        height: (d[p + 5] << 8) | d[p + 6],
        width: (d[p + 7] << 8) | d[p + 8],
        progressive: m === 0xc2,
      };
    }
    return false; // the first frame
  });
  return frame;
}

/**
 * A JPEG's bytes as the decoder reads them, front to back: the whole file,
 * or a window that drops what lies behind and reads on (a file read in
 * chunks, so that a 16 MB JPEG is never held whole).
 */
export interface JpegBytes {
  /** The bytes held: a stretch of the file, up to as far as it was read. */
  buf: Uint8Array;
  /** Whether `buf` ends where the file ends. */
  eof: boolean;
  /**
   * Drops the bytes before index `keep` of `buf` and reads on (at least one
   * byte, or sets `eof`); returns `keep` (how far indices move down).
   */
  more(keep: number): number;
}

/** Bytes a malformed segment may be read past its end (Huffman values, components). */
const SEGMENT_SLACK = 4200;

/**
 * Decodes a JPEG at 1/8 scale (one pixel per 8×8 block).
 *
 * @returns RGBA pixels, or `undefined` for JPEG kinds it does not handle.
 * @throws {Error} When the data is damaged.
 * @example One pixel per 8×8 block
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeJpegDc } from "./jpeg_dc.ts";
 *
 * assert.equal(decodeJpegDc(new Uint8Array([0x89, 0x50, 0x4e, 0x47])), undefined); // not a JPEG
 * ```
 * @example A 1920×1200 photo comes out 240×150
 * ```ts ignore
 * import { decodeJpegDc } from "./jpeg_dc.ts";
 *
 * const px = decodeJpegDc(await Deno.readFile("/usr/share/backgrounds/mate/nature/Blinds.jpg"));
 * console.log(px?.width, px?.height); // 240 150
 * ```
 */
export function decodeJpegDc(d: Uint8Array): Pixels | undefined {
  return decodeJpegDcFrom({ buf: d, eof: true, more: () => 0 });
}

/**
 * {@linkcode decodeJpegDc} over bytes read as it goes: the same pixels, and
 * the same errors, as from the whole file at once.
 *
 * @param options `generic` reads progressive DC scans with the general scan
 *   reader instead of the one made for them (tests compare the two).
 * @example Bytes that are not a JPEG
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeJpegDcFrom } from "./jpeg_dc.ts";
 *
 * const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
 * assert.equal(decodeJpegDcFrom({ buf: png, eof: true, more: () => 0 }), undefined);
 * ```
 */
export function decodeJpegDcFrom(
  w: JpegBytes,
  options: { generic?: boolean } = {},
): Pixels | undefined {
  const ensure = (p: number, n: number) => {
    while (p + n > w.buf.length && !w.eof) p -= w.more(p);
    return p;
  };
  ensure(0, 2);
  let d = w.buf;
  if (d[0] !== 0xff || d[1] !== 0xd8) return undefined;
  const q0 = new Int32Array(4).fill(1);
  const dcTables: Huffman[] = [], acTables: Huffman[] = [];
  let comps: Component[] = [];
  let width = 0, height = 0, hmax = 1, vmax = 1, mcusX = 0, mcusY = 0;
  let progressive = false, restartInterval = 0, adobeRgb = false, sawScan = false;
  let p = 2;
  for (;;) {
    p = ensure(p, 4);
    d = w.buf;
    if (p + 4 > d.length) break;
    if (d[p] !== 0xff) {
      p = nextMarker(w, p);
      continue;
    }
    const m = d[p + 1];
    if (m === 0xd9) break;
    if (m === 0xff || (m >= 0xd0 && m <= 0xd7) || m === 0x01) {
      p += m === 0xff ? 1 : 2;
      continue;
    }
    const len = (d[p + 2] << 8) | d[p + 3];
    p = ensure(p, 2 + len + SEGMENT_SLACK);
    d = w.buf;
    const s = p + 4, e = p + 2 + len;
    if (e > d.length) throw new Error("truncated segment");
    if (m === 0xc0 || m === 0xc1 || m === 0xc2) {
      if (d[s] !== 8) return undefined;
      progressive = m === 0xc2;
      height = (d[s + 1] << 8) | d[s + 2];
      width = (d[s + 3] << 8) | d[s + 4];
      const n = d[s + 5];
      if ((n !== 1 && n !== 3) || width === 0 || height === 0) return undefined;
      comps = [];
      for (let i = 0; i < n; i++) {
        const o = s + 6 + i * 3;
        comps.push({
          id: d[o],
          h: d[o + 1] >> 4 || 1,
          v: d[o + 1] & 15 || 1,
          tq: d[o + 2] & 3,
          bw: 0,
          bh: 0,
          cw: 0,
          ch: 0,
          dc: new Int32Array(0),
          pred: 0,
          dcBit: -1,
        });
      }
      hmax = Math.max(...comps.map((c) => c.h));
      vmax = Math.max(...comps.map((c) => c.v));
      mcusX = Math.ceil(width / (8 * hmax));
      mcusY = Math.ceil(height / (8 * vmax));
      for (const c of comps) {
        c.bw = mcusX * c.h;
        c.bh = mcusY * c.v;
        c.cw = Math.ceil(Math.ceil((width * c.h) / hmax) / 8);
        c.ch = Math.ceil(Math.ceil((height * c.v) / vmax) / 8);
        c.dc = new Int32Array(c.bw * c.bh);
      }
    } else if (m >= 0xc3 && m <= 0xcf && m !== 0xc4 && m !== 0xc8) {
      return undefined; // lossless, hierarchical or arithmetic coding
    } else if (m === 0xc4) {
      let o = s;
      while (o < e) {
        const tc = d[o] >> 4, th = d[o] & 15;
        const counts = d.subarray(o + 1, o + 17);
        const total = counts.reduce((a, b) => a + b, 0);
        const t = buildHuffman(counts, d.subarray(o + 17, o + 17 + total));
        (tc === 0 ? dcTables : acTables)[th & 3] = t;
        o += 17 + total;
      }
    } else if (m === 0xdb) {
      let o = s;
      while (o < e) {
        const pq = d[o] >> 4, tq = d[o] & 3;
        q0[tq] = pq ? (d[o + 1] << 8) | d[o + 2] : d[o + 1];
        o += 1 + (pq ? 128 : 64);
      }
    } else if (m === 0xdd) {
      restartInterval = (d[s] << 8) | d[s + 1];
    } else if (
      m === 0xee && len >= 12 && String.fromCharCode(...d.subarray(s, s + 5)) === "Adobe"
    ) {
      adobeRgb = d[s + 11] === 0;
    } else if (m === 0xda) {
      if (!comps.length) throw new Error("scan before frame header");
      sawScan = true;
      const ns = d[s];
      const scomps: Component[] = [];
      for (let i = 0; i < ns; i++) {
        const c = comps.find((x) => x.id === d[s + 1 + i * 2]);
        if (!c) throw new Error("scan names an unknown component");
        c.dcTable = dcTables[d[s + 2 + i * 2] >> 4];
        c.acTable = acTables[d[s + 2 + i * 2] & 15];
        scomps.push(c);
      }
      const o = s + 1 + ns * 2;
      const ss = d[o], se = d[o + 1], ah = d[o + 2] >> 4, al = d[o + 2] & 15;
      p = e;
      if (progressive && ss > 0) {
        p = nextMarker(w, p); // AC scan: not needed at 1/8 scale
        continue;
      }
      const scan = { progressive, ah, al, se, restartInterval, mcusX, mcusY };
      p = progressive && restartInterval === 0 && !options.generic
        ? decodeDcScan(w, p, scomps, scan)
        : decodeScan(w, p, scomps, scan);
      for (const c of scomps) c.dcBit = al;
      // Every DC coefficient close enough: what follows is AC scans and the DC's last bits
      // (the last megabytes of a big photo), which a 1/8-scale palette does not need.
      if (progressive && comps.every((c) => dcCloseEnough(c, q0))) break;
      continue;
    }
    p = e;
  }
  if (!sawScan) throw new Error("no image data");
  return toRgba(comps, width, height, hmax, vmax, q0, adobeRgb);
}

/**
 * The most a pixel level may be off because a DC coefficient's low bits are
 * still to come (their refinement scan is read only when it is larger).
 */
const DC_LEVELS_OFF = 1;

/**
 * Whether a component's DC coefficients are read closely enough: whole, or
 * missing only low bits worth at most {@linkcode DC_LEVELS_OFF} pixel levels
 * once {@linkcode toRgba} fills them with their middle value. Libjpeg's
 * progressive files send the DC without its last bit first and that bit
 * after most AC scans (12 of a 16 MB photo's megabytes); one bit of a DC
 * quantised by 1–16 is 1/16–1 level.
 */
function dcCloseEnough(c: Component, q0: Int32Array): boolean {
  if (c.dcBit < 0) return false;
  // A DC coefficient is 8 × the block's mean: a step of q in it moves a pixel q/8 levels.
  return ((1 << c.dcBit) - 1) * q0[c.tq] <= 16 * DC_LEVELS_OFF;
}

interface ScanInfo {
  progressive: boolean;
  ah: number;
  al: number;
  se: number;
  restartInterval: number;
  mcusX: number;
  mcusY: number;
}

/**
 * The blocks of one MCU of a scan, in scan order: the component (an index
 * into `scomps`), and the block's row and column within the MCU (one block of
 * one component for a non-interleaved scan).
 */
function mcuBlocks(scomps: Component[]): { comp: number[]; dy: number[]; dx: number[] } {
  const single = scomps.length === 1;
  const comp: number[] = [], dy: number[] = [], dx: number[] = [];
  scomps.forEach((c, i) => {
    for (let v = 0; v < (single ? 1 : c.v); v++) {
      for (let h = 0; h < (single ? 1 : c.h); h++) {
        comp.push(i);
        dy.push(v);
        dx.push(h);
      }
    }
  });
  return { comp, dy, dx };
}

function decodeScan(w: JpegBytes, pos: number, scomps: Component[], s: ScanInfo): number {
  const bits = new Bits(w, pos);
  for (const c of scomps) c.pred = 0;
  const single = scomps.length === 1;
  const { comp, dy: unitDy, dx: unitDx } = mcuBlocks(scomps);
  const unitComp = comp.map((i) => scomps[i]);
  const units = unitComp.length;
  const c0 = scomps[0];
  // MCUs per line and in all (a non-interleaved scan's "MCU" is one block of the component).
  const perLine = single ? c0.cw : s.mcusX;
  const total = single ? c0.cw * c0.ch : s.mcusX * s.mcusY;
  // 0: baseline (DC, then the AC coefficients skipped); 1: progressive DC first; 2: refinement
  const kind = !s.progressive ? 0 : s.ah === 0 ? 1 : 2;
  const al = s.al, scale = 1 << s.al, se = s.se;
  let mx = 0, my = 0;
  for (let n = 0; n < total; n++) {
    if (s.restartInterval && n > 0 && n % s.restartInterval === 0) {
      bits.restart();
      for (const c of scomps) c.pred = 0;
    }
    for (let u = 0; u < units; u++) {
      const c = unitComp[u];
      const index = single ? my * c.bw + mx : (my * c.v + unitDy[u]) * c.bw + mx * c.h + unitDx[u];
      if (kind === 2) {
        if (bits.bits(1)) c.dc[index] |= 1 << al;
        continue;
      }
      const t = bits.decode(c.dcTable!);
      c.pred += t ? bits.extend(t) : 0;
      if (kind === 1) {
        c.dc[index] = c.pred * scale;
        continue;
      }
      c.dc[index] = c.pred;
      const ac = c.acTable!;
      for (let k = 1; k <= se;) {
        const rs = bits.decode(ac);
        const r = rs >> 4, z = rs & 15;
        if (z === 0) {
          if (r < 15) break;
          k += 16;
          continue;
        }
        k += r + 1;
        bits.bits(z);
      }
    }
    if (++mx === perLine) {
      mx = 0;
      my++;
    }
  }
  return nextMarker(w, bits.pos);
}

/** Bytes a bit reader reads ahead of the bits it uses (23 bits held, at most 25 asked). */
const MAX_LOOKAHEAD_BYTES = 4;

/**
 * {@linkcode decodeScan} for a progressive DC scan without restart markers
 * (what big photos have), written for a cold JIT: the bit reader lives in
 * local variables holding at most 30 bits (small integers, never boxed) and
 * each block costs no call. The same bits are read, so the same values result.
 */
function decodeDcScan(w: JpegBytes, pos: number, scomps: Component[], s: ScanInfo): number {
  const single = scomps.length === 1;
  // Per block of an MCU: its component's index, DC array, table, and place in the MCU.
  const { comp: unitComp, dy: unitDy, dx: unitDx } = mcuBlocks(scomps);
  const units = unitComp.length;
  const dcs = unitComp.map((i) => scomps[i].dc);
  const vs = unitComp.map((i) => scomps[i].v), hs = unitComp.map((i) => scomps[i].h);
  const bws = unitComp.map((i) => scomps[i].bw);
  const tables = unitComp.map((i) => scomps[i].dcTable!);
  const preds = new Int32Array(scomps.length);
  const c0 = scomps[0];
  const perLine = single ? c0.cw : s.mcusX;
  const total = single ? c0.cw * c0.ch : s.mcusX * s.mcusY;
  const refine = s.ah !== 0, al = s.al, scale = 1 << al;
  let d = w.buf, p = pos, acc = 0, cnt = 0, marker = false, mx = 0, my = 0;
  // The size of the value still to read after a long Huffman code (-1: none).
  let size = -1;
  // Zero bytes read past the scan's data (a marker, or the end of the file): the lookahead
  // takes up to 3 at the last block; more mean the scan ended early (a cut-off file),
  // and its blocks would come out black.
  let past = 0;
  for (let n = 0; n < total; n++) {
    for (let u = 0; u < units;) {
      // At least 23 bits: a Huffman code from the lookahead table (≤ 9) and its value (≤ 11).
      while (cnt <= 22) {
        let b = 0, data = false;
        if (!marker) {
          while (p + 1 >= d.length && !w.eof) {
            p -= w.more(p);
            d = w.buf;
          }
          if (p < d.length) {
            b = d[p];
            if (b === 0xff) {
              if (d[p + 1] === 0) {
                p += 2;
                data = true;
              } else {
                marker = true;
                b = 0;
              }
            } else {
              p++;
              data = true;
            }
          }
        }
        if (!data && ++past > MAX_LOOKAHEAD_BYTES) {
          throw new Error("the scan's data ends early (cut off)");
        }
        acc = ((acc & ((1 << cnt) - 1)) << 8) | b;
        cnt += 8;
      }
      const index = single
        ? my * bws[u] + mx
        : (my * vs[u] + unitDy[u]) * bws[u] + mx * hs[u] + unitDx[u];
      if (refine) {
        cnt--;
        if ((acc >> cnt) & 1) dcs[u][index] |= scale;
        u++;
        continue;
      }
      if (size < 0) {
        const t = tables[u];
        const f = t.fast[(acc >> (cnt - FAST_BITS)) & ((1 << FAST_BITS) - 1)];
        if (f) {
          cnt -= f >> 8;
          size = f & 255;
        } else {
          // A code longer than the lookahead (16 bits at most; 23 are held).
          const r = longCode(t, (acc >> (cnt - 16)) & 0xffff);
          cnt -= r >> 8;
          size = r & 255;
          if (size > 16) throw new Error("bad DC difference size");
          if (cnt < size) continue; // its value after a refill, above
        }
      }
      const ci = unitComp[u];
      if (size !== 0) {
        cnt -= size;
        preds[ci] += extendSigned((acc >> cnt) & ((1 << size) - 1), size);
      }
      dcs[u][index] = preds[ci] * scale;
      size = -1;
      u++;
    }
    if (++mx === perLine) {
      mx = 0;
      my++;
    }
  }
  return nextMarker(w, p);
}

function toRgba(
  comps: Component[],
  width: number,
  height: number,
  hmax: number,
  vmax: number,
  q0: Int32Array,
  adobeRgb: boolean,
): Pixels {
  const w = Math.ceil(width / 8), h = Math.ceil(height / 8);
  const out = new Uint8Array(w * h * 4);
  // For each component, the block each output column and row samples (its sampling
  // factors against the largest), and its quantiser's DC step.
  const cols = comps.map((c) =>
    Int32Array.from({ length: w }, (_, x) => Math.min(c.bw - 1, Math.floor((x * c.h) / hmax)))
  );
  const rows = comps.map((c) =>
    Int32Array.from({ length: h }, (_, y) => Math.min(c.bh - 1, Math.floor((y * c.v) / vmax)))
  );
  const steps = comps.map((c) => q0[c.tq]);
  // Low bits not read yet (their refinement scan was skipped): their middle value.
  const mids = comps.map((c) => c.dcBit > 0 ? ((1 << c.dcBit) - 1) / 2 : 0);
  const rgb = adobeRgb ||
    (comps.length === 3 && comps[0].id === 82 && comps[1].id === 71 && comps[2].id === 66);
  const [c0, c1, c2] = comps;
  const [x0, x1, x2] = cols;
  const [s0, s1, s2] = steps;
  const [m0, m1, m2] = mids;
  for (let y = 0; y < h; y++) {
    const r0 = rows[0][y] * c0.bw;
    if (comps.length === 1) {
      for (let x = 0, o = y * w * 4; x < w; x++, o += 4) {
        out[o] = out[o + 1] = out[o + 2] = clamp(((c0.dc[r0 + x0[x]] + m0) * s0) / 8 + 128);
        out[o + 3] = 255;
      }
      continue;
    }
    const r1 = rows[1][y] * c1.bw, r2 = rows[2][y] * c2.bw;
    for (let x = 0, o = y * w * 4; x < w; x++, o += 4) {
      const Y = ((c0.dc[r0 + x0[x]] + m0) * s0) / 8 + 128;
      const v1 = ((c1.dc[r1 + x1[x]] + m1) * s1) / 8 + 128;
      const v2 = ((c2.dc[r2 + x2[x]] + m2) * s2) / 8 + 128;
      if (rgb) {
        out[o] = clamp(Y);
        out[o + 1] = clamp(v1);
        out[o + 2] = clamp(v2);
      } else {
        const cb = v1 - 128, cr = v2 - 128;
        out[o] = clamp(Y + 1.402 * cr);
        out[o + 1] = clamp(Y - 0.344136 * cb - 0.714136 * cr);
        out[o + 2] = clamp(Y + 1.772 * cb);
      }
      out[o + 3] = 255;
    }
  }
  return { width: w, height: h, data: out };
}

const clamp = (v: number) => v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
