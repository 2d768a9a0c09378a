// A model of how sway reads its config file, written from sway(5) and from
// reading sway's config reader (sway/config.c, sway/commands.c,
// common/stringop.c) and background command (sway/commands/output/background.c):
//
// 1. lines end at "\n"; a line ending in "\" continues on the next (unless it is a comment);
// 2. leading/trailing blanks are stripped; empty lines and lines starting with "#" are skipped;
// 3. the line is split into arguments at blanks outside "…", '…' and […], "\" escaping one char;
// 4. `$name` is replaced by a variable's value everywhere in the joined line (quotes do not
//    protect it; "$$" is a literal "$"; a "$" right after a single "\" is left alone);
// 5. the line is split again; each argument after the command (after `set $name`) has its
//    quotes removed when it starts with one (not for exec/bindsym/set/… which keep them),
//    then C escapes are decoded (\n \t \r \f \v \a \b \\ \" \' \? and \x with decimal digits);
// 6. `output NAME bg PATH… MODE` joins PATH…, puts "\" between double spaces and expands it
//    with wordexp(3) — modelled strictly: anything that would expand is an error.
//
// The model is for tests: it must reject every line that sway would read differently.

const BLANKS = " \f\n\r\t\v";
const isBlank = (c: string | undefined) => c !== undefined && c !== "" && BLANKS.includes(c);

/** One command as sway runs it: the command word, then its decoded arguments. */
export interface SwayCommand {
  /** 1-based line number of the (first physical) line. */
  line: number;
  /** The arguments after quote removal and unescaping; argv[0] is the command. */
  argv: string[];
}

/** Splits at blanks outside quotes and brackets; quotes and backslashes are kept. */
export function splitArgs(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (isBlank(s[i])) i++;
    if (i >= s.length) break;
    const start = i;
    let dq = false, sq = false, br = false, esc = false;
    for (; i < s.length; i++) {
      const c = s[i];
      if (c === '"' && !sq && !esc) dq = !dq;
      else if (c === "'" && !dq && !esc) sq = !sq;
      else if (c === "[" && !dq && !sq && !br && !esc) br = true;
      else if (c === "]" && !dq && !sq && br && !esc) br = false;
      else if (c === "\\") {
        esc = !esc;
        continue;
      } else if (!dq && !sq && !br && !esc && isBlank(c)) break;
      esc = false;
    }
    out.push(s.slice(start, i));
  }
  return out;
}

/** Replaces `$name` with the longest matching variable, as sway does before splitting again. */
export function replaceVariables(s: string, vars: ReadonlyMap<string, string>): string {
  const names = [...vars.keys()].sort((a, b) => b.length - a.length);
  let out = s;
  let at = out.indexOf("$");
  while (at !== -1) {
    if (at > 0 && out[at - 1] === "\\" && (at === 1 || out[at - 2] !== "\\")) {
      at = out.indexOf("$", at + 1);
      continue;
    }
    if (out[at + 1] === "$") {
      out = out.slice(0, at) + out.slice(at + 1);
      at = out.indexOf("$", at + 1);
      continue;
    }
    const name = names.find((n) => out.startsWith(n, at));
    if (name === undefined) {
      at = out.indexOf("$", at + 1);
      continue;
    }
    const value = vars.get(name)!;
    out = out.slice(0, at) + value + out.slice(at + name.length);
    at = out.indexOf("$", at + value.length);
  }
  return out;
}

/** Removes every unescaped quote character (backslashes stay for unescaping). */
export function stripQuotes(s: string): string {
  let out = "", dq = false, sq = false, esc = false;
  for (const c of s) {
    if (c === "'" && !dq && !esc) {
      sq = !sq;
      continue;
    }
    if (c === '"' && !sq && !esc) {
      dq = !dq;
      continue;
    }
    if (c === "\\") {
      esc = !esc;
      out += c;
      continue;
    }
    esc = false;
    out += c;
  }
  return out;
}

const C_ESCAPES: Readonly<Record<string, string>> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  "'": "'",
  '"': '"',
  "?": "?",
};

/**
 * Decodes sway's C escapes; an unknown escape keeps its backslash; `\0` ends the
 * string; after a `\x` escape nothing more is decoded.
 */
export function unescape(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== "\\") {
      out += s[i];
      continue;
    }
    const n = s[i + 1];
    if (n === undefined) {
      out += "\\";
      continue;
    }
    if (n === "0") return out;
    if (n in C_ESCAPES) {
      out += C_ESCAPES[n];
      i++;
    } else if (n === "x") {
      // sway reads up to two *decimal* digits as hex, and then (checked with sway 1.7)
      // stops decoding: the rest of the argument is kept as it is.
      let code = 0, used = 0;
      while (used < 2 && /[0-9]/.test(s[i + 2 + used] ?? "")) {
        code = code * 16 + Number(s[i + 2 + used]);
        used++;
      }
      return out + String.fromCharCode(code) + s.slice(i + 2 + used);
    } else {
      out += "\\";
    }
  }
  return out;
}

