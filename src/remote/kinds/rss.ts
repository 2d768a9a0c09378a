/**
 * Any RSS or Atom feed with images: Media RSS `<media:content url width
 * height medium="image">` (also inside `<media:group>`, the widest wins),
 * `<media:credit>`, `<media:title>`, `<media:license>`, and plain
 * `<enclosure type="image/…">` (or Atom `<link rel="enclosure">`). `query`
 * is the feed's URL; images may come from any host the feed names.
 *
 * @module
 */
import { count, httpUrl, item, ListingError, noteDropped, type RemoteKind, text } from "./_kind.ts";
import type { RemoteItem } from "../protocol.ts";
import { allText, child, descendants, parseXml, type XmlElement, XmlError } from "../xml.ts";

const IMAGE_EXT = /\.(jpe?g|png|webp)(?:$|[?#])/i;

interface Candidate {
  url: string;
  width: number | null;
  height: number | null;
}

function isImage(el: XmlElement): boolean {
  const medium = el.attrs.medium?.toLowerCase();
  const type = el.attrs.type?.toLowerCase();
  if (medium) return medium === "image";
  if (type) return type.startsWith("image/");
  return IMAGE_EXT.test(el.attrs.url ?? el.attrs.href ?? "");
}

/** The widest image an item names, from Media RSS, enclosures or Atom links. */
function bestImage(entry: XmlElement, base: string): Candidate | null {
  const found: Candidate[] = [];
  for (const c of descendants(entry, ["content"])) {
    if (c.attrs.url === undefined || !isImage(c)) continue;
    const url = httpUrl(c.attrs.url, base);
    if (url) found.push({ url, width: count(c.attrs.width), height: count(c.attrs.height) });
  }
  for (const c of entry.children) {
    const isEnclosure = c.local === "enclosure" ||
      (c.local === "link" && c.attrs.rel?.toLowerCase() === "enclosure");
    if (!isEnclosure || !(c.attrs.type ?? "").toLowerCase().startsWith("image/")) continue;
    const url = httpUrl(c.attrs.url ?? c.attrs.href, base);
    if (url) found.push({ url, width: null, height: null });
  }
  found.sort((a, b) => (b.width ?? 0) - (a.width ?? 0));
  return found[0] ?? null;
}

function pageLink(entry: XmlElement, base: string): string | null {
  for (const l of entry.children.filter((c) => c.local === "link")) {
    const rel = l.attrs.rel?.toLowerCase();
    if (l.attrs.href !== undefined) {
      if (!rel || rel === "alternate") return httpUrl(l.attrs.href, base);
    } else if (l.text.trim()) return httpUrl(l.text.trim(), base);
  }
  return null;
}

function credit(entry: XmlElement): string | null {
  const credits = descendants(entry, ["credit"]);
  const preferred = credits.find((c) => /photographer|author|creator/i.test(c.attrs.role ?? "")) ??
    credits[0];
  if (preferred) return text(allText(preferred), 200);
  const creator = child(entry, "creator") ?? child(entry, "author");
  if (!creator) return null;
  const name = child(creator, "name");
  return text(allText(name ?? creator), 200);
}

function licence(entry: XmlElement): string | null {
  const l = descendants(entry, ["license"])[0];
  if (l) return text(allText(l), 300) ?? text(l.attrs.href, 300);
  const c = descendants(entry, ["copyright", "rights"])[0];
  return c ? text(allText(c), 300) : null;
}

/** The RSS kind. */
export const rss: RemoteKind = {
  name: "rss",
  imageHosts: "feed",
  key: "optional",
  listingUrl: (spec) => spec.query,
  request(spec) {
    return {
      url: spec.query,
      headers: {
        "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5",
      },
    };
  },
  parse(body, spec) {
    let doc: XmlElement;
    try {
      doc = parseXml(body);
    } catch (e) {
      if (e instanceof XmlError) throw new ListingError(e.message);
      throw e;
    }
    const feed = doc.children.find((c) => ["rss", "feed", "rdf"].includes(c.local));
    if (!feed) {
      throw new ListingError(
        "unexpected answer: not an RSS or Atom feed (no <rss> or <feed> element)",
      );
    }
    // Forgiving as the parser is, junk around the feed or a feed cut off is no feed.
    if (doc.text.trim()) {
      throw new ListingError(
        "unexpected answer: not a well-formed feed (text outside its root element)",
      );
    }
    if (feed.unclosed) {
      throw new ListingError(`unexpected answer: the feed ends before </${feed.name}> (cut off)`);
    }
    const entries = descendants(feed, ["item", "entry"]);
    const items: RemoteItem[] = [];
    let noImage = 0;
    const guidOf = (e: typeof entries[number]) => {
      const guid = child(e, "guid") ?? child(e, "id");
      return text(guid ? allText(guid) : null, 400);
    };
    // A guid is the feed's own name for an item: unique in that feed only ("0", "1", … in
    // two feeds are other pictures), and none at all where the feed gives several items one.
    const guids = entries.map(guidOf);
    const uses = new Map<string, number>();
    for (const g of guids) if (g !== null) uses.set(g, (uses.get(g) ?? 0) + 1);
    for (const [i, e] of entries.entries()) {
      const img = bestImage(e, spec.query);
      if (!img) {
        noImage++;
        continue;
      }
      const guid = guids[i];
      const page = pageLink(e, spec.query);
      const id = guid !== null && uses.get(guid) === 1 ? `${spec.query}#${guid}` : page ?? img.url;
      const it = item(id, img.url);
      it.width = img.width;
      it.height = img.height;
      it.pageUrl = page;
      const title = child(e, "title") ?? descendants(e, ["title"])[0];
      it.title = title ? text(allText(title), 500) : null;
      it.author = credit(e);
      it.licence = licence(e);
      items.push(it);
    }
    const notes: string[] = [];
    noteDropped(notes, noImage, entries.length, "named no image and were skipped");
    return { items, next: null, notes };
  },
};
