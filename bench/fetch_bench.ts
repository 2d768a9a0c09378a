// `deno task bench fetch`: fetching 200 images from a local server (an RSS feed on
// 127.0.0.1 naming 200 PNGs) through the real fetch worker, at several file sizes:
// throughput, and the worker's peak RSS, which stays flat as files grow because each
// download is streamed to disk. Prints a table and writes bench/results/fetch.json.
//
// The worker's peak RSS comes from GNU time (`/usr/bin/time -f %M`) wrapped around the
// worker process; without it that column is empty. FETCH_BENCH_IMAGES sets every row's count,
// FETCH_BENCH_RUNS the rows ("bytes:count,…").
import { FakeServer, type RawWriter } from "../tests/remote/_fake_server.ts";
import { homeEnv } from "../tests/_helpers/env.ts";
import { parseConfig } from "../src/config/parse.ts";
import { resolvePaths } from "../src/config/paths.ts";
import { Database } from "../src/db/database.ts";
import { fetchRemotes } from "../src/remote/fetch_remotes.ts";
import { defaultLaunch } from "../src/remote/spawn_worker.ts";
import { printTable, type Row, writeResults } from "./_report.ts";

// File size and image count per row: 200 images at three sizes, a few very large files, and
// one 512 MiB file (which would need 512 MiB of memory if it were not streamed).
const RUNS = (Deno.env.get("FETCH_BENCH_RUNS") ??
  "65536:200,1048576:200,8388608:200,33554432:25,536870912:1")
  .split(",").map((r) => r.split(":").map(Number));
const ONLY_N = Deno.env.get("FETCH_BENCH_IMAGES");
const BLOCK = 64 * 1024;

// --- PNG pieces: a valid 800×600 PNG made large by a private ancillary chunk before IEND.
const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc(data: Uint8Array, start = 0xffffffff): number {
  let c = start;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 255] ^ (c >>> 8);
  return c;
}
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  dv.setUint32(8 + data.length, (crc(out.subarray(4, 8 + data.length)) ^ 0xffffffff) >>> 0);
  return out;
}
const { deflateSync } = await import("node:zlib");
const W = 800, H = 600;
function pngHead(i: number): Uint8Array {
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, W);
  dv.setUint32(4, H);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = new Uint8Array((W * 3 + 1) * H);
  for (let y = 0; y < H; y++) {
    raw.fill((i * 37 + y) & 255, y * (W * 3 + 1) + 1, (y + 1) * (W * 3 + 1));
  }
  return new Uint8Array([
    ...[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    ...chunk("IHDR", ihdr),
    ...chunk("IDAT", new Uint8Array(deflateSync(raw))),
  ]);
}
const IEND = chunk("IEND", new Uint8Array(0));

/** Streams image `i` of `size` bytes: head, a padding chunk written block by block, IEND. */
async function servePng(w: RawWriter, i: number, size: number): Promise<void> {
  const head = pngHead(i);
  const pad = Math.max(0, size - head.length - IEND.length - 12);
  await w.write(
    `HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: ${
      head.length + 12 + pad + IEND.length
    }\r\nConnection: close\r\n\r\n`,
  );
  await w.write(head);
  const hdr = new Uint8Array(8);
  new DataView(hdr.buffer).setUint32(0, pad);
  hdr.set(new TextEncoder().encode("vaRp"), 4);
  await w.write(hdr);
  let c = crc(hdr.subarray(4));
  const block = new Uint8Array(BLOCK).fill(i & 255);
  for (let left = pad; left > 0; left -= BLOCK) {
    const part = block.subarray(0, Math.min(BLOCK, left));
    c = crc(part, c);
    if (!(await w.write(part))) return;
  }
  const tail = new Uint8Array(4);
  new DataView(tail.buffer).setUint32(0, (c ^ 0xffffffff) >>> 0);
  await w.write(tail);
  await w.write(IEND);
}

