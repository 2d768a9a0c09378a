/**
 * varietal — picks the next wallpaper, sets it, learns its colours and
 * themes the desktop from them.
 *
 * Requires `--allow-read --allow-write --allow-env --allow-run` and
 * `--allow-sys=osRelease,uid,gid,hostname`.
 *
 * @module
 */
import { main } from "./src/cli/main.ts";
import { processContext } from "./src/cli/_context.ts";

if (import.meta.main) {
  // Exit as soon as the command is done (it awaits all its work): letting the
  // runtime wind down on its own costs a few milliseconds more per command.
  Deno.exit(await main(Deno.args, processContext));
}
