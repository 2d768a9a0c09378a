/**
 * The shape of `config.toml`, its defaults and its validation.
 *
 * Every value has a default; unknown keys and wrong types are errors that
 * name the file and the key. Durations are stored in seconds.
 *
 * @module
 */
import {
  type DisplayMode,
  LIGHTNESS,
  type Lightness,
  MATERIAL_SCHEMES,
  type MaterialSchemeName,
  MODES,
  type Origin,
  ORIGINS,
  PALETTE_STYLES,
  type PaletteStyle,
  PLAY_ORDERS,
  type PlayOrder,
  type SetterName,
  SETTERS,
  type Syntax,
  SYNTAXES,
  THEME_MODES,
  type ThemeMode,
  TRANSITION_POSITIONS,
  TRANSITIONS,
  type TransitionType,
  type Variant,
  VARIANTS,
} from "./choices.ts";
import {
  argv,
  type At,
  bool,
  commandArgv,
  duration,
  durationOrAuto,
  int,
  list,
  num,
  oneOf,
  record,
  str,
  table,
  tables,
} from "./_validate.ts";
import { ConfigError, ProblemCollector, throwProblems } from "./errors.ts";
import {
  FETCH_DEFAULTS,
  type FetchConfig,
  fetchReader,
  type RemoteConfig,
  remoteListReader,
} from "./remote.ts";

export type { FetchConfig, RemoteConfig };

/** A wallpaper folder listed in the config (synced into the database on scan). */
export interface SourceConfig {
  path: string;
  recursive: boolean;
  enabled: boolean;
  /** This folder's order; null follows `[selection] order`. @default null */
  order: PlayOrder | null;
}

/**
 * swww/awww transition settings (`[wallpaper.transition]`); null leaves
 * swww's own default (or its `SWWW_TRANSITION*` variables) in charge.
 */
export interface TransitionConfig {
  /** `--transition-type`. @default null */
  type: TransitionType | null;
  /** `--transition-duration`, seconds (decimals allowed). @default null */
  duration: number | null;
  /** `--transition-fps`, 1–65535. @default null */
  fps: number | null;
  /** `--transition-step`, 1–255. @default null */
  step: number | null;
  /** `--transition-angle`, degrees (wipe, wave). @default null */
  angle: number | null;
  /** `--transition-pos`: a named position or "X,Y" (grow, outer). @default null */
  pos: string | null;
}

/** How the wallpaper is set. */
export interface WallpaperConfig {
  /** @default "auto" */
  setter: SetterName;
  /** argv for `setter = "custom"`, with `{path}`, `{output}` and `{mode}` placeholders. @default [] */
  command: string[];
  /** Seconds a setter may run. @default 30 */
  timeout: number;
  /** Output names (monitors); empty means detect. @default [] */
  outputs: string[];
  /** How the image covers the screen. @default "fill" */
  mode: DisplayMode;
  /** Extra arguments for the setter's command (where they go: docs/pipeline.md). @default [] */
  setter_args: string[];
  /** Colour around a `fit` or `center` image ("#rrggbb"; swww/awww and swaybg). @default null */
  fill_color: string | null;
  /** swww/awww transitions. */
  transition: TransitionConfig;
}

/** Desktop notifications after each change. */
export interface NotifyConfig {
  /** @default false */
  enabled: boolean;
  /** The notify-send executable. @default "notify-send" */
  program: string;
  /** Seconds notify-send may run. @default 3 */
  timeout: number;
}

/** A time-of-day rule: between `from` and `to` (HH:MM), prefer this lightness. */
export interface TimeRule {
  from: string;
  to: string;
  lightness: Lightness;
}

/** Selection weights; see the README for what each does. */
export interface SelectionConfig {
  /** Seconds for an image to recover full weight; null = scale to collection size. @default null */
  image_cooldown: number | null;
  /** Exponent k in `min(1, age / cooldown)^k`. @default 2 */
  recency_exponent: number;
  /** Seconds for a folder to recover full weight; null = auto. @default null */
  source_cooldown: number | null;
  /** How many recent shows count against their folder. @default 3 */
  source_memory: number;
  /** Factor for never-shown images. @default 2 */
  unseen_boost: number;
  /** Strength of `times_shown` balancing (0 = off). @default 0.5 */
  times_shown_weight: number;
  /** Factor for favourites. @default 3 */
  favorite_boost: number;
  /** How sharply `--similar-to` prefers close palettes (0 = off). @default 4 */
  similarity_strength: number;
  /** Time-of-day lightness rules. @default [] */
  time_rules: TimeRule[];
  /**
   * With `theme.mode = "system"`, prefer wallpapers whose lightness matches
   * the desktop's light/dark preference instead of the time rules. @default false
   */
  follow_system: boolean;
  /** Images narrower than this (pixels) are never drawn; 0 = no limit. @default 640 */
  min_width: number;
  /** Images lower than this (pixels) are never drawn; 0 = no limit. @default 480 */
  min_height: number;
  /**
   * The order of folders without one of their own (docs/selection.md,
   * "Playlists"). @default "smart"
   */
  order: PlayOrder;
}

