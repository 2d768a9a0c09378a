// Runs the varietal CLI like main.ts, then reports the process's peak
// resident set size (getrusage's ru_maxrss, through node:process) on stderr
// as "peak_rss_kib N". Used by bench/offline_bench.ts to measure a whole
// `varietal …` process.
import process from "node:process";
import { main } from "../src/cli/main.ts";
import { processContext } from "../src/cli/_context.ts";

Deno.exitCode = await main(Deno.args, processContext);
console.error(`peak_rss_kib ${process.resourceUsage().maxRSS}`);
