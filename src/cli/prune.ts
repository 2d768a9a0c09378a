// `varietal prune`: forget missing images and old history.
import type { CommandSpec, Invocation } from "./_command.ts";
import type { Context } from "./_context.ts";
import { boolFlag, expectArgs, stringFlag } from "./_parse.ts";
import { DRY_RUN_FLAG, JSON_FLAG, withHelp } from "./_flags.ts";
import { EXIT, UsageError } from "./errors.ts";
import { deleteImages } from "../db/images.ts";
import { countHistory, countHistoryToGo, pruneHistory } from "../db/history.ts";
import { retentionCutoff } from "../db/retention.ts";
import { assertIntact } from "../db/damage.ts";
import { confirmGone, type GoneReport } from "../scan/confirm_gone.ts";
import { browseFile, readBrowseState } from "../pipeline/browse.ts";
import { parseDuration } from "../config/duration.ts";

export const spec: CommandSpec = {
  name: "prune",
  summary: "Forget missing images and old history",
  description: [
    "Without flags, applies history.keep_days from config.toml. Deleting an image also",
    "deletes its palette, history and favourite or ban, so --missing first checks each",
    "image again and deletes only files positively gone (their folder is there, the file",
    "is not); images of offline sources (unplugged drive, unmounted share), files that are",
    "back and files in folders that cannot be read are kept. History pruning always keeps",
    "the wallpaper on screen (the newest show, and the one 'prev' is browsing).",
  ].join("\n"),
  options: {
    missing: {
      type: "boolean",
      description: "Delete images marked missing whose files are confirmed gone",
    },
    "history-older-than": {
      type: "string",
      value: "DAYS",
      description: "Delete history older than DAYS days (or a duration: 12h, 2w)",
    },
    "dry-run": withHelp(DRY_RUN_FLAG, "Count, change nothing"),
    json: withHelp(JSON_FLAG, "Print counts as JSON"),
  },
  examples: ["varietal prune --missing", "varietal prune --history-older-than 90"],
};

export async function run(ctx: Context, inv: Invocation): Promise<number> {
  expectArgs(inv, 0, 0, "prune");
  const days = daysFlag(stringFlag(inv, "history-older-than"));
  if (days === 0) {
    // history.keep_days = 0 means "keep everything": 0 here must not mean the opposite.
    throw new UsageError(
      "--history-older-than 0 would delete all history but the wallpaper on screen; " +
        "give a number of days above 0 (e.g. 0.5 for 12 hours)",
      "prune",
    );
  }
  const missing = boolFlag(inv, "missing");
  const dry = boolFlag(inv, "dry-run");
  const now = Date.now();
  let cutoff = days === undefined ? undefined : now - days * 86400_000;
  if (days === undefined && !missing) {
    // No flags: history.keep_days, exactly as the daemon applies it daily.
    cutoff = retentionCutoff((await ctx.config()).history.keep_days, now) ?? undefined;
    if (cutoff === undefined) {
      // Keeping everything is a setting, not a mistake: a timer's `varietal prune` succeeds.
      if (boolFlag(inv, "json")) {
        ctx.out.json({ missing_images: 0, history_rows: 0, dry_run: dry });
      } else {
        ctx.out.line(
          "Nothing to prune: [history] keep_days is 0, which keeps all history " +
            "(give --history-older-than DAYS or --missing for more)",
        );
      }
      return EXIT.ok;
    }
  }
  const db = await ctx.db();
  assertIntact(db); // writes across the collection: refuse a damaged file first
  const result: {
    missing_images: number;
    history_rows: number;
    dry_run: boolean;
    kept_missing?: GoneReport["kept"];
  } = { missing_images: 0, history_rows: 0, dry_run: dry };
  // The show `prev` is browsing stays, like the newest one (pruneHistory keeps that).
  const cursor = (await readBrowseState(browseFile(ctx.paths.state))).cursor;
  const keep = cursor === null ? [] : [cursor];
  const gone = missing ? confirmGone(db) : undefined;
  if (gone) result.kept_missing = gone.kept;
  // History rows go with the missing images as well as by age: count both, each row once.
  if (dry) {
    if (gone) result.missing_images = gone.gone.length;
    result.history_rows = countHistoryToGo(db, gone?.gone ?? [], cutoff, keep);
  } else {
    db.transaction(() => {
      const before = countHistory(db);
      if (gone) result.missing_images = deleteImages(db, gone.gone);
      if (cutoff !== undefined) pruneHistory(db, cutoff, keep);
      result.history_rows = before - countHistory(db);
    });
  }
  if (boolFlag(inv, "json")) ctx.out.json(result);
  else {
    const verb = dry ? "Would delete" : "Deleted";
    // Only what was asked for: a plain prune (history.keep_days) looks at no missing image.
    const what = [
      ...(missing ? [`${result.missing_images} missing image(s)`] : []),
      ...(cutoff !== undefined || missing ? [`${result.history_rows} history row(s)`] : []),
    ];
    ctx.out.line(
      `${verb} ${what.join(" and ")}` +
        (cutoff !== undefined && days === undefined && !missing
          ? " (history older than [history] keep_days)"
          : ""),
    );
    const k = result.kept_missing;
    if (k && k.offline + k.present + k.unconfirmed > 0) {
      const why = [
        k.offline ? `${k.offline} on offline sources` : "",
        k.present ? `${k.present} whose file is back (run 'varietal scan')` : "",
        k.unconfirmed
          ? `${k.unconfirmed} whose folder is gone, empty or unreadable (a drive mounted there?)`
          : "",
      ].filter(Boolean).join(", ");
      ctx.out.line(`Kept ${k.offline + k.present + k.unconfirmed} not confirmed gone: ${why}`);
    }
  }
  return EXIT.ok;
}

/** `--history-older-than`: a number of days, or a duration with a unit (`12h`, `2w`). */
function daysFlag(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  let days: number | undefined;
  if (/^\d+(\.\d+)?$/.test(t)) days = Number(t);
  else {
    try {
      days = parseDuration(t) / 86400;
    } catch { /* said below */ }
  }
  if (days === undefined || !Number.isFinite(days)) {
    throw new UsageError(
      `invalid value '${v}' for --history-older-than (expected a number of days above 0, or a ` +
        "duration such as 12h, 30d or 2w)",
      "prune",
    );
  }
  return days;
}
