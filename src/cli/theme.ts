// `varietal theme`: list templates, apply a palette to all of them, render one.
import type { CommandSpec, Invocation } from "./_command.ts";
import type { Context } from "./_context.ts";
import { boolFlag, expectArgs, stringFlag } from "./_parse.ts";
import { IMAGE_FLAG, JSON_FLAG, withHelp } from "./_flags.ts";
import { printable, styles } from "./_output.ts";
import { CliError, EXIT, isAbort, UsageError } from "./errors.ts";
import { type Syntax, SYNTAXES } from "../config/choices.ts";
import type { Config } from "../config/schema.ts";
import type { ThemePalette } from "../theme/render_inputs.ts";
import { hookStatus, type ThemeReport } from "../theme/theme_report.ts";
import { hexFlag, MATERIAL_FLAGS, materialChoice } from "./_material.ts";
import { checkFile } from "../file_check.ts";
import { normalizePath } from "../normal_path.ts";

const json = JSON_FLAG;
const fromColorFlag = {
  type: "string",
  value: "HEX",
  description: "Theme from this colour alone, no wallpaper (as matugen's 'color hex'): Material\n" +
    "roles from it, terminal colours harmonised to it, dark or light as [theme] mode",
} as const;
const paletteFlag = {
  type: "string",
  value: "FILE",
  description: "Palette from a wallust cache file or a pywal colors.json",
  complete: "file",
} as const;

export const spec: CommandSpec = {
  name: "theme",
  summary: "Render your templates with a wallpaper's palette",
  description: "Your templates are [[templates]] entries in config.toml, each a template file\n" +
    "(in ~/.config/varietal/templates/ or a built-in name), a target and an optional hook:\n" +
    "\n" +
    "  [[templates]]\n" +
    '  template = "kitty.conf"\n' +
    '  target = "~/.config/kitty/colors.conf"\n' +
    '  hook = ["kitty", "@", "set-colors", "-a", "~/.config/kitty/colors.conf"]\n' +
    "\n" +
    "Jinja ({{ color1 }}), pywal ({color1}) and matugen syntax are read. The built-ins are\n" +
    "also rendered into ~/.cache/varietal/theme/ ([theme] cache_builtins).",
  requireSub: true,
  subcommands: [
    {
      name: "list",
      summary: "List built-in and configured templates",
      options: { json },
      examples: ["varietal theme list", "varietal theme list --json"],
    },
    {
      name: "apply",
      summary: "Render every template, write the targets and run the hooks",
      args: "[IMAGE]",
      description:
        "Without IMAGE, --palette or --from-color, uses the palette of the wallpaper shown last\n(until the next wallpaper change themes again).\nExits 1 when a template failed or a hook ran and failed (the others are still written);\na hook whose program is not installed is only a warning.",
      options: {
        palette: paletteFlag,
        "from-color": fromColorFlag,
        "source-color": MATERIAL_FLAGS["source-color"],
        json,
      },
      examples: [
        "varietal theme apply",
        "varietal theme apply ~/Pictures/Wallpapers/forest.jpg",
        "varietal theme apply --palette ~/.cache/wal/colors.json --json",
        "varietal theme apply --from-color '#4285f4'",
      ],
    },
    {
      name: "render",
      summary: "Print one template rendered with a palette (for writing templates)",
      args: "TEMPLATE",
      complete: "template",
      description:
        "TEMPLATE is the name of a [[templates]] entry, a file or a built-in name\n(see 'varietal theme list'); an entry's name comes first.",
      options: {
        palette: paletteFlag,
        image: withHelp(IMAGE_FLAG, "Extract the palette from an image"),
        "from-color": fromColorFlag,
        syntax: {
          type: "string",
          choices: SYNTAXES,
          description: "Template syntax (default: guessed from the file)",
        },
        ...MATERIAL_FLAGS,
        json,
      },
      examples: [
        "varietal theme render kitty --palette ~/.cache/wal/colors.json",
        "varietal theme render ~/.config/varietal/templates/bar.css --image wall.jpg",
        "varietal theme render ~/.config/wal/templates/colors.sh --palette colors.json --syntax pywal",
        "varietal theme render ~/.config/matugen/templates/gtk.css --image wall.jpg --scheme vibrant",
        "varietal theme render gtk4 --source-color '#4285f4' --json",
        "varietal theme render kitty --from-color '#e91e63'",
      ],
    },
  ],
};

