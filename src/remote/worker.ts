/**
 * The fetch worker's entry point: reads one job (JSON) on stdin, writes one
 * event (JSON) per line on stdout. varietal starts it as
 * `deno run --allow-net=<the job's hosts> --allow-read=<downloads>
 * --allow-write=<downloads> src/remote/worker.ts` (see `spawn_worker.ts`), so
 * Deno's permission system keeps it to those hosts and that folder whatever a
 * server sends. Every line is scrubbed of the job's API keys.
 *
 * @module
 */
import type { WorkerEvent, WorkerJob } from "./protocol.ts";
import { runList } from "./worker_list.ts";
import { runDownload } from "./worker_download.ts";

/**
 * Replaces every occurrence of a secret in a line (keys shorter than 6
 * characters are not treated as secrets: they would match too much).
 */
export function redact(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const s of secrets) {
    if (s.length < 6) continue;
    out = out.replaceAll(s, "***").replaceAll(JSON.stringify(s).slice(1, -1), "***");
  }
  return out;
}

/** How often a running worker checks that varietal, which started it, is still there. */
const PARENT_CHECK_MS = 250;

/** Runs a job, handing each event (already scrubbed of keys) to `write`. */
export async function runJob(job: WorkerJob, write: (line: string) => void): Promise<void> {
  const secrets = job.phase === "list"
    ? job.tasks.map((t) => t.spec.key).filter((k): k is string => !!k)
    : [];
  const emit = (e: WorkerEvent) => write(redact(JSON.stringify(e), secrets));
  if (job.phase === "list") await runList(job, emit);
  else await runDownload(job, emit);
}

if (import.meta.main) {
  const enc = new TextEncoder();
  const write = (line: string) => {
    let data = enc.encode(line + "\n");
    while (data.length > 0) data = data.subarray(Deno.stdout.writeSync(data));
  };
  // A worker whose varietal is gone (killed with SIGKILL, out of memory) stops at once: it
  // would save files nobody indexes, unlocked, beside the next fetch. (Orphans are
  // adopted by another process, which changes the parent's pid.)
  const parent = Deno.ppid;
  const watch = setInterval(() => {
    if (Deno.ppid !== parent) Deno.exit(1);
  }, PARENT_CHECK_MS);
  Deno.unrefTimer(watch);
  const job = JSON.parse(await new Response(Deno.stdin.readable).text()) as WorkerJob;
  await runJob(job, write);
}
