/**
 * NASA's Astronomy Picture of the Day: `GET {api}/planetary/apod?api_key=&count=`
 * answers `[{date, title, explanation, url, hdurl, media_type, copyright}]`.
 * `DEMO_KEY` is used without a key; videos are skipped; `hdurl` is preferred.
 *
 * @module
 */
import {
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

/** The APOD kind. */
export const apod: RemoteKind = {
  name: "apod",
  imageHosts: ["apod.nasa.gov"],
  key: "demo",
  demoKey: "DEMO_KEY",
  listingUrl: (spec) => join(spec.api, "/planetary/apod"),
  request(spec, page) {
    const q = new URLSearchParams({
      api_key: spec.key ?? "DEMO_KEY",
      count: String(Math.max(1, Math.min(100, page.want))),
      thumbs: "false",
    });
    return { url: `${this.listingUrl(spec)}?${q}`, headers: {} };
  },
  parse(body) {
    const data = parseJson(body);
    if (!Array.isArray(data)) {
      const msg = text(obj(obj(data)?.error)?.message, 200) ?? text(obj(data)?.msg, 200);
      throw new ListingError(`unexpected answer: not a list of pictures${msg ? `: ${msg}` : ""}`);
    }
    const items: RemoteItem[] = [];
    let unusable = 0;
    let videos = 0;
    for (const raw of data) {
      const o = obj(raw);
      const date = typeof o?.date === "string" && /^\d{4}-\d{2}-\d{2}$/.test(o.date)
        ? o.date
        : null;
      if (o && o.media_type !== undefined && o.media_type !== "image") {
        videos++;
        continue;
      }
      const image = httpUrl(o?.hdurl) ?? httpUrl(o?.url);
      if (!o || !date || !image) {
        unusable++;
        continue;
      }
      const it = item(date, image);
      it.pageUrl = `https://apod.nasa.gov/apod/ap${date.slice(2).replaceAll("-", "")}.html`;
      it.title = text(o.title, 300);
      it.author = text(o.copyright, 200);
      items.push(it);
    }
    const notes: string[] = [];
    noteDropped(notes, videos, data.length, "were videos or other media and were skipped");
    noteDropped(notes, unusable, data.length, "had no date or image URL and were skipped");
    return { items, next: "again", notes };
  },
};