export async function run(ctx: Context, inv: Invocation): Promise<number> {
  switch (inv.sub) {
    case "list":
      return await list(ctx, inv);
    case "apply":
      return await apply(ctx, inv);
    case "render":
      return await render(ctx, inv);
  }
  throw new UsageError(`unknown subcommand '${inv.sub}'`, "theme");
}

async function list(ctx: Context, inv: Invocation): Promise<number> {
  expectArgs(inv, 0, 0, "theme list");
  const config = await ctx.config();
  const { ThemeEngine } = await import("../theme/engine.ts");
  const { listBuiltins } = await import("../theme/builtins.ts");
  const { userTemplateDir } = await import("../theme/theme_jobs.ts");
  const engine = new ThemeEngine({ config, paths: ctx.paths, env: ctx.env });
  const builtins = await listBuiltins();
  const jobs = await engine.jobs();
  const { findTemplate, guessedSyntaxWarning, loadTemplate } = await import(
    "../theme/template_lookup.ts"
  );
  const { guessSyntax } = await import("../theme/compile_template.ts");
  const configured = [];
  // Configured jobs come first, one per [[templates]] entry in order (names may repeat).
  for (const [i, j] of jobs.filter((j) => j.kind === "config").entries()) {
    const found = findTemplate(j.candidates)?.path ?? null;
    const warning = guessedSyntaxWarning(j.candidates, j.syntax);
    const t = config.templates[i];
    let problem = j.targetError ?? null;
    let guessed: string | null = null;
    if (found && j.syntax === null) {
      try {
        guessed = guessSyntax(found, Deno.readTextFileSync(found));
      } catch { /* said by the compile below */ }
    }
    // What `next` would meet: a template that is not there (or a folder, a FIFO) or does
    // not compile (with file, line and column).
    if (!problem) {
      try {
        loadTemplate(engine.cache, j.candidates, j.syntax);
      } catch (e) {
        problem = (e as Error).message;
      }
    }
    configured.push({
      name: j.name,
      template: t.template,
      path: found,
      target: j.target,
      syntax: j.syntax,
      guessed_syntax: guessed,
      hook: j.hook,
      problem,
      warning: problem ? null : warning,
    });
  }
  const data = {
    builtins: builtins.map((b) => ({
      name: b.name,
      file: b.file,
      path: b.path,
      // None when caching is off or a configured template writes that file instead.
      output: jobs.find((j) => j.name === `builtin:${b.name}`)?.target ?? null,
    })),
    configured,
    templates_dir: userTemplateDir(ctx.paths),
  };
  if (boolFlag(inv, "json")) {
    ctx.out.json(data);
    return EXIT.ok;
  }
  const s = styles(ctx.out.color);
  const w = Math.max(8, ...builtins.map((b) => b.name.length));
  ctx.out.line(s.bold("Built-in templates") + s.dim(`  (${builtins.length})`));
  for (const b of data.builtins) {
    ctx.out.line(`  ${b.name.padEnd(w)}  ${s.dim(b.output ?? b.file)}`);
  }
  ctx.out.line();
  ctx.out.line(
    s.bold("Configured templates") +
      s.dim(`  (${configured.length}, [[templates]] in ${config.file || "config.toml"})`),
  );
  if (configured.length === 0) {
    ctx.out.line(
      s.dim("  none; add [[templates]] entries (see 'varietal theme --help' and the README)"),
    );
  }
  for (const c of configured) {
    const status = c.problem ? s.red(`  ${c.problem}`) : "";
    const syntax = c.syntax ?? (c.guessed_syntax && `${c.guessed_syntax}, guessed`);
    ctx.out.line(
      `  ${s.bold(c.name)}  ${c.path ?? c.template}${
        syntax ? s.dim(` (${syntax})`) : ""
      } → ${c.target}${status}`,
    );
    if (c.hook.length) ctx.out.line(s.dim(`    hook: ${c.hook.join(" ")}`));
    if (c.warning) ctx.out.line(s.yellow(`    warning: ${c.warning}`));
  }
  return EXIT.ok;
}

