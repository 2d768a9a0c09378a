// A temporary HOME with XDG dirs, and ways to run varietal inside it.
import { main } from "../../src/cli/main.ts";
import { processContext } from "../../src/cli/_context.ts";

/** The project root. */
export const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/**
 * Deno's own cache (`$DENO_DIR`, else `$XDG_CACHE_HOME/deno`, else
 * `~/.cache/deno`), kept when XDG_CACHE_HOME moves (else child processes
 * re-fetch npm metadata). Tests, benches and the demo pass it to children.
 */
export const DENO_DIR = Deno.env.get("DENO_DIR") ??
  `${Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME")}/.cache`}/deno`;

/** HOME, the XDG base folders inside it and Deno's cache. */
export interface HomeEnv {
  HOME: string;
  XDG_CONFIG_HOME: string;
  XDG_DATA_HOME: string;
  XDG_CACHE_HOME: string;
  XDG_STATE_HOME: string;
  XDG_RUNTIME_DIR: string;
  DENO_DIR: string;
}

/**
 * The environment of a varietal child living in `home`: HOME, the XDG base
 * folders inside it and {@linkcode DENO_DIR}. The runtime folder is inside it
 * too (varietal makes it 0700 when it needs it), so that no child finds the
 * caller's locks or running daemon.
 */
export function homeEnv(home: string): HomeEnv {
  return {
    HOME: home,
    XDG_CONFIG_HOME: `${home}/.config`,
    XDG_DATA_HOME: `${home}/.local/share`,
    XDG_CACHE_HOME: `${home}/.cache`,
    XDG_STATE_HOME: `${home}/.local/state`,
    XDG_RUNTIME_DIR: `${home}/.run`,
    DENO_DIR,
  };
}

/** A throwaway home: `env` holds HOME and XDG_* pointing inside it. */
export interface TempHome extends AsyncDisposable {
  root: string;
  home: string;
  env: Record<string, string>;
  configFile: string;
  database: string;
  /** Writes config.toml. */
  writeConfig(text: string): Promise<void>;
}

/** Creates a temporary home; `await using` removes it. */
export async function tempHome(): Promise<TempHome> {
  const root = await Deno.makeTempDir({ prefix: "varietal-test-" });
  const home = `${root}/home`;
  const env = { ...homeEnv(home), XDG_RUNTIME_DIR: `${root}/run`, NO_COLOR: "1" };
  for (const d of Object.values(env)) {
    if (d.startsWith(root)) await Deno.mkdir(d, { recursive: true });
  }
  await Deno.chmod(`${root}/run`, 0o700);
  return {
    root,
    home,
    env,
    configFile: `${env.XDG_CONFIG_HOME}/varietal/config.toml`,
    database: `${env.XDG_DATA_HOME}/varietal/varietal.db`,
    async writeConfig(text: string) {
      await Deno.mkdir(`${env.XDG_CONFIG_HOME}/varietal`, { recursive: true });
      await Deno.writeTextFile(`${env.XDG_CONFIG_HOME}/varietal/config.toml`, text);
    },
    async [Symbol.asyncDispose]() {
      await Deno.remove(root, { recursive: true }).catch(() => {});
    },
  };
}

/** What a varietal process printed. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (throws if it is not). */
  json<T = unknown>(): T;
}

/**
 * The flags of the `varietal` task (for spawning `main.ts`): V8's (every way
 * varietal runs uses the same ones, see `deno.json`) and the permissions.
 */
export const RUN_FLAGS = [
  "--v8-flags=--no-lazy",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-run",
  "--allow-sys=osRelease,uid,gid,hostname",
];

/**
 * Runs `varietal ARGS` as a child process with the task's permissions,
 * in the temp home's environment (plus `extraEnv`).
 */
export async function runCli(
  home: TempHome,
  args: string[],
  options: { env?: Record<string, string>; stdin?: string; cwd?: string; signal?: AbortSignal } =
    {},
): Promise<RunResult> {
  const child = spawnCli(home, args, { ...options, piped: options.stdin !== undefined });
  if (options.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(options.stdin));
    await w.close();
  }
  const out = await child.output();
  return result(out.code, out.stdout, out.stderr);
}

/** Starts `varietal ARGS` as a child process (for concurrency and signal tests). */
export function spawnCli(
  home: TempHome,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; piped?: boolean; signal?: AbortSignal } =
    {},
): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-q", ...RUN_FLAGS, `${ROOT}/main.ts`, ...args],
    env: { ...home.env, ...options.env },
    cwd: options.cwd ?? home.home,
    stdin: options.piped ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
    signal: options.signal,
  }).spawn();
}

function result(code: number, out: Uint8Array, err: Uint8Array): RunResult {
  const dec = new TextDecoder();
  const stdout = dec.decode(out);
  const stderr = dec.decode(err);
  return {
    code,
    stdout,
    stderr,
    json<T>() {
      try {
        return JSON.parse(stdout) as T;
      } catch {
        throw new Error(`stdout is not JSON (exit ${code}):\n${stdout}\nstderr:\n${stderr}`);
      }
    },
  };
}

/**
 * Runs varietal in this process (fast; for tests that need no isolation).
 * Environment variables are swapped in for the duration of the call.
 */
export async function runInProcess(home: TempHome, args: string[]): Promise<{ code: number }> {
  const saved = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(home.env)) {
    saved.set(k, Deno.env.get(k));
    Deno.env.set(k, v);
  }
  try {
    return { code: await main(args, processContext) };
  } finally {
    for (const [k, v] of saved) v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
  }
}

/**
 * Runs `varietal ARGS` with standard output on /dev/full (a full disk under `> file`),
 * returning its exit code and stderr.
 */
export async function runIntoFullDisk(
  env: Record<string, string>,
  args: string[],
): Promise<{ code: number; stderr: string }> {
  const out = await new Deno.Command("sh", {
    args: [
      "-c",
      'exec "$@" > /dev/full',
      "sh",
      Deno.execPath(),
      "run",
      "-q",
      ...RUN_FLAGS,
      `${ROOT}/main.ts`,
      ...args,
    ],
    env,
    stdout: "null",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

/**
 * Mounts a tmpfs of `size` on the folder `dir` for `fn` (unmounted after), as a small or
 * second disk. Returns false, with the reason printed, where that takes root and it is not.
 */
export async function withTmpfs(
  dir: string,
  size: string,
  fn: () => Promise<void>,
): Promise<boolean> {
  const mount = Deno.uid() !== 0 ? undefined : await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir],
    stderr: "null",
  }).output();
  if (!mount?.success) {
    console.log("  skipped: a tmpfs mount (a small or second disk) needs root");
    return false;
  }
  try {
    await fn();
  } finally {
    await new Deno.Command("umount", { args: [dir] }).output();
  }
  return true;
}
