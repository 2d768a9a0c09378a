// `varietal stats`: how dark, colourful, fresh and folder-heavy the collection is.
import type { CommandSpec, Invocation } from "./_command.ts";
import type { Context } from "./_context.ts";
import { boolFlag, expectArgs, numberFlag } from "./_parse.ts";
import { JSON_FLAG, withHelp } from "./_flags.ts";
import { printable, styles } from "./_output.ts";
import { EXIT } from "./errors.ts";
import { HUE_RANGE_NAMES } from "../palette/hue_ranges.ts";
import { fitWidth, textWidth } from "../text/text_width.ts";

export const spec: CommandSpec = {
  name: "stats",
  summary: "Show collection statistics: lightness, hues, freshness, folders",
  description:
    "Counts of present images (missing ones are counted apart), the distribution of their\n" +
    "palettes' lightness, hue, saturation and temperature, when images were last shown,\n" +
    "and per-folder figures. Read from summary tables, so it stays fast on large collections.\n" +
    "Buckets: dark < 0.35 ≤ medium < 0.65 ≤ light; hue: the ranges --hue accepts\n" +
    `(${HUE_RANGE_NAMES.join(", ")}), a palette counting in each one that holds\n` +
    "≥ 10% of its picture, grey = in none; saturation grey < 0.1 ≤ muted < 0.3 ≤ moderate < 0.6.",
  options: {
    json: withHelp(JSON_FLAG, "Print every figure as JSON"),
    top: {
      type: "string",
      value: "N",
      description: "Length of the most/least-shown lists (default 5, JSON 10)",
    },
  },
  examples: ["varietal stats", "varietal stats --json | jq .hue.bins"],
};

const BLOCKS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/** A bar of `width` cells for value/max, in eighths. */
export function bar(value: number, max: number, width: number): string {
  if (max <= 0 || value <= 0) return "";
  const eighths = Math.max(1, Math.round((value / max) * width * 8));
  return "█".repeat(Math.floor(eighths / 8)) + BLOCKS[eighths % 8];
}

export async function run(ctx: Context, inv: Invocation): Promise<number> {
  expectArgs(inv, 0, 0, "stats");
  const json = boolFlag(inv, "json");
  const top = numberFlag(inv, "top", { min: 0, max: 1000, integer: true, path: "stats" }) ??
    (json ? 10 : 5);
  const db = await ctx.db();
  const { collectionStats } = await import("../stats/collection_stats.ts");
  const { freshnessRows, hueRows, lightnessHistogramRows, temperatureRows } = await import(
    "../stats/chart_rows.ts"
  );
  const now = Date.now();
  const s = collectionStats(db, now, { top });
  if (json) {
    ctx.out.json(s);
    return EXIT.ok;
  }
  const st = styles(ctx.out.color);
  const out = (t = "") => ctx.out.line(t);
  const c = s.counts;
  out(
    `${st.bold("Collection")}  ${c.images} images` +
      (c.missing ? ` (${c.missing} missing)` : "") +
      ` · ${c.with_palette} with palette · ${c.favorites} favourites · ${c.banned} banned` +
      ` · ${c.never_shown} never shown` +
      (c.undecodable ? ` · ${c.undecodable} left out (failed to decode)` : ""),
  );
  if (c.images === 0 && c.missing === 0) {
    out("No images yet: add a folder with 'varietal sources add DIR' and run 'varietal scan'.");
    return EXIT.ok;
  }
  const chart = (
    title: string,
    rows: { label: string; count: number; color?: string }[],
    total: number,
  ) => {
    out();
    out(st.bold(title));
    const max = Math.max(0, ...rows.map((r) => r.count));
    const w = Math.max(...rows.map((r) => r.label.length));
    for (const r of rows) {
      const b = fitWidth(bar(r.count, max, 30), 30);
      const pct = total ? `${Math.round((r.count / total) * 100)}%` : "";
      out(
        `  ${r.label.padEnd(w)}  ${r.color ? st.fg(r.color, b) : b} ${
          String(r.count).padStart(7)
        }` +
          `  ${st.dim(pct.padStart(4))}`,
      );
    }
  };
  const p = c.with_palette;
  if (p === 0) {
    out();
    out(
      st.dim(
        "No palettes yet: 'varietal extract' makes them (or each 'varietal next' as it goes).",
      ),
    );
  } else {
    chart(
      `Lightness (${p} palettes)`,
      s.lightness.buckets.map((b) => ({ label: `${b.name} ${b.from}–${b.to}`, count: b.count })),
      p,
    );
    chart("Lightness histogram", lightnessHistogramRows(s), p);
    chart("Hue (≥ 10% of the picture in the range, as --hue; grey = in none)", hueRows(s), p);
    chart(
      "Saturation",
      s.saturation.buckets.map((b) => ({ label: `${b.name} ${b.from}–${b.to}`, count: b.count })),
      p,
    );
    chart("Temperature", temperatureRows(s), p);
    if (s.hue.pending) {
      out();
      out(st.dim(
        `${s.hue.pending} palette(s) have colour figures from an older version of varietal ` +
          `(not in the hue and saturation counts): run 'varietal extract' to recompute them.`,
      ));
    }
  }
  chart("Last shown", freshnessRows(s), c.images);
  out();
  const h = s.history;
  out(
    `${st.bold("History")}  ${h.shows} shows kept` +
      (h.first_shown_at === null
        ? ""
        : ` (${date(h.first_shown_at)} – ${date(h.last_shown_at!)}); ` +
          `${h.last_day} in the last day, ${h.last_week} in the last week, ${h.last_month} in the last month`),
  );
  if (s.sources.length) {
    out();
    out(st.bold("Folders"));
    const w = Math.min(50, Math.max(6, ...s.sources.map((x) => textWidth(printable(x.path)))));
    out(
      st.dim(
        `  ${fitWidth("FOLDER", w)}  ${fitWidth("IMAGES", 7, true)}  ${
          fitWidth("MISSING", 7, true)
        }  ` +
          `${fitWidth("NEVER", 7, true)}  ${fitWidth("SHOWS", 7, true)}  ${
            fitWidth("SHARE", 5, true)
          }`,
      ),
    );
    for (const x of s.sources) {
      out(
        `  ${fitWidth(printable(x.path), w)}  ${fitWidth(String(x.images), 7, true)}  ${
          fitWidth(String(x.missing), 7, true)
        }  ${fitWidth(String(x.never_shown), 7, true)}  ${
          fitWidth(String(x.times_shown), 7, true)
        }  ${fitWidth(`${Math.round(x.share_of_shows * 100)}%`, 5, true)}${
          x.enabled ? "" : st.dim("  (disabled)")
        }`,
      );
    }
  }
  const list = (title: string, rows: typeof s.most_shown) => {
    if (!rows.length) return;
    out();
    out(st.bold(title));
    for (const r of rows) {
      out(
        `  ${String(r.times_shown).padStart(4)}×  ${
          st.dim(r.last_shown_at === null ? "" : ago(now, r.last_shown_at).padStart(9))
        }  ${printable(r.path)}`,
      );
    }
  };
  list("Most shown", s.most_shown);
  // With few shown images the three lists would repeat one another.
  if (c.shown > top) {
    list("Least shown (at least once)", s.least_shown);
    list("Longest unseen", s.longest_unseen);
  }
  return EXIT.ok;
}

function date(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function ago(now: number, then: number): string {
  const s = Math.max(0, (now - then) / 1000);
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  if (s < 86400) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86400)}d ago`;
}
