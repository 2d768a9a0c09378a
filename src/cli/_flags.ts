// Flags that several commands share, each defined once: its type, short name, value name,
// choices and completion (so help, parsing and completions agree everywhere), with the reader
// that parses its value. A command that words the help differently keeps the rest through
// `withHelp()`. (Selection constraints are in _constraints.ts, Material flags in _material.ts.)
import type { Invocation, OptionSpec } from "./_command.ts";
import { stringFlag } from "./_parse.ts";
import { UsageError } from "./errors.ts";
import { MODES, type SetterName, SETTERS } from "../config/choices.ts";
import { parseDuration } from "../config/duration.ts";
import type { Config } from "../config/schema.ts";

/** `--json`; most commands say what the JSON holds with {@linkcode withHelp}. */
export const JSON_FLAG: OptionSpec = { type: "boolean", description: "Print JSON" };

/** `-q, --quiet`. */
export const QUIET_FLAG: OptionSpec = {
  type: "boolean",
  short: "q",
  description: "Print nothing but errors",
};

/** `-n, --count COUNT`: how many (each command states its default). */
export const COUNT_FLAG: OptionSpec = {
  type: "string",
  short: "n",
  value: "COUNT",
  description: "How many",
};

/** `--image IMAGE`: an image file. */
export const IMAGE_FLAG: OptionSpec = {
  type: "string",
  value: "IMAGE",
  complete: "file",
  description: "An image file",
};

/** `--setter SETTER`, read by {@linkcode setterFlag}. */
export const SETTER_FLAG: OptionSpec = {
  type: "string",
  value: "SETTER",
  choices: SETTERS,
  description: "Setter to use instead of [wallpaper] setter",
};

/** `--mode MODE`: how the image covers the screen, for one change. */
export const MODE_FLAG: OptionSpec = {
  type: "string",
  value: "MODE",
  choices: MODES,
  description: "How the image covers the screen, instead of [wallpaper] mode",
};

/** `--wait DURATION`, read by {@linkcode waitFlag}. */
export const WAIT_FLAG: OptionSpec = {
  type: "string",
  value: "DURATION",
  description: "How long to wait for another varietal (default 60s; 0 = do not wait)",
};

/** `--no-theme`. */
export const NO_THEME_FLAG: OptionSpec = {
  type: "boolean",
  description: "Do not render the theme",
};

/** `--group NAME`: only the folders of a `[groups]` entry; read by {@linkcode groupFlag}. */
export const GROUP_FLAG: OptionSpec = {
  type: "string",
  value: "NAME",
  complete: "group",
  description: "Only the folders (or subfolders) of this group ([groups] in config.toml)",
};

/** `--dry-run`; each command says what it still does. */
export const DRY_RUN_FLAG: OptionSpec = { type: "boolean", description: "Change nothing" };

/** The same flag with this command's own help text. */
export function withHelp(flag: OptionSpec, description: string): OptionSpec {
  return { ...flag, description };
}

/** Reads `--setter` (its choices are checked when parsing). */
export function setterFlag(inv: Invocation): SetterName | undefined {
  return stringFlag(inv, "setter") as SetterName | undefined;
}

/**
 * Reads `--wait` in milliseconds.
 *
 * @throws {UsageError} When it is not a duration.
 */
export function waitFlag(inv: Invocation, path: string): number | undefined {
  const w = stringFlag(inv, "wait");
  if (w === undefined) return undefined;
  try {
    return parseDuration(w) * 1000;
  } catch {
    throw new UsageError(
      `invalid value '${w}' for --wait (expected a duration like 10s or 2m)`,
      path,
    );
  }
}

/**
 * Reads `--group`, checked against `[groups]`.
 *
 * @throws {UsageError} When config.toml defines no such group (the message names those it does).
 */
export function groupFlag(inv: Invocation, config: Config, path: string): string | undefined {
  const name = stringFlag(inv, "group");
  if (name === undefined || Object.hasOwn(config.groups, name)) return name;
  const known = Object.keys(config.groups);
  throw new UsageError(
    `unknown group '${name}' for --group (${
      known.length
        ? `known groups: ${known.join(", ")}`
        : 'config.toml defines none; add one under [groups], e.g. work = ["~/Pictures/Work"]'
    })`,
    path,
  );
}