async function apply(ctx: Context, inv: Invocation): Promise<number> {
  const [image] = expectArgs(inv, 0, 1, "theme apply", "image");
  const file = stringFlag(inv, "palette");
  const fromColor = fromColorOf(inv, "theme apply");
  if ([image, file, fromColor].filter(Boolean).length > 1) {
    throw new UsageError("give one of IMAGE, --palette FILE or --from-color HEX", "theme apply");
  }
  const config = await ctx.config();
  // Under the pipeline's lock, as a change writes its theme: a `next` under way finishes
  // first, and the picture on screen is read only then (read before, its colours could be
  // written over the theme of the picture that replaced it).
  const { acquireLock, DEFAULT_LOCK_WAIT_MS, pipelineLockFile } = await import(
    "../pipeline/lock.ts"
  );
  using _lock = await acquireLock(pipelineLockFile(ctx.paths), {
    timeoutMs: DEFAULT_LOCK_WAIT_MS,
    purpose: "theme apply",
    signal: ctx.interrupt(),
  });
  let palette: ThemePalette, wallpaper: string | null;
  if (file) ({ palette, wallpaper } = await fromFile(file));
  else if (image) ({ palette, wallpaper } = await fromImage(ctx, image, config));
  else if (fromColor) ({ palette, wallpaper } = await fromColorAlone(ctx, config, fromColor));
  else ({ palette, wallpaper } = await fromLastShow(ctx, config));
  const { ThemeEngine } = await import("../theme/engine.ts");
  const engine = new ThemeEngine({ config, paths: ctx.paths, env: ctx.env });
  if (!config.theme.enabled) {
    ctx.out.err("varietal: [theme] enabled = false in config.toml; nothing rendered");
  }
  const sourceColor = fromColor ?? materialChoice(inv, config, "theme apply").sourceColor;
  const report = await engine.apply(palette, wallpaper, {
    signal: ctx.interrupt(),
    ...(sourceColor ? { sourceColor } : {}),
  });
  if (boolFlag(inv, "json")) ctx.out.json(report);
  else printReport(ctx, report);
  // Failures (and hooks whose program is not installed, a warning as in `next`) are said on
  // stderr, with --json too, as `next` says them.
  for (const f of report.failed) ctx.out.err(`varietal: theme: ${f.name}: ${f.reason ?? "failed"}`);
  for (const h of report.hooks) {
    const status = hookStatus(h);
    if (status === "failed") ctx.out.err(`varietal: theme: hook of ${h.name}: ${h.reason}`);
    if (status === "missing") ctx.out.err(`varietal: warning: hook of ${h.name}: ${h.reason}`);
  }
  const failed = report.failed.length > 0 ||
    report.hooks.some((h) => hookStatus(h) === "failed");
  return failed ? EXIT.error : EXIT.ok;
}

function printReport(ctx: Context, r: ThemeReport): void {
  const s = styles(ctx.out.color);
  // Names and targets are the user's files: shown escaped. Failures go to stderr (run()).
  const p = printable;
  for (const w of r.written) ctx.out.line(`${s.green("wrote")}  ${p(w.name)} → ${p(w.target)}`);
  for (const h of r.hooks) if (h.ok) ctx.out.line(`${s.green("hook")}   ${p(h.name)}`);
  if (r.terminals) ctx.out.line(`${s.green("terminals")} ${r.terminals.length} recoloured`);
  const hooksFailed = r.hooks.filter((h) => hookStatus(h) === "failed").length;
  ctx.out.line(
    s.dim(
      `${r.written.length} written, ${r.failed.length} failed` +
        (hooksFailed ? `, ${hooksFailed} hook(s) failed` : "") + ` in ${r.ms.toFixed(1)} ms`,
    ),
  );
}

