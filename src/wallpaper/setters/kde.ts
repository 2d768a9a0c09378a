/**
 * `kde`: `plasma-apply-wallpaperimage --fill-mode MODE [SETTER_ARGS] PATH`
 * (every screen). `--fill-mode` came with Plasma 6.2; an older
 * plasma-apply-wallpaperimage rejects it as an unknown option (said in the C
 * locale, so the test does not depend on the user's language), and then the
 * image is set without it (and a warning says so once).
 *
 * plasma-apply-wallpaperimage refuses a path holding `'`; such a file is
 * shown through a link with a plain name in `CACHE/kde-links/` (kept, since
 * Plasma remembers the path it was given).
 *
 * @module
 */
import { modeArg, type ModeMap, runSetterCommand, type Setter, warnOnce } from "../setter.ts";
import { SetterError } from "../setter_error.ts";
import { nameHash } from "../../text/name_hash.ts";

/** plasma-apply-wallpaperimage's `--fill-mode` value for each mode. */
export const KDE_MODES: ModeMap = {
  fill: "preserveAspectCrop",
  fit: "preserveAspectFit",
  center: "pad",
  tile: "tile",
  stretch: "stretch",
};

let noFillMode = false;

/** Forgets that this Plasma lacks `--fill-mode` (tests). */
export function resetKdeFillMode(): void {
  noFillMode = false;
}

/** KDE Plasma (one image for every screen). */
export const kde: Setter = {
  name: "kde",
  description: "plasma-apply-wallpaperimage --fill-mode (KDE Plasma)",
  programs: ["plasma-apply-wallpaperimage"],
  modes: KDE_MODES,
  svg: true,
  perOutput: () => false,
  async apply(assignments, ctx) {
    const path = await plainPath(assignments[0].path, ctx);
    const plain = ["plasma-apply-wallpaperimage", ...ctx.config.setter_args, path];
    if (noFillMode) {
      await runSetterCommand("kde", plain, ctx);
      return;
    }
    const mode = ["--fill-mode", modeArg(KDE_MODES, ctx.config)];
    try {
      await runSetterCommand("kde", [plain[0], ...mode, ...plain.slice(1)], ctx, C_LOCALE);
    } catch (e) {
      if (!(e instanceof SetterError) || !/unknown option/i.test(`${e.stderr}\n${e.message}`)) {
        throw e;
      }
      noFillMode = true;
      warnOnce(
        ctx,
        "plasma-apply-wallpaperimage has no --fill-mode (Plasma before 6.2); the mode is left as Plasma has it",
      );
      await runSetterCommand("kde", plain, ctx);
    }
  },
};

/** Messages in English, whatever the user's language: the unknown-option test reads them. */
const C_LOCALE = { LC_ALL: "C", LANGUAGE: "C" };

/**
 * The path to give plasma-apply-wallpaperimage: the image's own, or for one
 * holding `'` (which it refuses) a link to it named by a hash of the path.
 *
 * @throws {SetterError} For such a path when there is no cache folder.
 */
async function plainPath(path: string, ctx: { cacheDir?: string }): Promise<string> {
  if (!path.includes("'")) return path;
  if (!ctx.cacheDir) {
    throw new SetterError(
      "kde",
      `setter 'kde' cannot show ${path}: plasma-apply-wallpaperimage refuses a ' in a path; rename the file`,
      1,
    );
  }
  const dir = `${ctx.cacheDir}/kde-links`;
  const ext = /\.[A-Za-z0-9]{1,5}$/.exec(path)?.[0].toLowerCase() ?? "";
  const link = `${dir}/${nameHash(path)}${ext}`;
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const current = await Deno.readLink(link).catch(() => null);
  if (current !== path) {
    await Deno.remove(link).catch(() => {});
    await Deno.symlink(path, link);
  }
  return link;
}
