/**
 * Derives a 16-colour terminal palette from an image's colour clusters
 * (pure), the way pywal and wallust lay it out:
 *
 * - color0 = background: the darkest sizeable cluster, darkened (or the
 *   lightest, lightened, for `light16`);
 * - color1–6: the image's dominant hues, placed on the ANSI slot whose hue
 *   they are closest to (red, green, yellow, blue, magenta, cyan);
 * - color7 / color15: readable light (dark for `light16`) tints;
 * - color8: a muted grey of the background's hue;
 * - color9–14: lighter variants of color1–6.
 *
 * Guarantees, checked on the rounded hex values: foreground against
 * background ≥ 4.5:1; color1–7 and color9–15 against background ≥ 3:1.
 *
 * @module
 */
import type { PaletteRecord } from "./palette_record.ts";
import { deltaE, labToLch, type LCH, parseHex, rgbToOklab } from "./color.ts";
import { hexContrast, lchHex, withContrast } from "./contrast.ts";
import type { Cluster } from "./quantize.ts";
import { summarizeClusters } from "./summary.ts";

/** Palette variants the built-in extractor makes. */
export type BuiltinVariant = "dark16" | "light16";

/** Minimum contrast of the foreground against the background. */
export const MIN_FOREGROUND_CONTRAST = 4.5;
/** Minimum contrast of color1–7 and color9–15 against the background. */
export const MIN_COLOR_CONTRAST = 3;

/** OKLCH hues of the ANSI colours 1–6: red, green, yellow, blue, magenta, cyan. */
const ANSI_HUES = [29, 142, 110, 264, 328, 195];

/**
 * Builds the palette record from clusters.
 *
 * @param clusters The image's clusters (at least one), any order.
 * @param variant "dark16" (dark background) or "light16".
 * @returns A builtin palette with its summary figures.
 * @throws {RangeError} When there are no clusters.
 * @example A palette from four pixels, readable by construction
 * ```ts
 * import assert from "node:assert/strict";
 * import { quantize } from "./quantize.ts";
 * import { hexContrast } from "./contrast.ts";
 * import { derivePalette } from "./derive.ts";
 *
 * const data = new Uint8Array([
 *   ...[20, 30, 60, 255], // navy, twice: the background
 *   ...[200, 120, 40, 255],
 *   ...[20, 30, 60, 255],
 *   ...[90, 160, 200, 255],
 * ]);
 * const p = derivePalette(quantize({ width: 2, height: 2, data }), "dark16");
 * assert.equal(p.colors.length, 16);
 * assert.equal(p.colors[0], p.background);
 * assert.equal(p.cursor, p.foreground);
 * assert.ok(hexContrast(p.foreground, p.background) >= 4.5);
 * assert.ok(p.temperature < 0); // mostly blue
 * ```
 */
export function derivePalette(
  clusters: readonly Cluster[],
  variant: BuiltinVariant = "dark16",
): PaletteRecord {
  if (clusters.length === 0) throw new RangeError("Cannot derive a palette from no colours");
  const dark = variant !== "light16";
  const sorted = [...clusters].sort((a, b) => b.weight - a.weight || a.lab.L - b.lab.L);
  const lchs = sorted.map((c) => labToLch(c.lab));

  // background
  const sizeable = sorted.map((c, i) => ({ c, i })).filter((x) => x.c.weight >= 0.02);
  const pool = sizeable.length ? sizeable : sorted.map((c, i) => ({ c, i }));
  const bgIdx =
    pool.reduce((best, x) =>
      (dark ? x.c.lab.L < best.c.lab.L : x.c.lab.L > best.c.lab.L) ? x : best
    ).i;
  const b0 = lchs[bgIdx];
  const bgLch: LCH = dark
    ? { L: Math.min(b0.L * 0.8, 0.2), C: Math.min(b0.C, 0.045), h: b0.h }
    : { L: Math.max(b0.L, 0.94), C: Math.min(b0.C, 0.025), h: b0.h };
  const background = lchHex(bgLch);
  const bg = parseHex(background);

  // six accent colours
  const fitL = dark ? (L: number) => clamp(L, 0.62, 0.86) : (L: number) => clamp(L, 0.32, 0.52);
  const fit = (accents: readonly LCH[]) => {
    const normal: string[] = [];
    const bright: string[] = [];
    for (const c of assignSlots(accents)) {
      const L = fitL(c.L);
      if (dark) {
        bright.push(withContrast({ ...c, L }, bg, MIN_COLOR_CONTRAST, true));
        normal.push(withContrast({ ...c, L: L * 0.84 }, bg, MIN_COLOR_CONTRAST, true));
      } else {
        normal.push(withContrast({ ...c, L }, bg, MIN_COLOR_CONTRAST, false));
        bright.push(withContrast({ ...c, L: L + 0.1 }, bg, MIN_COLOR_CONTRAST, false));
      }
    }
    return { normal, bright };
  };
  let { normal, bright } = fit(pickAccents(sorted, lchs, bgIdx, fitL, false));
  // Two slots of one colour (greys, or shades of one hue, end at one lightness once fitted):
  // picked again without greys, near-duplicates judged at the fitted lightness.
  if (new Set(normal).size < 6 || new Set(bright).size < 6) {
    ({ normal, bright } = fit(pickAccents(sorted, lchs, bgIdx, fitL, true)));
  }

  // greys tinted with the dominant hue
  const tint = lchs[0];
  const tintC = Math.min(tint.C, 0.02);
  const color7 = withContrast(
    { L: dark ? 0.84 : 0.36, C: tintC, h: tint.h },
    bg,
    MIN_FOREGROUND_CONTRAST,
    dark,
  );
  const color15 = withContrast(
    { L: dark ? 0.95 : 0.22, C: tintC * 0.6, h: tint.h },
    bg,
    MIN_FOREGROUND_CONTRAST,
    dark,
  );
  const color8 = withContrast(
    { L: dark ? bgLch.L + 0.25 : bgLch.L - 0.3, C: Math.min(bgLch.C, 0.02), h: bgLch.h },
    bg,
    2.2,
    dark,
  );
  const colors = [background, ...normal, color7, color8, ...bright, color15];
  const record: PaletteRecord = {
    origin: "builtin",
    variant,
    background,
    foreground: color15,
    cursor: color15,
    colors,
    ...summarizeClusters(clusters),
  };
  assertGuarantees(record);
  return record;
}

