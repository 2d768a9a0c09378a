// Each kind's request and parser (pure): real response shapes, and what they leave out.
import { assert, assertEquals, assertStringIncludes, assertThrows } from "../_helpers/assert.ts";
import { getKind, KINDS } from "../../src/remote/kinds/registry.ts";
import { ListingError } from "../../src/remote/kinds/_kind.ts";
import { splitCopyright } from "../../src/remote/kinds/bing.ts";
import type { RemoteSpec } from "../../src/remote/protocol.ts";
import { REMOTE_DEFAULT_API } from "../../src/config/remote.ts";
import { REMOTE_KINDS } from "../../src/config/choices.ts";
import { apiHost, displayUrl, imageHostAllowed, permissionHost } from "../../src/remote/hosts.ts";

function spec(kind: string, over: Partial<RemoteSpec> = {}): RemoteSpec {
  return {
    name: kind,
    kind,
    query: "",
    api: REMOTE_DEFAULT_API[kind as keyof typeof REMOTE_DEFAULT_API],
    key: null,
    sfwOnly: true,
    minWidth: 640,
    minHeight: 480,
    ...over,
  };
}

Deno.test("every configurable kind has a module, and the API hosts are the documented ones", () => {
  assertEquals(Object.keys(KINDS).sort(), [...REMOTE_KINDS].sort());
  assertEquals(apiHost(getKind("wallhaven"), spec("wallhaven")), "wallhaven.cc");
  assertEquals(apiHost(getKind("unsplash"), spec("unsplash")), "api.unsplash.com");
  assertEquals(
    apiHost(getKind("reddit"), spec("reddit", { query: "EarthPorn" })),
    "www.reddit.com",
  );
  assertEquals(apiHost(getKind("bing"), spec("bing")), "www.bing.com");
  assertEquals(apiHost(getKind("apod"), spec("apod")), "api.nasa.gov");
  assertEquals(
    apiHost(getKind("rss"), spec("rss", { query: "https://feeds.example.org:8443/x.xml" })),
    "feeds.example.org:8443",
  );
  const ok = (kind: string, url: string, s = spec(kind)) => imageHostAllowed(getKind(kind), s, url);
  assert(ok("wallhaven", "https://w.wallhaven.cc/full/94/wallhaven-94x38z.jpg"));
  assert(!ok("wallhaven", "https://evil.example/x.jpg"));
  assert(
    !ok("wallhaven", "https://w.wallhaven.cc:8443/x.jpg"),
    "documented hosts on their default port only",
  );
  assert(ok("unsplash", "https://images.unsplash.com/photo-1?q=80"));
  assert(ok("reddit", "https://i.redd.it/x.jpg") && ok("reddit", "https://i.imgur.com/x.png"));
  assert(!ok("reddit", "https://imgur.com/a/x"));
  assert(
    ok("bing", "https://www.bing.com/th?id=OHR.X_UHD.jpg") && !ok("bing", "https://bing.net/x"),
  );
  assert(ok("apod", "https://apod.nasa.gov/apod/image/2401/x.jpg"));
  assert(
    ok(
      "rss",
      "https://cdn.anywhere.example/x.jpg",
      spec("rss", { query: "https://f.example/rss" }),
    ),
  );
  assert(!ok("rss", "file:///etc/passwd", spec("rss", { query: "https://f.example/rss" })));
  // A feed on the internet may not send the downloader to this machine or the local network
  // (however the address is spelled); a feed that is itself local may.
  const publicFeed = spec("rss", { query: "https://f.example/rss" });
  for (
    const local of [
      "http://127.0.0.1:18082/x.jpg",
      "http://2130706433/x.jpg",
      "http://0x7f.1/x.jpg",
      "http://localhost/x.jpg",
      "http://a.localhost/x.jpg",
      "http://[::1]/x.jpg",
      "http://[::ffff:127.0.0.1]/x.jpg",
      "http://[fe80::1]/x.jpg",
      "http://[fd12:3456::1]/x.jpg",
      "http://10.0.0.8/x.jpg",
      "http://172.20.1.1/x.jpg",
      "http://192.168.1.1/x.jpg",
      "http://169.254.169.254/latest/meta-data",
      "http://100.64.0.1/x.jpg",
      "http://0.0.0.0/x.jpg",
      "http://router/x.jpg",
      "http://nas.local/x.jpg",
      "http://nas.lan/x.jpg",
      "http://printer.home.arpa/x.jpg",
    ]
  ) {
    assert(!ok("rss", local, publicFeed), local);
    assert(ok("rss", local, spec("rss", { query: "http://127.0.0.1:9/feed.xml" })), local);
  }
  for (const far of ["http://8.8.8.8/x.jpg", "http://172.32.0.1/x.jpg", "http://[2001:db8::1]/x"]) {
    assert(ok("rss", far, publicFeed), far);
  }
  assertEquals(permissionHost("https://a.example/x"), "a.example");
  assertEquals(permissionHost("http://127.0.0.1:8080/x"), "127.0.0.1:8080");
  assertEquals(permissionHost("ftp://a.example/"), null);
  assertEquals(
    displayUrl("https://api.nasa.gov/planetary/apod?api_key=SECRET"),
    "https://api.nasa.gov/planetary/apod",
  );
});

