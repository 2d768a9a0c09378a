/**
 * The filters of matugen templates (pure), written `{{ x | name: arg, arg }}`.
 * Colour filters read the colour back from its printed form and print the
 * result in the same format, as matugen does; semantics follow matugen's
 * `src/filters/` (colorsys operations on HSL with percentages):
 *
 * | filter                | does                                                      |
 * | --------------------- | --------------------------------------------------------- |
 * | `set_lightness: L`    | HSL lightness set to L (0–100)                            |
 * | `set_saturation: S`   | HSL saturation set to S (0–100)                           |
 * | `set_hue: H`          | HSL hue set to H degrees                                  |
 * | `set_alpha: A`        | alpha set to A (0–1); only formats with alpha (rgba, hsla, hex_alpha) |
 * | `lighten: N`          | HSL lightness + N (clamped)                               |
 * | `darken: N`           | HSL lightness − N (clamped)                               |
 * | `auto_lightness: N`   | lighten by N when lightness is below 50, else darken      |
 * | `grayscale`           | each channel the mean of the three                        |
 * | `invert`              | each channel 255 − value                                  |
 * | `to_upper` `to_lower` | case of the text                                          |
 * | `replace: "a", "b"`   | every "a" replaced by "b"                                 |
 * | `camel_case`          | `primary_container` → `primaryContainer`                  |
 * | `quote: F`            | text made safe for a file format (varietal's; see {@linkcode quoteFor}) |
 *
 * @module
 */
import { rgbToHsl } from "../palette/color.ts";
import { FilterError, type FilterSpec } from "./filters.ts";
import {
  type ColorFormat,
  formatHslColor,
  formatMColor,
  hasAlpha,
  type MColor,
  parseMColor,
} from "./matugen_format.ts";
import { toText, typeName, type Value } from "./value.ts";
import { refuseNul, shellQuote, wellFormed } from "./quoting.ts";

function colorArg(v: Value, filter: string): { color: MColor; format: ColorFormat } {
  const parsed = typeof v === "string" ? parseMColor(v) : null;
  if (!parsed) {
    throw new FilterError(
      `'${filter}' needs a colour (hex, rgb, rgba, hsl or hsla), got ${
        typeof v === "string" ? `"${v}"` : `a ${typeName(v)}`
      }`,
    );
  }
  return parsed;
}

