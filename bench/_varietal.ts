// Shared by the benches that run whole varietal processes: Debian's real wallpapers,
// throwaway homes, child processes and a daemon to talk to.
import { hasImageExtension } from "../src/scan/probe.ts";
import { homeEnv, ROOT, RUN_FLAGS } from "../tests/_helpers/env.ts";

/** Where Debian (and other distributions) install wallpapers. */
export const WALLPAPER_ROOTS = [
  "/usr/share/backgrounds",
  "/usr/share/wallpapers",
  "/usr/share/desktop-base",
];

/** The entry point the benches run. */
export const MAIN = `${ROOT}/main.ts`;

const dec = new TextDecoder();

/** A real wallpaper file and its size in bytes. */
export interface Real {
  path: string;
  size: number;
}

/** Regular image files (symlinks left out: they would only repeat files) under the roots. */
export async function realWallpapers(): Promise<Real[]> {
  const out: Real[] = [];
  const walk = async (dir: string) => {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(dir)];
    } catch {
      return;
    }
    for (const e of entries) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else if (e.isFile && hasImageExtension(p)) out.push({ path: p, size: Deno.statSync(p).size });
    }
  };
  for (const r of WALLPAPER_ROOTS) await walk(r);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** The argv of a varietal command, run as the `varietal` task runs it. */
export const varietal = (...args: string[]): string[] => [
  Deno.execPath(),
  "run",
  "-q",
  ...RUN_FLAGS,
  MAIN,
  ...args,
];

/** A child varietal (or deno) process; throws with its stderr when it fails. */
export async function run(
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<{ ms: number; stdout: string }> {
  const { out, ms } = await timedOutput(args, env, cwd);
  if (!out.success) {
    throw new Error(`${args.join(" ")} failed (exit ${out.code}): ${dec.decode(out.stderr)}`);
  }
  return { ms, stdout: dec.decode(out.stdout) };
}

/** Runs argv with a cleared environment, its output piped; and its wall time. */
async function timedOutput(args: string[], env: Record<string, string>, cwd: string) {
  const t = performance.now();
  const out = await new Deno.Command(args[0], {
    args: args.slice(1),
    cwd,
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { out, ms: performance.now() - t };
}

/** What {@linkcode measuredRun} saw of a process. */
export interface MeasuredRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
  /** Its peak RSS in KiB; null without GNU time. */
  peakKiB: number | null;
}

const GNU_TIME = "/usr/bin/time";
let gnuTime: boolean | undefined;

/**
 * Runs a process (with a cleared environment) and measures its peak RSS with GNU
 * time. Not with the child's own getrusage: a child of Deno.Command is forked from
 * this bench, and Linux keeps ru_maxrss across the exec, so a child reporting its
 * own would report the bench's size when that is larger (a 330 MiB parent made a
 * 35 MiB child report 335); GNU time's child is forked from GNU time.
 */
export async function measuredRun(
  argv: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<MeasuredRun> {
  gnuTime ??= await new Deno.Command(GNU_TIME, {
    args: ["-f", "%M", "true"],
    stdout: "null",
    stderr: "piped",
  }).output().then((o) => o.success && /^\d+\s*$/.test(dec.decode(o.stderr)), () => false);
  const file = await Deno.makeTempFile({ prefix: "varietal-rss-" });
  try {
    const args = gnuTime ? [GNU_TIME, "-f", "%M", "-o", file, ...argv] : argv;
    const { out, ms } = await timedOutput(args, env, cwd);
    // GNU time writes "Command exited with non-zero status N" above the number then.
    const last = gnuTime ? (await Deno.readTextFile(file)).trim().split("\n").pop() : undefined;
    return {
      code: out.code,
      stdout: dec.decode(out.stdout),
      stderr: dec.decode(out.stderr),
      ms,
      peakKiB: last && /^\d+$/.test(last) ? Number(last) : null,
    };
  } finally {
    await Deno.remove(file).catch(() => {});
  }
}

/** A fresh home with XDG folders (and a private runtime folder) inside `dir`. */
export async function makeHome(dir: string): Promise<Record<string, string>> {
  const env: Record<string, string> = {
    ...homeEnv(dir),
    XDG_RUNTIME_DIR: `${dir}/run`,
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    NO_COLOR: "1",
  };
  for (const k of ["XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"]) {
    await Deno.mkdir(env[k], { recursive: true });
  }
  await Deno.mkdir(`${dir}/run`, { recursive: true, mode: 0o700 });
  return env;
}

/** The database file of a home made by {@linkcode makeHome}. */
export const dbOf = (env: Record<string, string>): string =>
  `${env.XDG_DATA_HOME}/varietal/varietal.db`;

/**
 * Writes a config.toml into a home that sets the wallpaper setter `none`, and
 * turns off the daemon's hourly rescan of the folders (its first one, 30 s
 * after start, would walk the 100k-file tree in the middle of the timings).
 */
export async function configureSetterNone(env: Record<string, string>): Promise<void> {
  await Deno.mkdir(`${env.XDG_CONFIG_HOME}/varietal`, { recursive: true });
  await Deno.writeTextFile(
    `${env.XDG_CONFIG_HOME}/varietal/config.toml`,
    '[wallpaper]\nsetter = "none"\n\n[daemon]\nrescan = 0\n',
  );
}

/** A running `varietal daemon`. */
export interface RunningDaemon {
  pid: number;
  /** Asks it to stop (`--send stop`), else kills it; waits until it has exited. */
  stop(): Promise<void>;
}

/**
 * Starts `varietal daemon --interval 24h -q` in a home (the setter comes from its
 * config) and waits until its control FIFO exists. `extraEnv` is added to the home's
 * environment for the daemon only.
 */
export async function spawnDaemon(
  env: Record<string, string>,
  extraEnv: Record<string, string> = {},
): Promise<RunningDaemon> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [...varietal("daemon", "--interval", "24h", "-q").slice(1)],
    cwd: env.HOME,
    env: { ...env, ...extraEnv },
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const log = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let stderr = "";
  void (async () => {
    for (let r = await log.read(); !r.done; r = await log.read()) stderr += r.value;
  })().catch(() => {});
  const fifo = `${env.XDG_RUNTIME_DIR}/varietal/control/daemon.fifo`;
  for (let i = 0;; i++) {
    try {
      if (Deno.statSync(fifo).isFifo) break;
    } catch { /* not yet */ }
    if (i >= 300) {
      child.kill();
      await child.status;
      throw new Error(`the daemon did not start in 30 s: ${stderr}`);
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  return {
    pid: child.pid,
    async stop() {
      try {
        await run(varietal("daemon", "--send", "stop"), env, env.HOME);
      } catch {
        child.kill();
      }
      await child.status;
    },
  };
}
