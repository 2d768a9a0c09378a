// Fake Wallhaven, Unsplash, Reddit, Bing, APOD and RSS services on one local FakeServer,
// answering with the real services' response shapes, plus generated images to download.
import { paint } from "../_helpers/images.ts";
import { type FakeRequest, FakeServer, type Reply } from "./_fake_server.ts";

/** One image a fake service lists. */
export interface FakeImage {
  /** The service's id. */
  id: string;
  bytes: Uint8Array;
  width: number;
  height: number;
}

const cache = new Map<string, Uint8Array>();

/** A JPEG of one colour (cached). */
export async function jpeg(width: number, height: number, color: number): Promise<Uint8Array> {
  const key = `${width}x${height}:${color}`;
  let b = cache.get(key);
  if (!b) {
    b = await paint({ width, height, colors: [color, color ^ 0x405060] }).encodeJPEG(85);
    cache.set(key, b);
  }
  return b;
}

/** A PNG of one colour. */
export async function png(width: number, height: number, color: number): Promise<Uint8Array> {
  return await paint({ width, height, colors: [color] }).encode(1);
}

let counter = 0;

/** `n` distinct JPEG images (each a new colour) with ids `prefix-0`, `prefix-1`, … */
export async function makeImages(
  prefix: string,
  n: number,
  size: { width: number; height: number } = { width: 96, height: 72 },
): Promise<FakeImage[]> {
  const out: FakeImage[] = [];
  for (let i = 0; i < n; i++) {
    const color = ((++counter * 2654435761) >>> 8) & 0xffffff;
    out.push({ id: `${prefix}${i}`, bytes: await jpeg(size.width, size.height, color), ...size });
  }
  return out;
}

/** Every kind's listing, by kind. */
export type FakeKind = "wallhaven" | "unsplash" | "reddit" | "bing" | "apod" | "rss";

/** The fake services; `await using` stops the server. */
export class FakeServices implements AsyncDisposable {
  readonly server: FakeServer;
  /** Images each kind lists. */
  readonly listed: Record<FakeKind, FakeImage[]> = {
    wallhaven: [],
    unsplash: [],
    reddit: [],
    bing: [],
    apod: [],
    rss: [],
  };
  /** Replies that take precedence, by path (for hostile cases). */
  readonly overrides = new Map<string, (req: FakeRequest) => Reply | Promise<Reply>>();
  /** Extra items each kind lists as raw JSON objects / XML (nsfw, videos, broken). */
  readonly extra: Record<FakeKind, unknown[]> = {
    wallhaven: [],
    unsplash: [],
    reddit: [],
    bing: [],
    apod: [],
    rss: [],
  };
  #files = new Map<string, Uint8Array>();

  constructor() {
    this.server = FakeServer.start((req) => this.#handle(req));
  }

  get origin(): string {
    return this.server.origin;
  }

  /** The `api` (or `query` for rss) a remote of each kind points at here. */
  api(kind: FakeKind): string {
    return kind === "rss"
      ? `${this.origin}/rss/feed.xml`
      : `${this.origin}/${kind}${kind === "wallhaven" ? "/api/v1" : ""}`;
  }

  /** Serves a file at `/img/NAME`. */
  file(name: string, bytes: Uint8Array): string {
    this.#files.set(name, bytes);
    return `${this.origin}/img/${name}`;
  }

  /** Lists images for a kind (served under /img/). */
  list(kind: FakeKind, images: FakeImage[]): void {
    this.listed[kind].push(...images);
    for (const im of images) this.#files.set(`${kind}-${im.id}.jpg`, im.bytes);
  }

  /** The image URL a kind's listing gives for an image. */
  imageUrl(kind: FakeKind, im: FakeImage): string {
    if (kind === "bing") return `${this.origin}/th?id=OHR.${im.id}_EN-US1_UHD.jpg`;
    return `${this.origin}/img/${kind}-${im.id}.jpg`;
  }

  #json(value: unknown, headers: Record<string, string> = {}): Reply {
    return {
      headers: { "Content-Type": "application/json; charset=utf-8", ...headers },
      body: JSON.stringify(value),
    };
  }

