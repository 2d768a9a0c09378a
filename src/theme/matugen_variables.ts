/**
 * The variables matugen templates see (pure): `colors` (every role,
 * `source_color` and the success/warning colours of `status_roles.ts`,
 * each in `light`, `dark` and `default`, each in every
 * format of `matugen_format.ts`), `image`, `mode` and `is_dark_mode`.
 *
 * @module
 */
import type { MaterialScheme } from "../palette/material/roles.ts";
import {
  MATERIAL_ROLES,
  type MaterialMode,
  type MaterialRole,
  STATUS_ROLE_NAMES,
  type StatusRoleName,
} from "../palette/material/roles.ts";
import { withStatusRoles } from "../palette/material/status_roles.ts";
import {
  colorFromHex,
  formatMColor,
  MATUGEN_FORMATS,
  type MatugenFormat,
} from "./matugen_format.ts";
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

/**
 * A frozen record whose values are made on first read, then kept: a template
 * reads a few formats of a few roles, and making all of them (some 2,000
 * strings) cost more than the rest of a theme's rendering.
 */
function lazyRecord(keys: readonly string[], make: (key: string) => Value): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const key of keys) {
    let value: Value | undefined;
    Object.defineProperty(out, key, {
      enumerable: true,
      get: () => value ??= make(key),
    });
  }
  return Object.freeze(out);
}

function formats(hex: string): Record<string, Value> {
  let c: ReturnType<typeof colorFromHex> | undefined;
  return lazyRecord(
    MATUGEN_FORMATS,
    (f) => formatMColor(c ??= colorFromHex(hex), f as MatugenFormat),
  );
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
  const variants = (lightHex: string, darkHex: string) => {
    const light = formats(lightHex), dark = lightHex === darkHex ? light : formats(darkHex);
    return Object.freeze({ light, dark, default: options.mode === "dark" ? dark : light });
  };
  // Kept with the scheme when it was stored with them; else made on first use.
  let status = scheme.status;
  const statusOf = () => status ??= withStatusRoles(scheme).status!;
  const roles: ReadonlySet<string> = new Set(MATERIAL_ROLES);
  const colors = lazyRecord(
    [...MATERIAL_ROLES, "source_color", ...STATUS_ROLE_NAMES],
    (role) => {
      if (role === "source_color") return variants(scheme.source, scheme.source);
      if (roles.has(role)) {
        const r = role as MaterialRole;
        return variants(scheme.light[r], scheme.dark[r]);
      }
      const s = statusOf();
      return variants(s.light[role as StatusRoleName], s.dark[role as StatusRoleName]);
    },
  );
  return Object.freeze({
    colors,
    image: options.image,
    mode: options.mode,
    is_dark_mode: options.mode === "dark",
  });
}
