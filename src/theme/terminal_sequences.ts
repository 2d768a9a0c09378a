/**
 * The escape sequences that recolour a running terminal (pure): OSC 4 for
 * the 16 palette entries, OSC 10/11/12 for foreground, background and
 * cursor, and OSC 708 for URxvt's border, each ended by ST (`ESC \`).
 *
 * @module
 */
import type { PaletteRecord } from "../palette/palette_record.ts";

const ST = "\x1b\\";

/**
 * Builds the sequences for a palette.
 *
 * @example The background as OSC 11
 * ```ts
 * import assert from "node:assert/strict";
 * import { terminalSequences } from "./terminal_sequences.ts";
 *
 * const colors = Array.from({ length: 16 }, () => "#101010");
 * const s = terminalSequences({ origin: "builtin", variant: "dark16", background: "#000000",
 *   foreground: "#ffffff", cursor: "#ff0000", colors, avg_hue: null, avg_saturation: 0,
 *   avg_lightness: 0, temperature: 0 });
 * assert.ok(s.includes("\x1b]11;#000000\x1b\\")); // ended by ST
 * assert.ok(s.includes("\x1b]4;1;#101010\x1b\\"));
 * ```
 */
export function terminalSequences(p: PaletteRecord): string {
  let s = "";
  p.colors.forEach((c, i) => (s += `\x1b]4;${i};${c}${ST}`));
  s += `\x1b]10;${p.foreground}${ST}`;
  s += `\x1b]11;${p.background}${ST}`;
  s += `\x1b]12;${p.cursor}${ST}`;
  s += `\x1b]708;${p.background}${ST}`;
  return s;
}
