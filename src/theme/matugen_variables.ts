/**
 * The variables matugen templates see (pure): `colors` (every role,
 * `source_color` and the success/warning colours of `status_roles.ts`,
 * each in `light`, `dark` and `default`, each in every
 * format of `matugen_format.ts`), `image`, `mode` and `is_dark_mode`.
 *
 * @module
 */
import type { MaterialScheme } from "../palette/material/roles.ts";
import { MATERIAL_ROLES, type MaterialMode, STATUS_ROLE_NAMES } from "../palette/material/roles.ts";
import { statusRoles } from "../palette/material/status_roles.ts";
import { colorFromHex, formatMColor, MATUGEN_FORMATS } from "./matugen_format.ts";
import type { Value } from "./value.ts";

/** Every top-level name a matugen template may use. */
export const MATUGEN_NAMES: ReadonlySet<string> = new Set([
  "colors",
  "image",
  "mode",
  "is_dark_mode",
]);

/** The variants under each colour. */
export const MATUGEN_VARIANTS = ["light", "dark", "default"] as const;

/** What the variables are made from besides the scheme. */
export interface MatugenVariableOptions {
  /** The variant `default` stands for. */
  mode: MaterialMode;
  /** The wallpaper's path ("" when there is none). */
  image: string;
}

function formats(hex: string): Record<string, Value> {
  const c = colorFromHex(hex);
  const out: Record<string, Value> = {};
  for (const f of MATUGEN_FORMATS) out[f] = formatMColor(c, f);
  return Object.freeze(out);
}

/**
 * Builds the variables of a matugen template.
 *
 * @example `default` is the variant the mode chose
 * ```ts
 * import assert from "node:assert/strict";
 * import { materialScheme } from "../palette/material/scheme.ts";
 * import { matugenVariables } from "./matugen_variables.ts";
 *
 * const vars = matugenVariables(materialScheme("#4285f4"), { mode: "dark", image: "/w.jpg" });
 * const primary = (vars.colors as Record<string, Record<string, Record<string, unknown>>>).primary;
 * assert.equal(primary.default.hex, primary.dark.hex);
 * assert.equal(primary.dark.hex, "#adc6ff");
 * assert.equal(vars.is_dark_mode, true);
 * ```
 */
export function matugenVariables(
  scheme: MaterialScheme,
  options: MatugenVariableOptions,
): Record<string, Value> {
  const colors: Record<string, Value> = {};
  const variants = (lightHex: string, darkHex: string) => {
    const light = formats(lightHex), dark = formats(darkHex);
    return Object.freeze({ light, dark, default: options.mode === "dark" ? dark : light });
  };
  for (const role of MATERIAL_ROLES) colors[role] = variants(scheme.light[role], scheme.dark[role]);
  const source = formats(scheme.source);
  colors.source_color = Object.freeze({ light: source, dark: source, default: source });
  const status = { light: statusRoles(scheme.light), dark: statusRoles(scheme.dark) };
  for (const role of STATUS_ROLE_NAMES) {
    colors[role] = variants(status.light[role], status.dark[role]);
  }
  return Object.freeze({
    colors: Object.freeze(colors),
    image: options.image,
    mode: options.mode,
    is_dark_mode: options.mode === "dark",
  });
}
