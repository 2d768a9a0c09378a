// `varietal doctor`: explain the setup and what is wrong with it.
import type { CommandSpec, Invocation } from "./_command.ts";
import type { Context } from "./_context.ts";
import { boolFlag, expectArgs } from "./_parse.ts";
import { JSON_FLAG, withHelp } from "./_flags.ts";
import { printable, styles } from "./_output.ts";
import { EXIT } from "./errors.ts";

export const spec: CommandSpec = {
  name: "doctor",
  summary: "Check the setup: setter, database, sources, wallust, templates, remotes",
  description:
    "Prints the Deno version, the config file, the database's integrity (PRAGMA quick_check),\n" +
    "whether the wallpaper folders are reachable, which setter is used and why (auto-detection\n" +
    "from WAYLAND_DISPLAY, SWAYSOCK, HYPRLAND_INSTANCE_SIGNATURE, XDG_CURRENT_DESKTOP and\n" +
    "running daemons) and whether it is on PATH, the outputs, notifications, wallust, whether\n" +
    "the configured templates compile, and the remote sources (API keys, back-off).\n" +
    "Changes nothing. Exits 1 when a check fails.",
  options: {
    json: withHelp(JSON_FLAG, 'Print {"ok", "checks": [{name, status, detail, data}]}'),
  },
  examples: [
    "varietal doctor",
    "varietal doctor --json | jq '.checks[] | select(.status != \"ok\")'",
  ],
};

export async function run(ctx: Context, inv: Invocation): Promise<number> {
  expectArgs(inv, 0, 0, "doctor");
  const { runDoctor } = await import("../pipeline/doctor.ts");
  const checks = await runDoctor({
    paths: ctx.paths,
    env: ctx.env,
    loadConfig: () => ctx.config(),
  });
  const ok = checks.every((c) => c.status !== "error");
  if (boolFlag(inv, "json")) {
    ctx.out.json({ ok, checks });
  } else {
    const st = styles(ctx.out.color);
    const mark = { ok: st.green("ok  "), warn: st.yellow("warn"), error: st.red("FAIL") };
    const w = Math.max(...checks.map((c) => c.name.length));
    for (const c of checks) {
      ctx.out.line(`${mark[c.status]}  ${c.name.padEnd(w)}  ${printable(c.detail)}`);
    }
  }
  return ok ? EXIT.ok : EXIT.error;
}