/**
 * Below this OKLCH chroma a cluster is a grey: as an accent it gives the ANSI
 * slots no hue to tell red from green.
 */
const GREY_CHROMA = 0.025;

/**
 * Picks six accent colours: clusters other than the background ranked by
 * size and colourfulness, skipping near-duplicates; missing ones are made by
 * turning the hue of the most colourful pick. `strict` (when the first pick
 * gave two slots one colour: six identical greys on a striped grey
 * wallpaper) leaves greys out and judges near-duplicates at the lightness each
 * will be given.
 */
function pickAccents(
  sorted: readonly Cluster[],
  lchs: readonly LCH[],
  bgIdx: number,
  fitL: (L: number) => number,
  strict: boolean,
): LCH[] {
  const cands = sorted
    .map((c, i) => ({ i, score: Math.sqrt(c.weight) * (0.03 + lchs[i].C) }))
    .filter((x) =>
      (x.i !== bgIdx || sorted.length === 1) && (!strict || lchs[x.i].C >= GREY_CHROMA)
    )
    .sort((a, b) => b.score - a.score || a.i - b.i);
  const labs = strict
    ? sorted.map((c) => ({ ...c.lab, L: fitL(c.lab.L) }))
    : sorted.map((c) => c.lab);
  const picked: number[] = [];
  for (const minDist of [0.06, 0.03]) {
    for (const x of cands) {
      if (picked.length >= 6) break;
      if (picked.includes(x.i)) continue;
      if (picked.every((p) => deltaE(labs[p], labs[x.i]) >= minDist)) picked.push(x.i);
    }
  }
  const out = picked.map((i) => lchs[i]);
  const base = out.length
    ? out.reduce((m, c) => (c.C > m.C ? c : m))
    : labToLch(rgbToOklab(sorted[0].rgb));
  const chroma = Math.max(base.C, 0.05);
  for (let step = 1; out.length < 6; step++) {
    out.push({ L: base.L, C: chroma, h: (base.h + step * 60) % 360 });
  }
  return out;
}

/** Orders six colours so that each lands on the ANSI slot nearest its hue. */
function assignSlots(colors: readonly LCH[]): LCH[] {
  let best: number[] = [0, 1, 2, 3, 4, 5];
  let bestCost = Infinity;
  for (const perm of permutations([0, 1, 2, 3, 4, 5])) {
    let cost = 0;
    for (let slot = 0; slot < 6; slot++) {
      const c = colors[perm[slot]];
      const d = Math.abs(((c.h - ANSI_HUES[slot]) % 360 + 540) % 360 - 180);
      cost += Math.min(1, c.C / 0.08) * d;
    }
    if (cost < bestCost - 1e-9) {
      bestCost = cost;
      best = perm;
    }
  }
  return best.map((i) => colors[i]);
}

function* permutations(xs: number[]): Generator<number[]> {
  if (xs.length <= 1) {
    yield xs;
    return;
  }
  for (let i = 0; i < xs.length; i++) {
    const rest = [...xs.slice(0, i), ...xs.slice(i + 1)];
    for (const p of permutations(rest)) yield [xs[i], ...p];
  }
}

/**
 * Checks the contrast guarantees of a palette.
 *
 * @throws {Error} Naming the colour that falls short.
 * @example A palette whose foreground is its background fails
 * ```ts
 * import assert from "node:assert/strict";
 * import { quantize } from "./quantize.ts";
 * import { assertGuarantees, derivePalette } from "./derive.ts";
 *
 * const data = new Uint8Array([20, 30, 60, 255, 200, 120, 40, 255]);
 * const p = derivePalette(quantize({ width: 2, height: 1, data }));
 * assertGuarantees(p); // what derivePalette makes always passes
 * assert.throws(
 *   () => assertGuarantees({ ...p, foreground: p.background }),
 *   /foreground contrast 1.00 is below 4.5/,
 * );
 * ```
 */
export function assertGuarantees(p: PaletteRecord): void {
  const fg = hexContrast(p.foreground, p.background);
  if (fg < MIN_FOREGROUND_CONTRAST) {
    throw new Error(`Palette foreground contrast ${fg.toFixed(2)} is below 4.5`);
  }
  p.colors.forEach((c, i) => {
    if (i === 0 || i === 8) return;
    const r = hexContrast(c, p.background);
    if (r < MIN_COLOR_CONTRAST) {
      throw new Error(`Palette color${i} ${c} has contrast ${r.toFixed(2)}, below 3`);
    }
  });
}

const clamp = (v: number, lo: number, hi: number) => v < lo ? lo : v > hi ? hi : v;
