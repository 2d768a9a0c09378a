/**
 * pywal's template syntax (pure), as `wal` 3.x renders it: Python
 * `str.format` over a map of colours, so `{color1}` is replaced, `{{` and
 * `}}` are literal braces, and a colour may be followed by properties
 * (`.strip`, `.rgb`, `.rgba`, `.xrgba`, `.alpha`, `.alpha_dec`, `.red`,
 * `.green`, `.blue`, `.decimal`, `.octal`, …) and by the chainable functions
 * `.lighten(p)`, `.darken(p)`, `.saturate(p)` (p in percent).
 *
 * Faithful to pywal's quirks (see docs/theme.md): hex values keep the case
 * of the palette, and a computed colour prints in lower case with its `#`
 * (pywal names it `color` + its `.strip` in the template, then formats the
 * new `Color`); function arguments keep only their digits (`lighten(0.5)`
 * means 5 %).
 *
 * @module
 */
import type { CompiledTemplate, RenderEnv } from "./jinja_compile.ts";
import { SourceMap } from "./template_error.ts";
import type { Value } from "./value.ts";

/** Names a pywal template may use. */
export const PYWAL_NAMES: ReadonlySet<string> = new Set([
  ...Array.from({ length: 16 }, (_, i) => `color${i}`),
  "background",
  "foreground",
  "cursor",
  "wallpaper",
  "alpha",
]);

type Step = { name: string; args: string[] | null; at: number };
type Part = string | { name: string; steps: Step[]; at: number };

const PROPS = new Set([
  "rgb",
  "rgba",
  "xrgba",
  "alpha",
  "alpha_dec",
  "strip",
  "red",
  "green",
  "blue",
  "decimal",
  "decimal_strip",
  "octal",
  "octal_strip",
]);
const FUNCS = new Set(["lighten", "darken", "saturate"]);

/**
 * Parses and compiles a pywal template. Line ends are read as pywal reads
 * them (Python's text mode): `\r\n` and a lone `\r` become `\n`, so a
 * `colors.sh` saved with Windows line ends still works in a shell.
 *
 * @throws {TemplateError} On a lone `{` or `}`, an unknown name, property or function.
 * @example Doubled braces are literal, as in str.format
 * ```ts
 * import assert from "node:assert/strict";
 * import { compilePywal } from "./pywal_template.ts";
 *
 * const t = compilePywal("a {{ {color1.strip} }}", "x");
 * assert.equal(t.render({ color1: "#ABCDEF", alpha: 100 }, { alpha: 100 }), "a { ABCDEF }");
 * ```
 */
export function compilePywal(source: string, name: string): CompiledTemplate {
  source = source.replace(/\r\n?/g, "\n");
  const map = new SourceMap(name, source);
  const parts: Part[] = [];
  let text = "";
  let i = 0;
  const n = source.length;
  while (i < n) {
    const a = source.indexOf("{", i), b = source.indexOf("}", i);
    const next = a === -1 ? b : b === -1 ? a : Math.min(a, b);
    if (next === -1) {
      text += source.slice(i);
      break;
    }
    text += source.slice(i, next);
    const c = source[next];
    if (source[next + 1] === c) {
      text += c;
      i = next + 2;
      continue;
    }
    if (c === "}") throw map.error(next, "single '}' (write '}}' for a literal brace)");
    const close = source.indexOf("}", next + 1);
    const inner = close === -1 ? -1 : source.indexOf("{", next + 1);
    if (close === -1 || (inner !== -1 && inner < close)) {
      throw map.error(next, "single '{' (write '{{' for a literal brace)");
    }
    if (text) parts.push(text);
    text = "";
    parts.push(parseField(source.slice(next + 1, close), next + 1, map));
    i = close + 1;
  }
  if (text) parts.push(text);
  return {
    name,
    syntax: "pywal",
    includes: [],
    render(vars, env) {
      let out = "";
      for (const p of parts) out += typeof p === "string" ? p : field(p, vars, env, map);
      return out;
    },
  };
}

