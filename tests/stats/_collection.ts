// A generated collection with a known distribution, written through src/db functions.
import type { Database } from "../../src/db/database.ts";
import { addSource } from "../../src/db/sources.ts";
import { insertImage, markMissing, setImageFlag } from "../../src/db/images.ts";
import { savePalette } from "../../src/db/palettes.ts";
import type { PaletteRecord } from "../../src/palette/palette_record.ts";
import { recordShows } from "../../src/db/history.ts";

/** "Now" of the known collection. */
export const NOW = Date.UTC(2026, 5, 15, 12, 0, 0);
const H = 3_600_000;
const D = 86_400_000;

/**
 * A palette with given summary figures (colours derived loosely, for the
 * report). `shares` are `[hue, share]` pairs; by default `sat` of the picture
 * in the hue's bucket (none for a grey palette).
 */
export function palette(
  hue: number | null,
  sat: number,
  light: number,
  temp: number,
  shares?: [number, number][],
): PaletteRecord {
  const h = hue ?? 0;
  const s = hue === null ? 0 : Math.round(sat * 100);
  const colors = Array.from(
    { length: 16 },
    (_, i) =>
      `hsl(${(h + i * 23) % 360} ${s}% ${
        Math.round(Math.min(95, 10 + light * 60 + (i % 8) * 4))
      }%)`,
  ).map(hslToHex);
  return {
    origin: "builtin",
    variant: "dark16",
    background: hslToHex(`hsl(${h} ${s}% ${Math.round(light * 40)}%)`),
    foreground: "#eeeeee",
    cursor: "#eeeeee",
    colors,
    avg_hue: hue,
    avg_saturation: sat,
    avg_lightness: light,
    temperature: temp,
    hue_shares: (shares ?? (hue === null ? [] : [[hue, sat]])).map(([h, share]) => ({
      hue: Math.floor((((h % 360) + 360) % 360) / 5) * 5,
      share,
    })),
  };
}

function hslToHex(css: string): string {
  const [h, s, l] = css.match(/[\d.]+/g)!.map(Number);
  const a = (s / 100) * Math.min(l / 100, 1 - l / 100);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const v = l / 100 - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(v * 255).toString(16).padStart(2, "0");
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

/**
 * Palette groups: [count, hue, saturation, lightness, temperature, hue shares
 * as [hue, share] pairs].
 */
export const GROUPS: [number, number | null, number, number, number, [number, number][]][] = [
  [6, null, 0.05, 0.05, 0, []], // grey, L bin 0, dark, sat grey, neutral
  [4, 10, 0.05, 0.15, 0.5, [[10, 0.05]]], // grey (5 % red), L bin 1, dark, warm
  [5, 5, 0.2, 0.34, 0.3, [[5, 0.6]]], // red, L bin 3, dark, muted, warm
  [3, 30, 0.35, 0.35, 0.1, [[30, 0.4], [215, 0.3]]], // orange + blue, L bin 3, medium (boundary), moderate, neutral (boundary)
  [7, 185, 0.6, 0.5, -0.5, [[185, 0.7]]], // cyan, L bin 5, medium, vivid (boundary), cool
  [2, 350, 0.9, 0.65, -0.1, [[345, 0.05], [355, 0.05]]], // red (10 % in two buckets), L bin 6, light (boundary), vivid, neutral
  [8, 250, 0.45, 0.99, -0.2, [[250, 0.8]]], // blue, L bin 9, light, moderate, cool (image 27 goes missing)
  [1, 120, 1, 1, 1, [[120, 1]]], // green, L bin 9 (clamped), light, vivid, warm
];

/**
 * Builds the known collection: 60 images in /a (i % 3 ≠ 0) and /b (i % 3 = 0),
 * palettes on images 0–35 (the groups in order), favourites 1–3, banned 4–5,
 * images 27, 58 and 59 missing, and shows of images 1, 2, 10, 11, 27, 40.
 *
 * @returns The image ids by index and the source ids.
 */
export function buildKnownCollection(db: Database): { ids: number[]; a: number; b: number } {
  const a = addSource(db, "/a", { now: NOW - 400 * D }).source.id;
  const b = addSource(db, "/b", { now: NOW - 400 * D }).source.id;
  const ids: number[] = [];
  db.transaction(() => {
    for (let i = 0; i < 60; i++) {
      const src = i % 3 === 0 ? b : a;
      ids.push(insertImage(db, {
        path: `${src === a ? "/a" : "/b"}/img-${String(i).padStart(2, "0")}.jpg`,
        source_id: src,
        size: 1000 + i,
        mtime: NOW - 500 * D,
        width: 1920,
        height: 1080,
        format: "jpg",
      }, NOW - 400 * D));
    }
    let k = 0;
    for (const [count, hue, sat, light, temp, shares] of GROUPS) {
      for (let j = 0; j < count; j++) {
        savePalette(db, ids[k++], palette(hue, sat, light, temp, shares));
      }
    }
  });
  for (const i of [1, 2, 3]) setImageFlag(db, ids[i], "favorite", true);
  for (const i of [4, 5]) setImageFlag(db, ids[i], "banned", true);
  recordShows(db, [
    { imageId: ids[11], shownAt: NOW - 100 * D },
    { imageId: ids[1], shownAt: NOW - 40 * D },
    { imageId: ids[10], shownAt: NOW - 20 * D },
    { imageId: ids[10], shownAt: NOW - 10 * D },
    { imageId: ids[1], shownAt: NOW - 3 * D },
    { imageId: ids[2], shownAt: NOW - 3 * D },
    { imageId: ids[40], shownAt: NOW - 5 * H },
    { imageId: ids[1], shownAt: NOW - 2 * H },
    { imageId: ids[27], shownAt: NOW - 1 * H },
  ]);
  markMissing(db, [ids[27], ids[58], ids[59]], NOW - H / 2);
  return { ids, a, b };
}
