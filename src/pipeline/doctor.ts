/**
 * `varietal doctor`'s checks: Deno, config, database integrity, sources,
 * setter (detected and on PATH), outputs, wallust, templates. Each check
 * reports ok, warn or error with one line of detail; none changes anything
 * (except the database's damage mark, which the database check renews or clears).
 *
 * @module
 */
import type { Paths } from "../config/paths.ts";
import { type Config, defaultConfig } from "../config/schema.ts";
import { Database, upgradeCopyPath } from "../db/database.ts";
import { SCHEMA_VERSION } from "../db/schema_version.ts";
import { unwritableDatabase } from "../db/errors.ts";
import {
  clearDamageMark,
  DamagedDatabaseError,
  isCorruption,
  markDamaged,
  quickCheck,
} from "../db/damage.ts";
import { LOOSE_KIND } from "../scan/loose.ts";
import { backoffEnd, listRemotes, type RemoteRow } from "../db/remotes.ts";
import { checkRemotes, type RemoteState } from "../remote/remote_check.ts";
import { listAllSources, type SourceEntry } from "../scan/source_list.ts";
import { detectSetter } from "../wallpaper/detect.ts";
import { getSetter } from "../wallpaper/registry.ts";
import { setterWarnings } from "../wallpaper/setter.ts";
import { customCommandProblem } from "../wallpaper/setters/custom.ts";
import { type CommandRunner, runCommand } from "../process/run_command.ts";
import { sessionProbe } from "../wallpaper/session_probe.ts";
import { findProcesses, which } from "../process/which.ts";

/** The daemon a setter talks to, by setter: it must run for a set to work. */
const SETTER_DAEMONS: Record<string, readonly string[]> = {
  swww: ["swww-daemon", "awww-daemon"],
  hyprpaper: ["hyprpaper"],
};
import { resolveOutputs } from "./resolve_outputs.ts";
import { isFolder } from "../file_check.ts";
import { fileErrorReason } from "../text/not_capable.ts";

/** The outcome of one check. */
export interface Check {
  name: string;
  status: "ok" | "warn" | "error";
  detail: string;
  /** Extra facts for `--json`. */
  data?: Record<string, unknown>;
}

/** What the checks need. */
export interface DoctorInput {
  paths: Paths;
  env: (name: string) => string | undefined;
  /** Loads the config (errors become a failed check). */
  loadConfig: () => Promise<Config>;
  /** Runs commands (`wallust --version`, output queries). @default runCommand */
  run?: CommandRunner;
}

