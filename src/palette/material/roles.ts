/**
 * The names of Material 3 colour roles and scheme variants, as matugen
 * spells them (pure, no library import: the template compiler validates
 * names with it without loading material-color-utilities).
 *
 * @module
 */
import type { MaterialSchemeName } from "../../config/choices.ts";

/**
 * Every Material role matugen exposes to templates, in matugen's order
 * (material-colors' `Scheme`), snake_case. Each maps to the camelCase
 * property of material-color-utilities' `MaterialDynamicColors`.
 */
export const MATERIAL_ROLES = [
  "primary",
  "on_primary",
  "primary_container",
  "on_primary_container",
  "inverse_primary",
  "primary_fixed",
  "primary_fixed_dim",
  "on_primary_fixed",
  "on_primary_fixed_variant",
  "secondary",
  "on_secondary",
  "secondary_container",
  "on_secondary_container",
  "secondary_fixed",
  "secondary_fixed_dim",
  "on_secondary_fixed",
  "on_secondary_fixed_variant",
  "tertiary",
  "on_tertiary",
  "tertiary_container",
  "on_tertiary_container",
  "tertiary_fixed",
  "tertiary_fixed_dim",
  "on_tertiary_fixed",
  "on_tertiary_fixed_variant",
  "error",
  "on_error",
  "error_container",
  "on_error_container",
  "surface_dim",
  "surface",
  "surface_tint",
  "surface_bright",
  "surface_container_lowest",
  "surface_container_low",
  "surface_container",
  "surface_container_high",
  "surface_container_highest",
  "on_surface",
  "on_surface_variant",
  "outline",
  "outline_variant",
  "inverse_surface",
  "inverse_on_surface",
  "surface_variant",
  "background",
  "on_background",
  "shadow",
  "scrim",
] as const;

/** One of {@linkcode MATERIAL_ROLES}. */
export type MaterialRole = typeof MATERIAL_ROLES[number];

/**
 * Success and warning colours, made from the tertiary roles (see
 * `status_roles.ts`), named as matugen names custom colours.
 */
export const STATUS_ROLE_NAMES = [
  "success",
  "on_success",
  "success_container",
  "on_success_container",
  "warning",
  "on_warning",
  "warning_container",
  "on_warning_container",
] as const;

/** One of the status role names. */
export type StatusRoleName = typeof STATUS_ROLE_NAMES[number];

/** Every status role of one variant as `#rrggbb` (lower case). */
export type StatusColors = Record<StatusRoleName, string>;

/**
 * The names templates may use under `colors`: every role, `source_color`
 * (the same in light and dark), as in matugen, and the status colours.
 */
export const TEMPLATE_COLOR_NAMES: readonly string[] = [
  ...MATERIAL_ROLES,
  "source_color",
  ...STATUS_ROLE_NAMES,
];

/**
 * The camelCase `MaterialDynamicColors` property of a role ("on_primary" → "onPrimary").
 *
 * @example Template names to the library's property names
 * ```ts
 * import assert from "node:assert/strict";
 * import { roleProperty } from "./roles.ts";
 *
 * assert.equal(roleProperty("on_primary_container"), "onPrimaryContainer");
 * assert.equal(roleProperty("primary"), "primary");
 * ```
 */
export function roleProperty(role: MaterialRole): string {
  return role.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The two variants every scheme comes in. */
export type MaterialMode = "light" | "dark";

/** Every role of one variant as `#rrggbb` (lower case). */
export type RoleColors = Record<MaterialRole, string>;

/**
 * A scheme in both variants, with what it was made from (computed by
 * `materialScheme` in `scheme.ts`; the type lives here so that code which
 * only reads schemes does not load the library).
 */
export interface MaterialScheme {
  /** The source colour, `#rrggbb` (lower case). */
  source: string;
  scheme: MaterialSchemeName;
  /** -1 (least) … 0 (default) … 1 (most). */
  contrast: number;
  light: RoleColors;
  dark: RoleColors;
  /**
   * The success and warning colours of each variant (`status_roles.ts`),
   * when made with the scheme to be kept: they take longer to make than the
   * rest of a theme's variables, so a scheme kept with them saves every
   * later theme of its image that time.
   */
  status?: { light: StatusColors; dark: StatusColors };
}
