// Issue 11 §4 "Unreadable is not deleted", end to end as an ordinary user:
// a subfolder made unreadable with chmod 000 is reported by `scan` (exit 1),
// its images, history and favourite are kept, `prune --missing` deletes
// nothing, and after chmod 755 nothing comes back as new.
//
// chmod 000 does not stop root, so when the tests run as root the varietal
// child runs as nobody (setpriv --reuid=65534) with a Deno binary, HOME and
// DENO_DIR it can reach.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { homeEnv, ROOT, RUN_FLAGS } from "../_helpers/env.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";
import { Database } from "../../src/db/database.ts";
import { getImageByPath } from "../../src/db/images.ts";

const NOBODY = 65534;

interface Child {
  run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  home: string;
  database: string;
}

/** A temporary home and a way to run varietal in it as an unprivileged user; or why not. */
async function unprivileged(root: string): Promise<Child | string> {
  const uid = Deno.uid();
  let deno = Deno.execPath();
  const home = `${root}/home`;
  const env: Record<string, string> = {
    ...homeEnv(home),
    XDG_RUNTIME_DIR: `${root}/run`,
    NO_COLOR: "1",
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
  };
  await Deno.mkdir(home, { recursive: true });
  await Deno.mkdir(`${root}/run`, { mode: 0o700 });
  const prefix: string[] = [];
  if (uid === 0) {
    if (!(await onPath("setpriv"))) return "setpriv (util-linux) is not installed";
    // The Deno binary and its cache may sit under root's 0700 home: give nobody its own.
    await Deno.chmod(root, 0o755);
    await Deno.mkdir(`${root}/bin`);
    const own = `${root}/bin/deno`;
    await Deno.link(deno, own).catch(() => Deno.copyFile(deno, own));
    await Deno.chmod(own, 0o755);
    deno = own;
    env.DENO_DIR = `${home}/.deno`;
    for (const d of [home, `${root}/run`]) await chownTree(d, NOBODY);
    prefix.push("setpriv", `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", "--");
  }
  const run = async (args: string[]) => {
    const argv = [...prefix, deno, "run", "-q", ...RUN_FLAGS, `${ROOT}/main.ts`, ...args];
    const out = await new Deno.Command(argv[0], {
      args: argv.slice(1),
      env,
      clearEnv: true,
      cwd: home,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  };
  const probe = await run(["--version"]);
  if (probe.code !== 0) {
    return `varietal does not start as uid ${NOBODY} (is ${ROOT} readable by others?): ${probe.stderr.trim()}`;
  }
  return { run, home, database: `${env.XDG_DATA_HOME}/varietal/varietal.db` };
}

async function onPath(name: string): Promise<boolean> {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if ((await Deno.stat(`${dir}/${name}`)).isFile) return true;
    } catch { /* next */ }
  }
  return false;
}

async function chownTree(path: string, uid: number): Promise<void> {
  await Deno.chown(path, uid, uid);
  if (!(await Deno.lstat(path)).isDirectory) return;
  for await (const e of Deno.readDir(path)) await chownTree(`${path}/${e.name}`, uid);
}

/** Runs `fn` with varietal as an unprivileged user in a temporary folder (or says why not). */
async function asNobody(fn: (child: Child) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "varietal-unreadable-" });
  try {
    const child = await unprivileged(root);
    if (typeof child === "string") {
      console.log(`skipped: ${child}`);
      return;
    }
    await fn(child);
  } finally {
    await Deno.chmod(`${root}`, 0o700).catch(() => {});
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("scan reports an unreadable subfolder and keeps its images, history and favourite", async () => {
  await asNobody(async (child) => {
    const walls = `${child.home}/walls`;
    const sub = `${walls}/sub`;
    await writeImage(`${walls}/a.png`, { width: 16, height: 9, colors: [COLORS.red] });
    await writeImage(`${sub}/shown.png`, { width: 16, height: 9, colors: [COLORS.blue] });
    await writeImage(`${sub}/loved.png`, { width: 16, height: 9, colors: [COLORS.green] });
    if (Deno.uid() === 0) await chownTree(walls, NOBODY);

    const ok = async (args: string[]) => {
      const r = await child.run(args);
      assertEquals(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
      return r;
    };
    await ok(["sources", "add", walls]);
    await ok(["scan"]);
    await ok([
      "next",
      "--image",
      `${sub}/shown.png`,
      "--setter",
      "none",
      "--no-palette",
      "--no-theme",
    ]);
    await ok(["favorite", `${sub}/loved.png`]);

    await Deno.chmod(sub, 0o000);
    try {
      const scan = await child.run(["scan", "--json"]);
      assertEquals(scan.code, 1, "an unreadable folder makes scan exit 1");
      const report = JSON.parse(scan.stdout) as {
        missing: number;
        errors: { path: string; reason: string }[];
      };
      assertEquals(report.missing, 0);
      assertEquals(report.errors.map((e) => e.path), [sub]);
      assertStringIncludes(report.errors[0].reason, "permission denied");
      const text = await child.run(["scan"]);
      assertEquals(text.code, 1);
      assertStringIncludes(text.stderr, `${sub}: permission denied`);
      const prune = await ok(["prune", "--missing", "--json"]);
      assertEquals(JSON.parse(prune.stdout).missing_images, 0);
    } finally {
      await Deno.chmod(sub, 0o755);
    }

    const again = JSON.parse((await ok(["scan", "--json"])).stdout) as Record<string, number>;
    assertEquals([again.added, again.missing, again.restored, again.unchanged], [0, 0, 0, 3]);
    using db = await Database.open(child.database, { readOnly: true });
    const shown = getImageByPath(db, `${sub}/shown.png`)!;
    const loved = getImageByPath(db, `${sub}/loved.png`)!;
    assertEquals([shown.missing_since, shown.times_shown], [null, 1]);
    assertEquals([loved.missing_since, loved.favorite], [null, true]);
    const history = db.raw.prepare("SELECT COUNT(*) AS n FROM history WHERE image_id = ?")
      .get(shown.id) as { n: number };
    assert(history.n === 1, "the show's history row is kept");
  });
});

Deno.test("an image made unreadable is not drawn, browsed to or shown by --image, and nothing is recorded", async () => {
  await asNobody(async (child) => {
    const walls = `${child.home}/walls`;
    await writeImage(`${walls}/open.png`, { width: 16, height: 9, colors: [COLORS.red] });
    await writeImage(`${walls}/locked.png`, { width: 16, height: 9, colors: [COLORS.blue] });
    if (Deno.uid() === 0) await chownTree(walls, NOBODY);
    const ok = async (args: string[]) => {
      const r = await child.run(args);
      assertEquals(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
      return r;
    };
    const show = ["--setter", "none", "--no-theme", "--json"];
    await ok(["sources", "add", walls]);
    await ok(["scan"]);
    await ok(["next", "--image", `${walls}/locked.png`, ...show]);
    await ok(["next", "--image", `${walls}/open.png`, ...show]);
    // chmod leaves size and modification time alone: scan calls it unchanged.
    await Deno.chmod(`${walls}/locked.png`, 0o000);
    for (let i = 0; i < 4; i++) {
      const r = await ok(["next", "--min-width", "0", "--min-height", "0", ...show]);
      assertEquals(JSON.parse(r.stdout).path, `${walls}/open.png`);
    }
    const picks = await ok([
      "select",
      "-n",
      "2",
      "--min-width",
      "0",
      "--min-height",
      "0",
      "--json",
    ]);
    assertEquals(JSON.parse(picks.stdout).map((p: { path: string }) => p.path), [
      `${walls}/open.png`,
    ]);
    const given = await child.run(["next", "--image", `${walls}/locked.png`, ...show]);
    assertEquals(given.code, 1);
    assertStringIncludes(given.stderr, `--image ${walls}/locked.png: cannot read it`);
    // Back through history: the unreadable show is stepped over.
    const prev = await child.run(["prev", "--steps", "5", "--setter", "none", "--no-theme"]);
    assertEquals(prev.code, 1);
    assertStringIncludes(prev.stderr, "only 4 earlier wallpaper(s)"); // 5 shows back, one unreadable
    using db = await Database.open(child.database, { readOnly: true });
    const n = db.raw.prepare("SELECT COUNT(*) AS n FROM history").get() as { n: number };
    assertEquals(n.n, 6, "2 shows by --image and 4 by next; nothing for the refused one");
  });
});
