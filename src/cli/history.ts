// `varietal history`: the last shows, newest first.
import type { CommandSpec, Invocation } from "./_command.ts";
import type { Context } from "./_context.ts";
import { boolFlag, expectArgs, numberFlag } from "./_parse.ts";
import { COUNT_FLAG, JSON_FLAG, withHelp } from "./_flags.ts";
import { EXIT } from "./errors.ts";
import { printable, styles } from "./_output.ts";
import { listHistory } from "../db/history.ts";
import { showCredits } from "./_credits.ts";
import { localTime } from "../text/local_time.ts";

export const spec: CommandSpec = {
  name: "history",
  summary: "List the wallpapers shown, newest first",
  options: {
    count: withHelp(
      COUNT_FLAG,
      "How many shows (default 20; a show on several outputs prints a line for each)",
    ),
    number: { type: "string", aliasOf: "count", description: "Old name of --count" },
    json: withHelp(
      JSON_FLAG,
      'Print [{"path","shown_at","output","attribution","package"}] (shown_at in ms\n' +
        "since the epoch; attribution: the credit of a downloaded image, package: the name,\n" +
        "authors, licence and folder of a KDE wallpaper package's picture; else null)",
    ),
  },
  examples: ["varietal history -n 5", "varietal history --json | jq -r '.[0].path'"],
};

export async function run(ctx: Context, inv: Invocation): Promise<number> {
  expectArgs(inv, 0, 0, "history");
  const n = numberFlag(inv, "count", { min: 1, max: 1_000_000, integer: true, path: "history" }) ??
    20;
  const db = await ctx.db();
  const rows = listHistory(db, n);
  if (boolFlag(inv, "json")) {
    const credit = await showCredits(db, rows);
    ctx.out.json(rows.map((r) => ({
      path: r.path,
      shown_at: r.shown_at,
      output: r.output,
      ...credit(r),
    })));
    return EXIT.ok;
  }
  if (rows.length === 0) {
    ctx.out.err("varietal: nothing has been shown yet");
    return EXIT.ok;
  }
  const st = styles(ctx.out.color);
  for (const r of rows) {
    const when = localTime(r.shown_at, { seconds: true });
    ctx.out.line(`${st.dim(when)}  ${r.output ? `${r.output}  ` : ""}${printable(r.path)}`);
  }
  return EXIT.ok;
}
