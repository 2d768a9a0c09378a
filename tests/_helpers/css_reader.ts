// Reads one CSS string token as CSS Syntax Level 3 §4.3.5 "consume a string
// token" describes (after §3.3 preprocessing: CR, CRLF and FF are newlines,
// NUL is U+FFFD). A raw newline inside the string makes a bad-string token,
// which this reader reports as an error.

const HEX = /[0-9a-fA-F]/;

/** The decoded value of the string starting at `start` (a quote), and where it ends. */
export function readCssString(css: string, start = 0): { value: string; end: number } {
  const text = css.replace(/\r\n?|\f/g, "\n").replace(/\0/g, "\ufffd");
  const quote = text[start];
  if (quote !== '"' && quote !== "'") throw new Error(`no string at ${start}`);
  let value = "";
  let i = start + 1;
  while (true) {
    const c = text[i];
    if (c === undefined) throw new Error("string not closed before the end");
    if (c === quote) return { value, end: i + 1 };
    if (c === "\n") throw new Error("bad string: raw newline");
    if (c !== "\\") {
      const cp = text.codePointAt(i)!;
      value += String.fromCodePoint(cp);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const n = text[i + 1];
    if (n === undefined) return { value, end: i + 1 };
    if (n === "\n") {
      i += 2;
      continue;
    }
    if (HEX.test(n)) {
      let j = i + 1, digits = "";
      while (digits.length < 6 && HEX.test(text[j] ?? "")) digits += text[j++];
      if (text[j] === " " || text[j] === "\t" || text[j] === "\n") j++;
      const cp = parseInt(digits, 16);
      const bad = cp === 0 || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff;
      value += bad ? "\ufffd" : String.fromCodePoint(cp);
      i = j;
      continue;
    }
    const cp = text.codePointAt(i + 1)!;
    value += String.fromCodePoint(cp);
    i += 1 + (cp > 0xffff ? 2 : 1);
  }
}
