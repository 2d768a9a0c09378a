/**
 * Wallhaven (https://wallhaven.cc/help/api): `GET {api}/search` answers
 * `{meta: {current_page, last_page, seed}, data: [{id, url, path, purity,
 * dimension_x, dimension_y, file_size, file_type, …}]}`; the image is `path`
 * (on w.wallhaven.cc), the page `url`. The key goes in the `X-API-Key`
 * header; without `sfw_only` and with a key, NSFW purity is asked for too.
 *
 * @module
 */
import {
  count,
  httpUrl,
  item,
  join,
  ListingError,
  noteDropped,
  obj,
  parseJson,
  type RemoteKind,
  text,
} from "./_kind.ts";
import type { RemoteItem } from "../protocol.ts";

/** The Wallhaven kind. */
export const wallhaven: RemoteKind = {
  name: "wallhaven",
  imageHosts: ["w.wallhaven.cc"],
  key: "optional",
  listingUrl: (spec) => join(spec.api, "/search"),
  request(spec, page) {
    // The cursor is "page:seed": random order stays the same across pages of one seed.
    const [p, seed] = (page.cursor ?? "1:").split(":");
    const purity = spec.sfwOnly ? "100" : spec.key ? "111" : "110";
    const q = new URLSearchParams({
      q: spec.query,
      categories: "111",
      purity,
      sorting: "random",
      atleast: `${spec.minWidth}x${spec.minHeight}`,
      page: p || "1",
    });
    if (seed) q.set("seed", seed);
    const headers: Record<string, string> = spec.key ? { "X-API-Key": spec.key } : {};
    return { url: `${this.listingUrl(spec)}?${q}`, headers };
  },
  parse(body, spec) {
    const root = obj(parseJson(body));
    const data = root?.data;
    if (!root || !Array.isArray(data)) {
      throw new ListingError("unexpected answer: no `data` list (is `api` a Wallhaven API?)");
    }
    const notes: string[] = [];
    const items: RemoteItem[] = [];
    let unusable = 0;
    let nsfw = 0;
    for (const raw of data) {
      const o = obj(raw);
      const id = text(o?.id, 64);
      const image = httpUrl(o?.path);
      if (!o || !id || !image) {
        unusable++;
        continue;
      }
      if (spec.sfwOnly && o.purity !== "sfw") {
        nsfw++;
        continue;
      }
      const it = item(id, image);
      it.pageUrl = httpUrl(o.url);
      it.width = count(o.dimension_x);
      it.height = count(o.dimension_y);
      it.fileSize = count(o.file_size);
      items.push(it);
    }
    noteDropped(notes, unusable, data.length, "had no id or image path and were skipped");
    noteDropped(notes, nsfw, data.length, "were not marked sfw and were skipped (sfw_only)");
    const meta = obj(root.meta);
    const current = count(meta?.current_page) ?? 1;
    const last = count(meta?.last_page) ?? current;
    const seed = typeof meta?.seed === "string" && /^[A-Za-z0-9]{1,16}$/.test(meta.seed)
      ? meta.seed
      : "";
    return { items, next: current < last ? `${current + 1}:${seed}` : null, notes };
  },
};
