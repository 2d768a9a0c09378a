/**
 * `custom`: the argv in `[wallpaper] command`, with `{path}` and `{output}`
 * replaced; run once per output. No shell is involved unless the command
 * names one (`["sh", "-c", "…", "sh", "{path}"]`).
 *
 * @module
 */
import { fillTemplate, runSetterCommand, type Setter } from "../setter.ts";
import { SetterError } from "../setter_error.ts";

/** The user's own command. */
export const custom: Setter = {
  name: "custom",
  description: '[wallpaper] command = ["prog", "arg", "{path}"] ({output} for per-output)',
  programs: [],
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
      await runSetterCommand("custom", fillTemplate(template, a), ctx);
    }
  },
};
