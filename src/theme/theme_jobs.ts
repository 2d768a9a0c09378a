/**
 * Turns the configuration into the list of templates to render (pure; the
 * caller may pass a function that resolves symlinks to compare targets):
 * configured `[[templates]]` entries, and the built-ins rendered into the
 * cache folder when `theme.cache_builtins` is on.
 *
 * @module
 */
import type { Syntax } from "../config/choices.ts";
import type { Paths } from "../config/paths.ts";
import type { Config } from "../config/schema.ts";
import { type Builtin, builtinSyntax } from "./builtins.ts";
import { expandPath } from "./expand_path.ts";
import { normalizePath } from "../normal_path.ts";
import { builtinCandidate, type TemplateCandidate, templateCandidates } from "./template_lookup.ts";

/** One template to render. */
export interface ThemeJob {
  /** The name shown in reports. */
  name: string;
  /** Candidate template files, tried in order (user folder first, then built-in). */
  candidates: TemplateCandidate[];
  /** The configured syntax; null guesses from the file. */
  syntax: Syntax | null;
  /** The expanded target path, or the reason it could not be expanded. */
  target: string;
  /** Why the target could not be expanded (e.g. an unset variable). */
  targetError?: string;
  /** argv to run after all targets are written; empty for none. */
  hook: string[];
  /** "config" for `[[templates]]`, "builtin" for the cached built-ins. */
  kind: "config" | "builtin";
}

/**
 * The folder cached built-in renderings go to.
 *
 * @example Built-ins are rendered into the cache
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolvePaths } from "../config/paths.ts";
 * import { builtinOutputDir } from "./theme_jobs.ts";
 *
 * const paths = resolvePaths((name) => (name === "HOME" ? "/home/me" : undefined));
 * assert.equal(builtinOutputDir(paths), "/home/me/.cache/varietal/theme");
 * ```
 */
export function builtinOutputDir(paths: Paths): string {
  return `${paths.cache}/theme`;
}

/**
 * The user's templates folder.
 *
 * @example The user's templates
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolvePaths } from "../config/paths.ts";
 * import { userTemplateDir } from "./theme_jobs.ts";
 *
 * const paths = resolvePaths((name) => (name === "HOME" ? "/home/me" : undefined));
 * assert.equal(userTemplateDir(paths), "/home/me/.config/varietal/templates");
 * ```
 */
export function userTemplateDir(paths: Paths): string {
  return `${paths.config}/templates`;
}

/**
 * Lists the templates a theme apply renders.
 *
 * @param config The configuration.
 * @param paths The XDG paths.
 * @param builtins The built-in templates.
 * @param env Reads environment variables (for `$VAR` in targets).
 * @param identity Names the file a target writes, to catch two entries writing one
 *   file (`targetIdentity` resolves symlinks). @default `.` and `..` resolved as text
 * @example A configured template and a cached built-in
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolvePaths } from "../config/paths.ts";
 * import { type Config, DEFAULTS } from "../config/schema.ts";
 * import { themeJobs } from "./theme_jobs.ts";
 *
 * const paths = resolvePaths((name) => (name === "HOME" ? "/home/me" : undefined));
 * const config: Config = {
 *   ...DEFAULTS,
 *   templates: [{
 *     name: "bar",
 *     template: "waybar.css",
 *     target: "~/.config/waybar/colors.css",
 *     syntax: null,
 *     hook: ["pkill", "-SIGUSR2", "waybar"],
 *   }],
 *   file: "",
 *   found: false,
 * };
 * const kitty = { name: "kitty", file: "kitty.conf", path: "/opt/varietal/templates/kitty.conf" };
 * const jobs = themeJobs(config, paths, [kitty], () => undefined);
 * assert.deepEqual(jobs.map((j) => [j.name, j.target]), [
 *   ["bar", "/home/me/.config/waybar/colors.css"],
 *   ["builtin:kitty", "/home/me/.cache/varietal/theme/kitty.conf"],
 * ]);
 * assert.equal(jobs[0].candidates[0].path, "/home/me/.config/varietal/templates/waybar.css");
 * ```
 */
