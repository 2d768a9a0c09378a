// downloadImage() against a hostile local server: every bad answer is refused with a clear
// reason, nothing half-written reaches the remote's folder, and good files are kept.
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_helpers/assert.ts";
import {
  closeDelimited,
  endless,
  FakeServer,
  lyingLength,
  type Reply,
  silent,
  stalls,
} from "./_fake_server.ts";
import { jpeg, png } from "./_fake_services.ts";
import { filesIn } from "./_setup.ts";
import { downloadImage, type DownloadTarget, fileName } from "../../src/remote/downloader.ts";
import type { RemoteItem } from "../../src/remote/protocol.ts";

const html = new TextEncoder().encode(
  "<!DOCTYPE html><html><head><title>Error</title></head><body>Rate limited</body></html>",
);

function item(id: string, url: string): RemoteItem {
  return {
    id,
    imageUrl: url,
    pageUrl: null,
    author: null,
    authorUrl: null,
    title: null,
    licence: null,
    width: null,
    height: null,
    fileSize: null,
    pingUrl: null,
  };
}

async function withTarget(
  fn: (t: DownloadTarget, server: FakeServer, dir: string) => Promise<void>,
  replies: Record<string, Reply | ((url: string) => Reply)>,
  overrides: Partial<DownloadTarget> = {},
): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "varietal-dl-" });
  await using server = FakeServer.start((req) => {
    const r = replies[req.path];
    if (!r) return { status: 404 };
    return typeof r === "function" ? r(server.origin) : r;
  });
  const dir = `${root}/remote`;
  await Deno.mkdir(dir);
  await Deno.mkdir(`${root}/.partial`);
  try {
    await fn(
      {
        dir,
        partialDir: `${root}/.partial`,
        maxFileSize: 1024 * 1024,
        budget: 1024 ** 3,
        minWidth: 64,
        minHeight: 48,
        maxPixels: 100_000_000,
        allowed: new Set([server.host]),
        timeouts: { connectMs: 1500, idleMs: 700, totalMs: 2500 },
        userAgent: "varietal-test",
        knownHashes: new Set(),
        ...overrides,
      },
      server,
      dir,
    );
    assertEquals(await filesIn(`${root}/.partial`), [], "a partial file was left behind");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

const good = await jpeg(96, 72, 0x3060a0);
/** 64 KiB starting like a JPEG. */
const chunk64k = new Uint8Array(65536);
chunk64k.set(good.subarray(0, 600));

Deno.test("downloadImage() keeps a good JPEG under its id, with size, format and hash", async () => {
  await withTarget(async (t, s, dir) => {
    const out = await downloadImage(item("abc123", `${s.origin}/a.jpg`), t);
    assert(out.kind === "file", JSON.stringify(out));
    assertEquals([out.width, out.height, out.format, out.bytes], [96, 72, "jpg", good.length]);
    assertEquals(out.path, `${dir}/abc123.jpg`);
    assertEquals(await Deno.readFile(out.path), good);
    assertMatch(out.sha256, /^[0-9a-f]{64}$/);
    assertEquals((await Deno.stat(out.path)).mode! & 0o777, 0o600);
    assert(t.knownHashes.has(out.sha256));
  }, { "/a.jpg": { headers: { "Content-Type": "image/jpeg" }, body: good } });
});

Deno.test('downloadImage() with timeouts past a timer\'s range ("30d" for no limit) downloads', async () => {
  const DAYS_30 = 30 * 86_400_000; // setTimeout would cut it to 1 ms
  await withTarget(
    async (t, s) => {
      const out = await downloadImage(item("big", `${s.origin}/a.jpg`), t);
      assert(out.kind === "file", JSON.stringify(out));
    },
    { "/a.jpg": { headers: { "Content-Type": "image/jpeg" }, body: good } },
    {
      timeouts: { connectMs: DAYS_30, idleMs: DAYS_30, totalMs: DAYS_30 },
    },
  );
});

Deno.test("downloadImage() names files by hash when the id is not a plain word", async () => {
  await withTarget(async (t, s, dir) => {
    for (const id of ["../../etc/passwd", "a/b", "x\u0000y", ".hidden", "é", "x".repeat(300)]) {
      t.knownHashes.clear();
      const out = await downloadImage(item(id, `${s.origin}/a.jpg`), t);
      assert(out.kind === "file", JSON.stringify(out));
      assertMatch(out.path, new RegExp(`^${dir}/[0-9a-f]{32}\\.jpg$`));
      assertEquals((await filesIn(dir)).length, 1);
      await Deno.remove(out.path);
    }
    assertEquals(fileName("wallhaven-94x38z", "f".repeat(64), "png"), "wallhaven-94x38z.png");
  }, { "/a.jpg": { headers: { "Content-Type": "image/jpeg" }, body: good } });
});

Deno.test("downloadImage() takes a file already there with the same bytes instead of a second copy", async () => {
  await withTarget(async (t, s, dir) => {
    // Left from before (a database restored from a backup knows nothing of it).
    await Deno.writeFile(`${dir}/one.jpg`, good);
    const out = await downloadImage(item("one", `${s.origin}/a.jpg`), t);
    assert(out.kind === "file", JSON.stringify(out));
    assertEquals([out.path, out.adopted], [`${dir}/one.jpg`, true]);
    assertEquals(await filesIn(dir), ["one.jpg"]);
    // Other bytes under that name are kept, and the download goes beside them.
    await Deno.writeFile(`${dir}/two.jpg`, new Uint8Array([1, 2, 3]));
    t.knownHashes.clear();
    const other = await downloadImage(item("two", `${s.origin}/a.jpg`), t);
    assert(other.kind === "file", JSON.stringify(other));
    assertMatch(other.path, /\/two-[0-9a-f]{12}\.jpg$/);
    assertEquals(other.adopted, false);
    assertEquals((await Deno.readFile(`${dir}/two.jpg`)).length, 3);
  }, { "/a.jpg": { headers: { "Content-Type": "image/jpeg" }, body: good } });
});

Deno.test("downloadImage() keeps a whole JPEG with data after its end (a motion photo's video)", async () => {
  const video = new Uint8Array(64 * 1024).map((_, i) => (i * 7) & 0xfe); // no FF D9 in it
  const withVideo = new Uint8Array([...good, ...video]);
  await withTarget(async (t, s) => {
    const out = await downloadImage(item("motion", `${s.origin}/m.jpg`), t);
    assert(out.kind === "file", JSON.stringify(out));
    assertEquals(out.bytes, withVideo.length);
  }, { "/m.jpg": { headers: { "Content-Type": "image/jpeg" }, body: withVideo } });
});

Deno.test("downloadImage() discards a picture it already has (same bytes, another URL)", async () => {
  await withTarget(async (t, s, dir) => {
    const a = await downloadImage(item("one", `${s.origin}/a.jpg`), t);
    const b = await downloadImage(item("two", `${s.origin}/b.jpg`), t);
    assertEquals(a.kind, "file");
    assertEquals(b.kind, "duplicate");
    assertEquals(await filesIn(dir), ["one.jpg"]);
  }, {
    "/a.jpg": { headers: { "Content-Type": "image/jpeg" }, body: good },
    "/b.jpg": { headers: { "Content-Type": "application/octet-stream" }, body: good },
  });
});

const refusals: [string, Reply | ((origin: string) => Reply), RegExp, Partial<DownloadTarget>?][] =
  [
    ["an HTML error page with status 200", {
      headers: { "Content-Type": "text/html; charset=utf-8" },
      body: html,
    }, /served as text\/html, not an image/],
    ["an HTML page sent as image/jpeg", {
      headers: { "Content-Type": "image/jpeg" },
      body: html,
    }, /an HTML page, not an image/],
    ["a JSON error sent as an image", {
      headers: { "Content-Type": "image/png" },
      body: '{"error":"quota exceeded","detail":"try again later"}',
    }, /a JSON document, not an image/],
    [
      "a body shorter than its Content-Length",
      lyingLength(good.subarray(0, 500), good.length),
      /truncated|broke/,
    ],
    [
      "a Content-Length over max_file_size",
      {
        headers: { "Content-Type": "image/jpeg" },
        body: good,
      },
      /larger than max_file_size \(\d+ > 1000 bytes\)/,
      { maxFileSize: 1000 },
    ],
    [
      "a body over max_file_size without Content-Length",
      closeDelimited(good),
      /larger than max_file_size/,
      {
        maxFileSize: 1000,
      },
    ],
    ["a never-ending body (byte cap)", endless(chunk64k, 1), /larger than max_file_size/],
    [
      "a never-ending trickle (total timeout)",
      endless(good.subarray(0, 16), 100),
      /total timeout/,
      {
        maxFileSize: 1024 ** 3,
      },
    ],
    [
      "a trickle under min_speed that never stops for the idle timeout",
      endless(good.subarray(0, 16), 100), // 160 bytes/s
      /slower than 1024 bytes\/s for 0\.7s \(min_speed\)/,
      {
        maxFileSize: 1024 ** 3,
        timeouts: { connectMs: 1500, idleMs: 700, totalMs: 2500, minBytesPerSec: 1024 },
      },
    ],
    ["a body that stalls (idle timeout)", stalls(good.subarray(0, 2000), 10_000), /idle timeout/],
    ["a server that never answers (connect timeout)", silent(), /connect timeout/],
    [
      "a JPEG cut short, with a Content-Length to match",
      { headers: { "Content-Type": "image/jpeg" }, body: good.subarray(0, good.length - 300) },
      /no end marker after its image data \(truncated\)/,
    ],
    [
      "a JPEG cut short without Content-Length",
      closeDelimited(good.subarray(0, good.length - 300)),
      /no end marker \(truncated\)/,
    ],
    ["a 403", { status: 403, body: "forbidden" }, /refused access \(403\)/],
    ["a 404", { status: 404, body: "gone" }, /not found \(404\)/],
    ["a 503", { status: 503, body: "down" }, /server failed \(503\)/],
    [
      "an image smaller than the minimum",
      {
        headers: { "Content-Type": "image/jpeg" },
        body: good,
      },
      /too small: 96×72, below the minimum 640×480/,
      { minWidth: 640, minHeight: 480 },
    ],
    ["a redirect to another host", (origin) => ({
      status: 302,
      headers: { Location: `http://127.0.0.1:1${origin.slice(-4)}/x.jpg` },
    }), /refused a redirect to 127\.0\.0\.1:1\d+, which is not an allowed host/],
    [
      "a redirect loop",
      (origin) => ({ status: 301, headers: { Location: `${origin}/a.jpg` } }),
      /more than 5 redirects/,
    ],
  ];

for (const [what, reply, reason, overrides] of refusals) {
  Deno.test(`downloadImage() refuses ${what}, leaving nothing behind`, async () => {
    await withTarget(
      async (t, s, dir) => {
        const out = await downloadImage(item("bad", `${s.origin}/a.jpg`), t);
        assert(out.kind === "rejected", JSON.stringify(out));
        assertMatch(out.reason, reason);
        assertEquals(await filesIn(dir), []);
      },
      { "/a.jpg": reply },
      overrides,
    );
  });
}

Deno.test("downloadImage() calls a refusal permanent when it is about the file, not the moment", async () => {
  const cases: [string, Reply, boolean][] = [
    ["/html.jpg", { headers: { "Content-Type": "image/jpeg" }, body: html }, true],
    ["/page.jpg", { headers: { "Content-Type": "text/html" }, body: html }, true],
    ["/gone.jpg", { status: 404, body: "gone" }, true],
    ["/cut.jpg", lyingLength(good.subarray(0, 500), good.length), false],
    ["/down.jpg", { status: 503, body: "down" }, false],
  ];
  await withTarget(async (t, s) => {
    for (const [path, , permanent] of cases) {
      const out = await downloadImage(item("x", `${s.origin}${path}`), t);
      assert(out.kind === "rejected", `${path}: ${JSON.stringify(out)}`);
      assertEquals(out.permanent, permanent, `${path}: ${out.reason}`);
    }
  }, Object.fromEntries(cases.map(([path, reply]) => [path, reply])));
});

Deno.test("downloadImage() refuses a host that is not allowed before connecting", async () => {
  await withTarget(async (t, s, dir) => {
    const out = await downloadImage(item("x", `http://127.0.0.2:${s.port}/a.jpg`), t);
    assert(out.kind === "rejected");
    assertStringIncludes(out.reason, "127.0.0.2");
    assertStringIncludes(out.reason, "not an allowed host");
    assertEquals(s.requests.length, 0);
    assertEquals(await filesIn(dir), []);
  }, {});
});

Deno.test("downloadImage() follows a redirect within the allowed hosts", async () => {
  await withTarget(async (t, s) => {
    const out = await downloadImage(item("moved", `${s.origin}/old.jpg`), t);
    assertEquals(out.kind, "file");
    assertEquals(s.requests.map((r) => r.path), ["/old.jpg", "/new.jpg"]);
  }, {
    "/old.jpg": { status: 301, headers: { Location: "/new.jpg" } },
    "/new.jpg": { headers: { "Content-Type": "image/jpeg" }, body: good },
  });
});

Deno.test("downloadImage() stops a remote on 429 and says when to come back", async () => {
  await withTarget(async (t, s) => {
    const before = Date.now();
    const out = await downloadImage(item("x", `${s.origin}/a.jpg`), t);
    assert(out.kind === "failure", JSON.stringify(out));
    assertEquals(out.info.rateLimited, true);
    assert(out.info.retryAt! >= before + 120_000 && out.info.retryAt! <= Date.now() + 120_000);
  }, { "/a.jpg": { status: 429, headers: { "Retry-After": "120" }, body: "slow down" } });
});

Deno.test("downloadImage() stops a remote whose quota would be passed", async () => {
  await withTarget(
    async (t, s, dir) => {
      const out = await downloadImage(item("x", `${s.origin}/a.jpg`), t);
      assert(out.kind === "rejected" && out.stop === true, JSON.stringify(out));
      assertStringIncludes(out.reason, "quota");
      assertEquals(await filesIn(dir), []);
    },
    { "/a.jpg": { headers: { "Content-Type": "image/jpeg" }, body: good } },
    { budget: 100 },
  );
});

Deno.test("downloadImage() checks PNGs: whole file and pixel limit from the header", async () => {
  const ok = await png(80, 60, 0x208040);
  // A valid-looking PNG header claiming 20000×20000 pixels, with an IEND at the end.
  const huge = ok.slice();
  new DataView(huge.buffer).setUint32(16, 20000);
  new DataView(huge.buffer).setUint32(20, 20000);
  await withTarget(async (t, s, dir) => {
    const a = await downloadImage(item("ok", `${s.origin}/ok.png`), t);
    assert(a.kind === "file" && a.format === "png", JSON.stringify(a));
    const b = await downloadImage(item("huge", `${s.origin}/huge.png`), t);
    assert(b.kind === "rejected" && b.permanent, JSON.stringify(b));
    assertStringIncludes(b.reason, "too large: 20000×20000 exceeds 100 megapixels");
    const c = await downloadImage(item("cut", `${s.origin}/cut.png`), t);
    assert(c.kind === "rejected");
    assertStringIncludes(c.reason, "IEND");
    assertEquals(await filesIn(dir), ["ok.png"]);
  }, {
    "/ok.png": { headers: { "Content-Type": "image/png" }, body: ok },
    "/huge.png": { headers: { "Content-Type": "image/png" }, body: huge },
    "/cut.png": closeDelimited(ok.subarray(0, ok.length - 20), "image/png"),
  });
});

Deno.test("downloadImage() keeps a gzip-encoded image (Content-Length is the encoded size)", async () => {
  // fetch asks for gzip; the body arrives decoded, longer or shorter than the length announced.
  const gz = new Uint8Array(
    await new Response(
      new Blob([new Uint8Array(good)]).stream().pipeThrough(new CompressionStream("gzip")),
    )
      .arrayBuffer(),
  );
  assert(gz.length !== good.length);
  await withTarget(async (t, s) => {
    const out = await downloadImage(item("gz", `${s.origin}/g.jpg`), t);
    assert(out.kind === "file", JSON.stringify(out));
    assertEquals(out.bytes, good.length);
    assertEquals(await Deno.readFile(out.path), good);
  }, {
    "/g.jpg": { headers: { "Content-Type": "image/jpeg", "Content-Encoding": "gzip" }, body: gz },
  });
});

Deno.test("downloadImage() reads a JPEG whose metadata runs past the first 256 KiB", async () => {
  // Five 64 KiB APP13 segments before the frame header, as photo tools write them.
  const segment = new Uint8Array(4 + 65531);
  segment.set([0xff, 0xed, 0xff, 0xfd]); // APP13, length 65533 (the 2 length bytes included)
  const big = new Uint8Array([
    ...good.subarray(0, 2),
    ...Array.from({ length: 5 }, () => [...segment]).flat(),
    ...good.subarray(2),
  ]);
  await withTarget(
    async (t, s) => {
      const out = await downloadImage(item("meta", `${s.origin}/m.jpg`), t);
      assert(out.kind === "file", JSON.stringify(out));
      assertEquals([out.width, out.height, out.bytes], [96, 72, big.length]);
    },
    { "/m.jpg": { headers: { "Content-Type": "image/jpeg" }, body: big } },
    {
      maxFileSize: 4 * 1024 * 1024,
    },
  );
});
