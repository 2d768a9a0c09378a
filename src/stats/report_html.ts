/**
 * The self-contained HTML report (pure): inline CSS and SVG, one small inline
 * script, no network (a Content-Security-Policy forbids it); thumbnails are
 * `file://` links to the wallpapers themselves.
 *
 * @module
 */
import {
  barChart,
  columnChart,
  dotColor,
  esc,
  hueStrip,
  hueWheel,
  lightnessHueMap,
} from "./_svg.ts";
import { NAMED_HUES } from "./buckets.ts";
import {
  freshnessRows,
  greyHex,
  hueRows,
  lightnessHistogramRows,
  temperatureRows,
} from "./chart_rows.ts";
import type { ReportData } from "./report_data.ts";

const DAY = 86_400_000;
const HEX = /^#[0-9a-fA-F]{6}$/;

/** A link to a web page, only for http(s) URLs (anything else is plain text). */
function webLink(url: string | null, label: string): string {
  return url && /^https?:\/\//i.test(url)
    ? `<a href="${esc(url)}" rel="noreferrer noopener">${esc(label)}</a>`
    : esc(label);
}

/** The credit line of a downloaded wallpaper. */
function credit(c: ReportData["credits"][number] | undefined): string {
  if (!c) return "";
  const title = c.title ?? c.page_url ?? c.image_url;
  const parts = [`from <b>${esc(c.remote)}</b>: ${webLink(c.page_url, title)}`];
  if (c.author) parts.push(`by ${webLink(c.author_url, c.author)}`);
  if (c.licence) parts.push(`· ${esc(c.licence)}`);
  return `<div class="credit muted">${parts.join(" ")}</div>`;
}

/**
 * A `file://` URL for an absolute path.
 *
 * @example Each path segment percent-encoded
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileUrl } from "./report_html.ts";
 *
 * assert.equal(fileUrl("/home/me/My Walls/a#1.jpg"), "file:///home/me/My%20Walls/a%231.jpg");
 * ```
 */
export function fileUrl(path: string): string {
  return "file://" + path.split("/").map(encodeURIComponent).join("/");
}

