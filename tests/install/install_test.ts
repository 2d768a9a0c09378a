// `deno task install`: a launcher on PATH that works from any folder, offline, without deno on PATH.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { ROOT, RUN_FLAGS, tempHome } from "../_helpers/env.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";
import { fetchFailure, keepDeno } from "../../src/install/install.ts";
import {
  inNpxCache,
  launcherArgv,
  launcherScript,
  MALLOC_SETTING,
  onPath,
  shellQuote,
  taskRunFlags,
} from "../../src/install/launcher.ts";

const denoJson = await Deno.readTextFile(`${ROOT}/deno.json`);
const tasks = (JSON.parse(denoJson) as { tasks: Record<string, string> }).tasks;

Deno.test("the launcher runs main.ts with the varietal task's exact flags and the checkout's config", () => {
  const perms = taskRunFlags(denoJson);
  assertEquals(
    perms,
    tasks.varietal.split(/\s+/).filter((w) => w.startsWith("--allow-") || w.startsWith("--v8")),
  );
  assertEquals(perms, RUN_FLAGS, "tests spawn varietal as the launcher does");
  assert(!perms.some((p) => /^--allow-(net|ffi|all)$/.test(p)), "no more than the task grants");
  const spec = {
    deno: "/opt/my deno/deno",
    root: "/src/it's",
    flags: perms,
    denoVersion: "2",
    path: "/home/u/.local/bin/varietal",
  };
  assertEquals(launcherArgv(spec), [
    "/opt/my deno/deno",
    "run",
    "--quiet",
    "--cached-only",
    ...perms,
    "--config",
    "/src/it's/deno.json",
    "/src/it's/main.ts",
  ]);
  const script = launcherScript(spec);
  assert(script.startsWith("#!/bin/sh\n"));
  assertStringIncludes(script, `exec '/opt/my deno/deno' run --quiet $cached `);
  assertStringIncludes(script, `--config '/src/it'\\''s/deno.json' '/src/it'\\''s/main.ts' "$@"\n`);
  assertEquals(shellQuote("/plain/path-1.2"), "/plain/path-1.2");
  assert(inNpxCache("/home/u/.npm/_npx/7a40be787520bede/node_modules/deno/deno"));
  assert(!inNpxCache("/home/u/.deno/bin/deno"));
  assert(onPath("/home/u/.local/bin", "/usr/bin:/home/u/.local/bin/:/bin"));
  assert(!onPath("/home/u/.local/bin", "/usr/bin:/bin"));
});