Deno.test("wallhaven: request and parse", () => {
  const k = getKind("wallhaven");
  const r = k.request(spec("wallhaven", { query: "misty forest", key: "K" }), {
    cursor: null,
    want: 5,
  });
  const u = new URL(r.url);
  assertEquals(u.origin + u.pathname, "https://wallhaven.cc/api/v1/search");
  assertEquals(u.searchParams.get("q"), "misty forest");
  assertEquals(u.searchParams.get("purity"), "100");
  assertEquals(u.searchParams.get("atleast"), "640x480");
  assertEquals(u.searchParams.get("apikey"), null, "the key goes in a header");
  assertEquals(r.headers, { "X-API-Key": "K" });
  const nsfwAllowed = k.request(spec("wallhaven", { sfwOnly: false, key: "K" }), {
    cursor: "2:xyz",
    want: 5,
  });
  assertEquals(new URL(nsfwAllowed.url).searchParams.get("purity"), "111");
  assertEquals(new URL(nsfwAllowed.url).searchParams.get("page"), "2");
  assertEquals(new URL(nsfwAllowed.url).searchParams.get("seed"), "xyz");
  const body = JSON.stringify({
    data: [
      {
        id: "94x38z",
        url: "https://wallhaven.cc/w/94x38z",
        path: "https://w.wallhaven.cc/full/94/wallhaven-94x38z.jpg",
        purity: "sfw",
        dimension_x: 6742,
        dimension_y: 3534,
        file_size: 5070446,
        file_type: "image/jpeg",
      },
      { id: "x", path: "https://w.wallhaven.cc/full/x.jpg", purity: "nsfw" },
      { id: "y" },
    ],
    meta: { current_page: 1, last_page: 3, seed: "Ab12" },
  });
  const l = k.parse(body, spec("wallhaven"));
  assertEquals(l.items.map((i) => [i.id, i.width, i.height, i.fileSize, i.pageUrl]), [
    ["94x38z", 6742, 3534, 5070446, "https://wallhaven.cc/w/94x38z"],
  ]);
  assertEquals(l.next, "2:Ab12");
  assertEquals(l.notes.length, 2);
  assertThrows(() => k.parse('{"data": 3}', spec("wallhaven")), ListingError);
  assertThrows(() => k.parse("", spec("wallhaven")), ListingError, "malformed JSON");
});