async function render(ctx: Context, inv: Invocation): Promise<number> {
  const [name] = expectArgs(inv, 1, 1, "theme render", "template");
  const file = stringFlag(inv, "palette"), image = stringFlag(inv, "image");
  const fromColor = fromColorOf(inv, "theme render");
  const config = await ctx.config();
  const choice = materialChoice(inv, config, "theme render");
  if (fromColor) choice.sourceColor = fromColor;
  if ([file, image, fromColor].filter(Boolean).length > 1) {
    throw new UsageError(
      "give one of --palette FILE, --image IMAGE or --from-color HEX",
      "theme render",
    );
  }
  if (!file && !image && !choice.sourceColor) {
    throw new UsageError(
      "give one of --palette FILE, --image IMAGE, --from-color HEX or --source-color HEX",
      "theme render",
    );
  }
  const whole = file || image || fromColor; // a palette with every colour
  const got = file
    ? await fromFile(file)
    : image
    ? await fromImage(ctx, image, config)
    : fromColor
    ? await fromColorAlone(ctx, config, fromColor)
    : { palette: sourceOnlyPalette(choice.sourceColor!), wallpaper: null };
  const { renderInputs } = await import("../theme/render_inputs.ts");
  const { loadTemplate, TemplateNotFoundError, templateCandidates } = await import(
    "../theme/template_lookup.ts"
  );
  const { TemplateCache } = await import("../theme/template_cache.ts");
  const { listBuiltins } = await import("../theme/builtins.ts");
  const { themeJobs, userTemplateDir } = await import("../theme/theme_jobs.ts");
  const userDir = userTemplateDir(ctx.paths);
  const builtins = await listBuiltins();
  // The name of a [[templates]] entry renders that entry (its file and syntax), before
  // a file of that name or a built-in; a path is always a path.
  const entry = name.includes("/")
    ? undefined
    : themeJobs(config, ctx.paths, builtins, ctx.env).find((j) =>
      j.kind === "config" && j.name === name
    );
  const candidates = entry?.candidates ??
    templateCandidates(name, userDir, builtins, { cwd: Deno.cwd() });
  let path: string, text: string, syntax: Syntax;
  try {
    const loaded = await loadTemplate(
      new TemplateCache(),
      candidates,
      (stringFlag(inv, "syntax") as Syntax | undefined) ?? entry?.syntax ?? null,
    );
    path = loaded.candidate.path;
    syntax = loaded.template.syntax;
    if (syntax !== "matugen" && !whole) {
      throw new UsageError(
        `${path} is a ${syntax} template: give --palette FILE, --image IMAGE or --from-color HEX`,
        "theme render",
      );
    }
    // A palette made only of a source colour has no colours to restyle; one from a colour
    // has its ANSI colours already.
    const inputs = await renderInputs(got.palette, got.wallpaper, {
      alpha: config.theme.alpha,
      style: file || image ? config.palette.style : "wallpaper",
      material: {
        scheme: choice.scheme,
        contrast: choice.contrast,
        mode: config.theme.mode,
        system: () => systemScheme(ctx),
        ...(choice.sourceColor ? { sourceColor: choice.sourceColor } : {}),
      },
    });
    text = await inputs.render(loaded);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (e instanceof TemplateNotFoundError) {
      throw new CliError(
        `template '${name}' not found: not a file, not in ${userDir}, not a built-in (see 'varietal theme list')`,
      );
    }
    throw new CliError((e as Error).message, EXIT.error, { cause: e });
  }
  if (boolFlag(inv, "json")) ctx.out.json({ template: path, syntax, text });
  else ctx.out.text(text); // as `theme apply` writes it to the target, byte for byte
  return EXIT.ok;
}

/** `--from-color`, checked; with `--source-color` too it is refused (it is the source colour). */
function fromColorOf(inv: Invocation, path: string): string | undefined {
  const hex = hexFlag(inv, "from-color", path);
  if (hex && stringFlag(inv, "source-color") !== undefined) {
    throw new UsageError(
      "--from-color is the Material source colour too: leave out --source-color",
      path,
    );
  }
  return hex;
}

/**
 * The palette of a colour alone (`--from-color`): dark or light as `[theme] mode` says
 * (the desktop's preference for "system"; for "auto", which follows a wallpaper's palette,
 * `[palette] variant`).
 */
