// The list of commands: names and summaries load nothing; each command's
// module is imported only when it runs (keeps start-up fast).
import type { CommandModule } from "./_command.ts";

/** A command's entry: its module is loaded on demand. */
export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<CommandModule>;
}

/** Every command, in the order `varietal --help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "scan",
    summary: "Index the images in your wallpaper folders",
    load: () => import("./scan.ts"),
  },
  {
    name: "sources",
    summary: "Add, list, remove, enable or disable wallpaper folders",
    load: () => import("./sources.ts"),
  },
  {
    name: "extract",
    summary: "Extract the palettes of every indexed image that has none",
    load: () => import("./extract.ts"),
  },
  {
    name: "palette",
    summary: "Show the 16-colour terminal palette of an image",
    load: () => import("./palette.ts"),
  },
  {
    name: "theme",
    summary: "Render your templates with a wallpaper's palette",
    load: () => import("./theme.ts"),
  },
  {
    name: "select",
    summary: "Show the images that would come next, and why (changes nothing)",
    load: () => import("./select.ts"),
  },
  {
    name: "next",
    summary: "Pick, set and theme the next wallpaper",
    load: () => import("./next.ts"),
  },
  {
    name: "prev",
    summary: "Go back to the previous wallpaper",
    load: () => import("./prev.ts"),
  },
  {
    name: "current",
    summary: "Print the current wallpaper",
    load: () => import("./current.ts"),
  },
  {
    name: "history",
    summary: "List the wallpapers shown, newest first",
    load: () => import("./history.ts"),
  },
  {
    name: "favorite",
    summary: "Mark images (or the current one) as favourites",
    load: () => import("./favorite.ts").then((m) => m.commands.favorite),
  },
  {
    name: "unfavorite",
    summary: "Remove the favourite mark",
    load: () => import("./favorite.ts").then((m) => m.commands.unfavorite),
  },
  {
    name: "ban",
    summary: "Never choose these images (or the current one) again",
    load: () => import("./favorite.ts").then((m) => m.commands.ban),
  },
  {
    name: "unban",
    summary: "Allow banned images again",
    load: () => import("./favorite.ts").then((m) => m.commands.unban),
  },
  {
    name: "daemon",
    summary: "Rotate wallpapers on an interval (signals: USR1 next, USR2 theme, HUP reload)",
    load: () => import("./daemon.ts"),
  },
  {
    name: "doctor",
    summary: "Check the setup: setter, database, sources, wallust, templates",
    load: () => import("./doctor.ts"),
  },
  {
    name: "config",
    summary: "Show the config file's path or the effective configuration",
    load: () => import("./config.ts"),
  },
  {
    name: "backup",
    summary: "Write a verified copy of the database",
    load: () => import("./backup.ts"),
  },
  {
    name: "prune",
    summary: "Forget missing images and old history",
    load: () => import("./prune.ts"),
  },
  {
    name: "stats",
    summary: "Show collection statistics: lightness, hues, freshness, folders",
    load: () => import("./stats.ts"),
  },
  {
    name: "completions",
    summary: "Print a shell completion script (bash, zsh or fish)",
    load: () => import("./completions.ts"),
  },
  {
    name: "report",
    summary: "Write an HTML report: charts, hue wheel, history with palettes, folders",
    load: () => import("./report.ts"),
  },
];

/** Finds a command by name. */
export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name);
}
