// `varietal prune`: forget missing images and old history.
import type { CommandSpec, Invocation } from "./_command.ts";
import type { Context } from "./_context.ts";
import { boolFlag, expectArgs, numberFlag } from "./_parse.ts";
import { DRY_RUN_FLAG, JSON_FLAG, withHelp } from "./_flags.ts";
import { EXIT, UsageError } from "./errors.ts";
import { deleteImages, missingImageIds } from "../db/images.ts";
import { pruneHistory } from "../db/history.ts";
import { retentionCutoff } from "../db/retention.ts";
import { assertIntact } from "../db/damage.ts";

export const spec: CommandSpec = {
  name: "prune",
  summary: "Forget missing images and old history",
  description:
    "Without flags, applies history.keep_days from config.toml. Deleting an image also\ndeletes its palette and history.",
  options: {
    missing: { type: "boolean", description: "Delete images marked missing by the last scan" },
    "history-older-than": {
      type: "string",
      value: "DAYS",
      description: "Delete history older than DAYS days",
    },
    "dry-run": withHelp(DRY_RUN_FLAG, "Count, change nothing"),
    json: withHelp(JSON_FLAG, "Print counts as JSON"),
  },
  examples: ["varietal prune --missing", "varietal prune --history-older-than 90"],
};

export async function run(ctx: Context, inv: Invocation): Promise<number> {
  expectArgs(inv, 0, 0, "prune");
  const days = numberFlag(inv, "history-older-than", { min: 0, path: "prune" });
  const missing = boolFlag(inv, "missing");
  const dry = boolFlag(inv, "dry-run");
  const now = Date.now();
  let cutoff = days === undefined ? undefined : now - days * 86400_000;
  if (days === undefined && !missing) {
    // No flags: history.keep_days, exactly as the daemon applies it daily.
    cutoff = retentionCutoff((await ctx.config()).history.keep_days, now) ?? undefined;
    if (cutoff === undefined) {
      throw new UsageError(
        "nothing to prune: give --missing or --history-older-than DAYS (history.keep_days is 0)",
        "prune",
      );
    }
  }
  const db = await ctx.db();
  assertIntact(db); // writes across the collection: refuse a damaged file first
  const result = { missing_images: 0, history_rows: 0, dry_run: dry };
  if (dry) {
    if (missing) result.missing_images = missingImageIds(db).length;
    if (cutoff !== undefined) {
      result.history_rows =
        (db.prepare("SELECT COUNT(*) AS n FROM history WHERE shown_at < ?").get(cutoff) as {
          n: number;
        }).n;
    }
  } else {
    db.transaction(() => {
      if (missing) result.missing_images = deleteImages(db, missingImageIds(db));
      if (cutoff !== undefined) result.history_rows = pruneHistory(db, cutoff);
    });
  }
  if (boolFlag(inv, "json")) ctx.out.json(result);
  else {
    const verb = dry ? "Would delete" : "Deleted";
    ctx.out.line(
      `${verb} ${result.missing_images} missing image(s) and ${result.history_rows} history row(s)`,
    );
  }
  return EXIT.ok;
}