function numArg(args: readonly Value[], filter: string): number {
  const v = args[0];
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new FilterError(`'${filter}' needs a number, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** A filter that changes a colour's HSL and prints it in its own format. */
function hslFilter(
  name: string,
  change: (hsl: { h: number; s: number; l: number }, n: number) => void,
): FilterSpec {
  return {
    minArgs: 1,
    maxArgs: 1,
    fn: (v, args) => {
      const n = numArg(args, name);
      const { color, format } = colorArg(v, name);
      const hsl = rgbToHsl(color);
      const pct = { h: hsl.h, s: hsl.s * 100, l: hsl.l * 100 };
      if (format === "hsl" || format === "hsla") {
        // keep the hue and saturation as written (a grey has no hue to recompute)
        const m = /^hsla?\(\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)%?\s*,/i.exec(String(v).trim());
        if (m) {
          pct.h = Number(m[1]);
          pct.s = Number(m[2]);
        }
      }
      change(pct, n);
      return formatHslColor(pct, color.a, format);
    },
  };
}

/** A filter that maps a colour's channels. */
function rgbFilter(name: string, change: (c: MColor) => MColor): FilterSpec {
  return {
    minArgs: 0,
    maxArgs: 0,
    fn: (v) => {
      const { color, format } = colorArg(v, name);
      return formatMColor(change(color), format);
    },
  };
}

/** The formats {@linkcode quoteFor} knows. */
export const QUOTE_FORMATS = ["css", "json", "shell", "hyprland"] as const;

/**
 * Makes text (a wallpaper path) safe inside a file format:
 *
 * - `css`: a CSS string `"…"`; `\`, `"`, `*` and control characters as hex escapes
 *   (`\22 `, `\d `, `\a `, `\c `…: each read back as itself), so it is safe in a
 *   comment too: no `*` + `/` can appear;
 * - `json`: a JSON string (not a TOML one: JSON leaves DEL raw, which TOML forbids);
 * - `shell`: a POSIX shell word in single quotes;
 * - `hyprland`: a Hyprland value (no quoting exists there; `#` is written `##`;
 *   a line break, `$`, `{{` or spaces at either end are refused).
 *
 * @throws {FilterError} For an unknown format, or a Hyprland value it cannot write.
 * @throws {QuoteError} For a NUL in css or shell (neither can hold one).
 * @example A wallpaper path in four formats
 * ```ts
 * import assert from "node:assert/strict";
 * import { quoteFor } from "./matugen_filters.ts";
 *
 * assert.equal(quoteFor("/w/it's $x.png", "shell"), "'/w/it'\\''s $x.png'");
 * assert.equal(quoteFor('a"b', "css"), '"a\\22 b"');
 * assert.equal(quoteFor('a"b', "json"), '"a\\"b"');
 * assert.equal(quoteFor("a#b", "hyprland"), "a##b");
 * assert.throws(() => quoteFor("a\nb", "hyprland"), /line break/);
 * assert.throws(() => quoteFor("/w/$HOME.png", "hyprland"), /hyprlang expands/);
 * ```
 */
export function quoteFor(text: string, format: string): string {
  switch (format) {
    case "css":
      refuseNul(text, "CSS");
      // Every character a CSS string cannot hold raw (line breaks, form feed, other
      // controls, U+2028/9) and `*` (so no `*` + `/` ends a comment) as a hex escape.
      return `"${
        wellFormed(text).replace(
          // deno-lint-ignore no-control-regex -- control characters are what it looks for
          /[\\"*\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
          (c) => `\\${c.charCodeAt(0).toString(16)} `,
        )
      }"`;
    case "json":
      return JSON.stringify(wellFormed(text));
    case "shell":
      return shellQuote(text);
    case "hyprland":
      // hyprlang has no quoting: `#` has an escape (`##`); a line break, a `$` (variables are
      // substituted, with no escape), `{{` (newer versions evaluate it) and spaces at either end
      // (values are trimmed) have none, so such a value is refused rather than written wrong.
      if (/[\r\n]/.test(text)) {
        throw new FilterError("a line break cannot be written in a Hyprland value");
      }
      if (text.includes("$") || text.includes("{{")) {
        throw new FilterError(
          `a '$' or '{{' cannot be written in a Hyprland value (hyprlang expands them): ${
            JSON.stringify(text)
          }`,
        );
      }
      if (text.trim() !== text) {
        throw new FilterError(
          `spaces at the ends of a Hyprland value are lost: ${JSON.stringify(text)}`,
        );
      }
      return text.replaceAll("#", "##");
  }
  throw new FilterError(`'quote' knows ${QUOTE_FORMATS.join(", ")}, not "${format}"`);
}

/**
 * The filter registry of matugen templates.
 *
 * @example Filters keep the format of their input
 * ```ts
 * import assert from "node:assert/strict";
 * import { MATUGEN_FILTERS } from "./matugen_filters.ts";
 *
 * const env = { alpha: 100 };
 * assert.equal(MATUGEN_FILTERS.lighten.fn("#336699", [20], env), "#6699cc");
 * assert.equal(
 *   MATUGEN_FILTERS.set_alpha.fn("rgba(51, 102, 153, 1)", [0.2], env),
 *   "rgba(51, 102, 153, 0.2)",
 * );
 * ```
 */
export const MATUGEN_FILTERS: Readonly<Record<string, FilterSpec>> = Object.freeze({
  set_lightness: hslFilter("set_lightness", (c, n) => (c.l = n)),
  set_saturation: hslFilter("set_saturation", (c, n) => (c.s = n)),
  set_hue: hslFilter("set_hue", (c, n) => (c.h = n)),
  lighten: hslFilter("lighten", (c, n) => (c.l += n)),
  darken: hslFilter("darken", (c, n) => (c.l -= n)),
  auto_lightness: hslFilter("auto_lightness", (c, n) => (c.l += c.l < 50 ? n : -n)),
  set_alpha: {
    minArgs: 1,
    maxArgs: 1,
    fn: (v, args) => {
      const a = numArg(args, "set_alpha");
      if (a < 0 || a > 1) throw new FilterError(`'set_alpha' needs an alpha from 0 to 1, got ${a}`);
      const { color, format } = colorArg(v, "set_alpha");
      if (!hasAlpha(format)) {
        throw new FilterError(
          `'set_alpha' cannot change a ${format} colour, which has no alpha: use .rgba, .hsla or .hex_alpha`,
        );
      }
      return formatMColor({ ...color, a }, format);
    },
  },
  grayscale: rgbFilter("grayscale", (c) => {
    const m = (c.r + c.g + c.b) / 3;
    return { r: m, g: m, b: m, a: c.a };
  }),
  invert: rgbFilter("invert", (c) => ({ r: 255 - c.r, g: 255 - c.g, b: 255 - c.b, a: c.a })),
  to_upper: { minArgs: 0, maxArgs: 0, fn: (v) => toText(v).toUpperCase() },
  to_lower: { minArgs: 0, maxArgs: 0, fn: (v) => toText(v).toLowerCase() },
  replace: {
    minArgs: 2,
    maxArgs: 2,
    fn: (v, args) => {
      const [a, b] = args;
      if (typeof a !== "string" || typeof b !== "string") {
        throw new FilterError(`'replace' needs two strings, got ${JSON.stringify(args)}`);
      }
      return toText(v).replaceAll(a, b);
    },
  },
  quote: {
    minArgs: 1,
    maxArgs: 1,
    fn: (v, args) => quoteFor(toText(v), toText(args[0])),
  },
  camel_case: {
    minArgs: 0,
    maxArgs: 0,
    fn: (v) => toText(v).replace(/[_-]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase()),
  },
});