Deno.test("unsplash: request with Client-ID, parse credits and download_location", () => {
  const k = getKind("unsplash");
  const r = k.request(spec("unsplash", { query: "sea", key: "KEY" }), { cursor: null, want: 50 });
  const u = new URL(r.url);
  assertEquals(u.pathname, "/photos/random");
  assertEquals([u.searchParams.get("count"), u.searchParams.get("query")], ["30", "sea"]);
  assertEquals(u.searchParams.get("orientation"), "landscape");
  assertEquals(u.searchParams.get("client_id"), null);
  assertEquals(r.headers.Authorization, "Client-ID KEY");
  assertEquals(k.pingHeaders!(spec("unsplash", { key: "KEY" })).Authorization, "Client-ID KEY");
  const l = k.parse(
    JSON.stringify([{
      id: "Dwu85P9SOIk",
      width: 2448,
      height: 3264,
      description: null,
      alt_description: "man drinking coffee",
      urls: {
        raw: "https://images.unsplash.com/photo-1",
        full: "https://images.unsplash.com/photo-1?q=75&fm=jpg",
      },
      links: {
        html: "https://unsplash.com/photos/Dwu85P9SOIk",
        download_location: "https://api.unsplash.com/photos/Dwu85P9SOIk/download?ixid=M3",
      },
      user: { name: "Jane", links: { html: "https://unsplash.com/@jane" } },
    }, { id: "nourl" }]),
    spec("unsplash"),
  );
  const [it] = l.items;
  assertEquals(l.items.length, 1);
  assertEquals(it.imageUrl, "https://images.unsplash.com/photo-1?q=75&fm=jpg");
  assertEquals(it.title, "man drinking coffee");
  assertEquals(it.pingUrl, "https://api.unsplash.com/photos/Dwu85P9SOIk/download?ixid=M3");
  assertEquals(
    it.pageUrl,
    "https://unsplash.com/photos/Dwu85P9SOIk?utm_source=varietal&utm_medium=referral",
  );
  assertStringIncludes(l.notes[0], "1 of 2 results had no id or image URL");
  assertThrows(
    () => k.parse('{"errors":["OAuth error: The access token is invalid"]}', spec("unsplash")),
    ListingError,
    "OAuth error",
  );
});

Deno.test("reddit: subreddit names and URLs, direct images only, over_18 dropped", () => {
  const k = getKind("reddit");
  const page = { cursor: null, want: 5 };
  assertEquals(
    k.request(spec("reddit", { query: "EarthPorn" }), page).url,
    "https://www.reddit.com/r/EarthPorn.json?limit=100&raw_json=1",
  );
  assertEquals(
    k.request(spec("reddit", { query: "/r/EarthPorn/" }), page).url,
    "https://www.reddit.com/r/EarthPorn.json?limit=100&raw_json=1",
  );
  assertEquals(
    k.request(spec("reddit", { query: "https://www.reddit.com/r/wallpapers/top?t=week" }), {
      cursor: "t3_x",
      want: 1,
    }).url,
    "https://www.reddit.com/r/wallpapers/top.json?t=week&limit=100&raw_json=1&after=t3_x",
  );
  // reddit.com and m.reddit.com redirect to www.reddit.com (another host): asked there at once.
  for (const host of ["reddit.com", "m.reddit.com"]) {
    const s = spec("reddit", { query: `https://${host}/r/EarthPorn` });
    assertEquals(
      k.request(s, page).url,
      "https://www.reddit.com/r/EarthPorn.json?limit=100&raw_json=1",
    );
    assertEquals(apiHost(k, s), "www.reddit.com");
  }
  const post = (id: string, url: string, over = false) => ({
    kind: "t3",
    data: {
      id,
      url,
      permalink: `/r/x/comments/${id}/t/`,
      title: `T ${id}`,
      author: "me",
      over_18: over,
      post_hint: "image",
    },
  });
  const l = k.parse(
    JSON.stringify({
      data: {
        after: "t3_next",
        children: [
          post("a", "https://i.redd.it/a.jpg"),
          post("b", "https://i.imgur.com/b.png"),
          post("c", "https://i.redd.it/c.jpg", true),
          post("d", "https://www.reddit.com/gallery/d"),
          post("e", "https://v.redd.it/e"),
          { kind: "t3" },
        ],
      },
    }),
    spec("reddit", { query: "x" }),
  );
  assertEquals(l.items.map((i) => i.id), ["a", "b"]);
  assertEquals(l.items[0].pageUrl, "https://www.reddit.com/r/x/comments/a/t/");
  assertEquals([l.items[0].author, l.items[0].authorUrl], [
    "u/me",
    "https://www.reddit.com/user/me",
  ]);
  assertEquals(l.next, "t3_next");
  assertEquals(l.notes.length, 3);
  const all = k.parse(
    JSON.stringify({ data: { children: [post("c", "https://i.redd.it/c.jpg", true)] } }),
    spec("reddit", { query: "x", sfwOnly: false }),
  );
  assertEquals(all.items.length, 1);
});

