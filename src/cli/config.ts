// `varietal config`: where the config lives and what is in effect.
import { parse, stringify } from "smol-toml";
import type { CommandSpec, Invocation } from "./_command.ts";
import type { Context } from "./_context.ts";
import { boolFlag, expectArgs } from "./_parse.ts";
import { JSON_FLAG, withHelp } from "./_flags.ts";
import { EXIT } from "./errors.ts";
import { ConfigError, ConfigProblems, problemsOf } from "../config/errors.ts";
import { printable } from "./_output.ts";
import { formatDuration } from "../config/duration.ts";
import type { Config } from "../config/schema.ts";
import { Database } from "../db/database.ts";
import { listAllSources, type SourceEntry } from "../scan/source_list.ts";

export const spec: CommandSpec = {
  name: "config",
  summary: "Show the config file's path or the effective configuration",
  requireSub: true,
  subcommands: [
    {
      name: "path",
      summary: "Print the path of config.toml (and the other folders with --all)",
      options: {
        all: {
          type: "boolean",
          description: "Also print the data, cache, state and runtime folders",
        },
        json: JSON_FLAG,
      },
    },
    {
      name: "check",
      summary: "Check config.toml and list every problem in it",
      description: [
        "Reads config.toml as every command does and lists each problem on its own line as",
        "FILE:LINE: KEY: what is wrong (other commands name the first and stop), and a custom",
        "setter whose command does not name the image. Exits 0 when",
        "the file is valid or absent (the defaults apply), 1 when it has a problem.",
      ].join("\n"),
      options: {
        json: withHelp(
          JSON_FLAG,
          'Print {"file","found","ok","problems":[{"line","key","message"}]} (line null when\n' +
            "unknown, key empty for the whole file)",
        ),
      },
      examples: ["varietal config check", "varietal config check --json | jq -r '.problems[].key'"],
    },
    {
      name: "show",
      summary: "Print the effective configuration (file values over defaults)",
      description:
        "Also lists every wallpaper folder in use and where it comes from: config.toml's\n[[sources]], or 'varietal sources add' (kept in the database). --json adds\n\"sources_in_use\": [{path, origin, enabled, status}].",
      options: { json: withHelp(JSON_FLAG, "Print JSON (durations in seconds)") },
      examples: ["varietal config show", "varietal config show --json | jq .selection"],
    },
  ],
};

const DURATION_KEYS = new Set([
  "timeout",
  "interval",
  "rescan",
  "image_cooldown",
  "source_cooldown",
  "wallust_timeout",
  "decode_timeout",
  "hook_timeout",
  "connect_timeout",
  "idle_timeout",
  "total_timeout",
]);

/** Durations back to text so the TOML can be pasted into config.toml; nulls become "auto". */
function forToml(value: unknown, key = ""): unknown {
  if (value === null) return "auto";
  if (typeof value === "number" && DURATION_KEYS.has(key)) return formatDuration(value);
  if (Array.isArray(value)) return value.map((v) => forToml(v));
  if (typeof value === "object" && value) {
    return Object.fromEntries(
      Object.entries(value).filter(([, v]) => !(v === null && key === "")).map(([k, v]) => [
        k,
        v === null && (k === "syntax" || k === "order" || k === "group")
          ? undefined
          : forToml(v, k),
      ]).filter(([, v]) => v !== undefined),
    );
  }
  return value;
}

export async function run(ctx: Context, inv: Invocation): Promise<number> {
  expectArgs(inv, 0, 0, `config ${inv.sub}`);
  if (inv.sub === "path") {
    const p = ctx.paths;
    if (boolFlag(inv, "json")) {
      ctx.out.json({
        config_file: p.configFile,
        config: p.config,
        templates: `${p.config}/templates`,
        data: p.data,
        database: p.database,
        cache: p.cache,
        state: p.state,
        runtime: p.runtime,
      });
    } else if (boolFlag(inv, "all")) {
      ctx.out.line(`config file  ${p.configFile}`);
      ctx.out.line(`templates    ${p.config}/templates`);
      ctx.out.line(`data         ${p.data}`);
      ctx.out.line(`database     ${p.database}`);
      ctx.out.line(`cache        ${p.cache}`);
      ctx.out.line(`state        ${p.state}`);
      ctx.out.line(`runtime      ${p.runtime}`);
    } else {
      ctx.out.line(p.configFile);
    }
    return EXIT.ok;
  }
  if (inv.sub === "check") return check(ctx, boolFlag(inv, "json"));
  const config = await ctx.config();
  const { file, found, ...values } = config;
  const inUse = await sourcesInUse(ctx, config);
  if (boolFlag(inv, "json")) {
    ctx.out.json({
      file,
      found,
      ...values,
      sources_in_use: inUse.map((s) => ({
        path: s.path,
        origin: s.origin,
        enabled: s.enabled,
        status: s.status,
      })),
    });
  } else {
    ctx.out.line(`# ${found ? `from ${file}` : `${file} does not exist: defaults`}`);
    // Folders added with 'sources add' live in the database, not here: list
    // every folder in use so "sources = []" never hides them.
    if (inUse.length) {
      ctx.out.line("# Wallpaper folders in use ('varietal sources list'):");
      for (const s of inUse) {
        const from = s.origin === "config"
          ? "[[sources]] below"
          : s.kind === "loose"
          ? "images given one by one, e.g. 'varietal next --image'; in the database"
          : s.kind === "remote"
          ? "downloads of a remote source, [[remote]] or 'varietal remote add' ('varietal remote list')"
          : "added with 'varietal sources add'; in the database, not in this file";
        ctx.out.line(
          `#   ${printable(s.path)}  (${from}${s.status === "online" ? "" : `, ${s.status}`})`,
        );
      }
    }
    const toml = { ...values } as Partial<typeof values>;
    // Empty arrays of tables would print as `sources = []` above every table.
    if (toml.sources?.length === 0) delete toml.sources;
    if (toml.templates?.length === 0) delete toml.templates;
    if (toml.remote?.length === 0) delete toml.remote;
    if (toml.groups && Object.keys(toml.groups).length === 0) delete toml.groups;
    ctx.out.line(stringify(forToml(toml) as Record<string, unknown>));
  }
  return EXIT.ok;
}

