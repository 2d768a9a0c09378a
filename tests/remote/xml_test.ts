import { assertEquals, assertThrows } from "../_helpers/assert.ts";
import { allText, decodeEntities, descendants, parseXml, XmlError } from "../../src/remote/xml.ts";
import { redirectTarget } from "../../src/remote/guarded_fetch.ts";
import { displayUrl } from "../../src/remote/hosts.ts";

Deno.test("parseXml() reads elements, attributes, text, CDATA and comments", () => {
  const doc = parseXml(
    `<?xml version="1.0"?><!-- c --><a x='1' y="2 &amp; 3" z=bare><b>t&lt;1&gt;</b><c/><![CDATA[<raw>]]></a>`,
  );
  const [a] = doc.children;
  assertEquals(a.attrs, { x: "1", y: "2 & 3", z: "bare" });
  assertEquals(a.children.map((c) => c.name), ["b", "c"]);
  assertEquals(a.children[0].text, "t<1>");
  assertEquals(a.text, "<raw>");
  assertEquals(allText(a), "<raw>t<1>");
});

Deno.test("parseXml() forgives mismatched tags, skips DOCTYPEs and expands no custom entity", () => {
  const doc = parseXml(
    `<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><r><p>&b; &#x41;&#66;</r>`,
  );
  const [r] = doc.children;
  assertEquals(r.children[0].text, "&b; AB");
  assertEquals(descendants(doc, ["p"]).length, 1);
  assertEquals(decodeEntities("&#0; &#xD800; &nope; &quot;"), '&#0; &#xD800; &nope; "');
});

Deno.test("parseXml() stops at the element limit", () => {
  assertThrows(() => parseXml("<a>" + "<b/>".repeat(50) + "</a>", 20), XmlError);
});

Deno.test("descendants() and allText() walk a tree nested 150,000 deep (no stack overflow)", () => {
  const depth = 150_000;
  const doc = parseXml(
    `<item>${"<a>x".repeat(depth)}<title>t</title>${"</a>".repeat(depth)}</item>`,
  );
  const item = doc.children[0];
  assertEquals(descendants(item, ["title"]).map((e) => e.text), ["t"]);
  assertEquals(descendants(item, ["a"]).length, depth);
  assertEquals(allText(item), "x".repeat(depth) + "t");
  // Document order, as before.
  const small = parseXml("<r><a><b/></a><b/><a/></r>").children[0];
  assertEquals(descendants(small, ["a", "b"]).map((e) => e.name), ["a", "b", "b", "a"]);
});

Deno.test("redirectTarget() refuses a step down from https to http; displayUrl() of a data: URL", () => {
  assertEquals(redirectTarget("https://a.example/x", "/y?k=1"), "https://a.example/y?k=1");
  assertEquals(redirectTarget("http://a.example/x", "https://b.example/"), "https://b.example/");
  assertEquals(redirectTarget("http://a.example/x", "http://b.example/"), "http://b.example/");
  assertThrows(
    () => redirectTarget("https://api.example/photos?key=s3cret", "http://api.example/photos"),
    Error,
    "refused a redirect from https to plain http (http://api.example/photos)",
  );
  assertThrows(() => redirectTarget("https://a.example/", "http://[::1"), Error, "invalid URL");
  assertEquals(displayUrl("data:image/jpeg;base64,AAAA"), "data:image/jpeg;base64,AAAA");
  assertEquals(displayUrl("https://a.example/p?key=s3cret"), "https://a.example/p");
});