/** Where palettes come from. */
export interface PaletteConfig {
  /** @default "auto" */
  origin: Origin;
  /** @default "dark16" */
  variant: Variant;
  /** The wallust executable. @default "wallust" */
  wallust: string;
  /** Seconds wallust may run. @default 20 */
  wallust_timeout: number;
  /** Workers for `extract`; 0 = number of cores. @default 0 */
  jobs: number;
  /**
   * "wallpaper": colours 1–6 and 9–14 follow the image; "ansi": they stay
   * red, green, yellow, blue, magenta and cyan, harmonised toward the
   * image's Material source colour. @default "wallpaper"
   */
  style: PaletteStyle;
  /** Images with more megapixels are skipped by `scan` and never decoded. @default 150 */
  max_megapixels: number;
  /** Seconds the built-in decoder may spend on one image. @default 20 */
  decode_timeout: number;
}

/** Material 3 schemes (matugen templates). */
export interface MaterialConfig {
  /** @default "tonal-spot" */
  scheme: MaterialSchemeName;
  /** -1 (least) … 1 (most). @default 0 */
  contrast: number;
}

/** One template to render after each wallpaper change. */
export interface TemplateConfig {
  name: string;
  /** Path relative to the user's templates folder, absolute, or a built-in name. */
  template: string;
  target: string;
  syntax: Syntax | null;
  /** argv run after all targets are written; empty for none. */
  hook: string[];
}

/** Theme settings. */
export interface ThemeConfig {
  /** @default true */
  enabled: boolean;
  /** Write OSC sequences to the user's terminals. @default false */
  terminal_sequences: boolean;
  /** Seconds a hook may run. @default 10 */
  hook_timeout: number;
  /** Opacity given to templates as `alpha` (0–100). @default 100 */
  alpha: number;
  /** Also render every built-in template into `$XDG_CACHE_HOME/varietal/theme/`. @default true */
  cache_builtins: boolean;
  /**
   * Light or dark: fixed, "auto" (from the wallpaper: light when its mean
   * tone is above 60) or "system" (the desktop's preference). @default "dark"
   */
  mode: ThemeMode;
}

/** Daemon settings. */
export interface DaemonConfig {
  /** Seconds between rotations. @default 900 */
  interval: number;
  /** Milliseconds to wait for more changes before rendering the theme. @default 250 */
  theme_debounce_ms: number;
  /** Rotate only the folders of this `[groups]` entry; null = every folder. @default null */
  group: string | null;
  /**
   * Seconds between the daemon's scans of your folders (the first ~30 s after
   * it starts); 0 never scans. @default 3600
   */
  rescan: number;
}

/** History retention. */
export interface HistoryConfig {
  /** Days of history to keep; 0 keeps everything. @default 365 */
  keep_days: number;
}

/** The whole validated configuration. */
export interface Config {
  sources: SourceConfig[];
  wallpaper: WallpaperConfig;
  selection: SelectionConfig;
  palette: PaletteConfig;
  material: MaterialConfig;
  theme: ThemeConfig;
  templates: TemplateConfig[];
  daemon: DaemonConfig;
  history: HistoryConfig;
  notify: NotifyConfig;
  /** Named groups of folders (`[groups] name = [paths]`), for `--group NAME`. @default {} */
  groups: Record<string, string[]>;
  /** Remote sources (`[[remote]]`). */
  remote: RemoteConfig[];
  /** How remote downloads run (`[fetch]`). */
  fetch: FetchConfig;
  /** The file this was read from ("" for pure defaults). */
  file: string;
  /** Whether the file existed. */
  found: boolean;
}

