/**
 * Success (green) and warning (amber) colours for a Material scheme (pure,
 * no library import): the tertiary family with its hue turned, each colour
 * keeping its relative luminance, so every pair keeps the contrast the
 * scheme gave its tertiary pair (on_tertiary_container on
 * tertiary_container, tertiary on the surfaces). Turning the hue in HSL
 * instead changes luminance: a purple tertiary turned green can fall to
 * 1.7:1 against its container.
 *
 * Templates see them as matugen's custom colours of those names are seen
 * (`colors.success`, `colors.on_success_container`, …).
 *
 * @module
 */
import { labToLch, lchToRgbInGamut, luminance, parseHex, rgbToOklab, toHex } from "../color.ts";
import { hexContrast, withContrast } from "../contrast.ts";
import type { MaterialScheme, RoleColors, StatusColors, StatusRoleName } from "./roles.ts";

/** The tertiary role each status role is turned from. */
const FROM: Readonly<Record<StatusRoleName, keyof RoleColors>> = {
  success: "tertiary",
  on_success: "on_tertiary",
  success_container: "tertiary_container",
  on_success_container: "on_tertiary_container",
  warning: "tertiary",
  on_warning: "on_tertiary",
  warning_container: "tertiary_container",
  on_warning_container: "on_tertiary_container",
};

/** OKLCH hues: libadwaita's green (#26a269) and amber (#cd9309) are about these. */
const HUE = { success: 150, warning: 85 } as const;
/** The least OKLCH chroma, so that a grey tertiary (monochrome, neutral) still reads green or amber. */
const MIN_CHROMA = 0.09;

/**
 * The colour of `hue` with `hex`'s relative luminance (so its WCAG contrast
 * against anything is unchanged), at least `minChroma` of OKLCH chroma
 * where the sRGB gamut allows.
 *
 * @example A purple turned green keeps its luminance
 * ```ts
 * import assert from "node:assert/strict";
 * import { luminance, parseHex } from "../color.ts";
 * import { withHue } from "./status_roles.ts";
 *
 * const green = withHue("#8e4d9c", 152);
 * const diff = luminance(parseHex(green)) - luminance(parseHex("#8e4d9c"));
 * assert.ok(Math.abs(diff) < 0.005);
 * ```
 */
export function withHue(hex: string, hue: number, minChroma = MIN_CHROMA): string {
  const rgb = parseHex(hex);
  const target = luminance(rgb);
  const C = Math.max(labToLch(rgbToOklab(rgb)).C, minChroma);
  // Luminance grows with OKLab lightness at a fixed hue and chroma: bisect on it.
  let lo = 0, hi = 1;
  let best = hex;
  for (let i = 0; i < 30; i++) {
    const L = (lo + hi) / 2;
    const out = toHex(lchToRgbInGamut({ L, C, h: hue }));
    const y = luminance(parseHex(out));
    best = out;
    if (Math.abs(y - target) < 1e-4) break;
    if (y < target) lo = L;
    else hi = L;
  }
  return best;
}

function lchOf(hex: string) {
  return labToLch(rgbToOklab(parseHex(hex)));
}

/**
 * The success and warning roles of one variant of a scheme.
 *
 * @example Green and amber from a purple tertiary
 * ```ts
 * import assert from "node:assert/strict";
 * import { materialScheme } from "./scheme.ts";
 * import { statusRoles } from "./status_roles.ts";
 *
 * const dark = statusRoles(materialScheme("#9c27b0").dark);
 * assert.match(dark.success, /^#[0-9a-f]{6}$/);
 * assert.notEqual(dark.success, dark.warning);
 * ```
 */
export function statusRoles(roles: RoleColors): StatusColors {
  const out = {} as Record<StatusRoleName, string>;
  for (const [name, from] of Object.entries(FROM) as [StatusRoleName, keyof RoleColors][]) {
    // Text colours keep their own chroma (near black or white, more would only tint them).
    const minChroma = name.startsWith("on_") ? 0 : MIN_CHROMA;
    out[name] = withHue(
      roles[from],
      name.includes("success") ? HUE.success : HUE.warning,
      minChroma,
    );
  }
  // Rounding to #rrggbb moves luminance a little: each text colour keeps at least the
  // contrast its tertiary counterpart has (against the surface, the accent, the container).
  for (const kind of ["success", "warning"] as const) {
    const pairs: [StatusRoleName, string, string, string][] = [
      [kind, roles.surface, roles.tertiary, roles.surface],
      [`on_${kind}`, out[kind], roles.on_tertiary, roles.tertiary],
      [
        `on_${kind}_container`,
        out[`${kind}_container`],
        roles.on_tertiary_container,
        roles.tertiary_container,
      ],
    ];
    for (const [name, bg, was, wasBg] of pairs) {
      const want = hexContrast(was, wasBg);
      if (hexContrast(out[name], bg) >= want) continue;
      const lighter = luminance(parseHex(out[name])) > luminance(parseHex(bg));
      out[name] = withContrast(lchOf(out[name]), parseHex(bg), want, lighter);
      // Text already white or black: the container moves the other way instead.
      if (name === `on_${kind}_container` && hexContrast(out[name], bg) < want) {
        out[`${kind}_container`] = withContrast(lchOf(bg), parseHex(out[name]), want, !lighter);
      }
    }
  }
  return out;
}

/**
 * The scheme with its status colours (both variants), made unless it has
 * them: for a scheme that is to be kept (`MaterialScheme.status`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { materialScheme } from "./scheme.ts";
 * import { statusRoles, withStatusRoles } from "./status_roles.ts";
 *
 * const s = withStatusRoles(materialScheme("#9c27b0"));
 * assert.deepEqual(s.status?.dark, statusRoles(s.dark));
 * assert.equal(withStatusRoles(s), s);
 * ```
 */
export function withStatusRoles(scheme: MaterialScheme): MaterialScheme {
  if (scheme.status) return scheme;
  return {
    ...scheme,
    status: { light: statusRoles(scheme.light), dark: statusRoles(scheme.dark) },
  };
}
