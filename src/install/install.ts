/**
 * `deno task install`: puts a working `varietal` on the user's `PATH`
 * without network access to Deno's servers. It fetches the npm packages the
 * checkout needs (once, from the npm registry, if they are not there yet),
 * then writes a launcher script to `PREFIX/bin/varietal` (default
 * `~/.local/bin`) that runs this checkout's `main.ts` with an absolute Deno
 * path, the `varietal` task's V8 flags and permissions and `--config deno.json`, and
 * finally runs the launcher once to prove it works.
 *
 * The Deno that runs this task is the one the launcher uses. When it lives in
 * npx's cache (`npx -y deno@…`), which npm may prune, it is first linked (or
 * copied) to `PREFIX/lib/varietal/deno`, so the launcher keeps working.
 *
 * Usage: `deno task install [--prefix DIR] [--deno PATH]`; `VARIETAL_PREFIX`
 * sets the prefix too. Requires `--allow-read`, `--allow-write`,
 * `--allow-env`, `--allow-run` (for `deno install` and the check) and `--allow-sys=uid`.
 *
 * @module
 */
import { inNpxCache, launcherScript, onPath, shellQuote, taskRunFlags } from "./launcher.ts";
import { runCommand } from "../process/run_command.ts";
import { writeAtomic } from "../atomic_write.ts";

const USAGE = `Usage: deno task install [--prefix DIR] [--deno PATH]

Writes PREFIX/bin/varietal (PREFIX: --prefix, else $VARIETAL_PREFIX, else ~/.local), a launcher that
runs this checkout with the Deno running this task (or --deno PATH) and the varietal task's
permissions, from any folder, without network access and without deno on PATH. When that Deno
lives in npx's cache, which npm may prune, it is linked or copied to PREFIX/lib/varietal/deno first.
Run it again after moving the checkout or changing Deno.`;

/** What the installer did. */
export interface InstallReport {
  launcher: string;
  deno: string;
  /** Where the Deno was copied from when it came from npx's cache. */
  copiedFrom: string | null;
  binOnPath: boolean;
  version: string;
}

/** The parsed command line of the installer. */
interface Args {
  prefix: string;
  deno: string | null;
}

function parseArgs(argv: readonly string[]): Args | "help" {
  let prefix = Deno.env.get("VARIETAL_PREFIX") || null;
  let deno: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (name: string): string => {
      const eq = a.indexOf("=");
      if (eq >= 0) return a.slice(eq + 1);
      if (i + 1 >= argv.length) throw new Error(`${name} needs a value`);
      return argv[++i];
    };
    if (a === "--help" || a === "-h") return "help";
    else if (a === "--prefix" || a.startsWith("--prefix=")) prefix = value("--prefix");
    else if (a === "--deno" || a.startsWith("--deno=")) deno = value("--deno");
    else throw new Error(`unknown argument '${a}'\n${USAGE}`);
  }
  const home = Deno.env.get("HOME");
  if (!prefix) {
    if (!home) throw new Error("HOME is not set; give --prefix DIR");
    prefix = `${home}/.local`;
  }
  return { prefix: absolute(prefix), deno: deno === null ? null : absolute(deno) };
}

/** An absolute path; relative ones are taken from where the user ran `deno task` (INIT_CWD). */
function absolute(p: string): string {
  const home = Deno.env.get("HOME") ?? "";
  if (p === "~" || p.startsWith("~/")) p = home + p.slice(1);
  const cwd = Deno.env.get("INIT_CWD") || Deno.cwd();
  return (p.startsWith("/") ? p : `${cwd}/${p}`).replace(/\/+$/, "") || "/";
}

/**
 * Puts Deno somewhere that stays: a hard link (no extra disk space; it
 * survives npm removing its own name) or else a copy, replaced atomically.
 */
export async function keepDeno(from: string, libDir: string, mode = 0o700): Promise<string> {
  await Deno.mkdir(libDir, { recursive: true, mode });
  const to = `${libDir}/deno`;
  const tmp = `${to}.${Deno.pid}.tmp`;
  // Temporary names an install left (see below): each held a whole Deno (~95 MB).
  for (const e of Deno.readDirSync(libDir)) {
    if (/^deno\.\d+\.tmp$/.test(e.name)) await Deno.remove(`${libDir}/${e.name}`).catch(() => {});
  }
  try {
    await Deno.link(from, tmp);
  } catch {
    await Deno.copyFile(from, tmp);
  }
  // Deno's own program, often another name of npx's copy: left readable and runnable by all
  // (it holds nothing of the user's), as npm made it.
  await Deno.chmod(tmp, 0o755);
  await Deno.rename(tmp, to);
  // A rename onto another name of the same file (installing the same Deno again) succeeds
  // and changes nothing, leaving the temporary name behind.
  await Deno.remove(tmp).catch(() => {});
  return to;
}

