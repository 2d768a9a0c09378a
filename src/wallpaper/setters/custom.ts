/**
 * `custom`: the argv in `[wallpaper] command`, with `{path}`, `{output}` and
 * `{mode}` replaced, then `setter_args` appended; run once per output. No
 * shell is involved unless the command names one
 * (`["sh", "-c", "…", "sh", "{path}"]`).
 *
 * @module
 */
import { fillTemplate, type ModeMap, runSetterCommand, setEach, type Setter } from "../setter.ts";
import { SetterError } from "../setter_error.ts";
import { detectOutputs } from "../outputs.ts";

/** `{mode}` is replaced by the mode's own name. */
export const CUSTOM_MODES: ModeMap = {
  fill: "fill",
  fit: "fit",
  center: "center",
  tile: "tile",
  stretch: "stretch",
};

/**
 * What is wrong with a `[wallpaper] command` for `custom`, if anything: it is
 * empty, or no argument names the image (the program would never learn it).
 */
export function customCommandProblem(command: readonly string[]): string | undefined {
  if (command.length === 0) {
    return 'setter \'custom\' needs a command: set [wallpaper] command = ["prog", "{path}"] in config.toml';
  }
  if (!command.some((a) => a.includes("{path}"))) {
    return `setter 'custom': [wallpaper] command never names the image; put "{path}" in one of ` +
      `its arguments (e.g. ["${command[0]}", "{path}"])`;
  }
  return undefined;
}

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
    const problem = customCommandProblem(template);
    if (problem) throw new SetterError("custom", problem, 2);
    // An image for every output (a show recorded before [wallpaper] outputs was set,
    // shown again by prev or next) goes to each configured output by name, rather
    // than to an empty {output}.
    const perOutput = template.some((arg) => arg.includes("{output}"));
    let named = perOutput ? ctx.config.outputs : [];
    if (perOutput && !named.length && assignments.some((a) => a.output === null)) {
      // None configured: the session's monitors, by name. With none found (no session
      // tool answers) {output} stays empty, which a script may take for "every monitor".
      const env = ctx.env ?? ((k: string) => Deno.env.get(k));
      named = (await detectOutputs(env, ctx.run ? { run: ctx.run } : {})).list.map((o) => o.name);
    }
    const groups = assignments.map((a) =>
      a.output === null && named.length ? named.map((output) => ({ ...a, output })) : [a]
    );
    await setEach("custom", groups, async (a) => {
      await runSetterCommand(
        "custom",
        [...fillTemplate(template, a, ctx.config.mode), ...ctx.config.setter_args],
        ctx,
      );
    });
  },
};
