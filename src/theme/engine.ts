/**
 * The theme engine: renders every configured template (and the cached
 * built-ins) with a palette, writes each target atomically, recolours live
 * terminals when enabled, then runs the hooks. A template that fails is
 * reported and leaves its old target untouched; the others still render.
 * Parsed templates are cached by path + mtime; `applySoon` debounces bursts.
 *
 * Requires `--allow-read`, `--allow-write`, `--allow-env`, `--allow-run`
 * (hooks) and `--allow-sys=uid` (terminal sequences).
 *
 * @module
 */
import { sleep } from "../sleep.ts";
import type { Paths } from "../config/paths.ts";
import type { Config } from "../config/schema.ts";
import { writeAtomicAll } from "../atomic_write.ts";
import { type Builtin, DEFAULT_BUILTIN_DIR, listBuiltins } from "./builtins.ts";
import { CompiledStore, compiledStoreDir } from "./compiled_store.ts";
import { targetIdentity } from "./target_identity.ts";
import { TemplateCache } from "./template_cache.ts";
import { type ThemeJob, themeJobs } from "./theme_jobs.ts";
import type { LightDark } from "./mode.ts";
import { HOOK_SKIPPED_REASON, type ThemeReport } from "./theme_report.ts";
import { renderInputs, type ThemePalette } from "./render_inputs.ts";
import type { SchemeStore } from "./matugen_context.ts";
import { loadTemplate } from "./template_lookup.ts";
import { notCapableMessage, osErrorCause } from "../text/not_capable.ts";

/** Options for {@linkcode ThemeEngine}. */
export interface ThemeEngineOptions {
  /** The configuration (`theme`, `templates`, `daemon.theme_debounce_ms`). */
  config: Config;
  /** XDG paths (user templates, cache folder for built-ins and sequences). */
  paths: Paths;
  /** Folder of built-in templates. @default the repository's `templates/` */
  builtinDir?: string;
  /** Reads environment variables (for `$VAR` in targets). @default Deno.env.get */
  env?: (name: string) => string | undefined;
  /** Folder of pseudo-terminals for live recolouring. @default "/dev/pts" */
  ptsDir?: string;
  /**
   * The desktop's light/dark preference, for `[theme] mode = "system"`.
   * @default asks the desktop (portal, gsettings, kdeglobals)
   */
  colorScheme?: () => Promise<{ scheme: LightDark; source: string } | null>;
  /**
   * Folder of parsed templates kept across processes, or null for none.
   * @default `$XDG_CACHE_HOME/varietal/compiled`
   */
  compiledDir?: string | null;
  /**
   * Waits `ms` for the debounce of {@linkcode ThemeEngine.applySoon}; resolves
   * early when `signal` aborts (tests give a fake clock's).
   * @default a real timer
   */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** The time in ms, for the debounce's longest wait (tests give a fake clock's). @default Date.now */
  now?: () => number;
  /**
   * Told what each debounced apply ({@linkcode ThemeEngine.applySoon}) did:
   * nobody waits for those, so the daemon logs their failures from here.
   */
  onDebounced?: (report: ThemeReport) => void;
  /**
   * Runs around each debounced apply, which nobody else orders: the daemon
   * takes the pipeline lock and renders only while the wallpaper is still the
   * one on screen (another varietal may have changed it since). Resolving to
   * null skips the apply.
   * @default runs it
   */
  debounceGuard?: DebounceGuard;
}

/** See {@linkcode ThemeEngineOptions.debounceGuard}. */
export type DebounceGuard = (
  wallpaper: string | null,
  apply: () => Promise<ThemeReport>,
) => Promise<ThemeReport | null>;

/** Options for {@linkcode ThemeEngine.apply}. */
export interface ApplyOptions {
  /** Stops before writing and before hooks. */
  signal?: AbortSignal;
  /** A Material source colour instead of the palette's (`--source-color`). */
  sourceColor?: string;
  /**
   * Material schemes kept with the palette (the pipeline's are in the
   * database): asked before one is computed, and given each one computed.
   */
  schemes?: SchemeStore;
}

/**
 * Renders templates with palettes.
 *
 * @example
 * ```ts ignore
 * const engine = new ThemeEngine({ config, paths });
 * const report = await engine.apply(palette, "/walls/a.jpg");
 * for (const f of report.failed) console.error(`${f.name}: ${f.reason}`);
 * ```
 */