/**
 * Installs the launcher.
 *
 * @param argv The task's arguments.
 * @param log Prints one line.
 * @returns What was installed.
 * @throws {Error} With a one-line reason when something cannot be done.
 */
export async function install(
  argv: readonly string[],
  log: (line: string) => void,
): Promise<InstallReport | null> {
  const args = parseArgs(argv);
  if (args === "help") {
    log(USAGE);
    return null;
  }
  if (args.deno !== null && !isProgram(args.deno)) {
    throw new Error(`--deno ${args.deno}: no such program (give the path of a deno executable)`);
  }
  const home = Deno.env.get("HOME");
  refuseOthersHome(args.prefix, home);
  // A prefix in the user's home is theirs alone; another (/usr/local, /opt) is for everyone on
  // the machine: there the launcher must be runnable by all (it holds only two paths).
  const shared = !home || !inHome(args.prefix, home);
  const mode = shared ? 0o755 : 0o700;
  const root = decodeURIComponent(new URL("../../", import.meta.url).pathname).replace(/\/$/, "");
  const flags = taskRunFlags(await Deno.readTextFile(`${root}/deno.json`));
  const running = Deno.execPath();
  const bin = `${args.prefix}/bin`;
  const launcher = `${bin}/varietal`;

  // The npm packages varietal imports (some only when a command runs): fetched now, so that
  // the launcher never needs the network.
  const fetched = await runCommand(
    [running, "install", "--quiet", "--config", `${root}/deno.json`],
    {
      timeoutMs: 600_000,
      check: false,
    },
  );
  if (fetched.code !== 0) throw new Error(fetchFailure(fetched.stderr, fetched.code, root));

  let deno = args.deno ?? running;
  let copiedFrom: string | null = null;
  if (args.deno === null && inNpxCache(running)) {
    deno = await keepDeno(running, `${args.prefix}/lib/varietal`, mode);
    copiedFrom = running;
  }
  await Deno.mkdir(bin, { recursive: true, mode });
  const script = launcherScript({
    deno,
    root,
    flags,
    denoVersion: Deno.version.deno,
    path: launcher,
  });
  // Prove it before it replaces a launcher that works: run the new one by absolute path,
  // with a PATH that has no deno on it, and only then rename it into place.
  const trial = `${bin}/.varietal.new-${Deno.pid}`;
  await writeAtomic(trial, script, { mode, forceMode: true });
  let version: string;
  try {
    const check = await runCommand([trial, "--version"], {
      timeoutMs: 120_000,
      check: false,
      env: { PATH: "/usr/bin:/bin" },
    });
    if (check.code !== 0 || !check.stdout.startsWith("varietal ")) {
      const kept = await Deno.lstat(launcher).then(() => true, () => false);
      throw new Error(
        `the new launcher does not run: ${check.stderr.split("\n")[0] || `exit ${check.code}`}` +
          (kept ? `; ${launcher} was left as it was` : ""),
      );
    }
    version = check.stdout.trim();
    await Deno.rename(trial, launcher);
  } finally {
    await Deno.remove(trial).catch(() => {});
  }
  const binOnPath = onPath(bin, Deno.env.get("PATH"));
  // For everyone: what the launcher runs must be reachable by everyone too.
  const closed = shared
    ? [closedToOthers(`${root}/main.ts`, "r"), closedToOthers(deno, "x")].find(Boolean)
    : undefined;

  log(`Installed ${launcher} (${version})${shared ? ", for every user of this machine" : ""}`);
  log(`  it runs ${root}/main.ts with ${deno} (Deno ${Deno.version.deno})`);
  if (closed) {
    log(`  warning: other users cannot run it: ${closed}; until then it works for you alone`);
  }
  if (copiedFrom) {
    log(`  that Deno came from npx's cache (${copiedFrom}), which npm may prune,`);
    log(`  so it was kept at ${deno}; pass --deno PATH to use another Deno instead`);
  } else if (inNpxCache(await Deno.realPath(deno).catch(() => deno))) {
    // (also a link into it, such as a /usr/local/bin/deno made from npx's copy)
    log(`  note: ${deno} is in npx's cache, which npm may prune; then install again`);
  }
  if (binOnPath) {
    log(`  ${bin} is on your PATH: try 'varietal --help'`);
  } else {
    const shown = home && bin.startsWith(`${home}/`) ? `$HOME${bin.slice(home.length)}` : bin;
    log(`  ${bin} is not on your PATH; add this line to ~/.profile (or your shell's rc file):`);
    log(`    export PATH="${shown}:$PATH"`);
  }
  log(`  window-manager lines can use the full path: exec ${shellQuote(launcher)} daemon`);
  log(
    "  after moving this checkout or changing Deno, run 'deno task install' again (and restart " +
      "a running daemon)",
  );
  return { launcher, deno, copiedFrom, binOnPath, version };
}

