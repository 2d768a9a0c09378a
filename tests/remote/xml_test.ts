import { assertEquals, assertThrows } from "../_helpers/assert.ts";
import { allText, decodeEntities, descendants, parseXml, XmlError } from "../../src/remote/xml.ts";

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
