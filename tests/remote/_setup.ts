// A temporary home with a config of remotes pointing at fake services, an open database and
// fetchRemotes() bound to them (in-process; the fetch worker is still a separate process).
import { type TempHome, tempHome } from "../_helpers/env.ts";
import { parseConfig } from "../../src/config/parse.ts";
import { type Paths, resolvePaths } from "../../src/config/paths.ts";
import type { Config } from "../../src/config/schema.ts";
import { Database } from "../../src/db/database.ts";
import {
  type FetchOptions,
  fetchRemotes,
  type FetchReport,
} from "../../src/remote/fetch_remotes.ts";

/** The API key the tests give Unsplash remotes (it must never show up anywhere). */
export const SECRET_KEY = "sk-test-7f3a9c1e5b2d4f60";

/** Fast timeouts for tests. */
export const FAST_FETCH = `[fetch]
connect_timeout = "3s"
idle_timeout = "1500ms"
total_timeout = "8s"
`;

/** A home, its config, paths and database, and a fetch bound to them. */
export interface RemoteWorld extends AsyncDisposable {
  home: TempHome;
  config: Config;
  paths: Paths;
  db: Database;
  env: (name: string) => string | undefined;
  fetch(options?: Partial<FetchOptions>): Promise<FetchReport>;
  /** Replaces the config (e.g. to change a remote). */
  reconfigure(toml: string): void;
}

/** Sets up a world whose config.toml is `toml` (after fast [fetch] settings). */
export async function remoteWorld(
  toml: string,
  env: Record<string, string> = {},
): Promise<RemoteWorld> {
  const home = await tempHome();
  await home.writeConfig(FAST_FETCH + toml);
  const paths = resolvePaths((k) => home.env[k]);
  const db = await Database.open(paths.database);
  const allEnv: Record<string, string> = { ...home.env, UNSPLASH_TEST_KEY: SECRET_KEY, ...env };
  const world: RemoteWorld = {
    home,
    config: parseConfig(FAST_FETCH + toml, home.configFile),
    paths,
    db,
    env: (k) => allEnv[k],
    fetch(options = {}) {
      return fetchRemotes(db, world.config, paths, { env: world.env, ...options });
    },
    reconfigure(text) {
      world.config = parseConfig(FAST_FETCH + text, home.configFile);
    },
    async [Symbol.asyncDispose]() {
      db.close();
      await home[Symbol.asyncDispose]();
    },
  };
  return world;
}

/** Files in a folder (names, sorted), or [] when it does not exist. */
export async function filesIn(dir: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) out.push(e.name);
  } catch { /* none */ }
  return out.sort();
}
