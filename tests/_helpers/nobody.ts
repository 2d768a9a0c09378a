// Runs varietal as an ordinary user: chmod does not stop root, so when the
// tests run as root the varietal child runs as nobody (setpriv
// --reuid=65534) with a Deno binary, HOME and DENO_DIR it can reach.
import { assertEquals } from "./assert.ts";
import { homeEnv, ROOT, RUN_FLAGS } from "./env.ts";

/** The uid (and gid) the child runs as when the tests run as root. */
export const NOBODY = 65534;

/** varietal run as an ordinary user in its own home. */
export interface Child {
  run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** {@linkcode Child.run}, failing the test unless it exits 0. */
  ok(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  home: string;
  database: string;
}

/** A temporary home and a way to run varietal in it as an unprivileged user; or why not. */
async function unprivileged(root: string): Promise<Child | string> {
  const uid = Deno.uid();
  let deno = Deno.execPath();
  const home = `${root}/home`;
  const env: Record<string, string> = {
    ...homeEnv(home),
    XDG_RUNTIME_DIR: `${root}/run`,
    NO_COLOR: "1",
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
  };
  await Deno.mkdir(home, { recursive: true });
  await Deno.mkdir(`${root}/run`, { mode: 0o700 });
  const prefix: string[] = [];
  if (uid === 0) {
    if (!(await onPath("setpriv"))) return "setpriv (util-linux) is not installed";
    // The Deno binary and its cache may sit under root's 0700 home: give nobody its own.
    await Deno.chmod(root, 0o755);
    await Deno.mkdir(`${root}/bin`);
    const own = `${root}/bin/deno`;
    await Deno.link(deno, own).catch(() => Deno.copyFile(deno, own));
    await Deno.chmod(own, 0o755);
    deno = own;
    env.DENO_DIR = `${home}/.deno`;
    for (const d of [home, `${root}/run`]) await chownTree(d, NOBODY);
    prefix.push("setpriv", `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", "--");
  }
  const run = async (args: string[]) => {
    const argv = [...prefix, deno, "run", "-q", ...RUN_FLAGS, `${ROOT}/main.ts`, ...args];
    const out = await new Deno.Command(argv[0], {
      args: argv.slice(1),
      env,
      clearEnv: true,
      cwd: home,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  };
  const probe = await run(["--version"]);
  if (probe.code !== 0) {
    return `varietal does not start as uid ${NOBODY} (is ${ROOT} readable by others?): ${probe.stderr.trim()}`;
  }
  const ok = async (args: string[]) => {
    const r = await run(args);
    assertEquals(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
    return r;
  };
  return { run, ok, home, database: `${env.XDG_DATA_HOME}/varietal/varietal.db` };
}

async function onPath(name: string): Promise<boolean> {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if ((await Deno.stat(`${dir}/${name}`)).isFile) return true;
    } catch { /* next */ }
  }
  return false;
}

/** Gives `path` (and what is inside it) to `uid`. */
export async function chownTree(path: string, uid: number): Promise<void> {
  await Deno.chown(path, uid, uid);
  if (!(await Deno.lstat(path)).isDirectory) return;
  for await (const e of Deno.readDir(path)) await chownTree(`${path}/${e.name}`, uid);
}

/** Runs `fn` with varietal as an unprivileged user in a temporary folder (or says why not). */
export async function asNobody(fn: (child: Child) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "varietal-nobody-" });
  try {
    const child = await unprivileged(root);
    if (typeof child === "string") {
      console.log(`skipped: ${child}`);
      return;
    }
    await fn(child);
  } finally {
    await Deno.chmod(`${root}`, 0o700).catch(() => {});
    await Deno.remove(root, { recursive: true });
  }
}
