// Scan and re-scan of a generated 100k-file tree (hard links of a few small
// images, 100 per folder), plus Debian's real wallpapers when installed.
// Prints a table and writes bench/results/scan.json.
import { Database } from "../src/db/database.ts";
import { addSource, listSources } from "../src/db/sources.ts";
import { scanSources } from "../src/scan/scanner.ts";
import { COLORS, writeImage } from "../tests/_helpers/images.ts";
import { printTable, type Row, writeResults } from "./_report.ts";

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

  const measure = async (label: string, root: string) => {
    using db = await Database.open(`${tmp}/${label.replace(/\W+/g, "_")}.db`);
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
