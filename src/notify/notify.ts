/**
 * A desktop notification for a new wallpaper, through `notify-send` (argv,
 * no shell). Rapid changes replace one notification instead of stacking up
 * (the synchronous hints understood by dunst, swaync, notify-osd and
 * others). Failing to notify never fails a wallpaper change: it becomes a
 * warning.
 *
 * @module
 */
import type { NotifyConfig } from "../config/schema.ts";
import { CommandError, type CommandRunner, runCommand } from "../process/run_command.ts";
import { type NotificationSubject, notificationText } from "./notification_text.ts";

/** The name notifications are sent under and grouped by. */
export const APP_NAME = "varietal";

/**
 * The notify-send argv for an image (pure): app name, the image itself as
 * the icon (its thumbnail), low urgency, replace hints, then `--` so a
 * summary starting with `-` is not read as an option.
 */
export function notifyArgv(program: string, subject: NotificationSubject): string[] {
  const { summary, body } = notificationText(subject);
  return [
    program,
    `--app-name=${APP_NAME}`,
    `--icon=${subject.path}`,
    "--urgency=low",
    `--hint=string:x-canonical-private-synchronous:${APP_NAME}`,
    `--hint=string:x-dunst-stack-tag:${APP_NAME}`,
    "--",
    summary,
    body,
  ];
}

/**
 * Shows a notification for `subject` when `[notify] enabled`.
 *
 * @returns A warning when notify-send is missing, fails or times out; null otherwise.
 */
export async function notifyShow(
  subject: NotificationSubject,
  config: NotifyConfig,
  run: CommandRunner = runCommand,
): Promise<string | null> {
  if (!config.enabled) return null;
  try {
    await run(notifyArgv(config.program, subject), {
      timeoutMs: config.timeout * 1000,
      stdout: "null",
      killAfterMs: 0,
    });
    return null;
  } catch (e) {
    if (e instanceof CommandError) return `notification not shown: ${e.message}`;
    return `notification not shown: ${(e as Error).message}`;
  }
}
