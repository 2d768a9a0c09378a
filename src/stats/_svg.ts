// Small SVG chart builders for the HTML report (pure; return markup strings).
import { hslHex } from "./buckets.ts";
import { rangeCentre } from "../palette/hue_ranges.ts";
import { printable } from "../text/printable.ts";

/**
 * Escapes text for HTML and SVG. Control characters (a file name may hold
 * them) are written visibly as `\x1b` and the like: HTML allows them neither
 * raw nor as character references.
 *
 * @example Markup characters as character references, controls made visible
 * ```ts
 * import assert from "node:assert/strict";
 * import { esc } from "./_svg.ts";
 *
 * assert.equal(esc(`<a href="x">&</a>`), "&#60;a href=&#34;x&#34;&#62;&#38;&#60;/a&#62;");
 * assert.equal(esc("a\x1b[31mb"), "a\\x1b[31mb");
 * ```
 */
export function esc(s: string): string {
  return printable(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const n1 = (x: number) => Math.round(x * 10) / 10;

/** A bar of a chart. */
export interface BarDatum {
  label: string;
  count: number;
  color: string;
}

/**
 * A horizontal bar chart with labels and counts.
 *
 * @param title Accessible name of the chart.
 * @param rows Bars from top to bottom.
 * @param total Shown as a percentage beside each count (0 for none).
 * @example Bars scaled to the largest, with percentages
 * ```ts
 * import assert from "node:assert/strict";
 * import { barChart } from "./_svg.ts";
 *
 * const svg = barChart("Hue", [
 *   { label: "red", count: 2, color: "#dd3c3c" },
 *   { label: "grey", count: 0, color: "#9a9a9a" },
 * ], 4);
 * assert.ok(svg.startsWith('<svg class="chart" role="img" aria-label="Hue"'));
 * assert.ok(svg.includes("<title>red: 2 · 50%</title>"));
 * assert.ok(svg.includes('width="260" height="16" rx="3" fill="#dd3c3c"')); // the longest bar
 * ```
 */
export function barChart(title: string, rows: readonly BarDatum[], total = 0): string {
  // Room for the longest label ("magenta 300–345°") right-aligned before the bars.
  const rowH = 22, labelW = 150, barW = 260, countW = 90;
  const w = labelW + barW + countW, h = rows.length * rowH + 4;
  const max = Math.max(1, ...rows.map((r) => r.count));
  const bars = rows.map((r, i) => {
    const y = i * rowH + 2;
    const bw = r.count > 0 ? Math.max(1.5, (r.count / max) * barW) : 0;
    const pct = total > 0 ? ` · ${Math.round((r.count / total) * 100)}%` : "";
    return `<g class="bar"><title>${esc(`${r.label}: ${r.count}${pct}`)}</title>` +
      `<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${esc(r.label)}</text>` +
      `<rect x="${labelW}" y="${y + 3}" width="${n1(bw)}" height="${rowH - 6}" rx="3" fill="${
        esc(r.color)
      }"/>` +
      `<text x="${labelW + bw + 6}" y="${y + 15}" class="count">${r.count}${pct}</text></g>`;
  }).join("");
  return `<svg class="chart" role="img" aria-label="${esc(title)}" viewBox="0 0 ${w} ${h}" ` +
    `width="${w}" height="${h}">${bars}</svg>`;
}

/**
 * A column chart (e.g. shows per day): one column per value, oldest on the left.
 *
 * @example One column per day
 * ```ts
 * import assert from "node:assert/strict";
 * import { columnChart } from "./_svg.ts";
 *
 * const svg = columnChart("Shows per day", [
 *   { label: "2026-12-01", count: 3 },
 *   { label: "2026-12-02", count: 1 },
 * ]);
 * assert.equal(svg.match(/<rect /g)?.length, 2);
 * assert.ok(svg.includes("<title>2026-12-01: 3</title>"));
 * assert.ok(svg.includes("max 3/day"));
 * ```
 */
export function columnChart(
  title: string,
  values: readonly { label: string; count: number }[],
  color = "#7aa2f7",
): string {
  // The columns stay below the "max" label (the newest, at the right, are often the tallest).
  const w = 720, h = 120, pad = 18, head = 18;
  const most = Math.max(0, ...values.map((v) => v.count));
  const max = Math.max(1, most);
  const cw = (w - 2) / Math.max(1, values.length);
  const cols = values.map((v, i) => {
    const ch = (v.count / max) * (h - pad - head);
    return `<rect x="${n1(1 + i * cw)}" y="${n1(h - pad - ch)}" width="${
      n1(Math.max(1, cw - 1))
    }" height="${n1(ch)}" fill="${color}"><title>${esc(`${v.label}: ${v.count}`)}</title></rect>`;
  }).join("");
  const first = values[0]?.label ?? "", last = values.at(-1)?.label ?? "";
  return `<svg class="chart" role="img" aria-label="${esc(title)}" viewBox="0 0 ${w} ${h}" ` +
    `width="${w}" height="${h}">${cols}` +
    `<line x1="0" y1="${h - pad}" x2="${w}" y2="${h - pad}" class="axis"/>` +
    `<text x="0" y="${h - 4}">${esc(first)}</text>` +
    `<text x="${w}" y="${h - 4}" text-anchor="end">${esc(last)}</text>` +
    `<text x="${w}" y="12" text-anchor="end" class="count">max ${most}/day</text></svg>`;
}

/** A named hue range as the charts draw it. */
export interface HueRangeLike {
  name: string;
  from: number;
  to: number;
}

/** A palette's position and colour on the hue wheel. */
export interface WheelDot {
  hue: number | null;
  saturation: number;
  lightness: number;
}

/**
 * The colour a palette's summary figures stand for.
 *
 * @example Greys have no hue; lightness kept off the extremes
 * ```ts
 * import assert from "node:assert/strict";
 * import { dotColor } from "./_svg.ts";
 *
 * assert.equal(dotColor({ hue: null, saturation: 0.5, lightness: 0.5 }), "#808080");
 * assert.equal(dotColor({ hue: 0, saturation: 1, lightness: 0.5 }), "#ff0000");
 * assert.equal(dotColor({ hue: 0, saturation: 1, lightness: 0.99 }), "#ffb3b3"); // at most 0.85
 * ```
 */
export function dotColor(d: WheelDot): string {
  const l = Math.min(0.85, Math.max(0.15, d.lightness));
  return d.hue === null ? hslHex(0, 0, l) : hslHex(d.hue, Math.min(1, d.saturation), l);
}

/**
 * A hue wheel: every palette a dot at its hue (angle, 0° = red at the top,
 * clockwise) and saturation (distance from the centre); the outer ring shows
 * how many palettes show each named hue range (`from > to` wraps past 360°).
 *
 * @example A wheel with one palette and one range
 * ```ts
 * import assert from "node:assert/strict";
 * import { hueWheel } from "./_svg.ts";
 *
 * const svg = hueWheel(
 *   [{ hue: 0, saturation: 1, lightness: 0.5 }],
 *   [{ name: "red", from: 345, to: 15, count: 1, color: "#dd3c3c" }],
 * );
 * assert.ok(svg.includes('aria-label="Hue wheel of 1 palettes"'));
 * assert.equal(svg.match(/<circle /g)?.length, 3); // the disc, the half-saturation guide, the dot
 * ```
 */
export function hueWheel(
  dots: readonly WheelDot[],
  bins: readonly { name: string; count: number; color: string; from: number; to: number }[],
): string {
  const size = 360, c = size / 2, r = 130, ring = 22;
  const pt = (deg: number, rad: number) => {
    const a = (deg - 90) * Math.PI / 180;
    return [n1(c + rad * Math.cos(a)), n1(c + rad * Math.sin(a))];
  };
  const max = Math.max(1, ...bins.map((b) => b.count));
  const arcs = bins.map((b) => {
    const outer = r + 8 + ring * (0.15 + 0.85 * (b.count / max));
    const to = b.to < b.from ? b.to + 360 : b.to;
    const large = to - b.from - 2 > 180 ? 1 : 0;
    const [x1, y1] = pt(b.from + 1, r + 8), [x2, y2] = pt(to - 1, r + 8);
    const [x3, y3] = pt(to - 1, outer), [x4, y4] = pt(b.from + 1, outer);
    return `<path d="M${x1} ${y1}A${r + 8} ${
      r + 8
    } 0 ${large} 1 ${x2} ${y2}L${x3} ${y3}A${outer} ${outer} 0 ${large} 0 ${x4} ${y4}Z" fill="${b.color}" opacity="${
      b.count ? 1 : 0.25
    }"><title>${esc(`${b.name} ${b.from}–${b.to}°: ${b.count}`)}</title></path>`;
  }).join("");
  const pts = dots.map((d, i) => {
    // Greys sit in a small disc at the centre, spread by a golden-angle spiral.
    const [x, y] = d.hue === null
      ? pt((i * 137.508) % 360, 10 * Math.sqrt((i % 97) / 97))
      : pt(d.hue, 14 + (r - 14) * Math.min(1, d.saturation));
    return `<circle cx="${x}" cy="${y}" r="2.6" fill="${dotColor(d)}"/>`;
  }).join("");
  return `<svg class="wheel" role="img" aria-label="Hue wheel of ${dots.length} palettes" ` +
    `viewBox="0 0 ${size} ${size}" width="${size}" height="${size}">` +
    `<circle cx="${c}" cy="${c}" r="${r}" class="disc"/>` +
    `<circle cx="${c}" cy="${c}" r="${r / 2}" class="guide"/>${arcs}${pts}</svg>`;
}

/**
 * A strip of every palette sorted by hue then lightness (greys at the end).
 *
 * @example Sorted by hue, greys last
 * ```ts
 * import assert from "node:assert/strict";
 * import { hueStrip } from "./_svg.ts";
 *
 * const svg = hueStrip([
 *   { hue: null, saturation: 0, lightness: 0.5 },
 *   { hue: 200, saturation: 1, lightness: 0.5 },
 *   { hue: 10, saturation: 1, lightness: 0.5 },
 * ]);
 * assert.deepEqual([...svg.matchAll(/fill="(#\w+)"/g)].map((m) => m[1]), ["#ff2b00", "#00aaff", "#808080"]);
 * ```
 */
export function hueStrip(dots: readonly WheelDot[]): string {
  const sorted = [...dots].sort((a, b) =>
    (a.hue === null ? 1 : 0) - (b.hue === null ? 1 : 0) ||
    (a.hue ?? 0) - (b.hue ?? 0) || a.lightness - b.lightness
  );
  const w = 720, h = 36;
  const cw = w / Math.max(1, sorted.length);
  const cols = sorted.map((d, i) =>
    `<rect x="${n1(i * cw)}" y="0" width="${n1(cw + 0.6)}" height="${h}" fill="${dotColor(d)}"/>`
  ).join("");
  return `<svg class="strip" role="img" aria-label="Palettes sorted by hue" viewBox="0 0 ${w} ${h}" ` +
    `width="${w}" height="${h}" preserveAspectRatio="none">${cols}</svg>`;
}

/**
 * A heat map of palettes by lightness (rows, light at the top) and named hue
 * range (columns, then grey; `h` indexes `hues`, -1 grey): each cell drawn
 * in its own hue and lightness, more opaque the more palettes it holds.
 *
 * @example Ten lightness rows by the hue columns and grey
 * ```ts
 * import assert from "node:assert/strict";
 * import { lightnessHueMap } from "./_svg.ts";
 *
 * const svg = lightnessHueMap([{ l: 3, h: 0, n: 2 }, { l: 8, h: -1, n: 1 }], [
 *   { name: "red", from: 345, to: 15 },
 * ]);
 * assert.equal(svg.match(/<rect /g)?.length, 20); // 10 rows × (red, grey)
 * assert.ok(svg.includes("<title>red, lightness 0.3–0.4: 2</title>"));
 * ```
 */
export function lightnessHueMap(
  cells: readonly { l: number; h: number; n: number }[],
  hues: readonly HueRangeLike[],
): string {
  const hueNames = hues.map((x) => x.name);
  // Columns wide enough for a whole name ("magenta"): names cut to 5 letters read as typos.
  const cw = 54, ch = 22, left = 58, top = 6, cols = hueNames.length + 1;
  const w = left + cols * cw + 4, h = top + 10 * ch + 24;
  const max = Math.max(1, ...cells.map((c) => c.n));
  const at = new Map(cells.map((c) => [`${c.l}|${c.h}`, c.n]));
  const out: string[] = [];
  for (let l = 0; l < 10; l++) {
    const y = top + (9 - l) * ch;
    out.push(`<text x="${left - 6}" y="${y + 15}" text-anchor="end">${(l / 10).toFixed(1)}</text>`);
    for (let c = 0; c < cols; c++) {
      const hue = c < hueNames.length ? c : -1;
      const n = at.get(`${l}|${hue}`) ?? 0;
      const fill = hue < 0
        ? hslHex(0, 0, (l + 0.5) / 10)
        : hslHex(rangeCentre(hues[hue]), 0.65, Math.min(0.9, Math.max(0.1, (l + 0.5) / 10)));
      const opacity = n ? 0.15 + 0.85 * Math.sqrt(n / max) : 0.04;
      const name = hue < 0 ? "grey" : hueNames[hue];
      out.push(
        `<rect x="${left + c * cw}" y="${y}" width="${cw - 2}" height="${
          ch - 2
        }" rx="3" fill="${fill}" opacity="${n1(opacity * 100) / 100}"><title>${
          esc(`${name}, lightness ${(l / 10).toFixed(1)}–${((l + 1) / 10).toFixed(1)}: ${n}`)
        }</title></rect>`,
      );
    }
  }
  hueNames.concat("grey").forEach((name, c) =>
    out.push(
      `<text x="${left + c * cw + (cw - 2) / 2}" y="${h - 6}" text-anchor="middle" class="count">${
        esc(name)
      }</text>`,
    )
  );
  return `<svg class="chart heat" role="img" aria-label="Palettes by lightness and hue" ` +
    `viewBox="0 0 ${w} ${h}" width="${w}" height="${h}">${out.join("")}</svg>`;
}
