// `varietal select`: show which images would come next, and why. Changes
// nothing except marking picked files that vanished as missing.
import type { CommandSpec, Invocation } from "./_command.ts";
import { type Context, lazy } from "./_context.ts";
import { boolFlag, expectArgs, numberFlag } from "./_parse.ts";
import { COUNT_FLAG, GROUP_FLAG, groupFlag, JSON_FLAG, withHelp } from "./_flags.ts";
import { CONSTRAINT_OPTIONS, constraintsFromFlags } from "./_constraints.ts";
import { CliError, EXIT, UsageError } from "./errors.ts";
import { printable, styles } from "./_output.ts";
import { followsSystem, type Pick, selectImages, type SelectResult } from "../select/selector.ts";
import { emptyCollectionMessage, noPickMessage, sizeOnlyClause } from "../select/no_pick.ts";
import { needsPalette } from "../select/constraints.ts";
import { formatDuration } from "../config/duration.ts";
import { countBans, countImages, countSmallerImages, countWithoutPalette } from "../db/images.ts";
import type { Database } from "../db/database.ts";
import { getCredits, plainCredit } from "../db/attribution.ts";
import type { PackagePicture } from "../scan/package_info.ts";

export const spec: CommandSpec = {
  name: "select",
  summary: "Show the images that would come next (changes nothing)",
  description: [
    "Draws COUNT distinct images by weight: recently shown images and folders weigh less,",
    "never-shown, rarely shown and favourite images more. Colour flags filter on the stored",
    "palette (images without one are left out); selection.time_rules apply when neither",
    "--dark nor --light is given (--any-time skips them). Images smaller than",
    "[selection] min_width × min_height (default 640 × 480) are never drawn; --min-width and",
    "--min-height replace those settings. A source whose folder is offline (unplugged drive,",
    "unmounted share) is left out with a warning; nothing of it is marked missing.",
    "A folder whose order is sequential or shuffle ([selection] order, [[sources]] order,",
    "'varietal sources order') gives its next image in that order instead; --group NAME",
    "draws only from the folders of that [groups] entry. While a daemon runs, a select with",
    "only -n, --json, --explain, --seed, --dark, --light or --any-time is drawn by it (the same",
    "output and exit code, sooner).",
  ].join("\n"),
  options: {
    count: withHelp(COUNT_FLAG, "How many images (default 1)"),
    ...CONSTRAINT_OPTIONS,
    outputs: {
      type: "string",
      value: "N",
      description: "One image per output (monitor), with palettes close to each other",
    },
    group: GROUP_FLAG,
    explain: {
      type: "boolean",
      description: "Show every weight factor of each pick, or the order that chose it",
    },
    json: withHelp(
      JSON_FLAG,
      'Print [{"path","weight","factors","seed"}] (plus "output" with --outputs, "order" for an\n' +
        'ordered folder, "attribution" for a downloaded image, "package" for a KDE\n' +
        "wallpaper package's picture)",
    ),
  },
  examples: [
    "varietal select -n 5",
    "varietal select --dark --hue 200-260 --explain",
    "varietal select --similar-to current --json",
    "varietal select --outputs 2 --seed 42",
    "varietal select --group work -n 3 --explain",
  ],
};

/** Every picture of a KDE wallpaper package lies in `PKG/contents/images[_dark]/`. */
const PACKAGE_IMAGES = "/contents/images";

const FACTOR_ORDER = ["recency", "unseen", "source", "times_shown", "favorite", "similarity"];

function fmt(n: number): string {
  return n === 0 ? "0" : n >= 100 ? n.toFixed(0) : n >= 0.01 ? n.toFixed(3) : n.toExponential(2);
}

