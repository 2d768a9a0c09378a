// Drops coverage files that are not whole JSON before `deno coverage` reads them.
//
// Tests start varietal (and other Deno programs) as child processes, which
// inherit the coverage folder; a child that a test kills on purpose (timeouts,
// a reader closing the pipe, the daemon's stop) can leave an empty or cut-off
// file, and one such file makes `deno coverage` refuse the whole run. What it
// would have said is lost with the killed process anyway.
//
// Usage: deno run --allow-read=coverage --allow-write=coverage tests/_helpers/coverage_clean.ts coverage

/** Removes the unreadable `.json` files of `dir`; returns their names. */
export async function dropPartialCoverage(dir: string): Promise<string[]> {
  const dropped: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (!e.isFile || !e.name.endsWith(".json")) continue;
    const file = `${dir}/${e.name}`;
    try {
      JSON.parse(await Deno.readTextFile(file));
    } catch {
      await Deno.remove(file);
      dropped.push(e.name);
    }
  }
  return dropped;
}

if (import.meta.main) {
  const dir = Deno.args[0] ?? "coverage";
  const dropped = await dropPartialCoverage(dir);
  if (dropped.length) {
    console.error(
      `coverage: dropped ${dropped.length} partial file(s) from killed child processes`,
    );
  }
}