  async #handle(req: FakeRequest): Promise<Reply> {
    const o = this.overrides.get(req.path);
    if (o) return await o(req);
    const p = req.path;
    const origin = this.origin;
    if (p.startsWith("/img/")) {
      const b = this.#files.get(p.slice(5));
      return b
        ? { headers: { "Content-Type": "image/jpeg" }, body: b }
        : { status: 404, headers: { "Content-Type": "text/html" }, body: "<html>404</html>" };
    }
    if (p === "/th") {
      const id = /^OHR\.(.*)_EN-US1_UHD\.jpg$/.exec(req.query.get("id") ?? "")?.[1];
      const im = this.listed.bing.find((x) => x.id === id);
      return im
        ? { headers: { "Content-Type": "image/jpeg" }, body: im.bytes }
        : { status: 404, body: "" };
    }
    if (p === "/wallhaven/api/v1/search") {
      const data = this.listed.wallhaven.map((im) => ({
        id: im.id,
        url: `https://wallhaven.cc/w/${im.id}`,
        short_url: `https://whvn.cc/${im.id}`,
        views: 12,
        favorites: 1,
        source: "",
        purity: "sfw",
        category: "general",
        dimension_x: im.width,
        dimension_y: im.height,
        resolution: `${im.width}x${im.height}`,
        ratio: (im.width / im.height).toFixed(2),
        file_size: im.bytes.length,
        file_type: "image/jpeg",
        created_at: "2024-01-01 10:00:00",
        colors: ["#424153", "#999999"],
        path: this.imageUrl("wallhaven", im),
        thumbs: { large: `${origin}/thumb/l/${im.id}.jpg` },
      }));
      return this.#json({
        data: [...data, ...this.extra.wallhaven],
        meta: {
          current_page: 1,
          last_page: 1,
          per_page: 24,
          total: data.length,
          query: req.query.get("q"),
          seed: "abc123",
        },
      });
    }
    if (p === "/unsplash/photos/random") {
      const n = Number(req.query.get("count") ?? 1);
      const photos = this.listed.unsplash.slice(0, n).map((im) => ({
        id: im.id,
        created_at: "2024-01-01T10:00:00Z",
        width: im.width,
        height: im.height,
        color: "#c0c0c0",
        description: `Photo ${im.id}`,
        alt_description: "a mountain lake",
        urls: {
          raw: `${this.imageUrl("unsplash", im)}?ixid=raw`,
          full: this.imageUrl("unsplash", im),
          regular: `${origin}/img/regular-${im.id}.jpg`,
        },
        links: {
          self: `${origin}/unsplash/photos/${im.id}`,
          html: `https://unsplash.com/photos/${im.id}`,
          download: `https://unsplash.com/photos/${im.id}/download`,
          download_location: `${origin}/unsplash/photos/${im.id}/download?ixid=abc`,
        },
        user: {
          id: "u1",
          username: "jane",
          name: "Jane Doe",
          links: { html: "https://unsplash.com/@jane" },
        },
      }));
      return this.#json([...photos, ...this.extra.unsplash], { "X-Ratelimit-Remaining": "49" });
    }
    if (/^\/unsplash\/photos\/[^/]+\/download$/.test(p)) {
      return this.#json({ url: `${origin}/img/x.jpg` });
    }
    if (p === "/reddit/r/EarthPorn.json") {
      const children = this.listed.reddit.map((im) => ({
        kind: "t3",
        data: {
          id: im.id,
          name: `t3_${im.id}`,
          subreddit: "EarthPorn",
          title: `Lake at dawn [${im.width}x${im.height}] ${im.id}`,
          author: "photog",
          permalink: `/r/EarthPorn/comments/${im.id}/lake_at_dawn/`,
          url: this.imageUrl("reddit", im),
          over_18: false,
          post_hint: "image",
          preview: { images: [{ source: { url: "x", width: im.width, height: im.height } }] },
        },
      }));
      return this.#json({
        kind: "Listing",
        data: { after: null, dist: children.length, children: [...children, ...this.extra.reddit] },
      });
    }
    if (p === "/bing/HPImageArchive.aspx") {
      const images = this.listed.bing.map((im, i) => ({
        startdate: `2024010${i + 1}`,
        fullstartdate: `2024010${i + 1}0800`,
        enddate: `2024010${i + 2}`,
        url: `/th?id=OHR.${im.id}_EN-US1_1920x1080.jpg&rf=LaDigue_1920x1080.jpg&pid=hp`,
        urlbase: `/th?id=OHR.${im.id}_EN-US1`,
        copyright: `A quiet fjord, Norway (© Kari Nordmann/Getty Images)`,
        copyrightlink: `https://www.bing.com/search?q=fjord&form=hpcapt`,
        title: "Info",
        hsh: "abc",
      }));
      return this.#json({ images: [...images, ...this.extra.bing], tooltips: {} });
    }
    if (p === "/apod/planetary/apod") {
      const items = this.listed.apod.map((im, i) => ({
        copyright: "\nAnn Astro\n",
        date: `2023-0${(i % 9) + 1}-1${i % 10}`,
        explanation: "A galaxy far away.",
        hdurl: this.imageUrl("apod", im),
        media_type: "image",
        service_version: "v1",
        title: `Galaxy ${im.id}`,
        url: `${origin}/img/small-${im.id}.jpg`,
      }));
      return this.#json([...items, ...this.extra.apod]);
    }
    if (p === "/rss/feed.xml") {
      const items = this.listed.rss.map((im) =>
        `<item>
  <title>Forest ${im.id}</title>
  <link>https://photos.example.org/p/${im.id}</link>
  <guid isPermaLink="false">tag:photos.example.org,2024:${im.id}</guid>
  <media:content url="${
          this.imageUrl("rss", im)
        }" medium="image" type="image/jpeg" width="${im.width}" height="${im.height}"/>
  <media:credit role="photographer">Rita &amp; Sam</media:credit>
  <media:license href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</media:license>
</item>`
      ).join("\n");
      return {
        headers: { "Content-Type": "application/rss+xml" },
        body: `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>Forests</title><link>https://photos.example.org/</link>
${items}
${this.extra.rss.join("\n")}
</channel></rss>`,
      };
    }
    return { status: 404, headers: { "Content-Type": "text/html" }, body: "<html>not here</html>" };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.server.close();
  }
}

/** A `[[remote]]` entry for a kind of the fake services (small images allowed). */
export function remoteToml(
  services: FakeServices,
  kind: FakeKind,
  name: string = kind,
  extra: Record<string, string | number | boolean> = {},
): string {
  const fields: Record<string, string | number | boolean> = {
    name,
    kind,
    min_width: 64,
    min_height: 48,
    keep_unseen: 2,
    ...(kind === "rss" ? { query: services.api("rss") } : { api: services.api(kind) }),
    ...(kind === "reddit" ? { query: "EarthPorn" } : {}),
    ...(kind === "unsplash" ? { api_key_env: "UNSPLASH_TEST_KEY" } : {}),
    ...extra,
  };
  return "[[remote]]\n" +
    Object.entries(fields).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join("\n") + "\n";
}