export async function run(ctx: Context, inv: Invocation): Promise<number> {
  expectArgs(inv, 0, 0, "select");
  const count = numberFlag(inv, "count", { min: 1, max: 10000, integer: true, path: "select" }) ??
    1;
  const nOutputs = numberFlag(inv, "outputs", { min: 1, max: 16, integer: true, path: "select" });
  if (nOutputs !== undefined && inv.flags.count !== undefined) {
    throw new UsageError(
      "--count (-n) cannot be combined with --outputs (one image per output)",
      "select",
    );
  }
  const constraints = await constraintsFromFlags(inv, ctx, "select");
  const config = await ctx.config();
  const group = groupFlag(inv, config, "select");
  const asJson = boolFlag(inv, "json"), explaining = boolFlag(inv, "explain");
  const db = await ctx.db();
  const names = config.wallpaper.outputs;
  const outputs = nOutputs === undefined
    ? undefined
    : Array.from({ length: nOutputs }, (_, i) => ({ name: names[i] ?? `output-${i + 1}` }));
  const now = Date.now();
  let systemMode: "dark" | "light" | undefined;
  if (followsSystem(config)) {
    const { detectColorScheme } = await lazy<typeof import("../desktop/color_scheme.ts")>(
      "../desktop/color_scheme.ts",
    );
    systemMode = (await detectColorScheme({
      configHome: ctx.paths.configHome,
      path: ctx.env("PATH"),
    }))?.scheme;
  }
  const result = selectImages(db, config, { count, constraints, outputs, group }, {
    now,
    home: ctx.paths.home,
    positions: asJson || explaining,
    ...(systemMode ? { systemMode } : {}),
  });
  for (const w of result.warnings) ctx.out.err(`varietal: ${w}`);
  if (result.picks.length === 0) {
    // No image at all: that is the news (and a colour flag is not what to relax).
    if (countImages(db) === 0) throw new CliError(emptyCollectionMessage(result));
    const { countDisabledSources } = await import("../db/sources.ts");
    const counts = {
      smaller: countSmallerImages(
        db,
        result.minSize,
        result.sourceIds,
        sizeOnlyClause(constraints, result),
      ),
      withoutPalette: needsPalette(constraints) ? countWithoutPalette(db, result.sourceIds) : 0,
      disabled: result.sourceIds?.length === 0 ? result.disabled ?? countDisabledSources(db) : 0,
      ...countBans(db, result.sourceIds),
    };
    throw new CliError(noPickMessage(constraints, result, counts));
  }
  const credits = getCredits(db, result.picks.map((p) => p.image.id));
  if (asJson) {
    // The package reader is loaded only for a pick that may be a package's picture.
    const packageOf = result.picks.some((p) => p.image.path.includes(PACKAGE_IMAGES))
      ? (await lazy<typeof import("../scan/package_info.ts")>("../scan/package_info.ts"))
        .readPackagePicture
      : () => undefined;
    ctx.out.json(result.picks.map((p) => {
      const c = credits.get(p.image.id);
      const pkg = c ? undefined : packageOf(p.image.path);
      return {
        path: p.image.path,
        weight: p.weight,
        factors: p.factors,
        // The draw's seed (the same in every pick): `--seed` with it repeats the draw.
        seed: result.seed,
        ...(p.output === undefined ? {} : { output: p.output }),
        ...(p.order ? { order: p.order } : {}),
        ...(c ? { attribution: plainCredit(c) } : {}),
        ...(pkg ? { package: pkg } : {}),
      };
    }));
  } else if (explaining) {
    const { readPackagePicture } = await lazy<typeof import("../scan/package_info.ts")>(
      "../scan/package_info.ts",
    );
    explain(ctx, result, now, db, credits, readPackagePicture);
  } else {
    for (const p of result.picks) {
      const path = printable(p.image.path);
      ctx.out.line(p.output === undefined ? path : `${p.output}\t${path}`);
    }
  }
  return EXIT.ok;
}

