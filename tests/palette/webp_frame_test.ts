// An animated WebP (a sticker, a cinemagraph) is read by its first frame: libwebp's still
// decoder refuses animations, and the file was once called damaged and left out for good.
import { assertEquals } from "../_helpers/assert.ts";
import { decodeImage } from "../../src/palette/decode.ts";
import { firstWebpFrame, isAnimatedWebp } from "../../src/palette/webp_frame.ts";

/** A lossless still WebP of one colour, made with libwebp's encoder (@jsquash/webp). */
async function stillWebp(rgb: [number, number, number], width: number, height: number) {
  const spec = "@jsquash/webp/encode.js";
  const m = await import("@jsquash/webp/encode.js");
  const wasm = await Deno.readFile(new URL("./codec/enc/webp_enc.wasm", import.meta.resolve(spec)));
  await m.init({ wasmBinary: wasm } as never);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < data.length; i += 4) data.set([...rgb, 255], i);
  const out = await m.default({ data, width, height, colorSpace: "srgb" } as never, {
    lossless: 1,
  } as never);
  return new Uint8Array(out);
}

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
const le = (v: number, n: number) => Array.from({ length: n }, (_, i) => (v >>> (8 * i)) & 255);
const chunk = (id: string, data: number[]) => [
  ...ascii(id),
  ...le(data.length, 4),
  ...data,
  ...(data.length & 1 ? [0] : []),
];

/** An animated WebP of the stills' image chunks as frames, as gif2webp and img2webp write one. */
function animated(stills: Uint8Array[], width: number, height: number): Uint8Array {
  const frames = stills.map((s) =>
    chunk("ANMF", [
      ...le(0, 3),
      ...le(0, 3),
      ...le(width - 1, 3),
      ...le(height - 1, 3),
      ...le(100, 3),
      0,
      ...s.subarray(12), // the still's VP8L chunk
    ])
  );
  const body = [
    ...ascii("WEBP"),
    ...chunk("VP8X", [0x02, 0, 0, 0, ...le(width - 1, 3), ...le(height - 1, 3)]),
    ...chunk("ANIM", [0, 0, 0, 0, 0, 0]),
    ...frames.flat(),
  ];
  return new Uint8Array([...ascii("RIFF"), ...le(body.length, 4), ...body]);
}

Deno.test("decodeImage() reads an animated WebP by its first frame", async () => {
  const blue = await stillWebp([0x20, 0x50, 0xc0], 40, 30);
  const red = await stillWebp([0xc0, 0x30, 0x20], 40, 30);
  const anim = animated([blue, red], 40, 30);
  assertEquals([isAnimatedWebp(anim), isAnimatedWebp(blue)], [true, false]);
  assertEquals(firstWebpFrame(blue), undefined, "a still is left as it is");
  const px = await decodeImage(anim, { name: "sticker.webp" });
  assertEquals([px.width, px.height], [40, 30]);
  assertEquals(Array.from(px.data.subarray(0, 4)), [0x20, 0x50, 0xc0, 255]);
  // A frame cut off: no frame to read, and the decoder says the file is damaged.
  assertEquals(firstWebpFrame(anim.subarray(0, 60)), undefined);
});