function parseField(body: string, at: number, map: SourceMap): Part & object {
  const m = /^([A-Za-z_]\w*)/.exec(body);
  if (!m) throw map.error(at, `expected a name inside '{…}', found "${body}"`);
  const name = m[1];
  if (!PYWAL_NAMES.has(name)) throw map.error(at, `unknown variable '${name}'`);
  const steps: Step[] = [];
  let i = name.length;
  while (i < body.length) {
    const s = /^\.([A-Za-z_]\w*)(\(([^()]*)\))?/.exec(body.slice(i));
    if (!s) throw map.error(at + i, `cannot read "${body.slice(i)}" in '{${body}}'`);
    const [all, fname, call, args] = s;
    if (call !== undefined) {
      if (!FUNCS.has(fname)) throw map.error(at + i + 1, `unknown function '${fname}'`);
      steps.push({ name: fname, args: args.split(","), at: at + i + 1 });
    } else {
      if (FUNCS.has(fname)) {
        throw map.error(at + i + 1, `'${fname}' needs an argument: ${fname}(20)`);
      }
      if (!PROPS.has(fname)) throw map.error(at + i + 1, `unknown property '${fname}'`);
      steps.push({ name: fname, args: null, at: at + i + 1 });
    }
    i += all.length;
  }
  return { name, steps, at };
}

function field(
  p: { name: string; steps: Step[]; at: number },
  vars: Readonly<Record<string, Value>>,
  env: RenderEnv,
  map: SourceMap,
): string {
  const v = vars[p.name];
  if (v === undefined || v === null) throw map.error(p.at, `variable '${p.name}' is not set`);
  let cur: string = String(v);
  let isColor = true;
  const alphaNum = String(vars.alpha ?? env.alpha);
  for (const s of p.steps) {
    if (!isColor) throw map.error(s.at, `'${s.name}' cannot follow a property`);
    try {
      if (s.args) {
        cur = pywalFunction(cur, s.name, s.args);
      } else {
        cur = pywalProperty(cur, s.name, alphaNum);
        isColor = false;
      }
    } catch (e) {
      throw map.error(s.at, (e as Error).message);
    }
  }
  return cur;
}

/**
 * Channels of `#rrggbb` as 0–255 integers (pywal's `hex_to_rgb`).
 *
 * @example pywal's hex_to_rgb
 * ```ts
 * import assert from "node:assert/strict";
 * import { pyHexToRgb } from "./pywal_template.ts";
 *
 * assert.deepEqual(pyHexToRgb("#4B7A85"), [75, 122, 133]);
 * ```
 */
