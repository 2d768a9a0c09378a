/**
 * The first step of a fetch (no network): which remotes, and for each what it
 * wants — after its back-off, its quota and its key are checked.
 *
 * @module
 */
import type { Paths } from "../config/paths.ts";
import type { Config } from "../config/schema.ts";
import { disabledInConfig } from "../config/remote.ts";
import type { Database } from "../db/database.ts";
import { pendingPings } from "../db/attribution.ts";
import { backoffEnd, getRemote, listRemotes, type RemoteRow, remoteUsage } from "../db/remotes.ts";
import { markMissing } from "../db/images.ts";
import { getKind } from "./kinds/registry.ts";
import type { RemoteKind } from "./kinds/_kind.ts";
import type { FailureInfo, RemoteItem, RemoteSpec } from "./protocol.ts";
import type { FetchReport, RemoteOutcome } from "./fetch_report.ts";
import { apiHost, displayUrl } from "./hosts.ts";
import { readApiKey } from "./api_key.ts";
import { missingKeyMessage } from "./remote_check.ts";
import { wantedImages } from "./planner.ts";
import { enforceQuota } from "./quota.ts";
import { localTime } from "../text/local_time.ts";
import { remoteDir } from "./sync.ts";

/** A remote given by name that cannot be fetched. */
export class RemoteSelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RemoteSelectionError";
  }
}

/** One remote in a fetch, as it goes through the phases. */
export interface Plan {
  row: RemoteRow;
  kind: RemoteKind;
  spec: RemoteSpec;
  outcome: RemoteOutcome;
  want: number;
  budget: number;
  failed: FailureInfo | null;
  limitAt: number | null;
  items: RemoteItem[];
  pings: { id: number; url: string }[];
  listed: boolean;
  /** Listed items the listing left out as already here or blocked. */
  known: number;
  /** Downloads whose bytes were already stored (skipped). */
  duplicates?: number;
}

/**
 * The remotes to fetch: those named (each must exist and be enabled), else every enabled one.
 *
 * @throws {RemoteSelectionError} For a name that is unknown or disabled.
 */
export function selectRemotes(
  db: Database,
  names: readonly string[] | undefined,
  config?: Pick<Config, "file" | "remote">,
): RemoteRow[] {
  let rows = listRemotes(db);
  if (names?.length) {
    const picked: RemoteRow[] = [];
    for (const n of names) {
      const r = getRemote(db, n);
      if (!r) {
        throw new RemoteSelectionError(
          `no remote named "${n}"; see 'varietal remote list' or add one with 'varietal remote add'`,
        );
      }
      if (!r.enabled) {
        throw new RemoteSelectionError(
          (config && disabledInConfig(config, r.name)) ??
            `the remote "${n}" is disabled; enable it with 'varietal remote enable ${n}'`,
        );
      }
      if (!picked.some((x) => x.name === r.name)) picked.push(r);
    }
    rows = picked;
  } else rows = rows.filter((r) => r.enabled);
  return rows;
}

/** What {@linkcode planRemotes} needs. */
export interface PlanContext {
  paths: Paths;
  env: (name: string) => string | undefined;
  now: () => number;
  count?: number;
  report: FetchReport;
  /** Records a warning for a remote. */
  warn: (remote: string, message: string) => void;
  /** Receives every API key read (to scrub messages of them). */
  keys: string[];
}

/**
 * Plans each remote: skipped ones get their outcome (and a note or warning),
 * the others a {@linkcode Plan}.
 */
