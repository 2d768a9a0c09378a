import { assertEquals, assertStringIncludes, assertThrows } from "../_helpers/assert.ts";
import { parseConfig } from "../../src/config/parse.ts";
import { ConfigError } from "../../src/config/errors.ts";
import { formatByteSize, parseByteSize } from "../../src/config/byte_size.ts";
import { FETCH_DEFAULTS, REMOTE_DEFAULT_API } from "../../src/config/remote.ts";
import { templateVariables, VARIABLE_NAMES } from "../../src/theme/variables.ts";

Deno.test("parseByteSize() reads bytes, decimal and binary units; formatByteSize() prints binary", () => {
  assertEquals(parseByteSize("1GiB"), 1024 ** 3);
  assertEquals(parseByteSize("50MiB"), 50 * 1024 ** 2);
  assertEquals(parseByteSize("500 MB"), 500e6);
  assertEquals(parseByteSize("1.5kib"), 1536);
  assertEquals(parseByteSize(4096), 4096);
  assertEquals(parseByteSize("12"), 12);
  assertThrows(() => parseByteSize("12 parsecs"), SyntaxError);
  assertThrows(() => parseByteSize("-1"), SyntaxError);
  assertEquals(formatByteSize(1536), "1.5 KiB");
  assertEquals(formatByteSize(1024 ** 3), "1 GiB");
  assertEquals(formatByteSize(12), "12 B");
});

Deno.test("parseConfig() reads [[remote]] with each kind's defaults and [fetch]", () => {
  const cfg = parseConfig(
    `
[[remote]]
name = "nature"
kind = "wallhaven"
query = "nature"
api_key_env = "WALLHAVEN_API_KEY"
keep_unseen = 10
quota = "1GiB"
max_file_size = "50MiB"
sfw_only = true
enabled = true

[[remote]]
name = "space"
kind = "apod"

[fetch]
idle_timeout = "10s"
concurrency = 2
min_speed = "2KiB"
`,
    "c.toml",
  );
  assertEquals(cfg.remote[0], {
    name: "nature",
    kind: "wallhaven",
    query: "nature",
    api: "https://wallhaven.cc/api/v1",
    api_key_env: "WALLHAVEN_API_KEY",
    api_key_file: "",
    keep_unseen: 10,
    quota: 1024 ** 3,
    max_file_size: 50 * 1024 ** 2,
    min_width: 640,
    min_height: 480,
    sfw_only: true,
    enabled: true,
  });
  assertEquals(cfg.remote[1].api, REMOTE_DEFAULT_API.apod);
  assertEquals(cfg.fetch, {
    ...FETCH_DEFAULTS,
    idle_timeout: 10,
    concurrency: 2,
    min_speed: 2048,
  });
  assertEquals(FETCH_DEFAULTS.min_speed, 1024);
  assertEquals(parseConfig("", "c.toml").remote, []);
});

Deno.test("parseConfig() names the key of a bad [[remote]] entry", () => {
  const bad = (toml: string, key: string, text: string) => {
    const e = assertThrows(() => parseConfig(toml, "c.toml"), ConfigError);
    assertEquals(e.key, key);
    assertStringIncludes(e.message, text);
  };
  bad('[[remote]]\nkind = "bing"\n', "remote[0].name", "is required");
  bad('[[remote]]\nname = "a/b"\nkind = "bing"\n', "remote[0].name", "not a valid remote name");
  bad('[[remote]]\nname = "a"\n', "remote[0].kind", "is required");
  bad('[[remote]]\nname = "a"\nkind = "flickr"\n', "remote[0].kind", 'one of "wallhaven"');
  bad('[[remote]]\nname = "a"\nkind = "rss"\n', "remote[0].query", "the feed's URL");
  bad('[[remote]]\nname = "a"\nkind = "reddit"\n', "remote[0].query", "subreddit");
  bad('[[remote]]\nname = "a"\nkind = "bing"\nquery = "english"\n', "remote[0].query", "market");
  bad(
    '[[remote]]\nname = "a"\nkind = "apod"\nquery = "moon"\n',
    "remote[0].query",
    "not used by apod",
  );
  bad(
    '[[remote]]\nname = "a"\nkind = "bing"\napi = "https://user:pw@x.example"\n',
    "remote[0].api",
    "user name or password",
  );
  bad(
    '[[remote]]\nname = "a"\nkind = "bing"\napi_key_env = "A"\napi_key_file = "f"\n',
    "remote[0].api_key_file",
    "not both",
  );
  bad('[[remote]]\nname = "a"\nkind = "bing"\nquota = "1kB"\n', "remote[0].quota", "between");
  bad('[[remote]]\nname = "a"\nkind = "bing"\nlimit = 3\n', "remote[0].limit", "unknown key");
  bad('[fetch]\ninterval = "10s"\n', "fetch.interval", "at least 1m");
  bad("[fetch]\nconcurrency = 0\n", "fetch.concurrency", "between 1 and 16");
});

Deno.test("templateVariables() gives a download's credit as image_* variables, else empty", () => {
  const palette = {
    origin: "builtin" as const,
    variant: "dark16",
    background: "#000000",
    foreground: "#ffffff",
    cursor: "#ffffff",
    colors: Array.from({ length: 16 }, () => "#808080"),
    avg_hue: null,
    avg_saturation: 0,
    avg_lightness: 0.5,
    temperature: 0,
  };
  const names = [...VARIABLE_NAMES].filter((n) => n.startsWith("image_")).sort();
  assertEquals(names, [
    "image_author",
    "image_author_url",
    "image_licence",
    "image_remote",
    "image_source",
    "image_title",
    "image_url",
  ]);
  const plain = templateVariables(palette, { wallpaper: "/w.jpg", alpha: 100 });
  for (const n of names) assertEquals(plain[n], "", n);
  const v = templateVariables(palette, {
    wallpaper: "/w.jpg",
    alpha: 100,
    image: {
      remote: "photos",
      kind: "unsplash",
      item_id: "x",
      page_url: "https://unsplash.com/photos/x",
      image_url: "https://images.unsplash.com/x",
      author: "Jane",
      author_url: "https://unsplash.com/@jane",
      title: "Lake",
      licence: null,
    },
  });
  assertEquals(
    names.map((n) => v[n]),
    [
      "Jane",
      "https://unsplash.com/@jane",
      "",
      "photos",
      "https://unsplash.com/photos/x",
      "Lake",
      "https://images.unsplash.com/x",
    ],
  );
});