export class ThemeEngine {
  readonly #config: Config;
  readonly #paths: Paths;
  readonly #builtinDir: string;
  readonly #env: (name: string) => string | undefined;
  readonly #ptsDir: string;
  readonly #colorScheme: () => Promise<{ scheme: LightDark; source: string } | null>;
  /** The compiled-template cache (exposed for tests and the bench). */
  readonly cache: TemplateCache;
  /** Parsed templates kept across processes (null when turned off). */
  readonly store: CompiledStore | null;
  #pending: { palette: ThemePalette; wallpaper: string | null } | null = null;
  /** When the first change of the pending burst came (ms). */
  #pendingSince = 0;
  readonly #sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly #now: () => number;
  readonly #guard: DebounceGuard;
  readonly #onDebounced: ((report: ThemeReport) => void) | undefined;
  /** Cancels the debounce wait of a pending {@linkcode ThemeEngine.applySoon}. */
  #timer: AbortController | undefined;
  #running: Promise<ThemeReport | undefined> | undefined;
  #closed = false;
  #builtins: Promise<Builtin[]> | undefined;
  /** What this engine last wrote to each target, to skip rewriting identical text. */
  readonly #lastWritten = new Map<string, { text: string; key: string }>();

  /** Creates an engine; nothing is read until the first apply. */
  constructor(options: ThemeEngineOptions) {
    this.#config = options.config;
    this.#paths = options.paths;
    this.#builtinDir = options.builtinDir ?? DEFAULT_BUILTIN_DIR;
    this.#env = options.env ?? ((k) => Deno.env.get(k));
    this.#ptsDir = options.ptsDir ?? "/dev/pts";
    this.#sleep = options.sleep ?? sleep;
    this.#now = options.now ?? Date.now;
    this.#onDebounced = options.onDebounced;
    this.#guard = options.debounceGuard ?? ((_, apply) => apply());
    this.#colorScheme = options.colorScheme ?? (async () => {
      const { detectColorScheme } = await load<typeof import("../desktop/color_scheme.ts")>(
        "../desktop/color_scheme.ts",
      );
      return await detectColorScheme({
        configHome: this.#paths.configHome,
        path: this.#env("PATH"),
      });
    });
    const dir = options.compiledDir === undefined
      ? compiledStoreDir(options.paths.cache)
      : options.compiledDir;
    this.store = dir === null ? null : new CompiledStore(dir);
    this.cache = new TemplateCache({ store: this.store ?? undefined });
  }

  /** The jobs an apply would render (configured templates, then cached built-ins). */
  async jobs(): Promise<ThemeJob[]> {
    // Built-ins ship with the program: list them once per engine.
    this.#builtins ??= listBuiltins(this.#builtinDir);
    return themeJobs(this.#config, this.#paths, await this.#builtins, this.#env, targetIdentity);
  }

  /**
   * Renders every template with `palette` and writes the targets, then runs hooks.
   *
   * @param palette The palette (a pywal file's `alpha`/`wallpaper` are used when present).
   * @param wallpaper The wallpaper path for `{{ wallpaper }}`.
   * @param options `signal` stops before writing and before hooks.
   * @returns What was written, what failed and how the hooks went. Never throws for a bad template.
   * @throws {DOMException} The signal's reason when aborted.
   */
  async apply(
    palette: ThemePalette,
    wallpaper: string | null,
    options: ApplyOptions = {},
  ): Promise<ThemeReport> {
    const t0 = performance.now();
    const report: ThemeReport = { written: [], failed: [], hooks: [], ms: 0 };
    const { signal } = options;
    signal?.throwIfAborted();
    if (!this.#config.theme.enabled) return { ...report, ms: performance.now() - t0 };
    const c = this.#config;
    const inputs = await renderInputs(palette, wallpaper, {
      alpha: c.theme.alpha,
      style: c.palette.style,
      material: {
        scheme: c.material.scheme,
        contrast: c.material.contrast,
        mode: c.theme.mode,
        system: this.#colorScheme,
        ...(options.sourceColor ? { sourceColor: options.sourceColor } : {}),
        ...(options.schemes ? { schemes: options.schemes } : {}),
      },
    });
    palette = inputs.palette;
    const jobs = await this.jobs();
    const loaded = jobs.map((job) => {
      try {
        if (job.targetError) throw new Error(job.targetError);
        return { job, loaded: loadTemplate(this.cache, job.candidates, job.syntax) };
      } catch (e) {
        report.failed.push({ name: job.name, reason: describe(e) });
        return null;
      }
    });
    // Material variables only when a matugen template is rendered (the library loads lazily);
    // when they cannot be made, each matugen template fails with the reason.
    if (loaded.some((l) => l?.loaded.template.syntax === "matugen")) {
      const mode = await inputs.material().then((m) => m.mode, () => undefined);
      if (mode) report.mode = mode;
    }
    const rendered = await Promise.all(loaded.map(async (l) => {
      if (!l) return null;
      const { job, loaded: t } = l;
      try {
        return { job, text: await inputs.render(t) };
      } catch (e) {
        report.failed.push({ name: job.name, reason: describe(e) });
        return null;
      }
    }));
    signal?.throwIfAborted();
    const ok = new Set<ThemeJob>();
    // Every target at once (their renames' waits on the disk overlap); one
    // that cannot be written leaves the others alone.
    const changed = rendered.filter((r): r is { job: ThemeJob; text: string } =>
      r !== null && !this.#unchanged(r.job.target, r.text)
    );
    const writes = await writeAtomicAll(changed.map((r) => ({
      path: r.job.target,
      text: r.text,
      // The built-ins' copies in varietal's cache are ours: private, also when an older
      // version made them 0644 (colors.json names the wallpaper).
      ...(r.job.kind === "builtin"
        ? { options: { mode: 0o600, forceMode: true, privateFolder: this.#paths.cache } }
        : {}),
    })));
    const failedWrites = new Map<ThemeJob, Error>();
    changed.forEach((r, i) => {
      const res = writes[i];
      if (res instanceof Error) failedWrites.set(r.job, res);
      else {
        const st = lstatOrNull(res);
        if (st) this.#lastWritten.set(r.job.target, { text: r.text, ...fileKey(st) });
      }
    });
    for (const r of rendered) {
      if (!r) continue;
      const e = failedWrites.get(r.job);
      if (e) {
        report.failed.push({
          name: r.job.name,
          reason: `cannot write ${r.job.target}: ${describe(e)}`,
        });
      } else {
        ok.add(r.job);
        report.written.push({ name: r.job.name, target: r.job.target });
      }
    }
    if (this.#config.theme.terminal_sequences) {
      try {
        const [{ terminalSequences }, { saveSequences, writeTerminals }] = await Promise.all([
          load<typeof import("./terminal_sequences.ts")>("./terminal_sequences.ts"),
          load<typeof import("./terminals.ts")>("./terminals.ts"),
        ]);
        const seq = terminalSequences(palette);
        await saveSequences(`${this.#paths.cache}/sequences`, seq);
        const t = await writeTerminals(seq, { dir: this.#ptsDir });
        report.terminals = t.written;
        for (const f of t.failed) report.failed.push({ name: f.path, reason: f.reason });
      } catch (e) {
        report.failed.push({ name: "terminal sequences", reason: describe(e) });
      }
    }
    signal?.throwIfAborted();
    // Hooks after all writes, once per distinct command, in config order.
    const seen = new Set<string>();
    const hookJobs: ThemeJob[] = [];
    for (const job of jobs) {
      if (job.hook.length === 0) continue;
      if (!ok.has(job)) {
        report.hooks.push({ name: job.name, ok: false, reason: HOOK_SKIPPED_REASON });
        continue;
      }
      const key = JSON.stringify(job.hook);
      if (seen.has(key)) continue;
      seen.add(key);
      hookJobs.push(job);
    }
    if (hookJobs.length > 0) {
      const { runHook } = await load<typeof import("./hook.ts")>("./hook.ts");
      const timeoutMs = this.#config.theme.hook_timeout * 1000;
      const results = await Promise.all(
        hookJobs.map((job) => runHook(job.hook, { timeoutMs, signal })),
      );
      // Ctrl-C or SIGTERM killed the hooks: an interruption (exit 130/143), not failed hooks.
      signal?.throwIfAborted();
      hookJobs.forEach((job, i) => report.hooks.push({ name: job.name, ...results[i] }));
    }
    const order = new Map(jobs.map((j, i) => [j.name, i]));
    const byJob = (a: { name: string }, b: { name: string }) =>
      (order.get(a.name) ?? 1e9) - (order.get(b.name) ?? 1e9);
    report.written.sort(byJob);
    report.failed.sort(byJob);
    report.ms = performance.now() - t0;
    return report;
  }

  /**
   * Schedules an apply after `daemon.theme_debounce_ms`; a burst of calls
   * renders once, with the last palette. A change waits at most twice the
   * debounce: calls coming faster than it (a debounce as long as the daemon's
   * interval) still render.
   */
  applySoon(palette: ThemePalette, wallpaper: string | null): void {
    if (this.#closed) return;
    const debounce = this.#config.daemon.theme_debounce_ms;
    const now = this.#now();
    if (this.#timer === undefined) this.#pendingSince = now;
    this.#pending = { palette, wallpaper };
    this.#timer?.abort();
    const wait = this.#timer = new AbortController();
    const ms = Math.max(0, Math.min(debounce, this.#pendingSince + 2 * debounce - now));
    void this.#sleep(ms, wait.signal).then(() => {
      if (wait.signal.aborted) return;
      this.#timer = undefined;
      return this.#fire();
    }).catch(() => {});
  }

  /** Runs a pending debounced apply now and waits for it (or for one already running). */
  flush(): Promise<ThemeReport | undefined> {
    if (this.#timer !== undefined) {
      this.#timer.abort();
      this.#timer = undefined;
      return this.#fire();
    }
    return this.#running ?? Promise.resolve(undefined);
  }

  /** Cancels a pending debounced apply. */
  close(): void {
    this.#closed = true;
    // Only a pending debounce has a timer: Deno loads its timer module (5–8 ms) on the
    // first setTimeout or clearTimeout of a process, and `next` needs neither.
    this.#timer?.abort();
    this.#timer = undefined;
    this.#pending = null;
  }

  #fire(): Promise<ThemeReport | undefined> {
    const job = this.#pending;
    this.#pending = null;
    if (!job) return this.#running ?? Promise.resolve(undefined);
    const prev = this.#running ?? Promise.resolve(undefined);
    const run = prev.catch(() => undefined).then(async () =>
      await this.#guard(job.wallpaper, () => this.apply(job.palette, job.wallpaper)) ?? undefined
    );
    this.#running = run;
    if (this.#onDebounced) {
      const tell = this.#onDebounced;
      run.then((r) => r && tell(r), (e) =>
        tell({
          written: [],
          failed: [{ name: "theme", reason: describe(e) }],
          hooks: [],
          ms: 0,
        })).catch(() => {});
    }
    run.finally(() => {
      if (this.#running === run) this.#running = undefined;
    }).catch(() => {});
    return run;
  }

  /** Whether the target still holds exactly the text this engine last wrote there. */
  #unchanged(target: string, text: string): boolean {
    const last = this.#lastWritten.get(target);
    if (!last || last.text !== text) return false;
    try {
      return fileKey(Deno.statSync(target)).key === last.key;
    } catch {
      return false;
    }
  }
}

/**
 * Imports a module of ours by a specifier built at run time, so that Deno
 * loads hooks and terminal recolouring only when they are used (it prepares
 * every literal `import()` target, and static imports are always loaded).
 */
function load<T>(relative: string): Promise<T> {
  return import(new URL(relative, import.meta.url).href) as Promise<T>;
}

function lstatOrNull(path: string): Deno.FileInfo | null {
  try {
    return Deno.lstatSync(path);
  } catch {
    return null;
  }
}

function fileKey(st: Deno.FileInfo): { key: string } {
  return { key: `${st.ino}:${st.size}:${st.mtime?.getTime()}:${st.ctime?.getTime()}` };
}

function describe(e: unknown): string {
  const denied = notCapableMessage(e) ?? osErrorCause(e);
  if (denied) return denied;
  if (e instanceof Deno.errors.PermissionDenied) {
    return `permission denied (${(e as Error).message})`;
  }
  return e instanceof Error ? e.message : String(e);
}