/** Runs every check, in a fixed order. */
export async function runDoctor(input: DoctorInput): Promise<Check[]> {
  const { paths, env } = input;
  const run = input.run ?? runCommand;
  const checks: Check[] = [];
  checks.push({
    name: "deno",
    status: "ok",
    detail:
      `Deno ${Deno.version.deno} (V8 ${Deno.version.v8}, TypeScript ${Deno.version.typescript})`,
    data: { ...Deno.version },
  });

  let config: Config;
  try {
    config = await input.loadConfig();
    checks.push({
      name: "config",
      status: "ok",
      detail: config.found ? `${config.file}` : `${paths.configFile} not found; using defaults`,
      data: { file: paths.configFile, found: config.found },
    });
  } catch (e) {
    config = defaultConfig(paths.configFile);
    checks.push({ name: "config", status: "error", detail: (e as Error).message });
  }

  let db: Database | undefined;
  /** What quick_check or SQLite found wrong with the file; null when it is sound. */
  let damage: string | null = null;
  /** Why a database that is there could not be opened (a newer varietal's, unreadable). */
  let unopened: string | null = null;
  try {
    // Ignores an earlier command's damage mark: this looks again (and clears a stale mark).
    db = await Database.open(paths.database, { readOnly: true, ignoreDamageMark: true });
    const problems = quickCheck(db);
    // Schema v0: created but never set up (the first command was stopped, or the disk was full).
    const empty = problems.length === 0 && db.userVersion === 0;
    const n = (sql: string) => (db!.raw.prepare(sql).get() as { n: number }).n;
    const images = problems.length || empty ? null : n("SELECT COUNT(*) AS n FROM images");
    const history = problems.length || empty ? null : n("SELECT COUNT(*) AS n FROM history");
    if (problems.length) damage = `quick_check: ${problems[0]}`;
    // Sound but not writable (a mode, a read-only -shm, a read-only mount): every change fails.
    const unwritable = damage ? undefined : unwritableDatabase(paths.database);
    checks.push({
      name: "database",
      status: damage || unwritable ? "error" : empty ? "warn" : "ok",
      detail: damage
        ? new DamagedDatabaseError(paths.database, damage).message
        : unwritable
        ? unwritable.message
        : empty
        ? `${paths.database} is not set up yet (its creation was cut short); 'varietal sources add DIR' or 'varietal scan' sets it up`
        : `${paths.database}: quick_check ok, schema v${db.userVersion}${
          db.userVersion < SCHEMA_VERSION
            ? ` (the next command upgrades it to v${SCHEMA_VERSION}, keeping a copy as ${
              upgradeCopyPath(paths.database, db.userVersion)
            })`
            : ""
        }, ${images} image(s), ${history} show(s)`,
      data: {
        file: paths.database,
        quick_check: problems.length ? problems : ["ok"],
        images,
        history,
      },
    });
  } catch (e) {
    const missing = !(await exists(paths.database));
    if (!missing) unopened = "not checked: the database cannot be read (see 'database')";
    if (isCorruption(e)) {
      damage = e instanceof DamagedDatabaseError ? e.detail : (e as Error).message;
    }
    // Not there yet, and its folder cannot be made where it should be: no command will.
    const closed = missing ? closedAncestor(paths.data) : undefined;
    checks.push({
      name: "database",
      status: missing && !closed ? "warn" : "error",
      detail: closed
        ? `${paths.database} does not exist yet and cannot be made: ${closed} ${
          isFolder(closed)
            ? `is not writable for you; check its permissions (ls -ld ${closed})`
            : "is a file, not a folder; move it away"
        } or set XDG_DATA_HOME`
        : missing
        ? `${paths.database} does not exist yet; 'varietal sources add DIR' creates it`
        : damage && !(e instanceof DamagedDatabaseError)
        ? new DamagedDatabaseError(paths.database, damage).message
        : (e as Error).message,
      data: { file: paths.database },
    });
  }

  try {
    if (damage) throw new Error("not checked: the database is damaged (see 'database')");
    // Both kinds of folder: config.toml's (even before a scan reached them)
    // and those added by command; an enabled one that is unreachable fails.
    let sources: SourceEntry[];
    try {
      sources = listAllSources(db, config, paths.home);
    } catch {
      sources = listAllSources(undefined, config, paths.home); // a database too old or damaged
    }
    sources = sources.filter((s) => s.kind !== LOOSE_KIND); // single files, not a folder
    // The folders added by command are in the database: none listed says nothing then.
    if (sources.length === 0 && unopened) throw new Error(unopened);
    const rows = sources.map((s) => ({
      path: s.path,
      origin: s.origin,
      enabled: s.enabled,
      status: s.status,
      reachable: s.status !== "offline",
      ...(s.reason ? { reason: s.reason } : {}),
    }));
    const bad = sources.filter((r) => r.status === "offline");
    const fromConfig = sources.filter((s) => s.origin === "config").length;
    checks.push({
      name: "sources",
      status: rows.length === 0 ? "warn" : bad.length ? "error" : "ok",
      detail: rows.length === 0
        ? "no wallpaper folders; add one with 'varietal sources add DIR'"
        : bad.length
        ? `offline: ${
          bad.map((b) =>
            `${b.config_path ?? b.path}${
              b.origin === "config" ? " (config.toml)" : ""
            }: ${b.reason}`
          ).join("; ")
        }`
        : `${sources.filter((r) => r.enabled).length} enabled folder(s) reachable${
          fromConfig ? `, ${fromConfig} from config.toml` : ""
        }`,
      data: { sources: rows, config_file: paths.configFile },
    });
  } catch (e) {
    checks.push({
      name: "sources",
      status: damage || unopened ? "warn" : "error",
      detail: (e as Error).message,
    });
  }
  try {
    const remotes = await remoteCheck(config, damage ? undefined : db, env, paths.home);
    if (remotes) checks.push(remotes);
  } finally {
    db?.close();
  }
  // After closing: the mark records the file as it stays.
  if (damage) await markDamaged(paths.database, damage);
  else if (db) await clearDamageMark(paths.database);

  const detection = await detectSetter(sessionProbe(env));
  const configured = config.wallpaper.setter;
  const name = configured === "auto" ? detection.setter : configured;
  if (!name) {
    checks.push({
      name: "setter",
      status: "error",
      detail: `auto: none found: ${detection.reason}; set [wallpaper] setter or use --setter`,
      data: { configured, session: detection.session, reason: detection.reason },
    });
  } else {
    const setter = getSetter(name);
    const resolved = await setter.resolvePrograms?.(env("PATH"));
    const programs = name === "custom"
      ? config.wallpaper.command.slice(0, 1)
      : resolved?.programs ?? [...setter.programs];
    const missing: string[] = [];
    for (const p of programs) if (!(await which(p, env("PATH")))) missing.push(p);
    const how = (configured === "auto"
      ? `auto → ${name} (${detection.session}: ${detection.reason})`
      : `${name} (from config; auto would pick ${
        detection.setter ?? "none"
      }: ${detection.reason})`) +
      (resolved ? `; ${resolved.note}` : "");
    const cannot = setterWarnings(setter, config.wallpaper);
    // swww and hyprpaper only talk to their daemon: installed is not enough.
    const daemons = SETTER_DAEMONS[name];
    if (daemons && !missing.length && await which("pgrep", env("PATH"))) {
      let running = false;
      for (const d of daemons) {
        if ((await findProcesses(d, { uid: Deno.uid(), run })).length) {
          running = true;
        }
      }
      if (!running) {
        cannot.push(
          `${daemons.join(" or ")} is not running: start it in your compositor's config ` +
            `(e.g. exec ${daemons[0]}), or the wallpaper cannot be set`,
        );
      }
    }
    const noCommand = name === "custom"
      ? customCommandProblem(config.wallpaper.command)
      : undefined;
    checks.push({
      name: "setter",
      status: missing.length || noCommand ? "error" : cannot.length ? "warn" : "ok",
      detail: noCommand
        ? noCommand
        : missing.length
        ? `${how}; not on PATH: ${missing.join(", ")}`
        : [how, ...cannot].join("; "),
      data: {
        configured,
        setter: name,
        session: detection.session,
        reason: detection.reason,
        missing,
        mode: config.wallpaper.mode,
        ...(resolved ? { programs: resolved.programs, note: resolved.note } : {}),
        warnings: cannot,
      },
    });
    const outputs = await resolveOutputs(
      { config, env, run },
      name,
      setter.perOutput(config.wallpaper),
    );
    checks.push({
      name: "outputs",
      status: "ok",
      detail: outputs.length
        ? `${
          outputs.map((o) => o.name).join(", ")
        } (one image each; theme from ${outputs[0].name})`
        : "one image for all outputs",
      data: { outputs },
    });
  }

  if (config.notify.enabled) {
    const notifier = await which(config.notify.program, env("PATH"));
    checks.push({
      name: "notify",
      status: notifier ? "ok" : "warn",
      detail: notifier
        ? `${notifier} (a notification after each change)`
        : `'${config.notify.program}' not on PATH; [notify] enabled but no notification will show (install libnotify's notify-send)`,
      data: { program: config.notify.program, path: notifier ?? null },
    });
  }

  const wallust = await which(config.palette.wallust, env("PATH"));
  let version = "";
  if (wallust) {
    try {
      version = (await run([wallust, "--version"], { timeoutMs: 3000, check: false })).stdout
        .trim();
    } catch { /* version is informative only */ }
  }
  checks.push({
    name: "wallust",
    status: wallust ? "ok" : config.palette.origin === "wallust" ? "error" : "warn",
    detail: wallust
      ? `${wallust}${version ? ` (${version})` : ""}`
      : `'${config.palette.wallust}' ${
        config.palette.wallust.includes("/") ? "not found or not executable" : "not on PATH"
      }; ${
        config.palette.origin === "wallust"
          ? 'palette.origin = "wallust" cannot work'
          : "palettes come from the built-in extractor"
      }`,
    data: { path: wallust ?? null, version, origin: config.palette.origin },
  });

  try {
    const { ThemeEngine } = await import("../theme/engine.ts");
    const { checkTemplates } = await import("./theme_applier.ts");
    const { checked, problems, warnings } = await checkTemplates(
      new ThemeEngine({ config, paths, env }),
    );
    checks.push({
      name: "templates",
      status: problems.length ? "error" : warnings.length ? "warn" : "ok",
      detail: problems.length || warnings.length
        ? [...problems, ...warnings].map((p) => `${p.name}: ${p.reason}`).join("; ")
        : `${checked} configured template(s) compile${
          !config.theme.enabled
            ? " (theme disabled)"
            : config.theme.cache_builtins
            ? `; the built-in ones are written to ${paths.cache}/theme/`
            : ""
        }`,
      data: { checked, problems, warnings },
    });
  } catch (e) {
    checks.push({ name: "templates", status: "error", detail: (e as Error).message });
  }
  checks.push(foldersCheck(config, paths));
  return checks;
}

