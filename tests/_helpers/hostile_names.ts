// Wallpaper paths built to break out of whatever format they are written into.
// `MARK` is a relative file name: a test runs readers in a temporary folder and
// checks that no command created it.

/** The file a successful injection would create (relative to the test's folder). */
export const MARK = "pwned";

/** Hostile wallpaper paths, each with a short label. */
export const HOSTILE_NAMES: readonly { label: string; path: string }[] = [
  { label: "issue example", path: `x\nexec touch ${MARK}\n/y.jpg` },
  { label: "newline + exec", path: `/walls/a\nexec_always touch ${MARK}\n#.jpg` },
  { label: "semicolon, comma", path: `/walls/a; exec touch ${MARK}, b.jpg` },
  { label: "quotes", path: `/walls/it's "x" '' "".jpg` },
  { label: "command substitution", path: `/walls/$(touch ${MARK}).jpg` },
  { label: "backticks", path: `/walls/\`touch ${MARK}\`.jpg` },
  { label: "quoted substitution", path: `/walls/'$(touch ${MARK})'"$(touch ${MARK})".jpg` },
  { label: "backslash before $", path: `/walls/\\$(touch ${MARK})\\.jpg` },
  { label: "variables", path: "/walls/$HOME ${HOME} $background $$ $.jpg" },
  { label: "globs and tilde", path: "~/walls/* ? [a] {b,c}.jpg" },
  { label: "template syntax", path: "/walls/}{{ color1 }}{% if x %}{#.jpg" },
  { label: "comment characters", path: "/walls/#hash ;semi !bang //.jpg" },
  { label: "braces", path: "/walls/{\n}\n{.jpg" },
  { label: "tab, CR, two spaces", path: "/walls/tab\there\rcr  two  spaces .jpg" },
  { label: "control characters", path: "/walls/esc\x1b[31mred\x07bel\x7fdel\u0085nel\x01.jpg" },
  { label: "backslashes", path: "/walls/back\\slash\\n\\x24\\\\end\\" },
  { label: "trailing backslash", path: "/walls/end\\" },
  { label: "line separators", path: "/walls/\u2028ls\u2029ps.jpg" },
  // Deno turns each byte of a file name that is not UTF-8 into U+FFFD.
  { label: "not UTF-8 (as Deno reads it)", path: "/walls/caf\ufffd \ufffd\ufffd.jpg" },
  { label: "lone surrogate (hand-written JSON)", path: "/walls/lone\ud800.jpg" },
  { label: "unicode", path: "/walls/żółw 🐢 日本.jpg" },
];

/** What a lone surrogate becomes in a UTF-8 file. */
export function asWritten(path: string): string {
  return path.replace(/[\ud800-\udfff]/gu, "\ufffd");
}
