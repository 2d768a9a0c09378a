/**
 * A short fingerprint of the config file (size, modification time, inode):
 * what `varietal next` and a running daemon compare to know that they read
 * the same configuration. Requires `--allow-read`.
 *
 * @module
 */

/**
 * The config file's fingerprint: `SIZE:MTIME:INODE`, `absent` when there is
 * no file, and for a file that cannot be examined a value that matches no
 * other (so the caller never assumes it is unchanged).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { configStamp } from "./config_stamp.ts";
 *
 * const dir = Deno.makeTempDirSync();
 * assert.equal(configStamp(`${dir}/config.toml`), "absent");
 * Deno.writeTextFileSync(`${dir}/config.toml`, "[theme]\n");
 * assert.match(configStamp(`${dir}/config.toml`), /^8:\d+:\d+$/);
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export function configStamp(file: string): string {
  try {
    const st = Deno.statSync(file);
    return `${st.size}:${st.mtime?.getTime() ?? 0}:${st.ino ?? 0}`;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return "absent";
    return `unknown:${crypto.randomUUID()}`;
  }
}
