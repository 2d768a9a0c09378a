/**
 * varietal — picks the next wallpaper, sets it, learns its colours and
 * themes the desktop from them.
 *
 * Requires `--allow-read --allow-write --allow-env --allow-run` and
 * `--allow-sys=osRelease,uid,gid,hostname`.
 *
 * @module
 */
if (import.meta.main) {
  // Our modules load by specifiers built here (Deno would prepare every literal
  // `import()` target at start-up, and static imports load whatever runs).
  const load = <T>(path: string) => import(new URL(path, import.meta.url).href) as Promise<T>;
  let args = Deno.args;
  // Whether a daemon may be listening: its control FIFO in $XDG_RUNTIME_DIR/varietal
  // (where src/config/paths.ts puts it when that is set). `controlFifoExists` of
  // src/pipeline/daemon_files.ts, written out here so that without a daemon neither
  // short way below loads a module.
  // A failure of a short way below (standard output unwritable, say) said as `main` says
  // it: one line, and its exit code. Loaded only then.
  const failed = async (e: unknown, command: string): Promise<never> => {
    const { failureOf } = await load<typeof import("./src/cli/errors.ts")>("./src/cli/errors.ts");
    const { message, exit } = failureOf(e, command);
    try {
      Deno.stderr.writeSync(new TextEncoder().encode(`varietal: ${message}\n`));
    } catch { /* nowhere to say it */ }
    Deno.exit(exit);
  };
  const daemonMayListen = () => {
    const dir = Deno.env.get("XDG_RUNTIME_DIR");
    if (!dir?.startsWith("/")) return true; // elsewhere: let the client look
    try {
      Deno.lstatSync(`${dir}/varietal/control/daemon.fifo`);
      return true;
    } catch {
      return false;
    }
  };
  // A key binding's bare `varietal next` goes to a running daemon before the command
  // line's modules load (src/cli/_next_client.ts); without one it runs the usual way.
  const bareNext = args[0] === "next" &&
    (args.length === 1 || (args.length === 2 && args[1] === "--json"));
  if (bareNext && daemonMayListen()) {
    const [{ quickNext }, { processContext }] = await Promise.all([
      load<typeof import("./src/cli/_next_client.ts")>("./src/cli/_next_client.ts"),
      load<typeof import("./src/cli/_context.ts")>("./src/cli/_context.ts"),
    ]);
    const ctx = processContext();
    let code: number | null;
    try {
      code = await quickNext(ctx, args.length === 2);
    } catch (e) {
      ctx.close();
      code = await failed(e, "next");
    } finally {
      ctx.close();
    }
    if (code !== null) Deno.exit(code);
    args = [...args, "--no-daemon"]; // asked already: run here
  }
  // So does a `varietal select` with only options that read no file of the sender's
  // (src/cli/_select_client.ts); a select with others, or without a daemon, runs here.
  if (args[0] === "select" && daemonMayListen()) {
    const { quickSelect } = await load<typeof import("./src/cli/_select_client.ts")>(
      "./src/cli/_select_client.ts",
    );
    const code = await quickSelect(args.slice(1), (k) => Deno.env.get(k))
      .catch((e) => failed(e, "select"));
    if (code !== null) Deno.exit(code);
  }
  const [{ main }, { processContext }] = await Promise.all([
    load<typeof import("./src/cli/main.ts")>("./src/cli/main.ts"),
    load<typeof import("./src/cli/_context.ts")>("./src/cli/_context.ts"),
  ]);
  // Exit as soon as the command is done (it awaits all its work): letting the
  // runtime wind down on its own costs a few milliseconds more per command.
  Deno.exit(await main(args, processContext));
}