/** Default values for every setting. */
export const DEFAULTS: Readonly<Omit<Config, "file" | "found">> = Object.freeze({
  sources: [],
  wallpaper: {
    setter: "auto",
    command: [],
    timeout: 30,
    outputs: [],
    mode: "fill",
    setter_args: [],
    fill_color: null,
    transition: { type: null, duration: null, fps: null, step: null, angle: null, pos: null },
  },
  selection: {
    image_cooldown: null,
    recency_exponent: 2,
    source_cooldown: null,
    source_memory: 3,
    unseen_boost: 2,
    times_shown_weight: 0.5,
    favorite_boost: 3,
    similarity_strength: 4,
    time_rules: [],
    follow_system: false,
    min_width: 640,
    min_height: 480,
    order: "smart",
  },
  palette: {
    origin: "auto",
    variant: "dark16",
    wallust: "wallust",
    wallust_timeout: 20,
    jobs: 0,
    style: "wallpaper",
    max_megapixels: 150,
    decode_timeout: 20,
  },
  material: { scheme: "tonal-spot", contrast: 0 },
  theme: {
    enabled: true,
    terminal_sequences: false,
    hook_timeout: 10,
    alpha: 100,
    cache_builtins: true,
    mode: "dark",
  },
  templates: [],
  daemon: { interval: 900, theme_debounce_ms: 250, group: null, rescan: 3600 },
  history: { keep_days: 365 },
  notify: { enabled: false, program: "notify-send", timeout: 3 },
  groups: {},
  remote: [],
  fetch: { ...FETCH_DEFAULTS },
});

const clock = (v: unknown, at: At): string => {
  // A TOML local time (from = 18:00 or 18:00:00, unquoted) is read as its HH:MM.
  const time = v instanceof Date && (v as { isTime?: () => boolean }).isTime?.() === true;
  const s = time ? v.toISOString().slice(0, 5) : str(v, at);
  // "8:00" is 08:00.
  const hm = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(s.trim());
  if (!hm) throw new ConfigError(at.file, at.key, `expected a time "HH:MM", got "${s}"`);
  return `${hm[1].padStart(2, "0")}:${hm[2]}`;
};

/** A reader that also takes "auto" (returned as null: the setter's own default). */
function orAuto<T>(read: (v: unknown, at: At) => T) {
  return (v: unknown, at: At): T | null => v === "auto" ? null : read(v, at);
}

const hexColor = (v: unknown, at: At): string => {
  const s = str(v, at);
  if (!/^#?[0-9a-fA-F]{6}$/.test(s)) {
    throw new ConfigError(at.file, at.key, `expected a colour "#rrggbb", got "${s}"`);
  }
  return `#${s.replace(/^#/, "").toLowerCase()}`;
};

/** `[wallpaper] outputs`: names, each given once (a name twice would show and record twice). */
const outputNames = (v: unknown, at: At): string[] => {
  const names = list(str)(v, at);
  names.forEach((name, i) => {
    const key = `${at.key}[${i}]`;
    if (name.trim() === "") {
      throw new ConfigError(
        at.file,
        key,
        "is empty; name an output ('varietal doctor' lists them)",
      );
    }
    if (names.indexOf(name) !== i) {
      throw new ConfigError(at.file, key, `"${name}" is named twice; name each output once`);
    }
  });
  return names;
};

const transitionPos = (v: unknown, at: At): string => {
  const s = str(v, at);
  const n = "-?\\d+(\\.\\d+)?";
  if ((TRANSITION_POSITIONS as readonly string[]).includes(s)) return s;
  if (new RegExp(`^${n},${n}$`).test(s)) return s;
  throw new ConfigError(
    at.file,
    at.key,
    `expected "X,Y" (decimals are fractions of the screen, whole numbers pixels) or one of ${
      TRANSITION_POSITIONS.join(", ")
    }, got "${s}"`,
  );
};

const sourceReader = record<SourceConfig>(
  { path: str, recursive: bool, enabled: bool, order: oneOf(PLAY_ORDERS) },
  { path: "", recursive: true, enabled: true, order: null },
);

/** What a group name may be: what a shell passes as one word and completion can offer. */
const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** `[groups]`: name → non-empty list of folder paths. */
/** A timeout: a duration longer than 0 s (0 s would stop every run at once). */
const timeout = (v: unknown, at: At): number => {
  const s = duration(v, at);
  if (s <= 0) throw new ConfigError(at.file, at.key, `must be longer than 0s, got ${s}`);
  return s;
};

