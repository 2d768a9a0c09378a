/**
 * The fetch worker's second phase: download each remote's candidates until it
 * has what it wants, a few at a time over all remotes. A rate limit stops that
 * remote only; a file too large for the room left under its quota is passed
 * over for a smaller one ({@linkcode QUOTA_SKIPS} at most).
 *
 * @module
 */
import type { DownloadJob, DownloadTask, WorkerEvent } from "./protocol.ts";
import { downloadImage } from "./downloader.ts";

/**
 * Files larger than the room left under a remote's quota passed over (each read
 * no further than that room) before the remote stops for this fetch.
 */
export const QUOTA_SKIPS = 5;

interface State {
  task: DownloadTask;
  next: number;
  added: number;
  inFlight: number;
  spent: number;
  stopped: string | null;
  /** Files passed over as larger than the room left under the quota. */
  quotaSkips: number;
}

/** Runs a download job, reporting through `emit`. */
export async function runDownload(
  job: DownloadJob,
  emit: (e: WorkerEvent) => void,
): Promise<void> {
  await Deno.mkdir(job.partialDir, { recursive: true, mode: 0o700 });
  // Leftovers of a worker that was killed (one fetch runs at a time, so none is in use).
  for await (const e of Deno.readDir(job.partialDir)) {
    if (e.isFile && e.name.endsWith(".part")) {
      await Deno.remove(`${job.partialDir}/${e.name}`).catch(() => {});
    }
  }
  const known = new Set(job.knownHashes);
  const states: State[] = job.tasks.map((task) => ({
    task,
    next: 0,
    added: 0,
    inFlight: 0,
    spent: 0,
    stopped: null,
    quotaSkips: 0,
  }));
  let turn = 0;
  const pick = (): { s: State; i: number } | null => {
    for (let k = 0; k < states.length; k++) {
      const s = states[(turn + k) % states.length];
      if (s.stopped || s.added + s.inFlight >= s.task.want || s.next >= s.task.items.length) {
        continue;
      }
      turn = (turn + k + 1) % states.length;
      return { s, i: s.next++ };
    }
    return null;
  };
  const worker = async () => {
    for (let p = pick(); p; p = pick()) {
      const { s, i } = p;
      const t = s.task;
      const item = t.items[i];
      s.inFlight++;
      try {
        const out = await downloadImage(item, {
          dir: t.dir,
          partialDir: job.partialDir,
          maxFileSize: t.maxFileSize,
          budget: Math.max(0, t.budget - s.spent),
          minWidth: t.minWidth,
          minHeight: t.minHeight,
          maxPixels: t.maxPixels,
          allowed: new Set(t.allowedHosts),
          timeouts: job.timeouts,
          userAgent: job.userAgent,
          knownHashes: known,
        });
        // Downloads run side by side, each capped by what was left when it started:
        // one that finishes past the quota (others took the room meanwhile) is not kept.
        if (out.kind === "file" && s.spent + out.bytes > t.budget) {
          // Only a file this download wrote (one it found there already stays as it was).
          if (!out.adopted) await Deno.remove(out.path).catch(() => {});
          known.delete(out.sha256);
          const reason = "the remote's quota is reached";
          emit({ type: "rejected", remote: t.name, item, reason, permanent: false, quota: true });
          s.stopped ??= reason;
          continue;
        }
        switch (out.kind) {
          case "file":
            s.added++;
            s.spent += out.bytes;
            emit({
              type: "file",
              remote: t.name,
              item,
              path: out.path,
              bytes: out.bytes,
              width: out.width,
              height: out.height,
              format: out.format,
              sha256: out.sha256,
            });
            break;
          case "duplicate":
            emit({ type: "duplicate", remote: t.name, item, sha256: out.sha256 });
            break;
          case "rejected":
            emit({
              type: "rejected",
              remote: t.name,
              item,
              reason: out.reason,
              permanent: out.permanent,
              ...(out.stop ? { quota: true } : {}),
            });
            // A file larger than the room left: a smaller one further down the listing may
            // fit (a feed in a fixed order would offer the same large file first for good).
            if (out.stop && ++s.quotaSkips >= QUOTA_SKIPS) s.stopped ??= out.reason;
            break;
          case "failure":
            s.stopped ??= out.info.message;
            emit({ type: "failure", remote: t.name, ...out.info });
            break;
        }
      } catch (e) {
        emit({
          type: "rejected",
          remote: t.name,
          item,
          reason: `cannot store the file: ${(e as Error)?.message ?? e}`,
          permanent: false,
        });
      } finally {
        s.inFlight--;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, job.concurrency) }, worker));
  for (const s of states) {
    const short = s.added < s.task.want;
    emit({
      type: "done",
      remote: s.task.name,
      added: s.added,
      ...(s.stopped
        ? { note: s.stopped }
        : short
        ? { note: `only ${s.added} of ${s.task.want} wanted could be downloaded` }
        : {}),
    });
  }
}