export async function planRemotes(
  db: Database,
  rows: readonly RemoteRow[],
  ctx: PlanContext,
): Promise<Plan[]> {
  const { paths, now, report, warn, keys } = ctx;
  const plans: Plan[] = [];
  for (const row of rows) {
    const t = now();
    const kind = getKind(row.kind);
    const outcome: RemoteOutcome = {
      name: row.name,
      wanted: 0,
      added: 0,
      evicted: 0,
      status: "ok",
    };
    report.remotes.push(outcome);
    const skip = (note: string, warning = true) => {
      outcome.status = "skipped";
      outcome.note = note;
      if (warning) warn(row.name, note);
      else report.notes.push({ remote: row.name, message: note });
    };
    const backoff = backoffEnd(row, t);
    if (backoff !== null && backoff > t) {
      // Already reported when it failed: a note, not a new warning at every check.
      skip(
        `not contacted until ${localTime(backoff)} (backing off${
          row.last_error ? ` after: ${row.last_error}` : ""
        })`,
        false,
      );
      outcome.backoff_until = backoff;
      continue;
    }
    // Files deleted by hand (or the whole folder, to free the space): they count no more
    // against the quota.
    const gone = await reclaimDownloads(db, row, paths, t);
    if (gone > 0) {
      report.notes.push({
        remote: row.name,
        message: `${gone} downloaded file(s) were deleted from its folder: marked missing`,
      });
    }
    const quota = await enforceQuota(db, row, paths.state, t);
    outcome.evicted = quota.deleted;
    let usage = remoteUsage(db, row.source_id);
    let want = wantedImages(row.keep_unseen, usage.unseen, ctx.count);
    // Room for what is wanted, at the size its files have had so far: shown images go
    // first, by the quota's own rule. Otherwise a quota filled with shown pictures would
    // never let another download in.
    const room = usage.images > 0 ? want * Math.ceil(usage.bytes / usage.images) : 0;
    if (want > 0 && row.quota - usage.bytes < room) {
      const target = { source_id: row.source_id, quota: Math.max(0, row.quota - room) };
      outcome.evicted += (await enforceQuota(db, target, paths.state, t)).deleted;
      usage = remoteUsage(db, row.source_id);
    }
    const budget = row.quota - usage.bytes;
    if (want > 0 && budget <= 0) {
      warn(
        row.name,
        `its quota is full (only unseen, favourite or current images left); raise quota or show some`,
      );
      want = 0;
      outcome.status = "partial";
      outcome.note = "quota full";
    }
    const k = await readApiKey(row, ctx.env, paths.home);
    if (k.key) keys.push(k.key);
    if (k.problem) {
      skip(k.problem);
      continue;
    }
    if (!k.key && kind.key === "required") {
      skip(missingKeyMessage(row.kind, { name: row.name, byCommand: !row.from_config }));
      continue;
    }
    const spec: RemoteSpec = {
      name: row.name,
      kind: row.kind,
      query: row.query,
      api: row.api,
      key: k.key ?? kind.demoKey ?? null,
      sfwOnly: row.sfw_only,
      minWidth: row.min_width,
      minHeight: row.min_height,
    };
    if (!apiHost(kind, spec)) {
      skip(`its API URL ${displayUrl(kind.listingUrl(spec))} has no usable host`);
      continue;
    }
    const pings = pendingPings(db, row.name).map((p) => ({ id: p.id, url: p.url }));
    outcome.wanted = want;
    plans.push({
      row,
      kind,
      spec,
      outcome,
      want,
      budget,
      failed: null,
      limitAt: null,
      items: [],
      pings,
      listed: false,
      known: 0,
    });
  }
  return plans;
}

/**
 * Marks missing the images of a remote whose files were deleted (by hand, to
 * free the space, or with the whole folder), so that they count no more
 * against its quota, and makes the folder again if it is gone.
 *
 * @returns How many images were marked.
 */
async function reclaimDownloads(
  db: Database,
  row: RemoteRow,
  paths: Paths,
  now: number,
): Promise<number> {
  const src = db.prepare("SELECT path FROM sources WHERE id = ?").get(row.source_id) as
    | { path: string }
    | undefined;
  await Deno.mkdir(src?.path ?? remoteDir(paths, row.name), { recursive: true, mode: 0o700 });
  const rows = db.prepare(
    "SELECT id, path FROM images WHERE source_id = ? AND missing_since IS NULL",
  ).all(row.source_id) as { id: number; path: string }[];
  const gone: number[] = [];
  for (const r of rows) {
    try {
      await Deno.lstat(r.path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) gone.push(r.id);
    }
  }
  if (gone.length) markMissing(db, gone, now);
  return gone.length;
}