const groupsReader = (v: unknown, at: At): Record<string, string[]> => {
  const raw = table(v, at);
  const out: Record<string, string[]> = {};
  const found = new ProblemCollector();
  for (const [name, paths] of Object.entries(raw)) {
    const key = `${at.key}.${name}`;
    found.read(() => {
      if (!GROUP_NAME.test(name)) {
        throw new ConfigError(
          at.file,
          key,
          "a group name is letters, digits, '_', '.' and '-', starting with a letter or digit",
        );
      }
      const folders = list(str)(paths, { file: at.file, key });
      if (folders.length === 0 || folders.some((p) => p.trim() === "")) {
        throw new ConfigError(at.file, key, "expected a non-empty list of folder paths");
      }
      out[name] = folders;
    });
  }
  found.throwAny();
  return out;
};

const templateReader = record<TemplateConfig>(
  {
    name: str,
    template: str,
    target: str,
    syntax: oneOf(SYNTAXES),
    hook: commandArgv,
  },
  { name: "", template: "", target: "", syntax: null, hook: [] },
);

const rootReader = record<Omit<Config, "file" | "found">>({
  sources: tables((v, at) => {
    const s = typeof v === "string" ? { ...sourceReader({}, at), path: v } : sourceReader(v, at);
    if (!s.path) throw new ConfigError(at.file, `${at.key}.path`, "is required");
    return s;
  }),
  wallpaper: record<WallpaperConfig>({
    setter: oneOf(SETTERS),
    command: commandArgv,
    timeout,
    outputs: outputNames,
    mode: oneOf(MODES),
    setter_args: argv,
    fill_color: orAuto(hexColor),
    transition: record<TransitionConfig>({
      type: orAuto(oneOf(TRANSITIONS)),
      duration: orAuto(num(0, 3600)),
      fps: orAuto(int(1, 65535)),
      step: orAuto(int(1, 255)),
      angle: orAuto(num()),
      pos: orAuto(transitionPos),
    }, DEFAULTS.wallpaper.transition),
  }, DEFAULTS.wallpaper),
  selection: record<SelectionConfig>({
    image_cooldown: durationOrAuto,
    recency_exponent: num(0.1, 10),
    source_cooldown: durationOrAuto,
    source_memory: int(0, 1000),
    unseen_boost: num(0),
    times_shown_weight: num(0, 10),
    favorite_boost: num(0),
    similarity_strength: num(0, 100),
    time_rules: tables((v, at) => {
      const rule = record<TimeRule>(
        { from: clock, to: clock, lightness: oneOf(LIGHTNESS) },
        { from: "", to: "", lightness: "any" },
      )(v, at);
      // A rule missing a key would quietly mean "until midnight" or "any lightness".
      const missing: ConfigError[] = [];
      for (const k of ["from", "to"] as const) {
        if (!rule[k]) {
          missing.push(
            new ConfigError(
              at.file,
              `${at.key}.${k}`,
              'is required (HH:MM; from = to means all day), e.g. from = "20:00", to = "07:00"',
            ),
          );
        }
      }
      if (!(v as Record<string, unknown>).lightness) {
        missing.push(
          new ConfigError(at.file, `${at.key}.lightness`, 'is required ("light", "dark" or "any")'),
        );
      }
      throwProblems(missing);
      return rule;
    }),
    follow_system: bool,
    min_width: int(0, 100_000),
    min_height: int(0, 100_000),
    order: oneOf(PLAY_ORDERS),
  }, DEFAULTS.selection),
  palette: record<PaletteConfig>({
    origin: oneOf(ORIGINS),
    variant: oneOf(VARIANTS),
    wallust: (v, at) => {
      const s = str(v, at);
      if (!s.trim()) {
        throw new ConfigError(
          at.file,
          at.key,
          'must name the wallust program; to not use wallust, set [palette] origin = "builtin"',
        );
      }
      return s;
    },
    wallust_timeout: timeout,
    jobs: int(0, 256),
    style: oneOf(PALETTE_STYLES),
    max_megapixels: num(1, 100_000),
    decode_timeout: timeout,
  }, DEFAULTS.palette),
  material: record<MaterialConfig>({
    scheme: oneOf(MATERIAL_SCHEMES),
    contrast: num(-1, 1),
  }, DEFAULTS.material),
  theme: record<ThemeConfig>({
    enabled: bool,
    terminal_sequences: bool,
    hook_timeout: timeout,
    alpha: int(0, 100),
    cache_builtins: bool,
    mode: oneOf(THEME_MODES),
  }, DEFAULTS.theme),
  templates: (v, at) => {
    const found = new ProblemCollector();
    const out = found.read(() =>
      tables((v, at) => {
        const t = templateReader(v, at);
        throwProblems(
          (["template", "target"] as const).filter((k) => !t[k]).map((k) =>
            new ConfigError(at.file, `${at.key}.${k}`, "is required")
          ),
        );
        if (!t.name) t.name = t.template.replace(/^.*\//, "");
        return t;
      })(v, at)
    );
    // A name given twice would make `theme render NAME` and every report ambiguous. Names taken
    // from the template file may repeat (one template written to several targets).
    const given = new Map<string, number>();
    (Array.isArray(v) ? v as { name?: unknown }[] : []).forEach((raw, i) => {
      if (typeof raw?.name !== "string" || !raw.name) return;
      const first = given.get(raw.name);
      if (first !== undefined) {
        found.add(
          new ConfigError(
            at.file,
            `${at.key}[${i}].name`,
            `"${raw.name}" is already the name of ${at.key}[${first}]; give each entry its own name`,
          ),
        );
      } else given.set(raw.name, i);
    });
    found.throwAny();
    return out as TemplateConfig[];
  },
  daemon: record<DaemonConfig>({
    interval: (v, at) => {
      const s = duration(v, at);
      if (s < 1) throw new ConfigError(at.file, at.key, "must be at least 1s");
      // Beyond a year it is no timer (and 1e30 printed as a day count is noise).
      if (s > 366 * 86400) throw new ConfigError(at.file, at.key, 'must be at most "366d"');
      return s;
    },
    theme_debounce_ms: int(0, 60000),
    group: str,
    rescan: (v, at) => {
      const s = duration(v, at);
      if (s !== 0 && s < 60) {
        throw new ConfigError(at.file, at.key, 'must be 0 (never) or at least "1m"');
      }
      return s;
    },
  }, DEFAULTS.daemon),
  history: record<HistoryConfig>({ keep_days: int(0, 36500) }, DEFAULTS.history),
  notify: record<NotifyConfig>({
    enabled: bool,
    program: (v, at) => {
      const s = str(v, at);
      if (!s) throw new ConfigError(at.file, at.key, "must not be empty");
      return s;
    },
    timeout,
  }, DEFAULTS.notify),
  groups: groupsReader,
  remote: remoteListReader,
  fetch: fetchReader,
}, structuredClone(DEFAULTS) as Omit<Config, "file" | "found">);

/**
 * Validates a parsed TOML document against the schema.
 *
 * @param raw The parsed document.
 * @param file The file it came from, for error messages.
 * @returns A complete configuration with defaults filled in.
 * @throws {ConfigError} On an unknown key or a value of the wrong type.
 */
export function validateConfig(raw: unknown, file: string): Config {
  const found = new ProblemCollector();
  const cfg = found.read(() => rootReader(raw, { file, key: "" }));
  // The checks across keys read the raw table: they are named with the others even when a
  // value elsewhere is wrong.
  found.add(...crossProblems(raw, file));
  found.throwAny();
  return { ...structuredClone(cfg!), file, found: true };
}

/** A raw TOML value as a table, or an empty one. */
function rawTable(v: unknown): Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date)
    ? v as Record<string, unknown>
    : {};
}