async function fromColorAlone(
  ctx: Context,
  config: Config,
  hex: string,
): Promise<{ palette: ThemePalette; wallpaper: null }> {
  // "auto" follows a wallpaper's palette: with none, `[palette] variant` says which.
  const mode = config.theme.mode;
  const light = mode === "light" ||
    (mode === "auto" && config.palette.variant === "light16") ||
    (mode === "system" && (await systemScheme(ctx))?.scheme === "light");
  const { paletteFromColor } = await import("../palette/from_color.ts");
  return { palette: paletteFromColor(hex, light ? "light16" : "dark16"), wallpaper: null };
}

/** A palette that only carries a Material source colour (`theme render --source-color`). */
function sourceOnlyPalette(source: string): ThemePalette {
  return {
    origin: "builtin",
    variant: "dark16",
    background: "#000000",
    foreground: "#ffffff",
    cursor: "#ffffff",
    colors: Array(16).fill(source),
    avg_hue: null,
    avg_saturation: 0,
    avg_lightness: 0,
    temperature: 0,
    source_color: source,
  };
}

/** The desktop's light/dark preference (`[theme] mode = "system"`). */
async function systemScheme(ctx: Context) {
  const { detectColorScheme } = await import("../desktop/color_scheme.ts");
  return await detectColorScheme({ configHome: ctx.paths.configHome, path: ctx.env("PATH") });
}

async function fromFile(
  file: string,
): Promise<{ palette: ThemePalette; wallpaper: string | null }> {
  const { readPaletteFile } = await import("../palette/palette_file.ts");
  try {
    const palette = await readPaletteFile(file);
    return { palette, wallpaper: palette.wallpaper ?? null };
  } catch (e) {
    throw new CliError((e as Error).message, EXIT.error, { cause: e });
  }
}

async function fromImage(
  ctx: Context,
  image: string,
  config: Config,
): Promise<{ palette: ThemePalette; wallpaper: string }> {
  // As `palette` and `next --image` name it: `..` and `.` resolved, so configs name it plainly.
  const path = normalizePath(image.startsWith("/") ? image : `${Deno.cwd()}/${image}`);
  const check = checkFile(path, { read: true });
  if (check !== "ok") {
    let why = check;
    if (check === "missing") {
      const st = await Deno.stat(path).catch(() => null);
      why = st ? "not a file (give an image file)" : "no such file";
    }
    throw new CliError(`cannot read image ${printable(image)}: ${why}`);
  }
  const { paletteForImage } = await import("../palette/palette_for_image.ts");
  try {
    const { palette, warnings } = await paletteForImage(path, {
      config,
      paths: ctx.paths,
      signal: ctx.interrupt(), // Ctrl-C stops wallust too (it has a process group of its own)
    });
    for (const w of warnings) ctx.out.err(`varietal: ${w}`);
    return { palette, wallpaper: path };
  } catch (e) {
    if (isAbort(e)) throw e;
    // The extractor's errors name the file already ("Cannot decode FILE: …").
    const message = (e as Error).message;
    throw new CliError(
      message.includes(path) ? message : `cannot get a palette from ${image}: ${message}`,
      EXIT.error,
      { cause: e },
    );
  }
}

async function fromLastShow(
  ctx: Context,
  config: Config,
): Promise<{ palette: ThemePalette; wallpaper: string }> {
  const db = await ctx.db();
  const { currentWallpaper } = await import("../pipeline/browse.ts");
  const { getPalette } = await import("../db/palettes.ts");
  const last = await currentWallpaper(db, ctx.paths.state);
  if (!last) {
    throw new CliError(
      "no wallpaper has been shown yet: give an IMAGE, --palette FILE or --from-color HEX, or run " +
        "'varietal next'",
    );
  }
  const { getCredit, plainCredit } = await import("../db/attribution.ts");
  const credit = getCredit(db, last.image_id);
  const image = credit ? plainCredit(credit) : null;
  const stored = getPalette(db, last.image_id);
  if (stored) return { palette: { ...stored, image }, wallpaper: last.path };
  const fresh = await fromImage(ctx, last.path, config);
  return { ...fresh, palette: { ...fresh.palette, image } };
}
