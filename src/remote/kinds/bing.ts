/**
 * Bing's image of the day: `GET {api}/HPImageArchive.aspx?format=js&idx=0&n=8&mkt=…`
 * answers `{images: [{urlbase, url, copyright, copyrightlink, title,
 * startdate}]}`; the UHD file is `urlbase + "_UHD.jpg"` on the same host.
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

/** Splits "Alps at dawn, Switzerland (© Jane Doe/Getty Images)" into text and credit. */
export function splitCopyright(c: string | null): { what: string | null; who: string | null } {
  if (!c) return { what: null, who: null };
  const m = /^(.*?)\s*\(\s*©\s*([^)]*)\)\s*$/.exec(c);
  return m ? { what: text(m[1]), who: text(m[2]) } : { what: c, who: null };
}

/** The Bing kind. */
export const bing: RemoteKind = {
  name: "bing",
  imageHosts: [],
  key: "optional",
  listingUrl: (spec) => join(spec.api, "/HPImageArchive.aspx"),
  request(spec) {
    const q = new URLSearchParams({
      format: "js",
      idx: "0",
      n: "8",
      mkt: spec.query || "en-US",
    });
    return { url: `${this.listingUrl(spec)}?${q}`, headers: {} };
  },
  parse(body, spec) {
    const images = obj(parseJson(body))?.images;
    if (!Array.isArray(images)) {
      throw new ListingError("unexpected answer: no `images` list (is `api` Bing's?)");
    }
    const base = new URL(spec.api).origin;
    const items: RemoteItem[] = [];
    let unusable = 0;
    for (const raw of images) {
      const o = obj(raw);
      const urlbase = text(o?.urlbase, 500);
      const image = urlbase ? httpUrl(`${urlbase}_UHD.jpg`, base) : null;
      if (!o || !urlbase || !image) {
        unusable++;
        continue;
      }
      const id = new URL(image).searchParams.get("id")?.replace(/_UHD\.jpg$/, "") ??
        text(o.startdate, 20) ?? urlbase;
      const it = item(id, image);
      const { what, who } = splitCopyright(text(o.copyright, 500));
      const title = text(o.title, 300);
      it.title = title && title !== "Info" ? (what ? `${title} — ${what}` : title) : what;
      it.author = who;
      it.pageUrl = httpUrl(o.copyrightlink, base);
      items.push(it);
    }
    const notes: string[] = [];
    noteDropped(notes, unusable, images.length, "had no urlbase and were skipped");
    return { items, next: null, notes };
  },
};
