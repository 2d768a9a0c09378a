/**
 * Starting the fetch worker with exactly the permissions its job needs:
 *
 * ```
 * deno run --no-prompt --no-config --no-lock --no-remote --no-npm
 *   --allow-net=<hosts> --allow-read=<downloads> --allow-write=<downloads>
 *   src/remote/worker.ts
 * ```
 *
 * with an environment holding only Deno's cache location and proxy settings.
 * The job (with API keys) goes on its stdin; its events come back line by
 * line. The rest of varietal never has network permission.
 *
 * A `deno compile`d varietal is one binary whose permissions were fixed at
 * compile time, so it cannot start itself with other ones. It runs the
 * worker with a Deno found as `$VARIETAL_DENO` or `deno` on PATH, from a copy
 * of the worker's modules it writes to its cache folder; without a Deno it
 * cannot fetch (see the README).
 *
 * Requires `--allow-run`, and `--allow-read`/`--allow-write` for the cache
 * folder when compiled.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { runCommand } from "../process/run_command.ts";
import { which } from "../process/which.ts";
import type { WorkerEvent, WorkerJob } from "./protocol.ts";

/** Which Deno runs which worker module. */
export interface WorkerLaunch {
  /** The deno executable. */
  deno: string;
  /** The worker module (a file URL or path). */
  module: string;
}

/** A fetcher that cannot start (compiled varietal without a Deno, odd paths). */
export class WorkerSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorkerSetupError";
  }
}

/**
 * Environment variables the worker keeps: Deno's cache and proxy or CA
 * settings, and `DENO_COVERAGE_DIR` (set by `deno test --coverage`, so that
 * the worker's code counts in `deno task coverage`; it only makes Deno write
 * a coverage profile there).
 */
export const WORKER_ENV = [
  "HOME",
  "DENO_DIR",
  "DENO_COVERAGE_DIR",
  "XDG_CACHE_HOME",
  "NO_COLOR",
  "DENO_CERT",
  "DENO_TLS_CA_STORE",
  "SSL_CERT_FILE",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "ALL_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "all_proxy",
];

/**
 * The arguments that run the worker.
 *
 * @param hosts `--allow-net` entries; must not be empty.
 * @param downloads The downloads folder (read and write), or null for no file access (listing).
 * @throws {WorkerSetupError} When there are no hosts, or a host or path holds a comma
 * (Deno separates permission entries with commas).
 */
export function workerArgs(
  launch: WorkerLaunch,
  hosts: readonly string[],
  downloads: string | null,
): string[] {
  if (hosts.length === 0) throw new WorkerSetupError("the fetch worker needs at least one host");
  for (const h of downloads === null ? hosts : [...hosts, downloads]) {
    if (h.includes(",") || h === "") {
      throw new WorkerSetupError(`cannot give the fetch worker a permission for "${h}"`);
    }
  }
  return [
    "run",
    "--quiet",
    "--no-prompt",
    "--no-config",
    "--no-lock",
    "--no-remote",
    "--no-npm",
    `--allow-net=${[...new Set(hosts)].sort().join(",")}`,
    ...(downloads === null ? [] : [`--allow-read=${downloads}`, `--allow-write=${downloads}`]),
    // A small young generation: downloads make short-lived garbage, collected sooner.
    "--v8-flags=--max-old-space-size=256,--max-semi-space-size=1",
    launch.module,
  ];
}

const SOURCE = new URL("./", import.meta.url);

/**
 * Copies the worker's modules (this folder) into `cacheDir`, once per
 * content, and returns the copy's entry point. Used by a compiled varietal,
 * whose own modules only it can read.
 */
