/**
 * Reddit: `GET {subreddit}.json?limit=100` answers `{data: {after,
 * children: [{data: {id, url, permalink, title, author, over_18,
 * post_hint}}]}}`. Only direct image links are used (i.redd.it, i.imgur.com;
 * .jpg, .jpeg, .png, .webp); galleries, videos and link posts are skipped.
 *
 * @module
 */
import {
  count,
  httpUrl,
  item,
  ListingError,
  noteDropped,
  obj,
  parseJson,
  type RemoteKind,
  text,
} from "./_kind.ts";
import type { RemoteItem, RemoteSpec } from "../protocol.ts";

/** The subreddit's listing URL: `query` as a URL, or `{api}/r/{name}`. */
function listingUrl(spec: RemoteSpec): string {
  const q = spec.query.trim();
  if (/^https?:\/\//i.test(q)) {
    const u = new URL(q);
    // Reddit answers reddit.com and m.reddit.com with a redirect to www.reddit.com, another
    // host than the one the listing may be fetched from: asked there at once.
    if (u.hostname === "reddit.com" || u.hostname === "m.reddit.com") u.hostname = "www.reddit.com";
    u.pathname = u.pathname.replace(/\/+$/, "").replace(/\.json$/, "");
    return u.href;
  }
  const name = q.replace(/^\/?r\//i, "").replace(/\/+$/, "");
  return `${spec.api.replace(/\/+$/, "")}/r/${encodeURIComponent(name)}`;
}

const DIRECT = /\.(jpe?g|png|webp)$/i;

/** The Reddit kind. */
export const reddit: RemoteKind = {
  name: "reddit",
  imageHosts: ["i.redd.it", "i.imgur.com"],
  key: "optional",
  listingUrl,
  request(spec, page) {
    const u = new URL(listingUrl(spec));
    u.pathname += ".json";
    u.searchParams.set("limit", "100");
    u.searchParams.set("raw_json", "1");
    if (page.cursor) u.searchParams.set("after", page.cursor);
    return { url: u.href, headers: {} };
  },
  parse(body, spec) {
    const root = obj(parseJson(body));
    const data = obj(root?.data);
    const children = data?.children;
    if (!data || !Array.isArray(children)) {
      throw new ListingError(
        "unexpected answer: no `data.children` list (is `query` a subreddit?)",
      );
    }
    const origin = new URL(listingUrl(spec)).origin;
    const items: RemoteItem[] = [];
    let unusable = 0;
    let nsfw = 0;
    let notDirect = 0;
    for (const raw of children) {
      const d = obj(obj(raw)?.data);
      const url = httpUrl(d?.url);
      const id = text(d?.id, 64) ?? text(d?.name, 64);
      if (!d || !url || !id) {
        unusable++;
        continue;
      }
      if (spec.sfwOnly && d.over_18 !== false) {
        nsfw++;
        continue;
      }
      if (!DIRECT.test(new URL(url).pathname)) {
        notDirect++;
        continue;
      }
      const it = item(id, url);
      const permalink = text(d.permalink, 1000);
      it.pageUrl = permalink ? httpUrl(permalink, origin) : null;
      const author = text(d.author, 100);
      it.author = author && author !== "[deleted]" ? `u/${author}` : null;
      it.authorUrl = it.author ? `${origin}/user/${encodeURIComponent(author!)}` : null;
      it.title = text(d.title, 500);
      const source = obj(obj((obj(d.preview)?.images as unknown[] | undefined)?.[0])?.source);
      it.width = count(source?.width);
      it.height = count(source?.height);
      items.push(it);
    }
    const notes: string[] = [];
    const n = children.length;
    noteDropped(notes, unusable, n, "had no id or URL and were skipped");
    noteDropped(notes, nsfw, n, "were marked over_18 (or not marked) and were skipped (sfw_only)");
    noteDropped(notes, notDirect, n, "were not direct image links and were skipped");
    const after = typeof data.after === "string" && /^[\w]{1,40}$/.test(data.after)
      ? data.after
      : null;
    return { items, next: after, notes };
  },
};