const timeBin = await Deno.stat("/usr/bin/time").then(() => "/usr/bin/time", () => null);
const rows: Row[] = [];
const tmp = await Deno.makeTempDir({ prefix: "varietal-fetch-bench-" });
try {
  for (const [size, count] of RUNS) {
    const N = ONLY_N ? Number(ONLY_N) : count;
    let current = 0;
    await using server = FakeServer.start((req) => {
      if (req.path === "/feed.xml") {
        const items = Array.from(
          { length: N },
          (_, i) =>
            `<item><title>Image ${i}</title><guid>img-${current}-${i}</guid>` +
            `<media:content url="http://127.0.0.1:${server.port}/img/${i}.png" medium="image"/>` +
            `<media:credit>Bench</media:credit></item>`,
        ).join("");
        return {
          headers: { "Content-Type": "application/rss+xml" },
          body:
            `<rss xmlns:media="http://search.yahoo.com/mrss/"><channel>${items}</channel></rss>`,
        };
      }
      const i = Number(/^\/img\/(\d+)\.png$/.exec(req.path)?.[1]);
      return Number.isInteger(i)
        ? { raw: (w) => servePng(w, i + current * N, size) }
        : { status: 404 };
    });
    current = size;
    const home = `${tmp}/home-${size}`;
    const env = homeEnv(home);
    const paths = resolvePaths((k) => (env as unknown as Record<string, string>)[k]);
    const config = parseConfig(
      `[fetch]\nconcurrency = 4\n[[remote]]\nname = "bench"\nkind = "rss"\nquery = "${server.origin}/feed.xml"\n` +
        `quota = "100GiB"\nmax_file_size = "1GiB"\n`,
      "bench.toml",
    );
    using db = await Database.open(paths.database);
    const rssFile = `${tmp}/rss-${size}.txt`;
    const launch = await defaultLaunch(paths.cache, (k) => Deno.env.get(k));
    if (timeBin) {
      const wrapper = `${tmp}/deno-timed-${size}.sh`;
      await Deno.writeTextFile(
        wrapper,
        `#!/bin/sh\nexec ${timeBin} -a -o '${rssFile}' -f '%M' '${launch.deno}' "$@"\n`,
      );
      await Deno.chmod(wrapper, 0o700);
      launch.deno = wrapper;
    }
    let peakSelf = 0;
    const sampler = setInterval(() => (peakSelf = Math.max(peakSelf, Deno.memoryUsage().rss)), 20);
    const t0 = performance.now();
    const r = await fetchRemotes(db, config, paths, {
      count: N,
      env: (k) => (env as unknown as Record<string, string>)[k] ?? Deno.env.get(k),
      launch,
    });
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    const workerKiB = timeBin
      ? Math.max(...(await Deno.readTextFile(rssFile)).trim().split("\n").map(Number))
      : null;
    const bytes = r.added.reduce((n, f) => n + f.bytes, 0);
    rows.push({
      file_mib: +(size / 1024 / 1024).toFixed(3),
      images: r.added.length,
      warnings: r.warnings.length,
      seconds: +seconds.toFixed(2),
      images_per_s: +(r.added.length / seconds).toFixed(1),
      mib_per_s: +(bytes / 1024 / 1024 / seconds).toFixed(1),
      worker_peak_rss_mib: workerKiB === null ? null : +(workerKiB / 1024).toFixed(1),
      bench_process_peak_rss_mib: +(peakSelf / 1024 / 1024).toFixed(1),
    });
    for (const w of r.warnings.slice(0, 3)) console.log(`warning: ${w.remote}: ${w.message}`);
    await Deno.remove(home, { recursive: true });
  }
} finally {
  await Deno.remove(tmp, { recursive: true }).catch(() => {});
}
printTable("fetch images from a local server (4 at a time)", rows);
console.log(
  "\nworker_peak_rss_mib: the fetch worker process (GNU time); bench_process_peak_rss_mib: this " +
    "process, which also runs the local server and varietal's side of the fetch (indexing).",
);
const file = await writeResults("fetch", {
  concurrency: 4,
  worker_rss_from: timeBin ? "GNU time %M of the worker process" : null,
  rows,
});
console.log(`\nwrote ${file}`);
