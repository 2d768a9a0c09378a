// Flags shared by the commands that make Material schemes (palette, theme render/apply).
import type { Invocation, OptionSpec } from "./_command.ts";
import { numberFlag, stringFlag } from "./_parse.ts";
import { UsageError } from "./errors.ts";
import { MATERIAL_SCHEMES, type MaterialSchemeName } from "../config/choices.ts";
import type { Config } from "../config/schema.ts";

/** `--source-color`, `--scheme`, `--contrast`. */
export const MATERIAL_FLAGS: Readonly<Record<string, OptionSpec>> = {
  "source-color": {
    type: "string",
    value: "HEX",
    description: "Material source colour instead of the one picked from the image (#rrggbb)",
  },
  scheme: {
    type: "string",
    value: "SCHEME",
    choices: MATERIAL_SCHEMES,
    description: "Material scheme variant (default: material.scheme)",
  },
  contrast: {
    type: "string",
    value: "N",
    description: "Material contrast from -1 to 1 (default: material.contrast)",
  },
};

/** The Material settings of one invocation: flags over `[material]`. */
export interface MaterialChoice {
  scheme: MaterialSchemeName;
  contrast: number;
  /** `--source-color`, normalised to lower-case `#rrggbb`. */
  sourceColor?: string;
}

/**
 * Reads the Material flags.
 *
 * @throws {UsageError} On a source colour that is not `#rrggbb` or a contrast outside -1…1.
 */
export function materialChoice(inv: Invocation, config: Config, path: string): MaterialChoice {
  const sourceColor = hexFlag(inv, "source-color", path);
  return {
    scheme: (stringFlag(inv, "scheme") as MaterialSchemeName | undefined) ?? config.material.scheme,
    contrast: numberFlag(inv, "contrast", { min: -1, max: 1, path }) ?? config.material.contrast,
    ...(sourceColor ? { sourceColor } : {}),
  };
}

/**
 * A colour flag (`--source-color`, `--from-color`) as lower-case `#rrggbb`;
 * `#abc` and a missing `#` are taken too.
 *
 * @throws {UsageError} When the value is no hex colour.
 */
export function hexFlag(inv: Invocation, name: string, path: string): string | undefined {
  const hex = stringFlag(inv, name);
  if (hex === undefined) return undefined;
  const m = /^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$/.exec(hex.trim());
  if (!m) {
    throw new UsageError(
      `invalid value '${hex}' for --${name} (expected a hex colour like #4285f4)`,
      path,
    );
  }
  const h = m[1].length === 3 ? [...m[1]].map((c) => c + c).join("") : m[1];
  return `#${h.toLowerCase()}`;
}
