/**
 * `doctor`'s view of the remote sources: for each one, whether it can be
 * fetched now (its key, when the kind needs one; a back-off after failures)
 * — without ever printing a key.
 *
 * Requires `--allow-read` (key files) and `--allow-env` (key variables).
 *
 * @module
 */
import type { RemoteConfig } from "../config/remote.ts";
import { readApiKey } from "./api_key.ts";
import { getKind } from "./kinds/registry.ts";

/** What is known of one remote: its settings, and its state when it is in the database. */
export interface RemoteState {
  settings: Omit<RemoteConfig, "enabled">;
  enabled: boolean;
  /** "config": a `[[remote]]` entry; "command": added with `varietal remote add`. */
  origin: "config" | "command";
  /** Milliseconds since the epoch before which it is not contacted. */
  backoff_until?: number | null;
  last_error?: string | null;
}

/** One remote's line of the check. */
export interface RemoteCheckRow {
  name: string;
  kind: string;
  origin: "config" | "command";
  enabled: boolean;
  status: "ok" | "warn" | "error";
  /** Where the key comes from (never the key), or null. */
  key_from: string | null;
  problem: string | null;
}

/**
 * Checks every remote.
 *
 * @param remotes The remotes of config.toml and the database, each once.
 * @param env Reads environment variables (key variables).
 * @param home The home folder (`~` in key files).
 * @param now Milliseconds since the epoch.
 * @returns One row per remote, in the given order.
 */
/**
 * What is wrong with a remote's API key, if anything: one configured but
 * unreadable, or none for a kind that needs one.
 */
export function apiKeyProblem(
  kind: RemoteConfig["kind"],
  key: { key: string | null; problem: string | null },
  added?: { name: string; byCommand: boolean },
): string | null {
  if (key.problem) return key.problem;
  if (!key.key && getKind(kind).key === "required") return missingKeyMessage(kind, added);
  return null;
}

/**
 * What to do for a kind that needs an API key and has none: a `[[remote]]`
 * entry takes `api_key_env` or `api_key_file`; a remote added by command has
 * no entry to edit, so it is added again with the key's flag.
 */
export function missingKeyMessage(
  kind: RemoteConfig["kind"],
  added?: { name: string; byCommand: boolean },
): string {
  return added?.byCommand
    ? `${kind} needs an API key: 'varietal remote remove ${added.name}', then 'varietal remote ` +
      `add ${added.name} --kind ${kind} --api-key-env VAR' (or --api-key-file FILE)`
    : `${kind} needs an API key: set api_key_env or api_key_file in its [[remote]] entry`;
}

export async function checkRemotes(
  remotes: readonly RemoteState[],
  env: (name: string) => string | undefined,
  home: string,
  now: number,
): Promise<RemoteCheckRow[]> {
  const rows: RemoteCheckRow[] = [];
  for (const r of remotes) {
    const s = r.settings;
    const kind = getKind(s.kind);
    const key = await readApiKey(s, env, home);
    let status: RemoteCheckRow["status"] = "ok";
    let problem: string | null = null;
    const keyProblem = apiKeyProblem(s.kind, key, {
      name: s.name,
      byCommand: r.origin === "command",
    });
    if (!r.enabled) problem = "disabled";
    else if (keyProblem) {
      status = kind.key === "required" ? "error" : "warn";
      problem = keyProblem;
    } else if (r.backoff_until && r.backoff_until > now) {
      status = "warn";
      const mins = Math.ceil((r.backoff_until - now) / 60_000);
      problem = `backing off for ${mins} min after: ${r.last_error ?? "an error"}`;
    }
    rows.push({
      name: s.name,
      kind: s.kind,
      origin: r.origin,
      enabled: r.enabled,
      status,
      key_from: key.key ? key.from : null,
      problem,
    });
  }
  return rows;
}
