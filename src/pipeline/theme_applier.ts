/**
 * The theme engine as the pipeline uses it, with a check of the configured
 * templates that runs before the wallpaper changes (so a vanished or broken
 * template stops `next` before anything is recorded).
 *
 * @module
 */
import type { Paths } from "../config/paths.ts";
import type { Config } from "../config/schema.ts";
import { ThemeEngine } from "../theme/engine.ts";
import { guessedSyntaxWarning, loadTemplate } from "../theme/template_lookup.ts";
import type { DebounceGuard } from "../theme/engine.ts";
import type { ThemeReport } from "../theme/theme_report.ts";
import type { LoadedTemplate } from "../theme/template_cache.ts";

/** How the daemon's engine reports and orders its debounced applies. */
export interface ThemeApplierOptions {
  onDebounced?: (report: ThemeReport) => void;
  debounceGuard?: DebounceGuard;
}

/** A template that cannot be used, and why. */
export interface TemplateProblem {
  name: string;
  reason: string;
}

/**
 * Checks every `[[templates]]` entry: its target can be expanded, a
 * template file exists and it compiles; and whether one whose syntax is
 * guessed looks meant for another (`guessedSyntaxWarning`).
 *
 * @returns The problems (empty when all is well), the warnings and how many were checked.
 */
export async function checkTemplates(
  engine: ThemeEngine,
): Promise<{ checked: number; problems: TemplateProblem[]; warnings: TemplateProblem[] }> {
  const problems: TemplateProblem[] = [];
  const warnings: TemplateProblem[] = [];
  const jobs = (await engine.jobs()).filter((j) => j.kind === "config");
  for (const job of jobs) {
    if (job.targetError) {
      problems.push({ name: job.name, reason: job.targetError });
      continue;
    }
    let loaded;
    try {
      loaded = loadTemplate(engine.cache, job.candidates, job.syntax);
    } catch (e) {
      problems.push({ name: job.name, reason: (e as Error).message });
      continue;
    }
    // An include that is not there would fail the render after the wallpaper changed.
    const missing = missingIncludes(loaded);
    if (missing.length) {
      const root = loaded.candidate.root;
      const said = missing.map((n) =>
        n.startsWith("/")
          ? `"${n}": no such file`
          : `"${n}": no such file in ${root} (includes are read from there)`
      );
      problems.push({
        name: job.name,
        reason: `${loaded.candidate.path}: cannot include ${said.join("; ")}`,
      });
      continue;
    }
    const warning = guessedSyntaxWarning(job.candidates, job.syntax);
    if (warning) warnings.push({ name: job.name, reason: warning });
  }
  return { checked: jobs.length, problems, warnings };
}

/** The names a template includes (and its includes include) that were not found. */
function missingIncludes(loaded: LoadedTemplate): string[] {
  const missing: string[] = [];
  const pending = [...loaded.template.includes];
  const seen = new Set<string>();
  while (pending.length) {
    const name = pending.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const t = loaded.include(name);
    if (t) pending.push(...t.includes);
    else missing.push(name);
  }
  return missing.sort();
}

/**
 * Creates the engine after checking the templates. The engine is what
 * `PipelineServices.theme` (in `services.ts`) hands to the pipeline as its
 * `ThemeApplier`.
 *
 * @throws {Error} Naming every template that is missing or does not compile.
 */
export async function createThemeApplier(
  config: Config,
  paths: Paths,
  options: ThemeApplierOptions = {},
): Promise<ThemeEngine> {
  const engine = new ThemeEngine({ config, paths, ...options });
  await assertTemplates(engine, config);
  return engine;
}

/**
 * Checks the configured templates of an engine made earlier (the daemon's,
 * before it carries out a `varietal next`), as {@linkcode createThemeApplier}
 * does; an applier that is no `ThemeEngine` (a test's) passes.
 *
 * @throws {Error} Naming every template that is missing or does not compile.
 */
export async function assertTemplates(applier: unknown, config: Config): Promise<void> {
  if (!(applier instanceof ThemeEngine)) return;
  const { problems } = await checkTemplates(applier);
  if (problems.length > 0) {
    throw new Error(
      `cannot theme: ${
        problems.map((p) => `template '${p.name}': ${p.reason}`).join("; ")
      }; fix the template or its [[templates]] entry in ${
        config.file || "config.toml"
      }; to go on without the theme, add --no-theme to the command (or set [theme] enabled = ` +
        "false); nothing was changed",
    );
  }
}