Deno.test("bing: UHD file from urlbase, title and credit from copyright", () => {
  const k = getKind("bing");
  const u = new URL(k.request(spec("bing", { query: "de-DE" }), { cursor: null, want: 1 }).url);
  assertEquals(u.pathname, "/HPImageArchive.aspx");
  assertEquals([u.searchParams.get("format"), u.searchParams.get("n"), u.searchParams.get("mkt")], [
    "js",
    "8",
    "de-DE",
  ]);
  const l = k.parse(
    JSON.stringify({
      images: [{
        startdate: "20240105",
        url: "/th?id=OHR.AlpsDawn_EN-US123_1920x1080.jpg&rf=x",
        urlbase: "/th?id=OHR.AlpsDawn_EN-US123",
        copyright: "Alps at dawn, Switzerland (© Jane Doe/Getty Images)",
        copyrightlink: "https://www.bing.com/search?q=alps",
        title: "Morning light",
      }, { title: "no urlbase" }],
    }),
    spec("bing"),
  );
  assertEquals(l.items.length, 1);
  const [it] = l.items;
  assertEquals(it.imageUrl, "https://www.bing.com/th?id=OHR.AlpsDawn_EN-US123_UHD.jpg");
  assertEquals(it.id, "OHR.AlpsDawn_EN-US123");
  assertEquals(it.title, "Morning light — Alps at dawn, Switzerland");
  assertEquals(it.author, "Jane Doe/Getty Images");
  assertEquals(splitCopyright("No credit here"), { what: "No credit here", who: null });
});

Deno.test("apod: DEMO_KEY by default, hdurl preferred, videos skipped", () => {
  const k = getKind("apod");
  const r = k.request(spec("apod"), { cursor: null, want: 7 });
  const u = new URL(r.url);
  assertEquals([u.searchParams.get("api_key"), u.searchParams.get("count")], ["DEMO_KEY", "7"]);
  assertEquals(k.demoKey, "DEMO_KEY");
  const l = k.parse(
    JSON.stringify([
      {
        date: "2019-05-04",
        title: "M51",
        url: "https://apod.nasa.gov/a_small.jpg",
        hdurl: "https://apod.nasa.gov/a.jpg",
        media_type: "image",
        copyright: "\nAnn\n",
      },
      {
        date: "2019-05-05",
        title: "Film",
        url: "https://www.youtube.com/embed/x",
        media_type: "video",
      },
      {
        date: "2019-05-06",
        title: "Public",
        url: "https://apod.nasa.gov/p.jpg",
        media_type: "image",
      },
    ]),
    spec("apod"),
  );
  assertEquals(l.items.map((i) => [i.id, i.imageUrl, i.author]), [
    ["2019-05-04", "https://apod.nasa.gov/a.jpg", "Ann"],
    ["2019-05-06", "https://apod.nasa.gov/p.jpg", null],
  ]);
  assertEquals(l.items[0].pageUrl, "https://apod.nasa.gov/apod/ap190504.html");
  assertThrows(
    () =>
      k.parse(
        '{"error":{"code":"API_KEY_INVALID","message":"An invalid api_key was supplied"}}',
        spec("apod"),
      ),
    ListingError,
    "An invalid api_key",
  );
});

Deno.test("rss: junk around a feed, or a feed cut off, is no feed rather than an empty one", () => {
  const k = getKind("rss");
  const s = spec("rss", { query: "https://f.example/rss" });
  assertThrows(
    () => k.parse("\x00\xffGARBAGE<rss><channel><item></item></channel></rss>", s),
    ListingError,
    "not a well-formed feed (text outside its root element)",
  );
  assertThrows(
    () => k.parse('<?xml version="1.0"?>\n<rss version="2.0"><channel><item>', s),
    ListingError,
    "the feed ends before </rss> (cut off)",
  );
  // One result of one, dropped, in the singular.
  const one = k.parse("<rss><channel><item><title>no picture</title></item></channel></rss>", s);
  assertEquals(one.notes, ["1 of 1 result named no image and was skipped"]);
  // An empty but whole feed is still one.
  assertEquals(k.parse('<?xml version="1.0"?>\n<rss><channel></channel></rss>\n', s).items, []);
});

