// Scan and re-scan of a generated 100k-file tree (hard links of a few small
// images, 100 per folder), plus Debian's real wallpapers when installed; and
// the peak RSS of a whole `varietal scan` process re-scanning the generated
// tree (what the daemon's hourly rescan holds, as a process of its own; GNU
// time measures it, null without).
// Prints a table and writes bench/results/scan.json.
import { Database } from "../src/db/database.ts";
import { addSource, listSources } from "../src/db/sources.ts";
import { scanSources } from "../src/scan/scanner.ts";
import { COLORS, writeImage } from "../tests/_helpers/images.ts";
import { printTable, type Row, writeResults } from "./_report.ts";
import { dbOf, makeHome, measuredRun, varietal } from "./_varietal.ts";

const FILES = Number(Deno.env.get("SCAN_BENCH_FILES") ?? 100_000);
const tmp = await Deno.makeTempDir({ prefix: "varietal-scan-bench-" });
const rows: Row[] = [];
try {
  const seeds = [
    await writeImage(`${tmp}/seed/a.jpg`, { width: 64, height: 36, colors: [COLORS.red] }),
    await writeImage(`${tmp}/seed/b.png`, { width: 48, height: 48, colors: [COLORS.blue] }),
  ];
  const tree = `${tmp}/tree`;
  const t0 = performance.now();
  for (let i = 0; i < FILES; i++) {
    const dir = `${tree}/d${Math.floor(i / 1000)}/e${Math.floor(i / 100) % 10}`;
    if (i % 100 === 0) Deno.mkdirSync(dir, { recursive: true });
    const seed = seeds[i % 2];
    Deno.linkSync(seed, `${dir}/${i}${seed.slice(-4)}`);
  }
  console.log(`made ${FILES} hard links in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const dbFile = (label: string) => `${tmp}/${label.replace(/\W+/g, "_")}.db`;
  const measure = async (label: string, root: string) => {
    using db = await Database.open(dbFile(label));
    addSource(db, root);
    for (const pass of ["scan", "re-scan"]) {
      const t = performance.now();
      const r = await scanSources(db, listSources(db));
      const ms = performance.now() - t;
      const files = r.added + r.updated + r.unchanged + r.skipped + r.errors.length;
      rows.push({
        tree: label,
        pass,
        files,
        added: r.added,
        unchanged: r.unchanged,
        skipped: r.skipped,
        errors: r.errors.length,
        ms: Math.round(ms),
        files_per_s: Math.round(files / (ms / 1000)),
      });
    }
  };
  await measure(`generated ${FILES}`, tree);
  // The same re-scan as a `varietal scan` process, its peak RSS measured by GNU time.
  const home = await makeHome(`${tmp}/home`);
  await Deno.mkdir(`${home.XDG_DATA_HOME}/varietal`, { recursive: true, mode: 0o700 });
  await Deno.copyFile(dbFile(`generated ${FILES}`), dbOf(home));
  const out = await measuredRun(varietal("scan", "--json"), home, home.HOME);
  if (out.code !== 0) throw new Error(`varietal scan failed (exit ${out.code}): ${out.stderr}`);
  const r = JSON.parse(out.stdout);
  rows.push({
    tree: `generated ${FILES}`,
    pass: "re-scan, whole process",
    files: r.unchanged + r.skipped,
    added: r.added,
    unchanged: r.unchanged,
    skipped: r.skipped,
    errors: r.errors.length,
    ms: Math.round(out.ms),
    files_per_s: Math.round((r.unchanged + r.skipped) / (out.ms / 1000)),
    peak_rss_mib: out.peakKiB === null ? null : Math.round(out.peakKiB / 1024),
  });
  for (const real of ["/usr/share/backgrounds", "/usr/share/wallpapers"]) {
    try {
      await Deno.stat(real);
      await measure(real, real);
    } catch {
      console.log(`skipping ${real}: not installed (apt-get install gnome-backgrounds …)`);
    }
  }
} finally {
  await Deno.remove(tmp, { recursive: true });
}
printTable("scan (cold = first scan, re-scan = nothing changed)", rows);
console.log(`\nwrote ${await writeResults("scan", { files: FILES, rows })}`);