export function themeJobs(
  config: Config,
  paths: Paths,
  builtins: readonly Builtin[],
  env: (name: string) => string | undefined,
  identity: (target: string) => string = normalizePath,
): ThemeJob[] {
  const jobs: ThemeJob[] = [];
  /** Each job's file as `identity` names it (for targets written twice). */
  const files = new Map<ThemeJob, string>();
  const userDir = userTemplateDir(paths);
  // XDG variables that are not set fall back to their defaults, as everywhere else.
  const xdg: Record<string, string> = {
    XDG_CONFIG_HOME: paths.configHome,
    XDG_CACHE_HOME: paths.cacheHome,
  };
  const lookup = (k: string) => env(k) ?? xdg[k];
  const candidatesOf = config.templates.map((t) => {
    const tpl = t.template.startsWith("~") || t.template.includes("$")
      ? safeExpand(t.template, paths.home, lookup) ?? t.template
      : t.template;
    return templateCandidates(tpl, userDir, builtins);
  });
  // Files a target must never overwrite: a template (its placeholders would be gone for
  // good), what the templates include (in the templates folder) and config.toml.
  const kept = new Map<string, string>([[identity(paths.configFile), "config.toml"]]);
  config.templates.forEach((t, i) => {
    for (const c of candidatesOf[i]) {
      const file = identity(c.path);
      if (!c.builtin && !kept.has(file)) kept.set(file, `the template of '${t.name}'`);
    }
  });
  const templateFolder = `${identity(userDir)}/`;
  for (const [i, t] of config.templates.entries()) {
    const candidates = candidatesOf[i];
    let target = t.target, targetError: string | undefined;
    try {
      target = expandPath(t.target, paths.home, lookup);
      if (!target.startsWith("/")) target = `${paths.home}/${target}`;
      if (target.endsWith("/")) {
        throw new Error(
          `target ${t.target} ends in '/': name the file to write in that folder ` +
            `(e.g. ${t.target}${lastPart(t.template)})`,
        );
      }
    } catch (e) {
      targetError = (e as Error).message;
    }
    // Two entries writing one file (however it is spelled) would overwrite each other
    // on every change: the later one is refused, naming the first.
    const file = targetError ? undefined : identity(target);
    const first = file === undefined ? undefined : jobs.find((j) => files.get(j) === file);
    if (first) {
      targetError = `writes the same file as template '${first.name}' (${target}); ` +
        "give each [[templates]] entry its own target";
    } else if (file !== undefined && (kept.has(file) || file.startsWith(templateFolder))) {
      const what = kept.get(file) ?? `in varietal's templates folder (${userDir})`;
      targetError = `target ${target} is ${what}: rendering would overwrite it; ` +
        "write the output to another file";
    }
    const job: ThemeJob = {
      name: t.name,
      candidates,
      syntax: t.syntax,
      target,
      targetError,
      // No shell runs the hook, so expand a leading ~ in its arguments as a shell would.
      hook: t.hook.map((a) => (a === "~" || a.startsWith("~/") ? paths.home + a.slice(1) : a)),
      kind: "config",
    };
    jobs.push(job);
    if (file !== undefined && !first) files.set(job, file);
  }
  if (config.theme.cache_builtins) {
    const out = builtinOutputDir(paths);
    const taken = new Set(files.values());
    for (const b of builtins) {
      // A configured template that writes a built-in's cache file is the user's choice.
      if (taken.size > 0 && taken.has(identity(`${out}/${b.file}`))) continue;
      jobs.push({
        name: `builtin:${b.name}`,
        candidates: [builtinCandidate(b)],
        syntax: builtinSyntax(b),
        target: `${out}/${b.file}`,
        hook: [],
        kind: "builtin",
      });
    }
  }
  return jobs;
}

function lastPart(p: string): string {
  return p.slice(p.lastIndexOf("/") + 1);
}

function safeExpand(p: string, home: string, env: (n: string) => string | undefined) {
  try {
    return expandPath(p, home, env);
  } catch {
    return undefined;
  }
}
