/**
 * Every closed set of choices, defined once and reused by config
 * validation, command-line flags, help and completions.
 *
 * @module
 */

/** Wallpaper setters varietal knows. `auto` detects one from the session. */
export const SETTERS = [
  "auto",
  "none",
  "swww",
  "swaybg",
  "hyprpaper",
  "feh",
  "xwallpaper",
  "gnome",
  "kde",
  "xfce",
  "custom",
] as const;
/** One of {@linkcode SETTERS}. */
export type SetterName = typeof SETTERS[number];

/** Where palettes come from. */
export const ORIGINS = ["auto", "wallust", "builtin"] as const;
/** One of {@linkcode ORIGINS}. */
export type Origin = typeof ORIGINS[number];

/** Palette variants (wallust's names). */
export const VARIANTS = ["dark16", "light16"] as const;
/** One of {@linkcode VARIANTS}. */
export type Variant = typeof VARIANTS[number];

/** Template syntaxes. */
export const SYNTAXES = ["jinja", "pywal"] as const;
/** One of {@linkcode SYNTAXES}. */
export type Syntax = typeof SYNTAXES[number];

/** Image orientations for selection constraints. */
export const ORIENTATIONS = ["landscape", "portrait"] as const;
/** One of {@linkcode ORIENTATIONS}. */
export type Orientation = typeof ORIENTATIONS[number];

/** Lightness moods for constraints and time-of-day rules. */
export const LIGHTNESS = ["any", "dark", "light"] as const;
/** One of {@linkcode LIGHTNESS}. */
export type Lightness = typeof LIGHTNESS[number];

/** Shells with completion scripts. */
export const SHELLS = ["bash", "zsh", "fish"] as const;
/** One of {@linkcode SHELLS}. */
export type Shell = typeof SHELLS[number];

/** Kinds of remote sources (`[[remote]] kind`), one module each under `src/remote/kinds/`. */
export const REMOTE_KINDS = ["wallhaven", "unsplash", "reddit", "bing", "apod", "rss"] as const;
/** One of {@linkcode REMOTE_KINDS}. */
export type RemoteKindName = typeof REMOTE_KINDS[number];
