// Generates test images with imagescript (needs --allow-ffi, tests and demo only).
import { Image } from "imagescript";

/** How to paint a generated image. */
export interface ImageSpec {
  width: number;
  height: number;
  /** Colours as 0xRRGGBB; painted as horizontal bands, or a gradient when `gradient`. */
  colors: number[];
  gradient?: boolean;
  /** Adds deterministic noise of this amplitude (0–255). @default 0 */
  noise?: number;
}

/** Paints an image from a spec. */
export function paint(spec: ImageSpec): Image {
  const { width, height, colors, gradient = false, noise = 0 } = spec;
  const img = new Image(width, height);
  const bm = img.bitmap;
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 0xffffffff);
  for (let y = 0; y < height; y++) {
    let c: number;
    if (gradient && colors.length > 1) {
      const t = (y / Math.max(1, height - 1)) * (colors.length - 1);
      const i = Math.min(colors.length - 2, Math.floor(t));
      const f = t - i;
      c = mix(colors[i], colors[i + 1], f);
    } else {
      c = colors[Math.min(colors.length - 1, Math.floor((y / height) * colors.length))];
    }
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      const n = noise ? (rand() - 0.5) * noise : 0;
      bm[o] = clamp(((c >> 16) & 255) + n);
      bm[o + 1] = clamp(((c >> 8) & 255) + n);
      bm[o + 2] = clamp((c & 255) + n);
      bm[o + 3] = 255;
    }
  }
  return img;
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

function mix(a: number, b: number, f: number): number {
  const ch = (s: number) => Math.round(((a >> s) & 255) * (1 - f) + ((b >> s) & 255) * f) << s;
  return ch(16) | ch(8) | ch(0);
}

/** Writes a generated image as PNG or JPEG, creating folders. Returns the path. */
export async function writeImage(path: string, spec: ImageSpec): Promise<string> {
  const img = paint(spec);
  const dir = path.replace(/\/[^/]*$/, "");
  await Deno.mkdir(dir, { recursive: true });
  const bytes = /\.jpe?g$/i.test(path) ? await img.encodeJPEG(90) : await img.encode(1);
  await Deno.writeFile(path, bytes);
  return path;
}

/** A few named colours for readable tests. */
export const COLORS = {
  red: 0xd03030,
  green: 0x30a040,
  blue: 0x2050d0,
  navy: 0x101838,
  orange: 0xe08020,
  yellow: 0xe0d040,
  purple: 0x8030b0,
  teal: 0x209090,
  white: 0xf4f4f0,
  black: 0x080808,
  grey: 0x808080,
  pink: 0xe070a0,
} as const;
