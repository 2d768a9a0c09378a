/**
 * `kde`: `plasma-apply-wallpaperimage --fill-mode MODE [SETTER_ARGS] PATH`
 * (every screen). `--fill-mode` came with Plasma 6.2; an older
 * plasma-apply-wallpaperimage rejects it as an unknown option (said in the C
 * locale, so the test does not depend on the user's language), and then the
 * image is set without it (and a warning says so once).
 *
 * plasma-apply-wallpaperimage refuses a path holding `'`, and writes the
 * path into a `file://` URL unescaped, which Plasma then reads with `#`
 * starting a fragment, `?` a query and `%` an escape (so `/w/pic #1.jpg`
 * would be looked for as `/w/pic `, while the tool says it was set). Such a
 * file is shown through a link with a plain name in `CACHE/kde-links/`
 * (./plain_link.ts).
 *
 * @module
 */
import { modeArg, type ModeMap, runSetterCommand, type Setter, warnOnce } from "../setter.ts";
import { SetterError } from "../setter_error.ts";
import { plainPath } from "../plain_link.ts";

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
    const path = await plainPath("kde", assignments[0].path, ctx, KDE_UNSAFE, KDE_WHY);
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
 * What plasma-apply-wallpaperimage refuses (`'`), reads as an escape or a line break of
 * the script it splices the path into (`\`, newlines), or Plasma misreads in the URL.
 */
const KDE_UNSAFE = /['#?%\\\n\r]/;
const KDE_WHY =
  "plasma-apply-wallpaperimage refuses a ' and Plasma misreads #, ?, %, \\ and line breaks in its path";