/** `config check`: every problem of the config file, one per line; exit 1 when there is one. */
async function check(ctx: Context, asJson: boolean): Promise<number> {
  let problems: readonly ConfigError[] = [];
  let found = false;
  try {
    const config = await ctx.config();
    found = config.found;
    problems = await meaningProblems(config);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems = problemsOf(e);
    found = await Deno.stat(ctx.paths.configFile).then(() => true, () => false);
    if (found) problems = await withVariableProblems(ctx, problems);
  }
  const file = ctx.paths.configFile;
  if (asJson) {
    ctx.out.json({
      file,
      found,
      ok: problems.length === 0,
      problems: problems.map((p) => ({ line: p.line ?? null, key: p.key, message: p.detail })),
    });
  } else if (problems.length) {
    for (const p of problems) ctx.out.line(printable(p.message));
  } else {
    ctx.out.line(
      found ? `${printable(file)}: ok` : `${printable(file)} does not exist: the defaults apply`,
    );
  }
  return problems.length ? EXIT.error : EXIT.ok;
}

/**
 * The problems found, and those of the paths' `$VAR`s, which are checked only
 * once every value reads (so a file with a wrong value and an unset variable
 * would take two runs to show both): read from the file's TOML, by line.
 */
async function withVariableProblems(
  ctx: Context,
  problems: readonly ConfigError[],
): Promise<readonly ConfigError[]> {
  const file = ctx.paths.configFile;
  let text: string;
  let raw: unknown;
  try {
    text = await Deno.readTextFile(file);
    if (!/\$|~[^/\s"']/.test(text)) return problems;
    raw = parse(text);
  } catch {
    return problems; // unreadable, or a TOML syntax error: that is the problem
  }
  const { pathVariableProblems } = await import("../config/path_variables.ts");
  const { withKeyLine } = await import("../config/key_line.ts");
  const known = new Set(problems.map((p) => p.key));
  const more = pathVariableProblems(raw, file, ctx.env).filter((p) => !known.has(p.key));
  if (more.length === 0) return problems;
  return problemsOf(withKeyLine(new ConfigProblems([...problems, ...more]), text));
}

/**
 * Problems of a file whose values all read: those every command would not stop at, but the
 * one that needs the value would (a custom setter with no command).
 */
async function meaningProblems(config: Config): Promise<ConfigError[]> {
  if (!config.found || config.wallpaper.setter !== "custom") return [];
  const { customCommandProblem } = await import("../wallpaper/setters/custom.ts");
  const problem = customCommandProblem(config.wallpaper.command);
  if (!problem) return [];
  const { keyLine } = await import("../config/key_line.ts");
  const key = config.wallpaper.command.length ? "wallpaper.command" : "wallpaper.setter";
  const line = keyLine(await Deno.readTextFile(config.file), key);
  const detail = problem.replace(/^setter 'custom'(: \[wallpaper\] command)? /, "");
  return [new ConfigError(config.file, key, detail, line === undefined ? {} : { line })];
}

/** Every folder in use, when the database exists and can be read (else none). */
async function sourcesInUse(ctx: Context, config: Config): Promise<SourceEntry[]> {
  let db: Database | undefined;
  try {
    await Deno.stat(ctx.paths.database);
    db = await Database.open(ctx.paths.database, { readOnly: true });
  } catch { /* no database (yet): only the config's folders */ }
  try {
    return listAllSources(db, config, ctx.paths.home);
  } catch {
    return listAllSources(undefined, config, ctx.paths.home);
  } finally {
    db?.close();
  }
}