/**
 * What keeps other users from `path`: a folder on its way without the
 * others' search bit, or the file without their read (`r`) or run (`x`) bit;
 * undefined when nothing does. Modes only (no ACLs).
 */
function closedToOthers(path: string, need: "r" | "x"): string | undefined {
  const parts = path.split("/").filter(Boolean);
  for (let i = 1; i < parts.length; i++) {
    const dir = "/" + parts.slice(0, i).join("/");
    const mode = Deno.statSync(dir).mode ?? 0o755;
    if ((mode & 0o001) === 0) return `${dir} is closed to them (chmod o+x ${dir})`;
  }
  const mode = Deno.statSync(path).mode ?? 0o755;
  const bit = need === "r" ? 0o004 : 0o001;
  return (mode & bit) === 0
    ? `${path} is not theirs to ${need === "r" ? "read" : "run"} ` +
      `(chmod o+${need} ${path})`
    : undefined;
}

/** Whether `path` is `home` or inside it (trailing slashes aside). */
function inHome(path: string, home: string): boolean {
  return `${path}/`.startsWith(`${home.replace(/\/+$/, "")}/`);
}

/** Whether `path` is a file with an execute bit (what `[ -x ]` in the launcher asks). */
function isProgram(path: string): boolean {
  try {
    const st = Deno.statSync(path);
    return st.isFile && ((st.mode ?? 0o111) & 0o111) !== 0;
  } catch {
    return false;
  }
}

/**
 * Refuses root writing into another user's home (`sudo -E deno task install`, or a sudo
 * that keeps HOME): the folders it made there would be root's, and that user's
 * `~/.local/bin` closed to them.
 *
 * @throws {Error} When this runs as root and the prefix is in a home of another user.
 */
function refuseOthersHome(prefix: string, home: string | undefined): void {
  if (Deno.uid() !== 0 || !home || !inHome(prefix, home)) return;
  let owner: number | null = null;
  try {
    owner = Deno.statSync(home).uid;
  } catch { /* no such home: nothing of anyone's to spoil */ }
  if (owner === null || owner === 0) return;
  throw new Error(
    `this runs as root, but ${prefix} is in the home of uid ${owner} (HOME=${home}, as sudo -E ` +
      "keeps it): run 'deno task install' as that user, or give --prefix DIR for a folder of " +
      "every user (e.g. --prefix /usr/local)",
  );
}

/**
 * What to say when `deno install` could not put the npm packages in place: its
 * own `error:` line, and what mends it (the registry, or the checkout's owner).
 */
export function fetchFailure(stderr: string, code: number, root: string): string {
  // deno colours its output when it thinks it may: taken out before reading it.
  // deno-lint-ignore no-control-regex -- control characters are what it looks for
  const lines = stderr.replace(/\x1b\[[0-9;]*m/g, "").split("\n").map((l) => l.trim());
  const said = lines.find((l) => l.startsWith("error:"))?.slice(6).trim() ||
    lines.filter(Boolean).at(-1) || `exit ${code}`;
  if (/permission denied|os error 13\b/i.test(stderr)) {
    return `cannot write the npm packages into ${root}/node_modules (${said}): the checkout is ` +
      "not yours to change; its owner must run 'deno task install' in it once, then you can";
  }
  return `could not fetch the npm packages varietal needs (${said}); run 'deno task install' ` +
    "once with access to the npm registry";
}

if (import.meta.main) {
  try {
    await install(Deno.args, (l) => console.log(l));
  } catch (e) {
    console.error(`varietal install: ${(e as Error).message}`);
    Deno.exit(1);
  }
}