/**
 * Whether varietal can write where it keeps things besides the database (checked above):
 * the built-in theme files (cache), the place in history (state) and the locks (runtime).
 * A folder not made yet is judged by the nearest one above it. A real write (a temporary
 * file made and removed) is the only test a read-only mount, an ACL or a full quota pass.
 */
function foldersCheck(config: Config, paths: Paths): Check {
  const wanted: { what: string; dir: string; status: "error" | "warn" }[] = [
    { what: "locks", dir: paths.runtime, status: "error" },
    { what: "the place in history", dir: paths.state, status: "warn" },
  ];
  if (config.theme.enabled && config.theme.cache_builtins) {
    wanted.push({ what: "the built-in theme files", dir: `${paths.cache}/theme`, status: "error" });
  }
  const problems: { what: string; dir: string; status: "error" | "warn"; reason: string }[] = [];
  for (const w of wanted) {
    let dir = w.dir;
    while (dir.length > 1 && !isFolder(dir)) dir = dir.slice(0, dir.lastIndexOf("/")) || "/";
    try {
      Deno.removeSync(Deno.makeTempFileSync({ dir, prefix: ".varietal-doctor-" }));
    } catch (e) {
      problems.push({ ...w, reason: fileErrorReason(e) });
    }
  }
  const worst = problems.some((p) => p.status === "error")
    ? "error"
    : problems.length
    ? "warn"
    : "ok";
  return {
    name: "folders",
    status: worst,
    detail: problems.length
      ? problems.map((p) => `${p.what}: cannot write in ${p.dir} (${p.reason})`).join("; ")
      : `writable: ${wanted.map((w) => w.dir).join(", ")}`,
    data: { problems },
  };
}

