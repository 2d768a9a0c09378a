/**
 * `kde`: `plasma-apply-wallpaperimage --fill-mode MODE [SETTER_ARGS] PATH`
 * (every screen). `--fill-mode` came with Plasma 6; an older
 * plasma-apply-wallpaperimage rejects it as an unknown option, and then the
 * image is set without it (and a warning says so once).
 *
 * @module
 */
import { modeArg, type ModeMap, runSetterCommand, type Setter, warnOnce } from "../setter.ts";
import { SetterError } from "../setter_error.ts";

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
    const path = assignments[0].path;
    const plain = ["plasma-apply-wallpaperimage", ...ctx.config.setter_args, path];
    if (noFillMode) {
      await runSetterCommand("kde", plain, ctx);
      return;
    }
    const mode = ["--fill-mode", modeArg(KDE_MODES, ctx.config)];
    try {
      await runSetterCommand("kde", [plain[0], ...mode, ...plain.slice(1)], ctx);
    } catch (e) {
      if (!(e instanceof SetterError) || !/unknown option/i.test(`${e.stderr}\n${e.message}`)) {
        throw e;
      }
      noFillMode = true;
      warnOnce(
        ctx,
        "plasma-apply-wallpaperimage has no --fill-mode (Plasma before 6); the mode is left as Plasma has it",
      );
      await runSetterCommand("kde", plain, ctx);
    }
  },
};