const KEEPS_QUOTES = new Set([
  "exec",
  "exec_always",
  "mode",
  "bindsym",
  "bindcode",
  "bindswitch",
  "bindgesture",
  "set",
  "for_window",
]);

/**
 * Reads a config text as sway would, recording `set $name value` variables and
 * returning every other command (blocks are returned as "{" / "}" commands so a
 * test sees them).
 */
export function readSwayConfig(
  text: string,
  vars: Map<string, string> = new Map(),
): SwayCommand[] {
  const physical = text.split("\n");
  if (physical.at(-1) === "") physical.pop();
  const commands: SwayCommand[] = [];
  for (let n = 0; n < physical.length; n++) {
    const first = n + 1;
    let line = physical[n];
    while (line.endsWith("\\") && !line.startsWith("#") && n + 1 < physical.length) {
      line = line.slice(0, -1) + physical[++n];
    }
    line = stripBlanks(line);
    if (line === "" || line.startsWith("#")) continue;
    let argv = splitArgs(line);
    if (argv.length === 0) continue;
    if (argv.at(-1) === "{" || argv.at(-1) === "}") {
      commands.push({ line: first, argv: [argv.at(-1)!, ...argv.slice(0, -1)] });
      continue;
    }
    const cmd = argv[0];
    if (cmd === "set" && argv.length > 1 && argv[1].startsWith("$")) argv[1] = "$" + argv[1];
    argv = splitArgs(replaceVariables(argv.join(" "), vars));
    for (let i = cmd === "set" ? 2 : 1; i < argv.length; i++) {
      if (!KEEPS_QUOTES.has(cmd) && (argv[i][0] === '"' || argv[i][0] === "'")) {
        argv[i] = stripQuotes(argv[i]);
      }
      argv[i] = unescape(argv[i]);
    }
    if (cmd === "set") {
      vars.set(argv[1], argv.slice(2).join(" "));
      continue;
    }
    commands.push({ line: first, argv });
  }
  return commands;
}

function stripBlanks(s: string): string {
  let a = 0, b = s.length;
  while (a < b && isBlank(s[a])) a++;
  while (b > a && isBlank(s[b - 1])) b--;
  return s.slice(a, b);
}

const BG_MODES = ["stretch", "center", "fill", "fit", "tile"];

/** The file an `output NAME bg PATH MODE` command names, as sway expands it. */
export function outputBackground(argv: readonly string[]): { path: string; mode: string } {
  if (argv[0] !== "output" || !["bg", "background"].includes(argv[2])) {
    throw new Error(`not an 'output … bg' command: ${JSON.stringify(argv)}`);
  }
  const args = argv.slice(3);
  const j = args.findIndex((a) => BG_MODES.includes(a.toLowerCase()));
  if (j <= 0) throw new Error(`no background file or mode in ${JSON.stringify(argv)}`);
  let src = args.slice(0, j).join(" ");
  while (src.includes("  ")) src = src.replace("  ", " \\ ");
  const words = wordexpStrict(src);
  if (words.length === 0) throw new Error(`wordexp gives no word for ${JSON.stringify(src)}`);
  return { path: words.join(" "), mode: args[j] };
}

/**
 * POSIX word expansion restricted to what needs no expansion: backslash
 * escapes, '…' and "…" quoting, splitting at unquoted blanks. Anything that
 * would expand (`$`, `` ` ``, a glob character, a leading `~`) or that
 * wordexp refuses (an unquoted `| & ; < > ( ) { }` or newline) throws.
 */
export function wordexpStrict(s: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  const add = (c: string) => (word = (word ?? "") + c);
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "\\") {
      if (i + 1 >= s.length) throw new Error("wordexp: backslash at the end");
      if (s[i + 1] !== "\n") add(s[i + 1]);
      i++;
    } else if (c === "'") {
      const end = s.indexOf("'", i + 1);
      if (end === -1) throw new Error("wordexp: unterminated '");
      add(s.slice(i + 1, end));
      i = end;
    } else if (c === '"') {
      add("");
      for (i++;; i++) {
        if (i >= s.length) throw new Error('wordexp: unterminated "');
        const d = s[i];
        if (d === '"') break;
        if (d === "$" || d === "`") throw new Error(`wordexp would expand ${d} in "…"`);
        if (d === "\\" && '$`"\\\n'.includes(s[i + 1] ?? "")) {
          if (s[i + 1] !== "\n") add(s[i + 1]);
          i++;
        } else add(d);
      }
    } else if (c === " " || c === "\t" || c === "\n") {
      if (c === "\n") throw new Error("wordexp: unquoted newline");
      if (word !== null) words.push(word);
      word = null;
    } else if ("|&;<>(){}".includes(c)) {
      throw new Error(`wordexp refuses an unquoted ${c}`);
    } else if ("$`".includes(c)) {
      throw new Error(`wordexp would expand an unquoted ${c}`);
    } else if ("*?[".includes(c)) {
      throw new Error(`wordexp would glob an unquoted ${c}`);
    } else if (c === "~" && word === null) {
      throw new Error("wordexp would expand a leading ~");
    } else add(c);
  }
  if (word !== null) words.push(word);
  return words;
}