Deno.test("the launcher sets the malloc setting, and --cached-only until the checkout's deno.lock changes", async () => {
  await using home = await tempHome();
  // A stand-in Deno that prints what it was started with.
  const fake = `${home.root}/deno`;
  await Deno.writeTextFile(
    fake,
    `#!/bin/sh\nprintf '%s|%s\\n' "\${${MALLOC_SETTING.name}-unset}" "$*"\n`,
  );
  await Deno.chmod(fake, 0o700);
  const launcher = `${home.root}/varietal`;
  const root = `${home.root}/checkout`;
  await Deno.mkdir(`${root}/node_modules`, { recursive: true });
  await Deno.writeTextFile(`${root}/main.ts`, "");
  await Deno.writeTextFile(`${root}/deno.lock`, "{}\n");
  await Deno.utime(
    `${root}/deno.lock`,
    new Date(Date.now() - 60_000),
    new Date(Date.now() - 60_000),
  );
  await Deno.writeTextFile(
    launcher,
    launcherScript({ deno: fake, root, flags: RUN_FLAGS, denoVersion: "2", path: launcher }),
  );
  await Deno.chmod(launcher, 0o700);
  const setting = `${MALLOC_SETTING.name}=${MALLOC_SETTING.value}`;
  const run = async (env: Record<string, string>) => {
    const r = await new Deno.Command(launcher, {
      args: ["daemon", "-q"],
      env,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(r.code, 0, new TextDecoder().decode(r.stderr));
    const [value, argv] = new TextDecoder().decode(r.stdout).trim().split("|");
    return [value, argv, new TextDecoder().decode(r.stderr)];
  };
  const [value, argv, stderr] = await run({ PATH: "/usr/bin:/bin" });
  assertEquals(value, MALLOC_SETTING.value);
  assert(argv.startsWith("run --quiet --cached-only "), argv);
  assert(argv.endsWith(`${root}/main.ts daemon -q`), argv);
  assertEquals(stderr, "");
  // Its node_modules deleted: one line says what mends it, then Deno runs as before.
  await Deno.remove(`${root}/node_modules`);
  const [, again, gone] = await run({ PATH: "/usr/bin:/bin" });
  assertEquals(again, argv);
  assertEquals(
    gone,
    `varietal: ${root}/node_modules is gone; if this fails, run 'deno task install' there ` +
      "again (it fetches the npm packages)\n",
  );
  await Deno.mkdir(`${root}/node_modules`);
  // An updated checkout whose deno.lock is newer than the launcher may need new npm packages:
  // Deno may fetch them, and the user is told to install again.
  await Deno.utime(
    `${root}/deno.lock`,
    new Date(Date.now() + 60_000),
    new Date(Date.now() + 60_000),
  );
  const [, updated, hint] = await run({ PATH: "/usr/bin:/bin" });
  assertEquals(updated, argv.replace("--cached-only ", ""));
  assertEquals(
    hint,
    `varietal: ${root}/deno.lock changed after 'deno task install'; run it there again ` +
      "(until then Deno may fetch npm packages)\n",
  );
  // A value of the user's own is kept.
  assertEquals((await run({ PATH: "/usr/bin:/bin", [MALLOC_SETTING.name]: "65536" }))[0], "65536");
  // `deno task daemon` and `deno task varietal daemon` set it; so does the systemd unit.
  for (const name of ["varietal", "daemon"]) {
    assert(tasks[name].startsWith(`${setting} deno run `), `the ${name} task: ${tasks[name]}`);
  }
  const unit = await Deno.readTextFile(`${ROOT}/contrib/systemd/varietal.service`);
  assertStringIncludes(unit, `\nEnvironment=${setting}\n`);
  // Started in a folder since deleted: said in our words (Deno's would be a raw error and a
  // backtrace), exit 1, Deno never started. (The shell may say its own line first.)
  const gone2 = `${home.root}/gone`;
  await Deno.mkdir(gone2);
  const inGone = new Deno.Command("/bin/sh", {
    args: ["-c", `cd '${gone2}' && rmdir '${gone2}' && exec '${launcher}' next`],
    env: { PATH: "/usr/bin:/bin" },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  });
  const deleted = await inGone.output();
  assertEquals(deleted.code, 1);
  assertEquals(new TextDecoder().decode(deleted.stdout), "", "the fake deno did not run");
  assertStringIncludes(
    new TextDecoder().decode(deleted.stderr),
    "varietal: the current folder was deleted (or cannot be read); cd to another folder and " +
      "try again\n",
  );
  // The checkout moved away: one line that says what to do, exit 1, Deno never started.
  await Deno.rename(root, `${root}-moved`);
  const moved = await new Deno.Command(launcher, {
    args: ["next"],
    env: { PATH: "/usr/bin:/bin" },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(moved.code, 1);
  assertEquals(new TextDecoder().decode(moved.stdout), "", "the fake deno did not run");
  assertEquals(
    new TextDecoder().decode(moved.stderr),
    `varietal: the checkout ${root} cannot be found (moved or deleted, or a folder on its way ` +
      "is closed to you); run 'deno task install' again in its new place\n",
  );
});

/** Runs a command line with /bin/sh (by absolute path) and exactly this environment. */
async function sh(script: string, env: Record<string, string>, cwd: string) {
  const r = await new Deno.Command("/bin/sh", {
    args: ["-c", script],
    env,
    clearEnv: true,
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
}

Deno.test("deno task install puts a varietal on PATH that runs from any folder without deno or network", async () => {
  await using home = await tempHome();
  const prefix = `${home.home}/apps`; // in the home, as the default ~/.local
  const installed = await installTask(["--prefix", prefix], {
    ...home.env,
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
  });
  const out = installed.stdout;
  assertEquals(installed.code, 0, out + installed.stderr);
  const launcher = `${prefix}/bin/varietal`;
  assertStringIncludes(out, `Installed ${launcher}`);
  assertStringIncludes(out, `${prefix}/bin is not on your PATH`);
  // In the user's home: private, as every file and folder varietal makes there.
  assertEquals((await Deno.stat(launcher)).mode! & 0o777, 0o700, "executable, by its owner only");
  assertEquals((await Deno.stat(`${prefix}/bin`)).mode! & 0o777, 0o700);
  assertEquals((await Deno.stat(prefix)).mode! & 0o777, 0o700, "a parent folder it made");
  const copied = inNpxCache(Deno.execPath());
  assertEquals(out.includes("npx's cache"), copied);
  if (copied) assert((await Deno.stat(`${prefix}/lib/varietal/deno`)).isFile);

  // A user's session elsewhere: a fresh home (no Deno cache), a PATH holding only the launcher's
  // folder (no deno), and an npm registry on loopback that counts who calls it: Deno looks up
  // packages its cache lacks in the background unless told not to, and varietal must not.
  const user = `${home.root}/user`;
  const work = `${user}/elsewhere`;
  await writeImage(`${work}/pics/a.png`, {
    width: 640,
    height: 480,
    colors: [COLORS.navy, COLORS.orange],
  });
  await writeImage(`${work}/pics/b.png`, {
    width: 640,
    height: 480,
    colors: [COLORS.red, COLORS.teal],
  });
  await using registry = countingListener();
  const env = {
    HOME: user,
    PATH: `${prefix}/bin`,
    NPM_CONFIG_REGISTRY: `http://127.0.0.1:${registry.port}/`,
    NO_COLOR: "1",
  };
  const version = await sh("varietal --version", env, work);
  assertEquals(version.code, 0, version.stderr);
  assertEquals(version.stdout, `${(await sh("varietal --version", env, "/")).stdout}`);
  assertStringIncludes(version.stdout, "varietal ");
  assertEquals(version.stderr, "", "no 'Task' line, no downloads");
  // Relative paths are the caller's, not the checkout's.
  const added = await sh("varietal sources add pics", env, work);
  assertEquals(added.code, 0, added.stderr);
  assertStringIncludes(added.stdout, `${work}/pics`);
  const scan = await sh("varietal scan --json", env, work);
  assertEquals(scan.code, 0, scan.stderr);
  assertEquals((JSON.parse(scan.stdout) as { added: number }).added, 2);
  const next = await sh("varietal next --setter none --json", env, "/");
  assertEquals(next.code, 0, next.stderr);
  assert((JSON.parse(next.stdout) as { path: string }).path.startsWith(`${work}/pics/`));
  assert(!/Task|Download/.test(next.stderr), next.stderr);
  // That `next` extracted a palette (the PNG decoder and the Material library, loaded by name).
  assertEquals(
    (JSON.parse(next.stdout) as { shows: { palette_from: string }[] }).shows[0]
      .palette_from,
    "extracted",
  );
  assertEquals(registry.connections, 0, "nothing called the npm registry");
});

/** A TCP listener on loopback that counts and closes the connections it gets (at most 100). */
function countingListener(): AsyncDisposable & { port: number; readonly connections: number } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let connections = 0;
  const done = (async () => {
    for await (const conn of listener) {
      connections++;
      conn.close();
      if (connections >= 100) break;
    }
  })().catch(() => {});
  return {
    port: (listener.addr as Deno.NetAddr).port,
    get connections() {
      return connections;
    },
    async [Symbol.asyncDispose]() {
      try {
        listener.close();
      } catch { /* closed after 100 */ }
      await done;
    },
  };
}

/** `deno task install ARGS` in the checkout, with this environment. */
async function installTask(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "install", ...args],
    cwd: ROOT,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Whether others (not owner, not group) are kept from `path`: a folder on its way or the file itself. */
function closedToOthers(path: string, bit: number): boolean {
  const parts = path.split("/").filter(Boolean);
  const folders = parts.slice(0, -1).map((_, i) => "/" + parts.slice(0, i + 1).join("/"));
  return folders.some((d) => ((Deno.statSync(d).mode ?? 0o755) & 0o001) === 0) ||
    ((Deno.statSync(path).mode ?? 0o755) & bit) === 0;
}

Deno.test("deno task install --deno PATH uses that Deno as is; VARIETAL_PREFIX sets the prefix", async () => {
  await using home = await tempHome();
  const prefix = `${home.root}/other prefix`;
  const env = { ...home.env, VARIETAL_PREFIX: prefix };
  const r = await installTask(["--deno", Deno.execPath()], {
    ...env,
    PATH: `${prefix}/bin:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
  });
  const out = r.stdout;
  assertEquals(r.code, 0, out + r.stderr);
  assertStringIncludes(out, `${prefix}/bin is on your PATH`);
  assertStringIncludes(
    await Deno.readTextFile(`${prefix}/bin/varietal`),
    shellQuote(Deno.execPath()),
  );
  // Outside the home (/usr/local, /opt): for every user of the machine, so runnable by all;
  // what keeps others from the checkout or Deno is said.
  assertStringIncludes(out, "for every user of this machine");
  assertEquals(
    out.includes("warning: other users cannot run it: "),
    closedToOthers(`${ROOT}/main.ts`, 0o004) || closedToOthers(Deno.execPath(), 0o001),
    out,
  );
  assertEquals((await Deno.stat(`${prefix}/bin/varietal`)).mode! & 0o777, 0o755);
  assertEquals((await Deno.stat(`${prefix}/bin`)).mode! & 0o777, 0o755);
  assert(!(await Deno.stat(`${prefix}/lib`).then(() => true, () => false)), "nothing copied");
  // A link to a Deno in npx's cache (a /usr/local/bin/deno made from it) gets the note.
  await Deno.mkdir(`${home.root}/_npx/d`, { recursive: true });
  await Deno.writeTextFile(
    `${home.root}/_npx/d/deno`,
    `#!/bin/sh\nexec ${shellQuote(Deno.execPath())} "$@"\n`,
    { mode: 0o755 },
  );
  await Deno.symlink(`${home.root}/_npx/d/deno`, `${home.root}/deno`);
  const linked = await installTask(["--deno", `${home.root}/deno`], env);
  assertEquals(linked.code, 0, linked.stderr);
  assertStringIncludes(linked.stdout, "is in npx's cache");
  // A Deno that does not run: the launcher that works is kept, and nothing is left beside it.
  const working = await Deno.readTextFile(`${prefix}/bin/varietal`);
  await Deno.writeTextFile(`${home.root}/failing-deno`, "#!/bin/sh\nexit 3\n", { mode: 0o755 });
  const broken = await installTask(["--deno", `${home.root}/failing-deno`], env);
  assertEquals(broken.code, 1);
  assertStringIncludes(broken.stderr, `the new launcher does not run: `);
  assertStringIncludes(broken.stderr, "was left as it was");
  assertEquals(await Deno.readTextFile(`${prefix}/bin/varietal`), working);
  assertEquals([...Deno.readDirSync(`${prefix}/bin`)].map((e) => e.name), ["varietal"]);
  // One that is not there is named at once.
  const none = await installTask(["--deno", `${home.root}/no/deno`], env);
  assertEquals(none.code, 1);
  assertStringIncludes(
    none.stderr,
    `\nvarietal install: --deno ${home.root}/no/deno: no such program (give the path of a deno ` +
      "executable)\n",
  );
  assertEquals(await Deno.readTextFile(`${prefix}/bin/varietal`), working);
  // The Deno a launcher runs removed afterwards: it says what to do in one line.
  await Deno.copyFile(Deno.execPath(), `${home.root}/deno-copy`);
  await Deno.chmod(`${home.root}/deno-copy`, 0o755);
  const copyInstall = await installTask(["--deno", `${home.root}/deno-copy`], env);
  assertEquals(copyInstall.code, 0, copyInstall.stderr);
  await Deno.remove(`${home.root}/deno-copy`);
  const gone = await new Deno.Command(`${prefix}/bin/varietal`, {
    args: ["--version"],
    env: home.env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(gone.code, 1);
  assertEquals(
    new TextDecoder().decode(gone.stderr),
    `varietal: the Deno this launcher runs (${home.root}/deno-copy) is gone or not runnable by ` +
      `you; run 'deno task install' again in ${ROOT} (with --deno PATH for another Deno)\n`,
  );
  const bad = await installTask(["--prefx", prefix], home.env);
  assertEquals(bad.code, 1);
  assertStringIncludes(bad.stderr, "unknown argument '--prefx'");
});

Deno.test("keepDeno() installed twice leaves one deno and no temporary names", async () => {
  await using home = await tempHome();
  const from = `${home.root}/npx/deno`;
  await Deno.mkdir(`${home.root}/npx`);
  await Deno.writeTextFile(from, "#!/bin/sh\n");
  const lib = `${home.root}/lib/varietal`;
  await Deno.mkdir(lib, { recursive: true });
  await Deno.writeTextFile(`${lib}/deno.4242.tmp`, "an older install's leftover");
  for (let i = 0; i < 2; i++) assertEquals(await keepDeno(from, lib), `${lib}/deno`);
  const names = [...Deno.readDirSync(lib)].map((e) => e.name);
  assertEquals(names, ["deno"]);
});

Deno.test("a checkout whose path holds a newline and shell code: the launcher runs none of it", async () => {
  await using home = await tempHome();
  const fake = `${home.root}/deno`;
  await Deno.writeTextFile(fake, `#!/bin/sh\nprintf '%s\\n' "$*"\n`);
  await Deno.chmod(fake, 0o700);
  const planted = `${home.root}/planted`;
  const root =
    `${home.root}/odd\nexec touch ${planted}\n$(touch ${planted}2)'"\`touch ${planted}3\`/checkout`;
  await Deno.mkdir(`${root}/node_modules`, { recursive: true });
  await Deno.writeTextFile(`${root}/main.ts`, "");
  await Deno.writeTextFile(`${root}/deno.lock`, "{}\n");
  const launcher = `${home.root}/varietal`;
  const script = launcherScript({
    deno: fake,
    root,
    flags: RUN_FLAGS,
    denoVersion: "2",
    path: launcher,
  });
  await Deno.writeTextFile(launcher, script);
  await Deno.chmod(launcher, 0o700);
  const r = await new Deno.Command(launcher, {
    args: ["--version"],
    env: { PATH: "/usr/bin:/bin" },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(r.code, 0, new TextDecoder().decode(r.stderr));
  assertStringIncludes(new TextDecoder().decode(r.stdout), `${root}/main.ts --version`);
  for (const f of [planted, `${planted}2`, `${planted}3`]) {
    assertEquals(await Deno.lstat(f).then(() => true, () => false), false, `${f} was created`);
  }
  assertStringIncludes(script, "from " + root.replaceAll("\n", "\\n") + "\n");
});

Deno.test("fetchFailure() quotes deno's error line and tells a checkout not ours from no registry", () => {
  const offline =
    "\x1b[32mDownload\x1b[0m http://127.0.0.1:9/x.tgz\n\x1b[31merror\x1b[0m: Failed " +
    "caching npm package 'x@1'\n\nCaused by:\n    3: Connection refused (os error 111)\n";
  assertEquals(
    fetchFailure(offline, 1, "/opt/varietal"),
    "could not fetch the npm packages varietal needs (Failed caching npm package 'x@1'); run " +
      "'deno task install' once with access to the npm registry",
  );
  const denied = "error: failed to create directory '/opt/varietal/node_modules/.deno': " +
    "Permission denied (os error 13)\n";
  assertEquals(
    fetchFailure(denied, 1, "/opt/varietal"),
    "cannot write the npm packages into /opt/varietal/node_modules (failed to create directory " +
      "'/opt/varietal/node_modules/.deno': Permission denied (os error 13)): the checkout is not " +
      "yours to change; its owner must run 'deno task install' in it once, then you can",
  );
  assertEquals(
    fetchFailure("", 2, "/r"),
    "could not fetch the npm packages varietal needs (exit 2); run 'deno task install' once with " +
      "access to the npm registry",
  );
});

Deno.test("deno task install as root into another user's home (sudo -E) refuses, making nothing", async () => {
  if (Deno.uid() !== 0) {
    console.log("  skipped: needs root (to own a home of another uid)");
    return;
  }
  await using home = await tempHome();
  await Deno.chown(home.home, 65534, 65534);
  const r = await installTask([], { ...home.env, PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" });
  const stderr = r.stderr;
  assertEquals(r.code, 1, stderr);
  assertStringIncludes(
    stderr,
    `varietal install: this runs as root, but ${home.home}/.local is in the home of uid 65534`,
  );
  assert(!(await Deno.stat(`${home.home}/.local/bin`).then(() => true, () => false)));
  await Deno.chown(home.home, 0, 0);
});