function localTime(ms: number, offsetMinutes: number): string {
  const d = new Date(ms + offsetMinutes * 60_000);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

function dayLabel(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

function swatches(colors: string[] | null): string {
  if (!colors) return `<span class="muted">no palette</span>`;
  return `<span class="swatches">${
    colors.map((c, i) => {
      const hex = HEX.test(c) ? c : "#000000";
      const name = i === 0 ? "background" : i === 1 ? "foreground" : `color${i - 2}`;
      return `<i style="background:${hex}" title="${name} ${esc(hex)}"></i>`;
    }).join("")
  }</span>`;
}

const CSS = `
:root{color-scheme:dark;--bg:#14151b;--card:#1d1f29;--fg:#d8dae5;--muted:#8a8fa3;--line:#2c2f3d;--accent:#7aa2f7}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1120px;margin:0 auto;padding:24px}h1{font-size:24px;margin:0 0 4px}h2{font-size:17px;margin:0 0 12px}h2.sub{margin-top:20px}
.muted{color:var(--muted)}.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:12px;margin:20px 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px}.card b{display:block;font-size:22px}
section{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:18px;margin:16px 0}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(470px,1fr));gap:16px}
svg text{fill:var(--fg);font-size:12px}svg .count{fill:var(--muted)}svg .axis{stroke:var(--line)}
svg.chart,svg.strip{max-width:100%;height:auto}svg.strip{display:block;width:100%;height:36px;border-radius:6px;margin-top:12px}
.wheelbox{display:flex;gap:24px;align-items:center;flex-wrap:wrap}.wheelbox>div{flex:1;min-width:240px;max-width:520px}.wheel .disc{fill:#101117;stroke:var(--line)}.wheel .guide{fill:none;stroke:var(--line);stroke-dasharray:3 4}
table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:middle}
th{color:var(--muted);font-weight:600;cursor:pointer;user-select:none}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.share{display:inline-block;height:8px;background:var(--accent);border-radius:4px;vertical-align:middle;margin-right:6px}
.timeline .show{display:grid;grid-template-columns:128px 1fr;gap:14px;padding:10px 0;border-bottom:1px solid var(--line)}
.thumb{width:128px;height:72px;border-radius:6px;background:#0c0d12;overflow:hidden}.thumb img{width:128px;height:72px;object-fit:cover;display:block}
.thumb img.broken{display:none}.path{word-break:break-all}.swatches{display:inline-flex;gap:2px;margin-top:6px}
.swatches i{display:inline-block;width:18px;height:18px;border-radius:3px;border:1px solid #0006}a{color:var(--accent);text-decoration:none}
ol{margin:0;padding-left:22px}li{margin:2px 0}.tag{font-size:11px;border:1px solid var(--line);border-radius:4px;padding:0 5px;margin-left:6px;color:var(--muted)}
`;

// Records script errors on <html data-errors> (a test reads them back) and
// makes the folders table sortable.
const SCRIPT = `(function(){var root=document.documentElement,errs=[];
function rec(m){errs.push(String(m));root.setAttribute("data-errors",String(errs.length));root.setAttribute("data-error-messages",errs.join(" | "));}
addEventListener("error",function(e){if(e.target&&e.target!==window)return;rec(e.message);},true);
addEventListener("unhandledrejection",function(e){rec(e.reason);});
var ce=console.error;console.error=function(){rec([].join.call(arguments," "));ce.apply(console,arguments);};
document.addEventListener("DOMContentLoaded",function(){
document.querySelectorAll("table.sortable th").forEach(function(th,i){th.addEventListener("click",function(){
var tb=th.closest("table").tBodies[0],rows=[].slice.call(tb.rows),asc=th.getAttribute("data-dir")!=="asc";
rows.sort(function(a,b){var x=a.cells[i].getAttribute("data-v")||a.cells[i].textContent,y=b.cells[i].getAttribute("data-v")||b.cells[i].textContent;
var nx=parseFloat(x),ny=parseFloat(y),c=isNaN(nx)||isNaN(ny)?x.localeCompare(y):nx-ny;return asc?c:-c;});
rows.forEach(function(r){tb.appendChild(r);});th.setAttribute("data-dir",asc?"asc":"desc");});});
root.setAttribute("data-rendered",String(document.querySelectorAll("svg").length));});
addEventListener("load",function(){var ok=0,bad=0;document.querySelectorAll(".thumb img").forEach(function(i){
if(i.complete&&i.naturalWidth>0)ok++;if(i.classList.contains("broken"))bad++;});
root.setAttribute("data-thumbs-loaded",String(ok));root.setAttribute("data-thumbs-broken",String(bad));});})();`;

/**
 * Renders the report.
 *
 * @param data From {@linkcode gatherReport}.
 * @param version varietal's version, printed in the footer.
 * @param offsetAt Minutes east of UTC at a time, for the times shown (daylight
 *   saving time moves it). @default the data's `offset_minutes` at every time
 * @returns One HTML document.
 * @example Write the report of a database
 * ```ts ignore
 * import { Database } from "../db/database.ts";
 * import { VERSION } from "../version.ts";
 * import { gatherReport } from "./report_data.ts";
 * import { renderReport } from "./report_html.ts";
 *
 * using db = await Database.open(`${Deno.env.get("HOME")}/.local/share/varietal/varietal.db`);
 * const html = renderReport(gatherReport(db, Date.now(), { shows: 200 }), VERSION);
 * await Deno.writeTextFile("/tmp/report.html", html);
 * ```
 */
export function renderReport(
  data: ReportData,
  version: string,
  offsetAt: (ms: number) => number = () => data.offset_minutes,
): string {
  const s = data.stats, c = s.counts;
  // Each time in the offset of its own moment: a summer show in summer time.
  const when = (ms: number) => localTime(ms, offsetAt(ms));
  const pal = c.with_palette;
  const card = (label: string, value: number | string, id: string) =>
    `<div class="card" id="card-${id}"><b>${esc(String(value))}</b><span class="muted">${
      esc(label)
    }</span></div>`;
  const charts = pal === 0
    ? `<p class="muted">No palettes yet: run <code>varietal extract</code> to see colour charts.</p>`
    : `<div class="grid">
<div><h2>Lightness</h2>${
      barChart(
        "Lightness buckets",
        s.lightness.buckets.map((b, i) => ({
          label: `${b.name} ${b.from}–${b.to}`,
          count: b.count,
          color: greyHex(0.15 + i * 0.35),
        })),
        pal,
      )
    }${barChart("Lightness histogram", lightnessHistogramRows(s), pal)}</div>
<div><h2>Hue</h2>${barChart("Hue bins", hueRows(s), pal)}</div>
<div><h2>Saturation</h2>${
      barChart(
        "Saturation buckets",
        s.saturation.buckets.map((b, i) => ({
          label: `${b.name} ${b.from}–${b.to}`,
          count: b.count,
          color: dotColor({ hue: 215, saturation: [0, 0.25, 0.5, 0.9][i], lightness: 0.55 }),
        })),
        pal,
      )
    }<h2>Temperature</h2>${barChart("Temperature", temperatureRows(s), pal)}</div>
<div><h2>Last shown</h2>${
      barChart(
        "Freshness",
        freshnessRows(s).map((r) => ({ ...r, color: "#7aa2f7" })),
        c.images,
      )
    }</div>
</div>`;
  const wheel = data.sample.length === 0 ? `<p class="muted">No palettes yet.</p>` : (() => {
    const dots = data.sample.map((p) => ({
      hue: p.avg_hue,
      saturation: p.avg_saturation,
      lightness: p.avg_lightness,
    }));
    return `<div class="wheelbox">${hueWheel(dots, s.hue.bins)}<div><p>${dots.length} of ${pal} ` +
      `palettes, each a dot at its average hue (angle, red at the top) and saturation ` +
      `(distance from the centre); greys in the middle. The ring shows how many palettes have ` +
      `at least 10% of their picture in each named hue range.</p>` +
      `</div></div>${hueStrip(dots)}<h2 class="sub">Lightness by hue</h2>` +
      lightnessHueMap(data.lightness_by_hue, NAMED_HUES);
  })();
  const timeline = data.recent.length === 0
    ? `<p class="muted">Nothing shown yet: run <code>varietal next</code>.</p>`
    : data.recent.map((h) =>
      `<div class="show" data-image="${h.image_id}"><div class="thumb">${
        h.missing
          ? ""
          : `<img src="${esc(fileUrl(h.path))}" alt="" loading="lazy" decoding="async" ` +
            `onerror="this.classList.add('broken')">`
      }</div><div><div><b>${esc(when(h.shown_at))}</b>${
        h.output ? `<span class="tag">${esc(h.output)}</span>` : ""
      }${h.missing ? `<span class="tag">missing</span>` : ""}</div>` +
      `<div class="path"><a href="${esc(fileUrl(h.path))}">${esc(h.path)}</a></div>${
        credit(data.credits?.[h.image_id])
      }${swatches(h.colors)}</div></div>`
    ).join("\n");
  const perDay = columnChart(
    `Shows per day over the last ${data.per_day.length} days`,
    data.per_day.map((d) => ({ label: dayLabel(d.day), count: d.count })),
  );
  const num = (x: number) => `<td class="n">${x}</td>`;
  const folders = s.sources.length === 0
    ? `<p class="muted">No folders yet: <code>varietal sources add DIR</code>.</p>`
    : `<table class="sortable" id="folders"><thead><tr><th>Folder</th><th class="n">Images</th>` +
      `<th class="n">Missing</th><th class="n">Favourites</th><th class="n">Banned</th>` +
      `<th class="n">Never shown</th><th class="n">Shows</th><th class="n">Share</th>` +
      `<th>Last shown</th></tr></thead><tbody>${
        s.sources.map((f) =>
          `<tr><td><a href="${esc(fileUrl(f.path))}">${esc(f.path)}</a>${
            f.enabled ? "" : `<span class="tag">disabled</span>`
          }</td>${num(f.images)}${num(f.missing)}${num(f.favorites)}${num(f.banned)}${
            num(f.never_shown)
          }${
            num(f.times_shown)
          }<td class="n" data-v="${f.share_of_shows}"><span class="share" style="width:${
            Math.round(f.share_of_shows * 60)
          }px"></span>${Math.round(f.share_of_shows * 100)}%</td><td data-v="${
            f.last_shown_at ?? 0
          }">${f.last_shown_at === null ? "never" : esc(when(f.last_shown_at))}</td></tr>`
        ).join("")
      }</tbody></table>`;
  const ranked = (title: string, id: string, rows: typeof s.most_shown) =>
    `<div><h2>${title}</h2>${
      rows.length === 0
        ? `<p class="muted">None yet.</p>`
        : `<ol id="${id}">${
          rows.map((r) =>
            `<li>${r.times_shown}× <span class="muted">${
              r.last_shown_at === null ? "" : esc(when(r.last_shown_at))
            }</span> <a href="${esc(fileUrl(r.path))}">${esc(r.path)}</a></li>`
          ).join("")
        }</ol>`
    }</div>`;
  const h = s.history;
  return `<!doctype html>
