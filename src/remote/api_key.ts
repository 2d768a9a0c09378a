/**
 * Reading a remote's API key from its environment variable or key file. The
 * key is only ever handed to the fetch worker on its stdin: never printed,
 * logged, stored or put on a command line.
 *
 * Requires `--allow-env` and `--allow-read` for the key file.
 *
 * @module
 */
import type { RemoteSettings } from "../db/remotes.ts";
import { expandPath } from "../scan/source_path.ts";
import { readTextFileCheckedAsync } from "../read_text.ts";

/** A key, or why there is none. */
export interface KeyResult {
  key: string | null;
  /** Where it comes from, for messages ("env WALLHAVEN_API_KEY", "file ~/…"). */
  from: string | null;
  /** Why a configured key could not be read. */
  problem: string | null;
}

/**
 * Reads the key a remote is configured with.
 *
 * @param env Reads environment variables.
 * @param home The home folder (for `~` in `api_key_file`).
 */
export async function readApiKey(
  r: Pick<RemoteSettings, "api_key_env" | "api_key_file">,
  env: (name: string) => string | undefined,
  home: string,
): Promise<KeyResult> {
  if (r.api_key_env) {
    const v = env(r.api_key_env)?.trim();
    if (!v) {
      return {
        key: null,
        from: `env ${r.api_key_env}`,
        problem: `the variable ${r.api_key_env} (api_key_env) is not set or empty`,
      };
    }
    // Spaces, line breaks or other controls cannot be sent in a header: a setting to fix,
    // not a network failure to back off from.
    // deno-lint-ignore no-control-regex -- control characters are what it looks for
    if (v.length > 512 || /[\s\x00-\x1f\x7f]/.test(v)) {
      return {
        key: null,
        from: `env ${r.api_key_env}`,
        problem: `the variable ${r.api_key_env} (api_key_env) holds spaces, line breaks or other ` +
          "characters no key has; set it to the key alone",
      };
    }
    return { key: v, from: `env ${r.api_key_env}`, problem: null };
  }
  if (r.api_key_file) {
    const file = expandPath(r.api_key_file, home, home);
    try {
      const text = await readTextFileCheckedAsync(file, 64 * 1024);
      const key = text.split("\n").map((l) => l.trim()).find((l) => l && !l.startsWith("#"));
      if (!key) {
        return { key: null, from: `file ${r.api_key_file}`, problem: `${file} holds no key` };
      }
      if (key.length > 512 || /\s/.test(key)) {
        return {
          key: null,
          from: `file ${r.api_key_file}`,
          problem: `${file} does not hold a key on its first line`,
        };
      }
      return { key, from: `file ${r.api_key_file}`, problem: null };
    } catch (e) {
      return {
        key: null,
        from: `file ${r.api_key_file}`,
        problem: `cannot read the key file ${file} (api_key_file): ${
          (e as Error).name === "NotFound" ? "not found" : (e as Error).message
        }`,
      };
    }
  }
  return { key: null, from: null, problem: null };
}