async function exists(p: string): Promise<boolean> {
  try {
    await Deno.stat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * The `remotes` check: each `[[remote]]` entry and each remote added by
 * command, with its key (where from, never the key) and back-off; none when
 * there are no remotes.
 */
async function remoteCheck(
  config: Config,
  db: Database | undefined,
  env: (name: string) => string | undefined,
  home: string,
): Promise<Check | undefined> {
  let stored: RemoteRow[] = [];
  try {
    stored = db ? listRemotes(db) : [];
  } catch { /* a database from before remote sources */ }
  const byName = new Map(stored.map((r) => [r.name, r]));
  const now = Date.now();
  const states: RemoteState[] = config.remote.map(({ enabled, ...settings }) => {
    const row = byName.get(settings.name);
    byName.delete(settings.name);
    return {
      settings,
      enabled,
      origin: "config",
      backoff_until: row ? backoffEnd(row, now) : null,
      last_error: row?.last_error ?? null,
    };
  });
  for (const r of byName.values()) {
    if (r.from_config) continue; // no longer in config.toml: the next sync drops it
    const {
      source_id: _s,
      path: _p,
      enabled,
      from_config: _f,
      backoff_until: _b,
      last_error,
      ...settings
    } = r;
    // Its back-off and last error are doctor's to report as for a [[remote]] entry.
    states.push({
      settings,
      enabled,
      origin: "command",
      backoff_until: backoffEnd(r, now),
      last_error,
    });
  }
  if (states.length === 0) return undefined;
  const rows = await checkRemotes(states, env, home, now);
  const worst = rows.some((r) => r.status === "error")
    ? "error"
    : rows.some((r) => r.status === "warn")
    ? "warn"
    : "ok";
  const ready = rows.filter((r) => r.enabled && r.status === "ok").length;
  return {
    name: "remotes",
    status: worst,
    detail: [
      `${ready} of ${rows.length} remote(s) ready`,
      ...rows.filter((r) => r.problem && r.problem !== "disabled").map((r) =>
        `${r.name} (${r.kind}): ${r.problem}`
      ),
    ].join("; "),
    data: { remotes: rows },
  };
}

/**
 * The nearest folder above (or at) `dir` that exists, when its mode plainly
 * shuts this user out of making anything in it (owned and without the owner's
 * write bit, or another's with no write bit for group or others); else
 * undefined. Root may write anywhere; a group of the user's is not guessed at.
 */
function closedAncestor(dir: string): string | undefined {
  for (let d = dir; d;) {
    let st: Deno.FileInfo;
    try {
      st = Deno.statSync(d);
    } catch {
      const slash = d.lastIndexOf("/");
      d = slash > 0 ? d.slice(0, slash) : slash === 0 && d !== "/" ? "/" : "";
      continue;
    }
    if (!st.isDirectory) return d;
    const uid = Deno.uid();
    if (uid === 0 || uid === null || st.mode === null) return undefined;
    const mode = st.mode;
    const shut = st.uid === uid ? (mode & 0o200) === 0 : (mode & 0o022) === 0;
    return shut ? d : undefined;
  }
  return undefined;
}