export async function extractWorker(cacheDir: string, source: URL = SOURCE): Promise<string> {
  const files: { rel: string; text: string }[] = [];
  const walk = async (dir: URL, rel: string) => {
    for await (const e of Deno.readDir(dir)) {
      if (e.isDirectory) await walk(new URL(`${e.name}/`, dir), `${rel}${e.name}/`);
      else if (e.name.endsWith(".ts")) {
        files.push({ rel: rel + e.name, text: await Deno.readTextFile(new URL(e.name, dir)) });
      }
    }
  };
  await walk(source, "");
  files.sort((a, b) => a.rel < b.rel ? -1 : 1);
  const h = createHash("sha256");
  for (const f of files) h.update(`${f.rel}\0${f.text}\0`);
  const dir = `${cacheDir}/fetch-worker/${(h.digest("hex") as string).slice(0, 16)}`;
  const entry = `${dir}/worker.ts`;
  try {
    await Deno.stat(entry);
    return entry;
  } catch { /* not there yet */ }
  await Deno.mkdir(`${cacheDir}/fetch-worker`, { recursive: true, mode: 0o700 });
  const tmp = await Deno.makeTempDir({ dir: `${cacheDir}/fetch-worker`, prefix: ".tmp-" });
  try {
    for (const f of files) {
      const target = `${tmp}/${f.rel}`;
      await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true, mode: 0o700 });
      await Deno.writeTextFile(target, f.text, { mode: 0o600 });
    }
    await Deno.rename(tmp, dir);
  } catch (e) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    // Another varietal may have put the same copy in place first.
    try {
      await Deno.stat(entry);
    } catch {
      throw e;
    }
  }
  return entry;
}

/**
 * How to run the worker: this Deno and this module, or for a compiled
 * varietal, a Deno on PATH and a copy in the cache.
 *
 * @throws {WorkerSetupError} When compiled and no Deno is found.
 */
export async function defaultLaunch(
  cacheDir: string,
  env: (name: string) => string | undefined,
): Promise<WorkerLaunch> {
  if (!Deno.build.standalone) {
    return { deno: Deno.execPath(), module: new URL("./worker.ts", import.meta.url).href };
  }
  const deno = env("VARIETAL_DENO") || await which("deno", env("PATH"));
  if (!deno) {
    throw new WorkerSetupError(
      "this compiled varietal has no network permission and needs Deno to run its fetcher " +
        "with permission for the remote's hosts only: install Deno (or set VARIETAL_DENO to " +
        "its path), or run 'deno task varietal fetch' from the checkout",
    );
  }
  return { deno, module: await extractWorker(cacheDir) };
}

/** Options for {@linkcode runWorker}. */
export interface RunWorkerOptions {
  launch: WorkerLaunch;
  /** `--allow-net` entries. */
  hosts: readonly string[];
  /** The downloads folder, or null for a job that needs no files (listing). */
  downloads: string | null;
  /** Receives each event as it arrives. */
  onEvent: (e: WorkerEvent) => void;
  /** Milliseconds before the worker is stopped. */
  timeoutMs: number;
  env: (name: string) => string | undefined;
  signal?: AbortSignal;
}

/**
 * Runs the worker on a job.
 *
 * @returns Its exit code and its last lines of stderr.
 * @throws {DOMException} When `signal` aborts.
 */
export async function runWorker(
  job: WorkerJob,
  o: RunWorkerOptions,
): Promise<{ code: number; stderr: string; timedOut: boolean }> {
  const env: Record<string, string> = {};
  for (const k of WORKER_ENV) {
    const v = o.env(k);
    if (v !== undefined) env[k] = v;
  }
  let pending = "";
  const handle = (line: string) => {
    if (!line.trim()) return;
    try {
      const e = JSON.parse(line) as WorkerEvent;
      if (e && typeof e === "object" && typeof e.type === "string") o.onEvent(e);
    } catch { /* not an event */ }
  };
  const r = await runCommand([o.launch.deno, ...workerArgs(o.launch, o.hosts, o.downloads)], {
    input: JSON.stringify(job),
    env,
    clearEnv: true,
    timeoutMs: o.timeoutMs,
    killAfterMs: 1000,
    check: false,
    signal: o.signal,
    onStdout: (text) => {
      pending += text;
      let nl: number;
      while ((nl = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        try {
          handle(line);
        } catch { /* a handler error must not stop the reading */ }
      }
    },
  });
  if (pending) handle(pending);
  return { code: r.code, stderr: r.stderr, timedOut: r.timedOut };
}
