import { assertEquals, assertStringIncludes, assertThrows } from "../_helpers/assert.ts";
import { keyLine, keyLines } from "../../src/config/key_line.ts";
import { parseConfig } from "../../src/config/parse.ts";
import { ConfigError } from "../../src/config/errors.ts";

Deno.test("keyLines(): tables, arrays of tables, dotted and quoted keys, values over several lines", () => {
  const text = [
    "# comment [not a table]", // 1
    'top = "a # b"', // 2
    "", // 3
    "[theme]  # the theme", // 4
    "enabled = true", // 5
    'list = [ "x", # a comment', // 6
    '  "]",', // 7
    "]", // 8
    'doc = """', // 9
    "key = not a key", // 10
    '"""', // 11
    "[[sources]]", // 12
    "path = '/a'", // 13
    "[[sources]]", // 14
    '  "path" = "/b"', // 15
    "inline = { a = 1, b = [", // 16
    "  2 ] }", // 17
    "[groups]", // 18
    '"my art".x = ["/p"]', // 19
  ].join("\n");
  const lines = keyLines(text);
  assertEquals(lines.get("top"), 2);
  assertEquals(lines.get("theme"), 4);
  assertEquals(lines.get("theme.enabled"), 5);
  assertEquals(lines.get("theme.list"), 6);
  assertEquals(lines.get("theme.doc"), 9);
  assertEquals(lines.get("theme.key"), undefined);
  assertEquals(lines.get("sources[0]"), 12);
  assertEquals(lines.get("sources[0].path"), 13);
  assertEquals(lines.get("sources[1]"), 14);
  assertEquals(lines.get("sources[1].path"), 15);
  assertEquals(lines.get("sources[1].inline"), 16);
  assertEquals(lines.get("groups.my art.x"), 19);
  assertEquals(lines.get("groups.my art"), 19, "a dotted key defines its first part too");
});

Deno.test("keyLine(): a key not written points at the nearest table that is; an array item at its key", () => {
  const text =
    '[[sources]]\npath = "/a"\n\n[[sources]]\nrecursive = true\n[groups]\nart = ["/a", 3]\n';
  assertEquals(keyLine(text, "sources[1].path"), 4);
  assertEquals(keyLine(text, "groups.art[1]"), 7);
  assertEquals(keyLine(text, "daemon.interval"), undefined);
});

Deno.test("parseConfig(): a wrong value's error gives file:line before the key", () => {
  const e = assertThrows(
    () => parseConfig('[daemon]\ninterval = "5m"\n\n[theme]\nenabled = "yes"\n', "/x/config.toml"),
    ConfigError,
  );
  assertEquals(e.line, 5);
  assertEquals(e.key, "theme.enabled");
  assertStringIncludes(
    e.message,
    '/x/config.toml:5: theme.enabled: expected true or false, got string "yes"',
  );
  const missing = assertThrows(
    () =>
      parseConfig('[[sources]]\npath = "/a"\n[[sources]]\nrecursive = false\n', "/x/config.toml"),
    ConfigError,
  );
  assertStringIncludes(missing.message, "/x/config.toml:3: sources[1].path: is required");
});

Deno.test("parseConfig(): an unknown dotted key's error points at its line, not its table's", () => {
  const e = assertThrows(
    () => parseConfig("[selection]\nfavorite_boost = 2\n\nfoo.bar = 1\n", "/x/config.toml"),
    ConfigError,
  );
  assertStringIncludes(e.message, "/x/config.toml:4: selection.foo: unknown key");
});
