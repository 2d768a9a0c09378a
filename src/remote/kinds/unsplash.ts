/**
 * Unsplash (https://unsplash.com/documentation): `GET {api}/photos/random`
 * answers `[{id, width, height, urls: {raw, full}, links: {html,
 * download_location}, user: {name, links: {html}}, description,
 * alt_description}]`. The key goes in `Authorization: Client-ID …`. The API
 * asks that `download_location` be requested whenever a photo is shown: it
 * is kept as the item's ping URL.
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

/** Unsplash's licence, named on every photo. */
export const UNSPLASH_LICENCE = "Unsplash License (https://unsplash.com/license)";

/** Unsplash asks apps to add these to links back to it. */
function referral(url: string | null): string | null {
  if (!url) return null;
  const u = new URL(url);
  u.searchParams.set("utm_source", "varietal");
  u.searchParams.set("utm_medium", "referral");
  return u.href;
}

function headers(key: string | null): Record<string, string> {
  return key ? { "Authorization": `Client-ID ${key}`, "Accept-Version": "v1" } : {};
}

/** The Unsplash kind. */
export const unsplash: RemoteKind = {
  name: "unsplash",
  imageHosts: ["images.unsplash.com"],
  key: "required",
  listingUrl: (spec) => join(spec.api, "/photos/random"),
  request(spec, page) {
    const q = new URLSearchParams({
      count: String(Math.max(1, Math.min(30, page.want))),
      orientation: "landscape",
      content_filter: spec.sfwOnly ? "high" : "low",
    });
    if (spec.query) q.set("query", spec.query);
    return { url: `${this.listingUrl(spec)}?${q}`, headers: headers(spec.key) };
  },
  pingHeaders: (spec) => headers(spec.key),
  parse(body) {
    const data = parseJson(body);
    if (!Array.isArray(data)) {
      const errors = obj(data)?.errors;
      const why = Array.isArray(errors) && typeof errors[0] === "string"
        ? `: ${text(errors[0], 200)}`
        : "";
      throw new ListingError(`unexpected answer: not a list of photos${why}`);
    }
    const items: RemoteItem[] = [];
    let unusable = 0;
    for (const raw of data) {
      const o = obj(raw);
      const id = text(o?.id, 64);
      const urls = obj(o?.urls);
      const image = httpUrl(urls?.full) ?? httpUrl(urls?.raw);
      if (!o || !id || !image) {
        unusable++;
        continue;
      }
      const links = obj(o.links);
      const user = obj(o.user);
      const it = item(id, image);
      it.pageUrl = referral(httpUrl(links?.html));
      it.pingUrl = httpUrl(links?.download_location);
      it.author = text(user?.name, 200);
      it.authorUrl = referral(httpUrl(obj(user?.links)?.html));
      it.title = text(o.description, 500) ?? text(o.alt_description, 500);
      it.licence = UNSPLASH_LICENCE;
      it.width = count(o.width);
      it.height = count(o.height);
      items.push(it);
    }
    const notes: string[] = [];
    noteDropped(notes, unusable, data.length, "had no id or image URL and were skipped");
    // /photos/random has no pages: each call is a new draw.
    return { items, next: "again", notes };
  },
};