<html lang="en" data-errors="0">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src file: data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>varietal — collection report</title>
<script>${SCRIPT}</script>
<style>${CSS}</style>
</head>
<body><main>
<header><h1>Your wallpaper collection</h1><div class="muted">Generated ${
    esc(when(data.generated_at))
  } by varietal ${esc(version)}</div></header>
<div class="cards">${card("images", c.images, "images")}${card("with a palette", pal, "palettes")}${
    card("favourites", c.favorites, "favorites")
  }${card("banned", c.banned, "banned")}${card("missing", c.missing, "missing")}${
    card("never shown", c.never_shown, "never")
  }${card("shows kept", h.shows, "shows")}</div>
<section id="overview"><h2>Overview</h2>${charts}</section>
<section id="hues"><h2>Hue wheel</h2>${wheel}</section>
<section id="history"><h2>History</h2><p class="muted">${h.shows} shows kept; ${h.last_day} in the last day, ${h.last_week} in the last week, ${h.last_month} in the last month.</p>${perDay}
<div class="timeline">${timeline}</div></section>
<section id="folders-section"><h2>Folders</h2>${folders}</section>
<section class="grid" id="rankings">${ranked("Most shown", "most-shown", s.most_shown)}${
    ranked("Longest unseen", "longest-unseen", s.longest_unseen)
  }</section>
</main></body></html>
`;
}
