// Decoding: colour spaces the decoder hands over differently.
import { assert } from "../_helpers/assert.ts";
import { decodeImage } from "../../src/palette/decode.ts";

const bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

// 16 × 16 CMYK JPEGs (Adobe marker, YCCK) made with ImageMagick:
// `convert -size 16x16 xc:COLOUR -colorspace CMYK -quality 95 out.jpg`. ImageMagick reads
// them back (`-colorspace sRGB`) as 140,192,232 and 223,80,42.
const CMYK = [
  {
    name: "light blue",
    rgb: [140, 192, 232],
    jpeg:
      "/9j/7gAOQWRvYmUAZAAAAAAC/9sAQwACAQEBAQECAQEBAgICAgIEAwICAgIFBAQDBAYFBgYGBQYGBgcJCAYHCQcGBggLCAkKCgoKCgYICwwLCgwJCgoK/9sAQwECAgICAgIFAwMFCgcGBwoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoK/8AAFAgAEAAQBAERAAIRAQMRAQQRAP/EABUAAQEAAAAAAAAAAAAAAAAAAAAJ/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/EABUBAQEAAAAAAAAAAAAAAAAAAAAI/8QAFBEBAAAAAAAAAAAAAAAAAAAAAP/aAA4EAQACEQMRBAAAPwCb6f1ALQAAAAP/2Q==",
  },
  {
    name: "orange",
    rgb: [223, 80, 42],
    jpeg:
      "/9j/7gAOQWRvYmUAZAAAAAAC/9sAQwACAQEBAQECAQEBAgICAgIEAwICAgIFBAQDBAYFBgYGBQYGBgcJCAYHCQcGBggLCAkKCgoKCgYICwwLCgwJCgoK/9sAQwECAgICAgIFAwMFCgcGBwoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoK/8AAFAgAEAAQBAERAAIRAQMRAQQRAP/EABYAAQEBAAAAAAAAAAAAAAAAAAAGCf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/xAAWAQEBAQAAAAAAAAAAAAAAAAAACAn/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADgQBAAIRAxEEAAA/AJ9YjKtsAAAAA//Z",
  },
];

Deno.test("decodeImage() turns a CMYK JPEG's ink into the colours it prints", async () => {
  for (const c of CMYK) {
    const p = await decodeImage(bytes(c.jpeg), { name: c.name });
    const i = (8 * p.width + 8) * 4;
    const got = [...p.data.slice(i, i + 3)];
    assert(
      got.every((v, k) => Math.abs(v - c.rgb[k]) <= 2),
      `${c.name}: ${got} instead of ${c.rgb}`,
    );
  }
});

Deno.test("decodeImage(): a decoder that cannot be loaded is no fault of the image, and is tried again", async () => {
  const { CODECS, CodecLoadError } = await import("../../src/palette/decode.ts");
  const { describeDecodeFailure } = await import("../../src/palette/guarded_decode.ts");
  const jpeg = bytes(CMYK[0].jpeg);
  const real = CODECS.jpeg;
  // What too few file descriptors or a damaged install look like.
  CODECS.jpeg = () => Promise.reject(new Error("Too many open files (os error 24)"));
  let failed: unknown;
  try {
    await decodeImage(jpeg, { name: "a.jpg" });
  } catch (e) {
    failed = e;
  } finally {
    CODECS.jpeg = real;
  }
  assert(failed instanceof CodecLoadError, String(failed));
  assert(String(failed).includes("the JPEG decoder could not be loaded (Too many open files"));
  assert(describeDecodeFailure(failed, 1e9) === undefined, "never marked undecodable");
  const p = await decodeImage(jpeg, { name: "a.jpg" });
  assert(p.width === 16, "the next try loads it");
});