export function pyHexToRgb(hex: string): [number, number, number] {
  const h = hex.replace(/^#+|#+$/g, "");
  if (!/^[0-9a-fA-F]{6}$/.test(h)) throw new Error(`"${hex}" is not a #rrggbb colour`);
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
}

const pyHex = (c: readonly number[]) =>
  "#" + c.map((x) => Math.trunc(x).toString(16).padStart(2, "0")).join("");

/**
 * Python's float repr for the values pywal prints (1.0, 0.85).
 *
 * @example Floats as Python prints them
 * ```ts
 * import assert from "node:assert/strict";
 * import { pyFloat } from "./pywal_template.ts";
 *
 * assert.equal(pyFloat(1), "1.0");
 * assert.equal(pyFloat(0.85), "0.85");
 * ```
 */
export function pyFloat(x: number): string {
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}

/**
 * One of pywal's Color properties.
 *
 * @example pywal's Color properties, with its quirks
 * ```ts
 * import assert from "node:assert/strict";
 * import { pywalProperty } from "./pywal_template.ts";
 *
 * assert.equal(pywalProperty("#4B7A85", "strip", "100"), "4B7A85"); // the palette's case is kept
 * assert.equal(pywalProperty("#4B7A85", "rgb", "100"), "75,122,133");
 * assert.equal(pywalProperty("#4B7A85", "alpha", "100"), "[100]#4B7A85");
 * assert.equal(pywalProperty("#4B7A85", "red", "100"), "0.294");
 * ```
 */
export function pywalProperty(hex: string, prop: string, alphaNum: string): string {
  const alphaDec = () => {
    const n = parseInt(alphaNum, 10);
    if (!Number.isFinite(n)) throw new Error(`alpha "${alphaNum}" is not a number`);
    return pyFloat(n / 100);
  };
  switch (prop) {
    case "strip":
      return hex.replace(/^#+|#+$/g, "");
    case "rgb":
      return pyHexToRgb(hex).join(",");
    case "rgba":
      return `rgba(${pyHexToRgb(hex).join(",")},${alphaDec()})`;
    case "xrgba": {
      const c = hex.toLowerCase().replace(/^#+|#+$/g, "");
      return `${c.slice(0, 2)}/${c.slice(2, 4)}/${c.slice(4, 6)}/ff`;
    }
    case "alpha":
      return `[${alphaNum}]${hex}`;
    case "alpha_dec":
      return alphaDec();
    case "red":
    case "green":
    case "blue":
      return (pyHexToRgb(hex)[["red", "green", "blue"].indexOf(prop)] / 255).toFixed(3);
    case "decimal":
      return "#" + parseInt(hex.slice(1), 16);
    case "decimal_strip":
      return String(parseInt(hex.slice(1), 16));
    case "octal":
      return "#" + parseInt(hex.slice(1), 16).toString(8);
    case "octal_strip":
      return parseInt(hex.slice(1), 16).toString(8);
  }
  throw new Error(`unknown property '${prop}'`);
}

/**
 * One of pywal's Color functions; returns `#rrggbb` (lower case, as pywal computes it).
 *
 * @example pywal's Color functions, arguments in percent
 * ```ts
 * import assert from "node:assert/strict";
 * import { pywalFunction } from "./pywal_template.ts";
 *
 * assert.equal(pywalFunction("#4B7A85", "lighten", ["20"]), "#6f949d"); // channels truncated
 * assert.equal(pywalFunction("#4B7A85", "darken", ["20"]), "#3c616a");
 * assert.equal(pywalFunction("#4B7A85", "saturate", ["50"]), "#33889c"); // sets HLS saturation
 * assert.equal(pywalFunction("#4B7A85", "lighten", ["0.5"]), pywalFunction("#4B7A85", "lighten", ["5"]));
 * ```
 */
export function pywalFunction(hex: string, fn: string, args: readonly string[]): string {
  const digits = (args[0] ?? "").replace(/\D/g, "");
  if (!digits) throw new Error(`'${fn}' needs a percentage, got "${args.join(",")}"`);
  const amount = parseFloat(digits) / 100;
  const rgb = pyHexToRgb(hex);
  switch (fn) {
    case "lighten":
      return pyHex(rgb.map((c) => c + (255 - c) * amount));
    case "darken":
      return pyHex(rgb.map((c) => c * (1 - amount)));
    case "saturate": {
      const [h, l] = rgbToHls(rgb[0] / 255, rgb[1] / 255, rgb[2] / 255);
      return pyHex(hlsToRgb(h, l, amount).map((x) => x * 255));
    }
  }
  throw new Error(`unknown function '${fn}'`);
}

/** Python's float `%`: the result takes the divisor's sign. */
function pyMod(x: number, y: number): number {
  let m = x % y;
  if (m !== 0 && (y < 0) !== (m < 0)) m += y;
  return m;
}

/**
 * Python's `colorsys.rgb_to_hls`.
 *
 * @example Python's colorsys.rgb_to_hls
 * ```ts
 * import assert from "node:assert/strict";
 * import { rgbToHls } from "./pywal_template.ts";
 *
 * assert.deepEqual(rgbToHls(1, 0, 0), [0, 0.5, 1]);
 * ```
 */
export function rgbToHls(r: number, g: number, b: number): [number, number, number] {
  const maxc = Math.max(r, g, b), minc = Math.min(r, g, b);
  const sumc = maxc + minc, rangec = maxc - minc;
  const l = sumc / 2.0;
  if (minc === maxc) return [0.0, l, 0.0];
  const s = l <= 0.5 ? rangec / sumc : rangec / (2.0 - maxc - minc);
  const rc = (maxc - r) / rangec, gc = (maxc - g) / rangec, bc = (maxc - b) / rangec;
  let h: number;
  if (r === maxc) h = bc - gc;
  else if (g === maxc) h = 2.0 + rc - bc;
  else h = 4.0 + gc - rc;
  h = pyMod(h / 6.0, 1.0);
  return [h, l, s];
}

/**
 * Python's `colorsys.hls_to_rgb`.
 *
 * @example Python's colorsys.hls_to_rgb
 * ```ts
 * import assert from "node:assert/strict";
 * import { hlsToRgb } from "./pywal_template.ts";
 *
 * assert.deepEqual(hlsToRgb(0, 0.5, 1), [1, 0, 0]);
 * ```
 */
export function hlsToRgb(h: number, l: number, s: number): [number, number, number] {
  if (s === 0.0) return [l, l, l];
  const m2 = l <= 0.5 ? l * (1.0 + s) : l + s - (l * s);
  const m1 = 2.0 * l - m2;
  return [v(m1, m2, h + 1.0 / 3.0), v(m1, m2, h), v(m1, m2, h - 1.0 / 3.0)];
}

function v(m1: number, m2: number, hue: number): number {
  hue = pyMod(hue, 1.0);
  if (hue < 1.0 / 6.0) return m1 + (m2 - m1) * hue * 6.0;
  if (hue < 0.5) return m2;
  if (hue < 2.0 / 3.0) return m1 + (m2 - m1) * (2.0 / 3.0 - hue) * 6.0;
  return m1;
}