Deno.test("rss: Media RSS, media:group, enclosures and Atom; credits and licences", () => {
  const k = getKind("rss");
  const s = spec("rss", { query: "https://photos.example.org/feed.xml" });
  assertEquals(k.request(s, { cursor: null, want: 1 }).url, "https://photos.example.org/feed.xml");
  const rss = `<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY boom "boom">]>
<rss xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>T</title>
<item><title><![CDATA[Lake & <b>sky</b>]]></title><link>https://photos.example.org/1</link><guid>g1</guid>
  <media:group>
    <media:content url="https://cdn.example.org/1-small.jpg" medium="image" width="800" height="600"/>
    <media:content url="https://cdn.example.org/1-large.jpg" medium="image" width="4000" height="3000"/>
  </media:group>
  <media:credit role="photographer">Ana</media:credit><media:license>CC0</media:license></item>
<item><title>Enclosure</title><enclosure url="/2.png" type="image/png" length="1"/><dc:creator>Bo</dc:creator></item>
<item><title>Video</title><media:content url="https://cdn.example.org/v.mp4" medium="video"/></item>
<item><title>Text only</title><description>&lt;p&gt;hi&lt;/p&gt;</description></item>
</channel></rss>`;
  const l = k.parse(rss, s);
  assertEquals(l.items.map((i) => [i.id, i.imageUrl, i.width, i.author, i.licence, i.title]), [
    [
      "https://photos.example.org/feed.xml#g1",
      "https://cdn.example.org/1-large.jpg",
      4000,
      "Ana",
      "CC0",
      "Lake & <b>sky</b>",
    ],
    [
      "https://photos.example.org/2.png",
      "https://photos.example.org/2.png",
      null,
      "Bo",
      null,
      "Enclosure",
    ],
  ]);
  assertEquals(l.items[0].pageUrl, "https://photos.example.org/1");
  assertStringIncludes(l.notes[0], "2 of 4 results named no image");
  const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>urn:1</id><title>A</title>
    <link rel="alternate" href="https://a.example/1"/><link rel="enclosure" type="image/jpeg" href="https://a.example/1.jpg"/>
    <author><name>Cy</name></author></entry></feed>`;
  const a = k.parse(atom, s);
  assertEquals(a.items.map((i) => [i.id, i.imageUrl, i.pageUrl, i.author]), [
    [
      "https://photos.example.org/feed.xml#urn:1",
      "https://a.example/1.jpg",
      "https://a.example/1",
      "Cy",
    ],
  ]);
  assertThrows(
    () => k.parse("<html><body>nope</body></html>", s),
    ListingError,
    "not an RSS or Atom feed",
  );
});

Deno.test("rss: a guid names an item of its feed only; one given to several items names none", () => {
  const k = getKind("rss");
  const feed = (base: string, guids: string[]) =>
    `<rss><channel>${
      guids.map((g, i) =>
        `<item><guid isPermaLink="false">${g}</guid><enclosure url="${base}/${i}.jpg" type="image/jpeg"/></item>`
      ).join("")
    }</channel></rss>`;
  const ids = (query: string, guids: string[]) =>
    k.parse(feed("https://img.example", guids), spec("rss", { query })).items.map((i) => i.id);
  // Two feeds numbering their items alike: other items, other ids.
  const a = ids("https://a.example/feed.xml", ["0", "1"]);
  const b = ids("https://b.example/feed.xml", ["0", "1"]);
  assertEquals(a, ["https://a.example/feed.xml#0", "https://a.example/feed.xml#1"]);
  assertEquals(a.filter((id) => b.includes(id)), []);
  // A feed giving every item the same guid: each item is its image.
  assertEquals(ids("https://c.example/feed.xml", ["same", "same", "own"]), [
    "https://img.example/0.jpg",
    "https://img.example/1.jpg",
    "https://c.example/feed.xml#own",
  ]);
});
