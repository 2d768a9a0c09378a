/**
 * What a wallpaper notification says (pure): the picture's title or file
 * name as the summary, its author and folder in the body.
 *
 * @module
 */
import { printable } from "../text/printable.ts";

/** The image a notification is about; title and author come from its attribution, if any. */
export interface NotificationSubject {
  path: string;
  title?: string;
  author?: string;
}

/** A notification's two texts. */
export interface NotificationText {
  /** Plain text (the specification gives the summary no markup). */
  summary: string;
  /** May be read as markup by the server, so `&`, `<` and `>` are escaped. */
  body: string;
}

function escapeMarkup(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/**
 * The summary and body for an image. Control characters in names are shown
 * as escapes ({@linkcode printable}), so a file name cannot add lines.
 *
 * @example
 * ```ts
 * import { notificationText } from "./notification_text.ts";
 * const t = notificationText({ path: "/w/fjord.jpg", author: "Ana" });
 * if (t.summary !== "fjord.jpg" || t.body !== "by Ana\n/w") throw new Error();
 * ```
 */
export function notificationText(subject: NotificationSubject): NotificationText {
  const slash = subject.path.lastIndexOf("/");
  const name = subject.path.slice(slash + 1);
  const folder = slash > 0 ? subject.path.slice(0, slash) : "/";
  const title = subject.title?.trim() || undefined;
  const author = subject.author?.trim() || undefined;
  const body = [author ? `by ${author}` : "", title ? name : "", folder].filter(Boolean)
    .map((l) => escapeMarkup(printable(l)));
  return { summary: printable(title ?? name), body: body.join("\n") };
}
