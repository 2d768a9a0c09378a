/**
 * `custom`: the argv in `[wallpaper] command`, with `{path}`, `{output}` and
 * `{mode}` replaced, then `setter_args` appended; run once per output. No
 * shell is involved unless the command names one
 * (`["sh", "-c", "…", "sh", "{path}"]`).
 *
 * @module
 */
import { fillTemplate, type ModeMap, runSetterCommand, type Setter } from "../setter.ts";
import { SetterError } from "../setter_error.ts";

/** `{mode}` is replaced by the mode's own name. */
export const CUSTOM_MODES: ModeMap = {
  fill: "fill",
  fit: "fit",
  center: "center",
  tile: "tile",
  stretch: "stretch",
};

/** The user's own command. */
export const custom: Setter = {
  name: "custom",
  description: '[wallpaper] command = ["prog", "arg", "{path}"] ({output} for per-output)',
  programs: [],
  modes: CUSTOM_MODES,
  modesFor: (config) =>
    config.command.some((a) => a.includes("{mode}")) ? CUSTOM_MODES : { fill: "fill" },
  perOutput: (config) => config.command.some((a) => a.includes("{output}")),
  async apply(assignments, ctx) {
    const template = ctx.config.command;
    if (template.length === 0) {
      throw new SetterError(
        "custom",
        'setter \'custom\' needs a command: set [wallpaper] command = ["prog", "{path}"] in config.toml',
        2,
      );
    }
    for (const a of assignments) {
      await runSetterCommand(
        "custom",
        [...fillTemplate(template, a, ctx.config.mode), ...ctx.config.setter_args],
        ctx,
      );
    }
  },
};
