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
export const SYNTAXES = ["jinja", "pywal", "matugen"] as const;
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

/** Material 3 scheme variants (matugen's `scheme-*` names without the prefix). */
export const MATERIAL_SCHEMES = [
  "tonal-spot",
  "content",
  "expressive",
  "fidelity",
  "fruit-salad",
  "monochrome",
  "neutral",
  "rainbow",
  "vibrant",
] as const;
/** One of {@linkcode MATERIAL_SCHEMES}. */
export type MaterialSchemeName = typeof MATERIAL_SCHEMES[number];

/** How the 16 terminal colours are made: from the wallpaper, or ANSI hues harmonised to it. */
export const PALETTE_STYLES = ["wallpaper", "ansi"] as const;
/** One of {@linkcode PALETTE_STYLES}. */
export type PaletteStyle = typeof PALETTE_STYLES[number];

/** Where the light/dark mode of the theme comes from. */
export const THEME_MODES = ["dark", "light", "auto", "system"] as const;
/** One of {@linkcode THEME_MODES}. */
export type ThemeMode = typeof THEME_MODES[number];

/**
 * How the image covers the screen. `fill` scales to cover and crops, `fit`
 * scales to fit inside (bars at the sides), `center` keeps the size,
 * `tile` repeats it, `stretch` scales to the screen ignoring proportions.
 */
export const MODES = ["fill", "fit", "center", "tile", "stretch"] as const;
/** One of {@linkcode MODES}. */
export type DisplayMode = typeof MODES[number];

/**
 * How the next image of a folder is chosen: `smart` by weight (recency,
 * favourites, show counts), `sequential` in the folder's natural path order,
 * `shuffle` through a random permutation without repeats until it is used up.
 */
export const PLAY_ORDERS = ["smart", "sequential", "shuffle"] as const;
/** One of {@linkcode PLAY_ORDERS}. */
export type PlayOrder = typeof PLAY_ORDERS[number];

/** swww/awww transition types (`swww img --transition-type`). */
export const TRANSITIONS = [
  "none",
  "simple",
  "fade",
  "left",
  "right",
  "top",
  "bottom",
  "wipe",
  "wave",
  "grow",
  "center",
  "any",
  "outer",
  "random",
] as const;
/** One of {@linkcode TRANSITIONS}. */
export type TransitionType = typeof TRANSITIONS[number];

/** Named positions swww/awww accept for `--transition-pos` (besides `X,Y`). */
export const TRANSITION_POSITIONS = [
  "center",
  "top",
  "left",
  "right",
  "bottom",
  "top-left",
  "top-right",
  "bottom-left",
  "bottom-right",
] as const;

/** Kinds of remote sources (`[[remote]] kind`), one module each under `src/remote/kinds/`. */
export const REMOTE_KINDS = ["wallhaven", "unsplash", "reddit", "bing", "apod", "rss"] as const;
/** One of {@linkcode REMOTE_KINDS}. */
export type RemoteKindName = typeof REMOTE_KINDS[number];
