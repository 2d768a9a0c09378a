// Shared by the bench scripts: timing, a printed table and a JSON file in bench/results/.

/** One measured row. */
export type Row = Record<string, string | number | null>;

/** Median of numbers. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs `fn` `runs` times (after `warmup` untimed runs) and returns the times in ms. */
export async function time(
  fn: () => unknown | Promise<unknown>,
  runs = 7,
  warmup = 1,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

/** Prints rows as an aligned table. */
export function printTable(title: string, rows: readonly Row[]): void {
  if (rows.length === 0) return;
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const fmt = (v: Row[string]) =>
    v === null || v === undefined ? "" : typeof v === "number" ? fmtNum(v) : String(v);
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => fmt(r[c]).length)));
  console.log(`\n## ${title}`);
  console.log(cols.map((c, i) => c.padEnd(widths[i])).join("  "));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) {
    console.log(
      cols.map((c, i) => {
        const s = fmt(r[c]);
        return typeof r[c] === "number" ? s.padStart(widths[i]) : s.padEnd(widths[i]);
      }).join("  "),
    );
  }
}

function fmtNum(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3);
}

/** Writes `bench/results/<name>.json` with the rows and machine facts. */
export async function writeResults(name: string, data: Record<string, unknown>): Promise<string> {
  const dir = new URL("./results/", import.meta.url).pathname;
  await Deno.mkdir(dir, { recursive: true });
  const file = `${dir}${name}.json`;
  await Deno.writeTextFile(
    file,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        deno: Deno.version.deno,
        cpus: navigator.hardwareConcurrency,
        ...data,
      },
      null,
      2,
    ) + "\n",
  );
  return file;
}
