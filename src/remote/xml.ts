/**
 * A small, forgiving XML reader for feeds: elements, attributes, text and
 * CDATA. The five XML entities and numeric references are decoded; no other
 * entity is expanded and DOCTYPEs are skipped, so a hostile feed cannot grow
 * in memory (no "billion laughs"). Not a validating parser.
 *
 * @module
 */

/** An element. */
export interface XmlElement {
  /** The tag name as written (with its prefix, e.g. "media:content"). */
  name: string;
  /** The name without prefix, lower-cased ("content"). */
  local: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The text directly inside, decoded and concatenated. */
  text: string;
  /** Set when the document ended before this element's end tag (a cut-off answer). */
  unclosed?: true;
}

/** A feed too big or too broken to read. */
export class XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "XmlError";
  }
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Decodes the five XML entities and numeric references; others stay as written. */
export function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,4});/gi, (m, e: string) => {
    if (e[0] === "#") {
      const n = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : m;
    }
    return NAMED[e.toLowerCase()] ?? m;
  });
}

const ATTR = /([^\s=/>]+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;

function localName(name: string): string {
  return name.slice(name.indexOf(":") + 1).toLowerCase();
}

/**
 * Parses a document into its root element (a synthetic "#document" holding
 * the top-level elements).
 *
 * @param maxElements Stops with an error past this many elements.
 * @throws {XmlError} When the document has more elements than allowed.
 */
export function parseXml(source: string, maxElements = 200_000): XmlElement {
  const root: XmlElement = {
    name: "#document",
    local: "#document",
    attrs: {},
    children: [],
    text: "",
  };
  const stack: XmlElement[] = [root];
  let elements = 0;
  let i = 0;
  const n = source.length;
  while (i < n) {
    const lt = source.indexOf("<", i);
    const top = stack[stack.length - 1];
    if (lt < 0) {
      top.text += decodeEntities(source.slice(i));
      break;
    }
    if (lt > i) top.text += decodeEntities(source.slice(i, lt));
    if (source.startsWith("<!--", lt)) {
      const end = source.indexOf("-->", lt + 4);
      i = end < 0 ? n : end + 3;
    } else if (source.startsWith("<![CDATA[", lt)) {
      const end = source.indexOf("]]>", lt + 9);
      top.text += source.slice(lt + 9, end < 0 ? n : end);
      i = end < 0 ? n : end + 3;
    } else if (source.startsWith("<?", lt)) {
      const end = source.indexOf("?>", lt + 2);
      i = end < 0 ? n : end + 2;
    } else if (source.startsWith("<!", lt)) {
      // DOCTYPE (with an internal subset in brackets) or another declaration: skipped.
      let j = lt + 2;
      let depth = 0;
      for (; j < n; j++) {
        const c = source[j];
        if (c === "[") depth++;
        else if (c === "]") depth--;
        else if (c === ">" && depth <= 0) break;
      }
      i = j + 1;
    } else if (source[lt + 1] === "/") {
      const end = source.indexOf(">", lt);
      const name = source.slice(lt + 2, end < 0 ? n : end).trim();
      // Close the innermost open element of that name (forgiving mismatched tags).
      for (let k = stack.length - 1; k > 0; k--) {
        if (stack[k].name === name) {
          stack.length = k;
          break;
        }
      }
      i = end < 0 ? n : end + 1;
    } else {
      const end = findTagEnd(source, lt + 1);
      const inner = source.slice(lt + 1, end < 0 ? n : end);
      i = end < 0 ? n : end + 1;
      const selfClosing = inner.endsWith("/");
      const body = selfClosing ? inner.slice(0, -1) : inner;
      const m = /^[^\s/>]+/.exec(body);
      if (!m) {
        top.text += "<";
        i = lt + 1;
        continue;
      }
      if (++elements > maxElements) {
        throw new XmlError(`the feed has more than ${maxElements} elements`);
      }
      const el: XmlElement = {
        name: m[0],
        local: localName(m[0]),
        attrs: {},
        children: [],
        text: "",
      };
      for (const a of body.slice(m[0].length).matchAll(ATTR)) {
        el.attrs[a[1]] = decodeEntities(a[2] ?? a[3] ?? a[4] ?? "");
      }
      top.children.push(el);
      if (!selfClosing) stack.push(el);
    }
  }
  for (const el of stack.slice(1)) el.unclosed = true;
  return root;
}

/** The index of the `>` ending a start tag, skipping quoted attribute values. */
function findTagEnd(s: string, from: number): number {
  let quote = "";
  for (let j = from; j < s.length; j++) {
    const c = s[j];
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ">") return j;
  }
  return -1;
}

/** Every descendant element with one of the local names, in document order. */
export function descendants(el: XmlElement, locals: readonly string[]): XmlElement[] {
  // In document order, without recursion: a feed may nest elements 100,000 deep.
  const out: XmlElement[] = [];
  const stack = [...el.children].reverse();
  for (let c = stack.pop(); c !== undefined; c = stack.pop()) {
    if (locals.includes(c.local)) out.push(c);
    for (let i = c.children.length - 1; i >= 0; i--) stack.push(c.children[i]);
  }
  return out;
}

/** The first child with a local name (optionally with a given prefix). */
export function child(el: XmlElement, local: string, prefix?: string): XmlElement | undefined {
  return el.children.find((c) =>
    c.local === local && (prefix === undefined || c.name.toLowerCase().startsWith(`${prefix}:`))
  );
}

/** All the text inside an element, its children's included. */
export function allText(el: XmlElement): string {
  // Each element's own text, then its children's, as a recursive walk would give, without one.
  const parts: string[] = [];
  const stack = [el];
  for (let e = stack.pop(); e !== undefined; e = stack.pop()) {
    parts.push(e.text);
    for (let i = e.children.length - 1; i >= 0; i--) stack.push(e.children[i]);
  }
  return parts.join("");
}
