/**
 * Material 3 schemes from a source colour, computed by Google's
 * material-color-utilities (pure; imports the library, so callers that may
 * not need it load this module lazily).
 *
 * @module
 */
import {
  type DynamicColor,
  type DynamicScheme,
  Hct,
  hexFromArgb,
  MaterialDynamicColors,
  SchemeContent,
  SchemeExpressive,
  SchemeFidelity,
  SchemeFruitSalad,
  SchemeMonochrome,
  SchemeNeutral,
  SchemeRainbow,
  SchemeTonalSpot,
  SchemeVibrant,
} from "@material/material-color-utilities";
import type { MaterialSchemeName } from "../../config/choices.ts";
import {
  MATERIAL_ROLES,
  type MaterialMode,
  type MaterialScheme,
  type RoleColors,
  roleProperty,
} from "./roles.ts";
import { argbFromHexColor } from "./source_color.ts";

export type { MaterialScheme, RoleColors };

/** Options for {@linkcode materialScheme}. */
export interface MaterialSchemeOptions {
  /** @default "tonal-spot" */
  scheme?: MaterialSchemeName;
  /** From -1 to 1. @default 0 */
  contrast?: number;
}

type SchemeClass = new (source: Hct, isDark: boolean, contrast: number) => DynamicScheme;

const CLASSES: Readonly<Record<MaterialSchemeName, SchemeClass>> = {
  "tonal-spot": SchemeTonalSpot,
  "content": SchemeContent,
  "expressive": SchemeExpressive,
  "fidelity": SchemeFidelity,
  "fruit-salad": SchemeFruitSalad,
  "monochrome": SchemeMonochrome,
  "neutral": SchemeNeutral,
  "rainbow": SchemeRainbow,
  "vibrant": SchemeVibrant,
};

const DYNAMIC = MaterialDynamicColors as unknown as Record<string, DynamicColor>;

/**
 * The library's `DynamicScheme` for a source colour, variant and contrast.
 *
 * @throws {RangeError} When `contrast` is outside -1…1.
 * @throws {SyntaxError} When `source` is not a hex colour.
 * @example The library's scheme object, for roles not listed here
 * ```ts
 * import assert from "node:assert/strict";
 * import { dynamicScheme } from "./scheme.ts";
 *
 * const scheme = dynamicScheme("#4285f4", "dark", { scheme: "vibrant", contrast: 0.5 });
 * assert.equal(scheme.isDark, true);
 * assert.equal(scheme.contrastLevel, 0.5);
 * ```
 */
export function dynamicScheme(
  source: string,
  mode: MaterialMode,
  options: MaterialSchemeOptions = {},
): DynamicScheme {
  const contrast = options.contrast ?? 0;
  if (!(contrast >= -1 && contrast <= 1)) {
    throw new RangeError(`Material contrast must be between -1 and 1, got ${contrast}`);
  }
  const Cls = CLASSES[options.scheme ?? "tonal-spot"];
  return new Cls(Hct.fromInt(argbFromHexColor(source)), mode === "dark", contrast);
}

/**
 * Every Material role in light and dark for a source colour.
 *
 * @param source `#rrggbb`.
 * @throws {RangeError} When `contrast` is outside -1…1.
 * @throws {SyntaxError} When `source` is not a hex colour.
 * @example Google Blue in tonal-spot
 * ```ts
 * import assert from "node:assert/strict";
 * import { materialScheme } from "./scheme.ts";
 *
 * const s = materialScheme("#4285f4");
 * assert.equal(s.scheme, "tonal-spot");
 * assert.equal(s.dark.primary, "#adc6ff"); // light primary on a dark surface
 * assert.equal(s.light.primary, "#445e91");
 * assert.throws(() => materialScheme("#4285f4", { contrast: 2 }), RangeError);
 * ```
 */
export function materialScheme(
  source: string,
  options: MaterialSchemeOptions = {},
): MaterialScheme {
  const roles = (mode: MaterialMode): RoleColors => {
    const s = dynamicScheme(source, mode, options);
    const out = {} as RoleColors;
    for (const role of MATERIAL_ROLES) {
      out[role] = hexFromArgb(DYNAMIC[roleProperty(role)].getArgb(s));
    }
    return out;
  };
  return {
    source: hexFromArgb(argbFromHexColor(source)),
    scheme: options.scheme ?? "tonal-spot",
    contrast: options.contrast ?? 0,
    light: roles("light"),
    dark: roles("dark"),
  };
}
