// A minimal progressive JPEG writer for tests: flat 8×8 blocks (DC only; every
// AC coefficient zero), 4:4:4, scans in libjpeg's order for successive
// approximation — the DC without its low `al` bits first, then one AC scan per
// component, then the DC's refinement scans, one bit each. Real encoders put
// megabytes of AC data where this puts a few bytes; `acPadding` adds that many
// bytes of a comment segment between the AC scans and the refinements, so that
// tests can see whether a decoder read that far.

/** One flat block: its colour, [Y, Cb, Cr] (or [Y] for grey), 0–255 each. */
export type BlockColour = readonly number[];

export interface ProgressiveJpegOptions {
  /** Blocks across and down (the picture is 8× that in pixels). */
  blocksX: number;
  blocksY: number;
  /** The colour of block (x, y). */
  block: (x: number, y: number) => BlockColour;
  /** Components: 1 (grey) or 3 (YCbCr). */
  components: 1 | 3;
  /** The DC quantiser (every AC step is 1). */
  dcStep: number;
  /** Low bits of the DC left for the refinement scans (the first scan's Al). */
  al: number;
  /** Bytes of a comment segment after the AC scans (real files' AC data). */
  acPadding?: number;
}

/** Where the parts of the written file start, in bytes. */
export interface ProgressiveJpeg {
  bytes: Uint8Array;
  /** Where the first DC refinement scan starts (the end-of-image marker when `al` is 0). */
  refinementAt: number;
}

class BitWriter {
  readonly out: number[] = [];
  #acc = 0;
  #n = 0;
  put(value: number, length: number) {
    for (let i = length - 1; i >= 0; i--) {
      this.#acc = (this.#acc << 1) | ((value >> i) & 1);
      if (++this.#n === 8) this.#byte();
    }
  }
  /** Pads the last byte with ones, as the standard asks. */
  flush() {
    while (this.#n !== 0) this.put(1, 1);
  }
  #byte() {
    this.out.push(this.#acc);
    if (this.#acc === 0xff) this.out.push(0); // byte stuffing
    this.#acc = 0;
    this.#n = 0;
  }
}

const segment = (marker: number, body: number[]): number[] => [
  0xff,
  marker,
  (body.length + 2) >> 8,
  (body.length + 2) & 255,
  ...body,
];

/** The DC difference's category (its bit length) and its bits, as JPEG codes them. */
function category(v: number): { size: number; bits: number } {
  const a = Math.abs(v);
  const size = a === 0 ? 0 : 32 - Math.clz32(a);
  return { size, bits: v >= 0 ? v : v + (1 << size) - 1 };
}

/** Writes the picture; each block's DC is `round((colour - 128) * 8 / dcStep)`. */
export function progressiveJpeg(o: ProgressiveJpegOptions): ProgressiveJpeg {
  const { blocksX, blocksY, components: nc, dcStep, al } = o;
  const dc: Int32Array[] = Array.from({ length: nc }, () => new Int32Array(blocksX * blocksY));
  for (let y = 0; y < blocksY; y++) {
    for (let x = 0; x < blocksX; x++) {
      const colour = o.block(x, y);
      for (let c = 0; c < nc; c++) {
        dc[c][y * blocksX + x] = Math.round(((colour[c] - 128) * 8) / dcStep);
      }
    }
  }
  const bytes: number[] = [0xff, 0xd8];
  // quantiser 0: DC step, then 63 ones (8-bit precision)
  bytes.push(...segment(0xdb, [0, Math.min(255, dcStep), ...new Array(63).fill(1)]));
  const w = blocksX * 8, h = blocksY * 8;
  const frame = [8, h >> 8, h & 255, w >> 8, w & 255, nc];
  for (let c = 0; c < nc; c++) frame.push(c + 1, 0x11, 0);
  bytes.push(...segment(0xc2, frame));
  // DC table 0: categories 0–11, every code 4 bits long (code = category).
  const dcCounts = new Array(16).fill(0);
  dcCounts[3] = 12;
  bytes.push(...segment(0xc4, [0x00, ...dcCounts, ...Array.from({ length: 12 }, (_, i) => i)]));
  // AC table 0: only end-of-band (symbol 0), a 1-bit code.
  const acCounts = new Array(16).fill(0);
  acCounts[0] = 1;
  bytes.push(...segment(0xc4, [0x10, ...acCounts, 0]));

  const scanHeader = (comps: number[], ss: number, se: number, ah: number, a: number) =>
    segment(0xda, [comps.length, ...comps.flatMap((c) => [c + 1, 0x00]), ss, se, (ah << 4) | a]);
  const all = Array.from({ length: nc }, (_, c) => c);

  // DC first scan, interleaved: the differences of the point-transformed DC.
  bytes.push(...scanHeader(all, 0, 0, 0, al));
  let bits = new BitWriter();
  const pred = new Int32Array(nc);
  for (let i = 0; i < blocksX * blocksY; i++) {
    for (let c = 0; c < nc; c++) {
      const v = dc[c][i] >> al;
      const { size, bits: b } = category(v - pred[c]);
      pred[c] = v;
      bits.put(size, 4);
      bits.put(b, size);
    }
  }
  bits.flush();
  bytes.push(...bits.out);
  // AC first scans, one per component: every block ends at once.
  for (const c of all) {
    bytes.push(...scanHeader([c], 1, 63, 0, 0));
    bits = new BitWriter();
    for (let i = 0; i < blocksX * blocksY; i++) bits.put(0, 1);
    bits.flush();
    bytes.push(...bits.out);
  }
  if (o.acPadding) {
    // comment segments of at most 65533 bytes each
    for (let left = o.acPadding; left > 0; left -= 65533) {
      bytes.push(...segment(0xfe, new Array(Math.min(left, 65533)).fill(0x41)));
    }
  }
  const refinementAt = bytes.length;
  // DC refinements: one bit of every coefficient per scan, highest first.
  for (let bit = al - 1; bit >= 0; bit--) {
    bytes.push(...scanHeader(all, 0, 0, bit + 1, bit));
    bits = new BitWriter();
    for (let i = 0; i < blocksX * blocksY; i++) {
      for (let c = 0; c < nc; c++) bits.put((dc[c][i] >> bit) & 1, 1);
    }
    bits.flush();
    bytes.push(...bits.out);
  }
  bytes.push(0xff, 0xd9);
  return { bytes: Uint8Array.from(bytes), refinementAt };
}