function explain(
  ctx: Context,
  result: SelectResult,
  now: number,
  db: Database,
  credits: ReturnType<typeof getCredits>,
  packageOf: (path: string) => PackagePicture | undefined,
): void {
  const s = styles(ctx.out.color);
  ctx.out.line(s.dim(`seed ${result.seed} (repeat this draw with --seed ${result.seed})`));
  if (result.systemMode) {
    ctx.out.line(s.dim(`following the desktop's ${result.systemMode} mode (skip with --any-time)`));
  }
  // The minimum size, when it leaves something out.
  const small = countSmallerImages(db, result.minSize, result.sourceIds);
  if (small > 0) {
    const { width, height } = result.minSize!;
    ctx.out.line(
      s.dim(
        `min size ${width} × ${height}: ${small} smaller image(s) left out ([selection] min_width/min_height, 0 disables)`,
      ),
    );
  }
  for (const o of result.offline ?? []) {
    ctx.out.line(s.dim(`offline ${printable(o.path)}: ${printable(o.reason)}`));
  }
  if (result.timeRule) {
    const r = result.timeRule;
    ctx.out.line(s.dim(`time rule ${r.from}–${r.to}: ${r.lightness} (skip with --any-time)`));
  }
  if (result.group) {
    const g = result.group;
    ctx.out.line(
      s.dim(
        `group ${g.name}: only ${g.sources.length} folder(s): ${
          g.sources.map((p) => printable(tildePath(p, ctx.paths.home))).join(", ")
        }`,
      ),
    );
  }
  result.picks.forEach((p, i) => {
    const where = p.output === undefined ? "" : ` ${s.cyan(`[${p.output}]`)}`;
    ctx.out.line(`${s.bold(`${i + 1}.`)}${where} ${printable(p.image.path)}`);
    const img = p.image;
    const shown = img.last_shown_at === null
      ? "never shown"
      : `shown ${img.times_shown}×, last ${
        formatDuration(Math.max(0, now - img.last_shown_at) / 1000).replace(/(\d+[a-z]+).*/, "$1")
      } ago`;
    ctx.out.line(s.dim(`   ${shown}${img.favorite ? ", favourite" : ""}`));
    const c = credits.get(img.id);
    if (c) {
      // A remote's texts are the service's: shown escaped, as file names are.
      const what = [c.title ? `"${c.title}"` : "", c.author ? `by ${c.author}` : ""]
        .filter(Boolean).join(" ");
      ctx.out.line(s.dim(printable(`   from ${c.remote} (${c.kind})${what ? `: ${what}` : ""}`)));
      if (c.page_url) ctx.out.line(s.dim(`   ${printable(c.page_url)}`));
      if (c.licence) ctx.out.line(s.dim(`   licence: ${printable(c.licence)}`));
    } else {
      const pkg = packageOf(img.path);
      if (pkg) ctx.out.line(s.dim(`   ${printable(packageLine(pkg))}`));
    }
    if (p.order) {
      // The folder was drawn by weight; the image is the next of the folder's order.
      ctx.out.line(`   ${s.cyan(orderLine(p.order, ctx.paths.home))}`);
      return;
    }
    const keys = [
      ...FACTOR_ORDER.filter((k) => k in p.factors),
      ...Object.keys(p.factors).filter((k) => !FACTOR_ORDER.includes(k)),
    ];
    const w = Math.max(...keys.map((k) => k.length), 6);
    for (const k of keys) ctx.out.line(`   ${k.padEnd(w)}  ${fmt(p.factors[k])}`);
    ctx.out.line(`   ${s.bold("weight".padEnd(w))}  ${s.bold(fmt(p.weight))}`);
  });
}

/** "~/x" for a path in the home folder. */
function tildePath(path: string, home: string): string {
  const h = home.replace(/\/$/, "");
  return h && h !== "/" && (path === h || path.startsWith(`${h}/`))
    ? `~${path.slice(h.length)}`
    : path;
}

/** The rule of an ordered pick: "sequential: 14/230 in ~/Pictures/Comics". */
function orderLine(o: NonNullable<Pick["order"]>, home: string): string {
  const at = o.position === undefined ? "" : ` ${o.position}/${o.total}`;
  const where = printable(tildePath(o.source, home));
  return o.rule === "sequential"
    ? `sequential:${at} in ${where}`
    : `shuffle:${at} of this cycle${o.newCycle ? " (a new cycle begins)" : ""} in ${where}`;
}

/** `from the KDE wallpaper package "Altai" by Alesya Khoteeva (licence CC-BY-SA-4.0)`. */
function packageLine(p: PackagePicture): string {
  return [
    "from the KDE wallpaper package",
    p.name === null ? "" : `"${p.name}"`,
    p.authors.length ? `by ${p.authors.join(", ")}` : "",
    p.licence === null ? "" : `(licence ${p.licence})`,
  ].filter(Boolean).join(" ");
}