/**
 * Problems across keys, read from the raw document (values of the wrong type are the
 * readers' to name and are passed over here).
 */
function crossProblems(raw: unknown, file: string): ConfigError[] {
  const problems: ConfigError[] = [];
  const root = rawTable(raw);
  // The same folder twice (`~/w` and `~/w/`): the first entry's settings would win unsaid.
  const seen = new Map<string, number>();
  const sources = Array.isArray(root.sources) ? root.sources : [];
  for (const [i, s] of sources.entries()) {
    const written = typeof s === "string" ? s : rawTable(s).path;
    if (typeof written !== "string" || !written) continue;
    const path = written.replace(/(?:\/\.)*\/*$/, "").replace(/\/\/+/g, "/") || "/";
    const first = seen.get(path);
    if (first !== undefined) {
      problems.push(
        new ConfigError(
          file,
          `sources[${i}].path`,
          `"${written}" is the folder of sources[${first}] too; keep one entry for it`,
        ),
      );
    } else seen.set(path, i);
  }
  const group = rawTable(root.daemon).group;
  const groups = rawTable(root.groups);
  if (typeof group === "string" && !Object.hasOwn(groups, group)) {
    const known = Object.keys(groups);
    problems.push(
      new ConfigError(
        file,
        "daemon.group",
        `no group "${group}" in [groups] (${
          known.length ? `known: ${known.join(", ")}` : "none is defined"
        })`,
      ),
    );
  }
  return problems;
}

/** The configuration used when there is no config file. */
export function defaultConfig(file = ""): Config {
  return { ...(structuredClone(DEFAULTS) as Omit<Config, "file" | "found">), file, found: false };
}
