import { assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import {
  checkImageSize,
  describeNonImage,
  readImageHeader,
  sniffFormat,
  truncation,
} from "../../src/remote/image_check.ts";
import { jpeg, png } from "./_fake_services.ts";

function webp(chunk: "VP8 " | "VP8L" | "VP8X", w: number, h: number): Uint8Array {
  const b = new Uint8Array(40);
  const dv = new DataView(b.buffer);
  b.set(new TextEncoder().encode("RIFF"), 0);
  dv.setUint32(4, 32, true);
  b.set(new TextEncoder().encode("WEBP" + chunk), 8);
  if (chunk === "VP8 ") {
    b.set([0x9d, 0x01, 0x2a], 23);
    dv.setUint16(26, w, true);
    dv.setUint16(28, h, true);
  } else if (chunk === "VP8L") {
    b[20] = 0x2f;
    dv.setUint32(21, (w - 1) | ((h - 1) << 14), true);
  } else {
    b[24] = (w - 1) & 255;
    b[25] = ((w - 1) >> 8) & 255;
    b[26] = ((w - 1) >> 16) & 255;
    b[27] = (h - 1) & 255;
    b[28] = ((h - 1) >> 8) & 255;
    b[29] = ((h - 1) >> 16) & 255;
  }
  return b;
}

Deno.test("readImageHeader() reads JPEG, PNG and the three WebP headers", async () => {
  assertEquals(readImageHeader(await jpeg(123, 45, 0x102030)), {
    format: "jpg",
    width: 123,
    height: 45,
  });
  assertEquals(readImageHeader(await png(77, 66, 0x102030)), {
    format: "png",
    width: 77,
    height: 66,
  });
  assertEquals(readImageHeader(webp("VP8 ", 1920, 1080)), {
    format: "webp",
    width: 1920,
    height: 1080,
  });
  assertEquals(readImageHeader(webp("VP8L", 640, 480)), {
    format: "webp",
    width: 640,
    height: 480,
  });
  assertEquals(readImageHeader(webp("VP8X", 7680, 4320)), {
    format: "webp",
    width: 7680,
    height: 4320,
  });
});

Deno.test("readImageHeader() explains what a non-image is", () => {
  const t = (s: string) => new TextEncoder().encode(s);
  assertEquals(readImageHeader(t("\uFEFF  <!DOCTYPE html><html>")), {
    error: "an HTML page, not an image",
  });
  assertEquals(readImageHeader(t('{"error":1}')), { error: "a JSON document, not an image" });
  assertStringIncludes(describeNonImage(t("GIF89a....")), "GIF");
  assertStringIncludes(describeNonImage(new Uint8Array([1, 2, 3, 4])), "starts with 01 02 03 04");
  assertEquals(sniffFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])), "jpg");
  const cut = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
  assertStringIncludes((readImageHeader(cut) as { error: string }).error, "truncated or malformed");
});

Deno.test("truncation() checks PNG IEND, WebP RIFF size and JPEG end marker", async () => {
  const p = await png(10, 10, 0);
  assertEquals(truncation("png", p, p.subarray(-100), p.length, false), null);
  assertStringIncludes(truncation("png", p, p.subarray(-100, -5), p.length - 5, false)!, "IEND");
  const w = webp("VP8X", 10, 10);
  assertEquals(truncation("webp", w, w, 40, true), null);
  assertStringIncludes(truncation("webp", w, w, 30, true)!, "says 40 bytes but 30 arrived");
  const j = await jpeg(10, 10, 0);
  assertEquals(truncation("jpg", j, j.subarray(-64), j.length, false), null);
  assertStringIncludes(
    truncation("jpg", j, j.subarray(-64, -2), j.length - 2, false)!,
    "no end marker",
  );
  assertEquals(truncation("jpg", j, j.subarray(-64, -2), j.length - 2, true), null);
});

Deno.test("checkImageSize() enforces the minimum and the pixel limit", () => {
  const b = { minWidth: 640, minHeight: 480 };
  assertEquals(checkImageSize(640, 480, b), null);
  assertStringIncludes(checkImageSize(639, 480, b)!, "too small: 639×480");
  // By default the same limit as [palette] max_megapixels' default (150), and the same side limit.
  assertEquals(checkImageSize(15000, 10000, b), null);
  assertStringIncludes(checkImageSize(15001, 10000, b)!, "exceeds 150 megapixels");
  assertStringIncludes(checkImageSize(70000, 640, b)!, "side longer than 65535");
  assertStringIncludes(
    checkImageSize(100, 100, { ...b, minWidth: 1, minHeight: 1, maxPixels: 9999 })!,
    "too large",
  );
});

Deno.test("readImageHeader() takes a JPEG's largest frame: a second SOF cannot slip past the limit", () => {
  const sof = (
    w: number,
    h: number,
  ) => [0xff, 0xc0, 0, 11, 8, h >> 8, h & 255, w >> 8, w & 255, 1, 1, 0x11, 0];
  const bytes = new Uint8Array([
    0xff,
    0xd8,
    ...sof(64, 48),
    ...sof(60000, 60000),
    0xff,
    0xda,
    0,
    2,
  ]);
  assertEquals(readImageHeader(bytes), { format: "jpg", width: 60000, height: 60000 });
  assertStringIncludes(checkImageSize(60000, 60000, { minWidth: 1, minHeight: 1 })!, "too large");
});

Deno.test("readImageHeader() gives a JPEG's size as shown: EXIF orientations 5–8 turn it a quarter", async () => {
  /** An APP1 EXIF segment with one IFD0 entry: the orientation, in either byte order. */
  const exif = (orientation: number, le: boolean) => {
    const u16 = (v: number) => le ? [v & 255, v >> 8] : [v >> 8, v & 255];
    const u32 = (v: number) => le ? [v & 255, 0, 0, 0] : [0, 0, 0, v & 255];
    const tiff = [
      ...(le ? [0x49, 0x49] : [0x4d, 0x4d]),
      ...u16(42),
      ...u32(8),
      ...u16(1),
      ...u16(0x0112),
      ...u16(3),
      ...u32(1),
      ...u16(orientation),
      0,
      0,
      ...u32(0),
    ];
    const payload = [...new TextEncoder().encode("Exif\0\0"), ...tiff];
    const len = payload.length + 2;
    return [0xff, 0xe1, len >> 8, len & 255, ...payload];
  };
  const plain = await jpeg(600, 1000, 0x102030);
  const withExif = (o: number, le: boolean) =>
    new Uint8Array([0xff, 0xd8, ...exif(o, le), ...plain.subarray(2)]);
  for (const le of [true, false]) {
    assertEquals(readImageHeader(withExif(6, le)), { format: "jpg", width: 1000, height: 600 });
    assertEquals(readImageHeader(withExif(8, le)), { format: "jpg", width: 1000, height: 600 });
    assertEquals(readImageHeader(withExif(1, le)), { format: "jpg", width: 600, height: 1000 });
    assertEquals(readImageHeader(withExif(3, le)), { format: "jpg", width: 600, height: 1000 });
  }
  // So a picture shown 1000 wide passes a 640 × 480 minimum that its stored 600 would fail.
  assertEquals(checkImageSize(1000, 600, { minWidth: 640, minHeight: 480 }), null);
});
