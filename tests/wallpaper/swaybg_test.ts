// swaybg replaces the running instance (with a fake swaybg script on PATH).
import { assert, assertEquals, assertRejects } from "../_helpers/assert.ts";
import { DEFAULTS } from "../../src/config/schema.ts";
import { swaybg } from "../../src/wallpaper/setters/swaybg.ts";
import { SetterError } from "../../src/wallpaper/setter_error.ts";
import { findProcesses } from "../../src/process/which.ts";
import { CommandError } from "../../src/process/run_command.ts";

const started: number[] = [];

async function withFakeSwaybg(script: string, fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "varietal-swaybg-" });
  await Deno.writeTextFile(`${dir}/swaybg`, script);
  await Deno.chmod(`${dir}/swaybg`, 0o755);
  const path = Deno.env.get("PATH") ?? "";
  Deno.env.set("PATH", `${dir}:${path}`);
  try {
    await fn(dir);
  } finally {
    Deno.env.set("PATH", path);
    for (const pid of started) {
      try {
        Deno.kill(pid, "SIGKILL");
      } catch { /* gone */ }
    }
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("swaybg setter starts a new swaybg and stops the previous one", async () => {
  await withFakeSwaybg(
    `#!/bin/sh\necho "$@" >> "$(dirname "$0")/calls"\nwhile :; do sleep 0.2; done\n`,
    async (dir) => {
      const ctx = { config: DEFAULTS.wallpaper, runtimeDir: dir };
      // A link at the pid file's name is replaced, not followed (nor its target's mode changed).
      await Deno.writeTextFile(`${dir}/victim`, "precious\n", { mode: 0o644 });
      await Deno.chmod(`${dir}/victim`, 0o644);
      await Deno.symlink(`${dir}/victim`, `${dir}/swaybg.pid`);
      await swaybg.apply([{ path: "/w/a.jpg", output: null }], ctx);
      assertEquals(await Deno.readTextFile(`${dir}/victim`), "precious\n");
      assertEquals((await Deno.stat(`${dir}/victim`)).mode! & 0o777, 0o644);
      assert(!(await Deno.lstat(`${dir}/swaybg.pid`)).isSymlink);
      const first = Number(await Deno.readTextFile(`${dir}/swaybg.pid`));
      started.push(first);
      assert((await findProcesses("swaybg")).includes(first));
      await swaybg.apply([{ path: "/w/b.jpg", output: "DP-1" }], ctx);
      const second = Number(await Deno.readTextFile(`${dir}/swaybg.pid`));
      started.push(second);
      assert(second !== first);
      for (let i = 0; i < 50 && (await findProcesses("swaybg")).includes(first); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const running = await findProcesses("swaybg");
      assert(!running.includes(first), "the old swaybg still runs");
      assert(running.includes(second), "the new swaybg is not running");
      assertEquals((await Deno.readTextFile(`${dir}/calls`)).trim().split("\n"), [
        "--image /w/a.jpg --mode fill",
        // Only DP-1 named: the other monitors keep what the stopped swaybg drew on them.
        "--output DP-1 --image /w/b.jpg --mode fill --output * --image /w/a.jpg --mode fill",
      ]);
    },
  );
});

Deno.test("swaybg setter fails when swaybg exits at once", async () => {
  await withFakeSwaybg(`#!/bin/sh\nexit 3\n`, async (dir) => {
    const e = await assertRejects(
      () =>
        swaybg.apply([{ path: "/w/a.jpg", output: null }], {
          config: DEFAULTS.wallpaper,
          runtimeDir: dir,
        }),
      SetterError,
    );
    assertEquals(e.exitCode, 3);
  });
});

Deno.test("swaybg setter reports a swaybg that cannot be started as a setter failure", async () => {
  const dir = await Deno.makeTempDir({ prefix: "varietal-swaybg-" });
  try {
    const ctx = {
      config: DEFAULTS.wallpaper,
      runtimeDir: dir,
      spawn: (argv: readonly string[]): never => {
        throw new CommandError(argv, 127, "", `${argv[0]}: program not found`);
      },
    };
    const e = await assertRejects(
      () => swaybg.apply([{ path: "/w/a.jpg", output: null }], ctx),
      SetterError,
      "setter 'swaybg' failed: swaybg: program not found",
    );
    assertEquals(e.exitCode, 127);
    const other = {
      ...ctx,
      spawn: (): never => {
        throw new TypeError("a bug");
      },
    };
    await assertRejects(() => swaybg.apply([{ path: "/w/a.jpg", output: null }], other), TypeError);
    // nothing was recorded as running
    await assertRejects(() => Deno.lstat(`${dir}/swaybg.pid`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("swaybg setting some monitors keeps the others' pictures from the swaybg it stops", async () => {
  await withFakeSwaybg(
    `#!/bin/sh\necho "$@" >> "$(dirname "$0")/calls"\nwhile :; do sleep 0.2; done\n`,
    async (dir) => {
      // What the user's session started: a picture on each of two monitors.
      const user = new Deno.Command(`${dir}/swaybg`, {
        args: ["-o", "HDMI-A-1", "-i", "/w/tv.jpg", "-m", "fit", "--output=DP-1", "-i/w/old.jpg"],
      }).spawn();
      started.push(user.pid);
      for (let i = 0; i < 50 && !(await findProcesses("swaybg")).includes(user.pid); i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const ctx = { config: DEFAULTS.wallpaper, runtimeDir: dir };
      await swaybg.apply([{ path: "/w/new.jpg", output: "DP-1" }], ctx);
      started.push(Number(await Deno.readTextFile(`${dir}/swaybg.pid`)));
      const calls = (await Deno.readTextFile(`${dir}/calls`)).trim().split("\n");
      assertEquals(
        calls.at(-1),
        "--output DP-1 --image /w/new.jpg --mode fill --output HDMI-A-1 --image /w/tv.jpg --mode fit",
      );
      await user.status; // stopped: the new one draws both
    },
  );
});
