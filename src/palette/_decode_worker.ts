// A Web Worker that decodes one image at a time for `DecodeWorker`: the
// file is read, checked against the pixel limit, decoded and shrunk here,
// so that a hostile image can be stopped by terminating this thread.
/// <reference lib="deno.worker" />
import { decodeFile, preloadDecoder } from "./decode.ts";
import { downscale } from "./downscale.ts";
import { type DecodeRequest, type DecodeResponse, errorToWire } from "./_decode_wire.ts";
import { materialOfPixels, preloadMaterial } from "./material/pixels_material.ts";

self.onmessage = async (e: MessageEvent<DecodeRequest>) => {
  const msg = e.data;
  if (msg.type === "warm") {
    try {
      if (msg.format) await preloadDecoder(msg.format);
      if (msg.material) await preloadMaterial(msg.material.scheme);
    } catch { /* the decode that follows reports it */ }
    return;
  }
  try {
    const decoded = await decodeFile(msg.path, { minSide: msg.maxSide, maxPixels: msg.maxPixels });
    const decodedBytes = Math.max(decoded.data.byteLength, decoded.workBytes ?? 0);
    const px = downscale(decoded, msg.maxSide);
    // a copy of exactly the pixels, handed over without another copy
    const data = new Uint8Array(px.data);
    self.postMessage(
      {
        type: "done",
        id: msg.id,
        width: px.width,
        height: px.height,
        data,
        decodedBytes,
      } satisfies DecodeResponse,
      [data.buffer],
    );
    // Then, while the caller makes its palette from the pixels, their Material facts
    // (from exactly those pixels, as the caller would compute them).
    if (msg.material) {
      try {
        const material = await materialOfPixels(px, msg.material);
        self.postMessage({ type: "material", id: msg.id, material } satisfies DecodeResponse);
      } catch (err) {
        self.postMessage(
          { type: "material-failed", id: msg.id, error: errorToWire(err) } satisfies DecodeResponse,
        );
      }
    }
    return;
  } catch (err) {
    self.postMessage(
      { type: "failed", id: msg.id, error: errorToWire(err) } satisfies DecodeResponse,
    );
  }
};
self.postMessage({ type: "ready" } satisfies DecodeResponse);
