// A varietal daemon as a child process, with its log read line by line.
import { spawnCli } from "../_helpers/env.ts";
import type { Fixture } from "./_fixture.ts";

/** Reads a child's stderr line by line; `waitFor` resolves on the first matching line. */
export function lineReader(child: Deno.ChildProcess) {
  const lines: string[] = [];
  let notify: (() => void) | undefined;
  const done = (async () => {
    const dec = new TextDecoder();
    let buf = "";
    for await (const chunk of child.stderr) {
      buf += dec.decode(chunk, { stream: true });
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        lines.push(buf.slice(0, i));
        buf = buf.slice(i + 1);
        notify?.();
      }
    }
    if (buf) lines.push(buf);
    notify?.();
  })();
  return {
    lines,
    done,
    count: (re: RegExp) => lines.filter((l) => re.test(l)).length,
    async waitFor(re: RegExp, n = 1, timeoutMs = 30_000): Promise<void> {
      const end = Date.now() + timeoutMs;
      while (lines.filter((l) => re.test(l)).length < n) {
        if (Date.now() > end) {
          throw new Error(`timed out waiting for ${re} ×${n}; log:\n${lines.join("\n")}`);
        }
        await Promise.race([
          new Promise<void>((r) => notify = r),
          new Promise((r) => setTimeout(r, 200)),
        ]);
      }
    },
  };
}

export async function until(fn: () => Promise<boolean>, what: string, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function probeWallpaper(file: string): Promise<string | undefined> {
  try {
    return (await Deno.readTextFile(file)).split("\n")[0];
  } catch {
    return undefined;
  }
}

const stopped = new WeakSet<Deno.ChildProcess>();

export async function stop(
  child: Deno.ChildProcess,
  log: ReturnType<typeof lineReader>,
  signal: Deno.Signal = "SIGTERM",
) {
  stopped.add(child);
  child.kill(signal);
  const status = await child.status;
  await log.done;
  await child.stdout.cancel();
  return status;
}

/** Starts a daemon; disposing kills it if a test failed before stopping it. */
export function startDaemon(
  f: Fixture,
  args: string[],
  env?: Record<string, string>,
) {
  const child = spawnCli(f.home, ["daemon", ...args], env ? { env } : {});
  const log = lineReader(child);
  return {
    child,
    log,
    async [Symbol.asyncDispose]() {
      if (stopped.has(child)) return;
      child.kill("SIGKILL");
      await child.status;
      await log.done;
      await child.stdout.cancel();
    },
  };
}
