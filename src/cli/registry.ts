// The list of commands: names and summaries load nothing; each command's
// module is imported only when it runs (keeps start-up fast).
import type { CommandModule } from "./_command.ts";
import { lazy } from "./_context.ts";

/** A command's entry: its module is loaded on demand. */
export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<CommandModule>;
}

/** Imports a command module by name, at run time (see {@linkcode lazy}). */
function load<T = CommandModule>(name: string): Promise<T> {
  return lazy<T>(`./${name}.ts`);
}

/** Every command, in the order `varietal --help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "scan",
    summary: "Index the images in your wallpaper folders",
    load: () => load("scan"),
  },
  {
    name: "sources",
    summary: "Add, list, move, remove, enable, disable or order wallpaper folders",
    load: () => load("sources"),
  },
  {
    name: "remote",
    summary: "Add, list, remove, enable or disable remote sources of wallpapers",
    load: () => load("remote"),
  },
  {
    name: "fetch",
    summary: "Download new wallpapers from your remote sources",
    load: () => load("fetch"),
  },
  {
    name: "extract",
    summary: "Extract the palettes of every indexed image that has none",
    load: () => load("extract"),
  },
  {
    name: "palette",
    summary: "Show the 16-colour terminal palette of an image",
    load: () => load("palette"),
  },
  {
    name: "theme",
    summary: "Render your templates with a wallpaper's palette",
    load: () => load("theme"),
  },
  {
    name: "select",
    summary: "Show the images that would come next, and why (changes nothing)",
    load: () => load("select"),
  },
  {
    name: "next",
    summary: "Pick, set and theme the next wallpaper",
    load: () => load("next"),
  },
  {
    name: "prev",
    summary: "Go back to the previous wallpaper",
    load: () => load("prev"),
  },
  {
    name: "current",
    summary: "Print the current wallpaper",
    load: () => load("current"),
  },
  {
    name: "history",
    summary: "List the wallpapers shown, newest first",
    load: () => load("history"),
  },
  {
    name: "favorite",
    summary: "Mark images (or the current one) as favourites",
    load: () => load<typeof import("./favorite.ts")>("favorite").then((m) => m.commands.favorite),
  },
  {
    name: "unfavorite",
    summary: "Remove the favourite mark",
    load: () => load<typeof import("./favorite.ts")>("favorite").then((m) => m.commands.unfavorite),
  },
  {
    name: "ban",
    summary: "Never choose these images (or the current one) again",
    load: () => load<typeof import("./favorite.ts")>("favorite").then((m) => m.commands.ban),
  },
  {
    name: "unban",
    summary: "Allow banned images again",
    load: () => load<typeof import("./favorite.ts")>("favorite").then((m) => m.commands.unban),
  },
  {
    name: "daemon",
    summary: "Rotate wallpapers on an interval (control it with --send)",
    load: () => load("daemon"),
  },
  {
    name: "status",
    summary: "Show whether the daemon runs or is paused, the next change and the wallpaper",
    load: () => load("status"),
  },
  {
    name: "doctor",
    summary: "Check the setup: setter, database, sources, wallust, templates",
    load: () => load("doctor"),
  },
  {
    name: "config",
    summary: "Show the config file's path or the effective configuration",
    load: () => load("config"),
  },
  {
    name: "backup",
    summary: "Write a verified copy of the database",
    load: () => load("backup"),
  },
  {
    name: "prune",
    summary: "Forget missing images and old history",
    load: () => load("prune"),
  },
  {
    name: "stats",
    summary: "Show collection statistics: lightness, hues, freshness, folders",
    load: () => load("stats"),
  },
  {
    name: "completions",
    summary: "Print a shell completion script (bash, zsh or fish)",
    load: () => load("completions"),
  },
  {
    name: "report",
    summary: "Write an HTML report: charts, hue wheel, history with palettes, folders",
    load: () => load("report"),
  },
];

/** Finds a command by name. */
export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name);
}
