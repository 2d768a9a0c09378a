/**
 * The fetch worker's first phase: for each remote, send the pings it owes,
 * then read its API's listing (a few pages at most) and report the images it
 * has not got yet. One remote's failure does not stop the others.
 *
 * @module
 */
import { getKind } from "./kinds/registry.ts";
import { ListingError } from "./kinds/_kind.ts";
import type { ListJob, ListTask, RemoteItem, WorkerEvent } from "./protocol.ts";
import { FetchFailure, openGuarded, retryAt, statusFailure } from "./guarded_fetch.ts";
import { imageHostAllowed } from "./hosts.ts";

/** Reads a body as text, refusing more than `max` bytes. */
async function readText(
  chunks: AsyncGenerator<Uint8Array>,
  max: number,
): Promise<string> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const c of chunks) {
    n += c.length;
    if (n > max) {
      throw new FetchFailure({
        message: `the API's answer is larger than ${+(max / 2 ** 20).toFixed(1)} MiB`,
      });
    }
    parts.push(c);
  }
  const all = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return new TextDecoder().decode(all);
}

async function sendPings(
  task: ListTask,
  job: ListJob,
  emit: (e: WorkerEvent) => void,
): Promise<void> {
  if (task.pings.length === 0) return;
  const kind = getKind(task.spec.kind);
  const allowed = new Set(task.allowedHosts);
  const sent: number[] = [];
  const failed: number[] = [];
  let message = "";
  for (const p of task.pings) {
    try {
      using open = await openGuarded(p.url, {
        allowed,
        timeouts: job.timeouts,
        userAgent: job.userAgent,
        headers: kind.pingHeaders?.(task.spec) ?? {},
      });
      for await (const _ of open.chunks()) { /* drain */ }
      if (open.response.status >= 200 && open.response.status < 300) sent.push(p.id);
      else {
        failed.push(p.id);
        message = statusFailure(open.response, Date.now()).message;
      }
    } catch (e) {
      if (!(e instanceof FetchFailure)) throw e;
      failed.push(p.id);
      message = e.message;
    }
  }
  if (sent.length) emit({ type: "pinged", remote: task.spec.name, ids: sent });
  if (failed.length) emit({ type: "ping_failed", remote: task.spec.name, ids: failed, message });
}

async function listOne(
  task: ListTask,
  job: ListJob,
  emit: (e: WorkerEvent) => void,
): Promise<void> {
  const { spec } = task;
  const kind = getKind(spec.kind);
  const allowed = new Set(task.allowedHosts);
  const skip = new Set(task.skip);
  const fresh: RemoteItem[] = [];
  // Listed items the database already has (or blocks), each counted once, for the note when
  // none is new; a repeat of a new one within the listing (its keys added below) is not one.
  const added = new Set<string>();
  const known = new Set<string>();
  const notes: string[] = [];
  const target = task.want * 2 + 2;
  let cursor: string | null = null;
  let offHost = 0;
  for (let page = 0; page < job.maxPages; page++) {
    const req = kind.request(spec, { cursor, want: Math.max(target - fresh.length, 1) });
    using open = await openGuarded(req.url, {
      allowed,
      timeouts: job.timeouts,
      userAgent: job.userAgent,
      headers: req.headers,
    });
    const now = Date.now();
    if (open.response.status !== 200) throw statusFailure(open.response, now);
    const body = await readText(open.chunks(), job.maxBodyBytes);
    const at = retryAt(open.response.headers, now);
    if (at !== null) emit({ type: "limit", remote: spec.name, retryAt: at });
    const listing = kind.parse(body, spec);
    for (const n of listing.notes) if (!notes.includes(n)) notes.push(n);
    for (const it of listing.items) {
      const keys = [`url:${it.imageUrl}`, `item:${kind.name}:${it.id}`];
      if (keys.some((k) => skip.has(k))) {
        if (keys.some((k) => skip.has(k) && !added.has(k))) known.add(it.imageUrl);
        continue;
      }
      if (!imageHostAllowed(kind, spec, it.imageUrl)) {
        offHost++;
        continue;
      }
      for (const k of keys) {
        skip.add(k);
        added.add(k);
      }
      fresh.push(it);
    }
    if (fresh.length >= target || !listing.next || at !== null) break;
    cursor = listing.next;
  }
  if (offHost > 0) {
    notes.push(
      `${offHost} results were on hosts this kind does not download from and were skipped`,
    );
  }
  emit({ type: "listing", remote: spec.name, items: fresh, notes, known: known.size });
}

/** Runs a listing job, reporting through `emit`. */
export async function runList(job: ListJob, emit: (e: WorkerEvent) => void): Promise<void> {
  await Promise.all(job.tasks.map(async (task) => {
    try {
      await sendPings(task, job, emit);
      if (task.want > 0) await listOne(task, job, emit);
    } catch (e) {
      if (e instanceof FetchFailure) {
        emit({ type: "failure", remote: task.spec.name, ...e.info });
      } else if (e instanceof ListingError) {
        emit({ type: "failure", remote: task.spec.name, message: e.message });
      } else {
        emit({
          type: "failure",
          remote: task.spec.name,
          message: `the fetcher failed: ${(e as Error)?.message ?? e}`,
        });
      }
    }
  }));
}
