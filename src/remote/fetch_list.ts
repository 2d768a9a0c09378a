/**
 * A fetch's first worker phase: one worker, with the remotes' API hosts only,
 * sends the pings each remote owes and reads its listing. Each listing is
 * handed on as soon as it arrives, so its downloads need not wait for the
 * other services.
 *
 * @module
 */
import { deletePings, failPings, skipKeys } from "../db/attribution.ts";
import type { ListTask, WorkerEvent } from "./protocol.ts";
import type { Plan } from "./fetch_plan.ts";
import { type FetchRun, guard, USER_AGENT, workerStopped } from "./fetch_run.ts";
import { apiHost } from "./hosts.ts";
import { runWorker } from "./spawn_worker.ts";

/**
 * Lists the remotes that want images or owe pings; `onListed` gets each
 * remote that wants images when its listing arrives. A remote that gives no
 * answer is marked failed.
 *
 * @throws {DOMException} When the run's signal aborts.
 */
export async function listRemotes(
  run: FetchRun,
  plans: readonly Plan[],
  onListed: (plan: Plan) => void,
): Promise<void> {
  const { db, report } = run;
  const listPlans = plans.filter((p) => p.want > 0 || p.pings.length > 0);
  if (listPlans.length === 0) return;
  const skipSet = skipKeys(db);
  const tasks: ListTask[] = listPlans.map((p) => ({
    spec: p.spec,
    want: p.want,
    skip: [...skipSet],
    pings: p.pings,
    allowedHosts: [apiHost(p.kind, p.spec)!],
  }));
  const onEvent = (e: WorkerEvent) => {
    const p = run.byName.get(e.remote);
    if (!p) return;
    switch (e.type) {
      case "listing":
        p.items = e.items;
        p.known = e.known ?? 0;
        p.listed = true;
        for (const n of e.notes) report.notes.push({ remote: p.row.name, message: n });
        if (p.want > 0 && !p.failed) onListed(p);
        break;
      case "failure":
        run.fail(p, e);
        break;
      case "limit":
        p.limitAt = e.retryAt;
        break;
      case "pinged":
        deletePings(db, e.ids);
        break;
      case "ping_failed": {
        const dropped = failPings(db, e.ids);
        run.warn(
          p.row.name,
          `could not tell the service that ${e.ids.length} image(s) were shown (${e.message})${
            dropped ? `; gave up on ${dropped} after 5 tries` : ""
          }`,
        );
        break;
      }
    }
  };
  const { timeouts } = run;
  const r = await runWorker({
    phase: "list",
    userAgent: USER_AGENT,
    timeouts,
    maxBodyBytes: 8 * 1024 * 1024,
    maxPages: 3,
    tasks,
  }, {
    launch: await run.launch(),
    hosts: tasks.flatMap((t) => t.allowedHosts),
    downloads: null,
    onEvent: guard(run, onEvent),
    timeoutMs: (3 + Math.max(0, ...tasks.map((t) => t.pings.length))) * timeouts.totalMs + 30_000,
    env: run.env,
    signal: run.signal,
  });
  for (const p of listPlans) {
    if (!p.listed && !p.failed && p.want > 0) {
      run.fail(p, { message: workerStopped(run, r, "stopped without an answer"), transient: true });
    }
  }
}
