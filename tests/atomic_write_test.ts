// writeAtomic(): readers never see a partial file; modes, symlinks and folders.
import { assert, assertEquals, assertRejects } from "./_helpers/assert.ts";
import { lchownSync } from "node:fs";
import { removeStaleTemps, writeAtomic, writeAtomicAll } from "../src/atomic_write.ts";
import { withTmpfs } from "./_helpers/env.ts";

Deno.test("writeAtomic() never shows a polling reader a partial file over 1000 re-renders", async () => {
  const dir = await Deno.makeTempDir();
  // The reader polls from another thread (the writes block this one), as a
  // terminal or bar reading its colours would from another process.
  const reader = new Worker(
    URL.createObjectURL(
      new Blob([
        `self.onmessage = (e) => {
          const { target, valid } = e.data;
          const ok = new Set(valid);
          let reads = 0, bad = 0, stop = false;
          self.onmessage = () => { stop = true; };
          const poll = () => {
            for (let i = 0; i < 50; i++) {
              const text = Deno.readTextFileSync(target);
              reads++;
              if (!ok.has(text)) bad++;
            }
            if (stop) self.postMessage({ reads, bad });
            else setTimeout(poll, 0);
          };
          poll();
        };`,
      ], { type: "text/javascript" }),
    ),
    { type: "module" },
  );
  try {
    const target = `${dir}/colors.conf`;
    // Two large, different, self-checking contents: a reader must see one or the other whole.
    const make = (i: number) => {
      const line = `color ${i % 2 ? "#AAAAAA" : "#555555"}\n`;
      return `BEGIN ${i % 2}\n${line.repeat(4000)}END ${i % 2}\n`;
    };
    await writeAtomic(target, make(0));
    const result = new Promise<{ reads: number; bad: number }>((resolve) => {
      reader.onmessage = (e) => resolve(e.data);
    });
    reader.postMessage({ target, valid: [make(0), make(1)] });
    for (let i = 1; i <= 1000; i++) {
      await writeAtomic(target, make(i));
      // Let the reader get going before the writes are over.
      if (i % 100 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    reader.postMessage("stop");
    const { reads, bad } = await result;
    assertEquals(bad, 0, `${bad} of ${reads} reads saw a partial file`);
    assert(reads > 10, `the reader only got ${reads} reads`);
    const left = [...Deno.readDirSync(dir)].map((e) => e.name);
    assertEquals(left, ["colors.conf"], "no temporary files are left");
  } finally {
    reader.terminate();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeAtomic() keeps the target's mode and creates missing folders", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const target = `${dir}/a/b/c/x.sh`;
    await writeAtomic(target, "one");
    assertEquals(await Deno.readTextFile(target), "one");
    await Deno.chmod(target, 0o751);
    await writeAtomic(target, "two");
    assertEquals((await Deno.stat(target)).mode! & 0o777, 0o751);
    assertEquals(await Deno.readTextFile(target), "two");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeAtomic() keeps the target's mode exactly under a umask that would clear bits", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const target = `${dir}/shared.conf`;
    await Deno.writeTextFile(target, "old");
    await Deno.chmod(target, 0o664);
    // A child with umask 077 (which would turn 0664 into 0600) rewrites it.
    const module = new URL("../src/atomic_write.ts", import.meta.url).href;
    const code = `import { writeAtomic } from ${JSON.stringify(module)};
      await writeAtomic(${JSON.stringify(target)}, "new");`;
    const out = await new Deno.Command("sh", {
      args: ["-c", 'umask 077 && exec "$0" eval "$1"', Deno.execPath(), code],
      stderr: "piped",
    }).output();
    assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
    assertEquals(await Deno.readTextFile(target), "new");
    assertEquals((await Deno.stat(target)).mode! & 0o777, 0o664);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeAtomic() writes through a symlink and keeps the link", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/dotfiles`);
    await Deno.writeTextFile(`${dir}/dotfiles/kitty.conf`, "old");
    await Deno.symlink(`${dir}/dotfiles/kitty.conf`, `${dir}/kitty.conf`);
    const written = await writeAtomic(`${dir}/kitty.conf`, "new");
    assertEquals(written, `${dir}/dotfiles/kitty.conf`);
    assert((await Deno.lstat(`${dir}/kitty.conf`)).isSymlink);
    assertEquals(await Deno.readTextFile(`${dir}/kitty.conf`), "new");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name:
    "writeAtomic() follows no link another user made, nor writes into a folder of theirs (needs root to make them)",
  ignore: Deno.uid() !== 0,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const shared = `${dir}/shared`;
      await Deno.mkdir(shared);
      await Deno.chmod(shared, 0o1777);
      await Deno.mkdir(`${dir}/home`);
      const bashrc = `${dir}/home/.bashrc`;
      await Deno.writeTextFile(bashrc, "mine");
      const foreign = async (link: string, to: string) => {
        await Deno.symlink(to, link);
        lchownSync(link, 65534, 65534);
      };
      // Straight, dangling, and at the end of the user's own link into the shared folder.
      await foreign(`${shared}/colors.sh`, bashrc);
      await foreign(`${shared}/new.desktop`, `${dir}/home/autostart/evil.desktop`);
      await foreign(`${shared}/hop.conf`, bashrc);
      await Deno.symlink(`${shared}/hop.conf`, `${dir}/home/kitty.conf`);
      for (
        const target of [`${shared}/colors.sh`, `${shared}/new.desktop`, `${dir}/home/kitty.conf`]
      ) {
        await assertRejects(
          () => writeAtomic(target, "evil"),
          Deno.errors.PermissionDenied,
          "a symbolic link another user (uid 65534) made; not followed",
        );
      }
      assertEquals(await Deno.readTextFile(bashrc), "mine");
      await assertRejects(() => Deno.stat(`${dir}/home/autostart`), Deno.errors.NotFound);
      assertEquals([...Deno.readDirSync(shared)].length, 3, "no temporary file left");
      // The user's own link there is followed; another's is not, in a folder of theirs either.
      await Deno.symlink(bashrc, `${shared}/own.sh`);
      assertEquals(await writeAtomic(`${shared}/own.sh`, "own"), bashrc);
      const theirs = `${dir}/theirs`;
      await Deno.mkdir(theirs);
      await Deno.chmod(theirs, 0o777);
      await foreign(`${theirs}/colors.sh`, bashrc);
      Deno.chownSync(theirs, 65534, 65534);
      await assertRejects(
        () => writeAtomic(`${theirs}/colors.sh`, "evil"),
        Deno.errors.PermissionDenied,
        "another user (uid 65534) made",
      );
      // A folder of theirs, without a link: they could swap the file once written.
      await assertRejects(
        () => writeAtomic(`${theirs}/new.sh`, "x"),
        Deno.errors.PermissionDenied,
        `its folder ${theirs} belongs to uid 65534, not to you`,
      );
      // varietal's own folder (its cache, say) made first by them: refused, not written into.
      await Deno.mkdir(`${theirs}/varietal/theme`, { recursive: true });
      Deno.chownSync(`${theirs}/varietal`, 65534, 65534);
      await assertRejects(
        () =>
          writeAtomic(`${theirs}/varietal/theme/a.sh`, "x", {
            privateFolder: `${theirs}/varietal`,
          }),
        Deno.errors.PermissionDenied,
        `${theirs}/varietal belongs to uid 65534, not to you`,
      );
      assertEquals(await Deno.readTextFile(bashrc), "own");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("writeAtomic() leaves the old file untouched when it cannot write", async () => {
  if (Deno.uid() === 0) return; // root may write anywhere; nothing to check
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/x`, "old");
    await Deno.chmod(dir, 0o500);
    await assertRejects(() => writeAtomic(`${dir}/x`, "new"));
    await Deno.chmod(dir, 0o700);
    assertEquals(await Deno.readTextFile(`${dir}/x`), "old");
  } finally {
    await Deno.chmod(dir, 0o700);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeAtomic() refuses a folder or a FIFO in place of the target, leaving nothing behind", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/colors.conf`);
    const folder = await assertRejects(() => writeAtomic(`${dir}/colors.conf`, "x"));
    assertEquals((folder as Error).message, `${dir}/colors.conf is a folder, not a file`);
    const mk = await new Deno.Command("mkfifo", { args: [`${dir}/pipe.conf`] }).output();
    assert(mk.success, "mkfifo");
    const fifo = await assertRejects(() => writeAtomic(`${dir}/pipe.conf`, "x"));
    assert((fifo as Error).message.includes("is not a regular file"), (fifo as Error).message);
    assert((await Deno.lstat(`${dir}/pipe.conf`)).isFifo, "the FIFO is left as it was");
    const left = [];
    for await (const e of Deno.readDir(dir)) left.push(e.name);
    assertEquals(left.sort(), ["colors.conf", "pipe.conf"], "no temporary file left");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/**
 * A process id that cannot be running: above Linux's largest possible PID
 * (2^22). A real ended child's id could be reused at once by another
 * process or thread on a busy machine.
 */
const DEAD_PID = 4_194_305;

Deno.test("writeAtomic() removes temporary files that a killed writer left in its folder", async () => {
  const dir = await Deno.makeTempDir();
  const sleeper = new Deno.Command("sleep", { args: ["30"] }).spawn();
  try {
    const dead = DEAD_PID;
    const old = new Date(Date.now() - 10 * 60_000);
    const stale = `.colors.conf.${dead}.3.varietal-tmp`;
    const living = `.colors.conf.${sleeper.pid}.1.varietal-tmp`;
    const young = `.other.conf.${dead}.4.varietal-tmp`;
    const foreign = `.colors.conf.${dead}.tmp`;
    for (const name of [stale, living, young, foreign]) {
      await Deno.writeTextFile(`${dir}/${name}`, "half");
      if (name !== young) await Deno.utime(`${dir}/${name}`, old, old);
    }
    await writeAtomic(`${dir}/colors.conf`, "whole");
    const left = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assertEquals(left, [foreign, living, young, "colors.conf"].sort());
  } finally {
    sleeper.kill();
    await sleeper.status;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeAtomic() creates new files 0600 and missing folders 0700", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeAtomic(`${dir}/new/deeper/file`, "x");
    assertEquals((await Deno.stat(`${dir}/new/deeper/file`)).mode! & 0o777, 0o600);
    assertEquals((await Deno.stat(`${dir}/new`)).mode! & 0o777, 0o700);
    assertEquals((await Deno.stat(`${dir}/new/deeper`)).mode! & 0o777, 0o700);
    await Deno.writeTextFile(`${dir}/old`, "x", { mode: 0o644 });
    await Deno.chmod(`${dir}/old`, 0o644);
    await writeAtomic(`${dir}/old`, "y", { mode: 0o600, forceMode: true });
    assertEquals((await Deno.stat(`${dir}/old`)).mode! & 0o777, 0o600);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("removeStaleTemps() keeps files of running processes and asks only about old candidates", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const old = new Date(Date.now() - 10 * 60_000);
    for (const name of [".a.10.1.varietal-tmp", ".b.11.1.varietal-tmp", ".c.12.1.varietal-tmp"]) {
      await Deno.writeTextFile(`${dir}/${name}`, "half");
      if (name !== ".c.12.1.varietal-tmp") await Deno.utime(`${dir}/${name}`, old, old);
    }
    const asked: number[] = [];
    const removed = await removeStaleTemps(dir, (pid) => {
      asked.push(pid);
      return pid === 11;
    });
    assertEquals(removed, [".a.10.1.varietal-tmp"]);
    assertEquals(asked.sort(), [10, 11], "a young file costs no probe");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeAtomicAll() writes every file; one that cannot be written leaves the rest alone", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/kept.conf`, "old");
    await Deno.chmod(`${dir}/kept.conf`, 0o640);
    await Deno.writeTextFile(`${dir}/real.conf`, "old");
    await Deno.symlink(`${dir}/real.conf`, `${dir}/link.conf`);
    await Deno.mkdir(`${dir}/a-folder`);
    const out = await writeAtomicAll([
      { path: `${dir}/kept.conf`, text: "one" },
      { path: `${dir}/a-folder`, text: "cannot replace a folder" },
      { path: `${dir}/new/deeper/file`, text: "two" },
      { path: `${dir}/link.conf`, text: "three" },
    ]);
    assertEquals(out[0], `${dir}/kept.conf`);
    assert(out[1] instanceof Error, String(out[1]));
    assertEquals(out[2], `${dir}/new/deeper/file`);
    assertEquals(out[3], `${dir}/real.conf`);
    assertEquals(await Deno.readTextFile(`${dir}/kept.conf`), "one");
    assertEquals((await Deno.stat(`${dir}/kept.conf`)).mode! & 0o777, 0o640);
    assertEquals(await Deno.readTextFile(`${dir}/new/deeper/file`), "two");
    assert((await Deno.lstat(`${dir}/link.conf`)).isSymlink, "the link stays a link");
    assertEquals(await Deno.readTextFile(`${dir}/real.conf`), "three");
    assert((await Deno.stat(`${dir}/a-folder`)).isDirectory);
    const left = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith("-tmp"));
    assertEquals(left, [], "no temporary files are left");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeAtomic() on a full disk names the file being written, not its temporary file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await withTmpfs(dir, "64k", async () => {
      const target = `${dir}/report.html`;
      const big = new Uint8Array(1024 * 1024);
      const e = await assertRejects(() => writeAtomic(target, big));
      assert(e instanceof Error && (e as { code?: string }).code === "ENOSPC", String(e));
      assert(e.message.includes(`'${target}'`), e.message);
      assert(!e.message.includes("varietal-tmp"), e.message);
      const [one] = await writeAtomicAll([{ path: target, text: big }]);
      assert(one instanceof Error && !one.message.includes("varietal-tmp"), String(one));
      assertEquals([...Deno.readDirSync(dir)], []); // nothing left behind
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeAtomic() in a long-running process lists a folder again after a minute", async () => {
  const dir = await Deno.makeTempDir();
  const realNow = Date.now;
  try {
    await writeAtomic(`${dir}/colors.conf`, "one"); // this process's clean-up of the folder
    // A writer killed since leaves its temporary file (aged, so that it is stale).
    const stale = `${dir}/.colors.conf.${DEAD_PID}.7.varietal-tmp`;
    await Deno.writeTextFile(stale, "half");
    const old = new Date(realNow() - 10 * 60_000);
    await Deno.utime(stale, old, old);
    await writeAtomic(`${dir}/colors.conf`, "two");
    assert(await Deno.stat(stale).then(() => true, () => false), "not listed twice in a minute");
    const later = realNow() + 61_000;
    Date.now = () => later;
    await writeAtomic(`${dir}/colors.conf`, "three");
    assertEquals(await Deno.stat(stale).then(() => true, () => false), false);
  } finally {
    Date.now = realNow;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeAtomic() writes a target whose name is as long as a name may be", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // 255 bytes: the temporary name beside it has to be shorter; two such names stay apart.
    const a = `${dir}/${"t".repeat(250)}.conf`;
    const b = `${dir}/${"t".repeat(249)}u.conf`;
    const long = `${dir}/${"é".repeat(120)}.conf`; // 245 bytes, cut on a character
    assertEquals(await writeAtomic(a, "a"), a);
    assertEquals(await writeAtomic(b, "b"), b);
    assertEquals(await writeAtomic(long, "é"), long);
    assertEquals(await Deno.readTextFile(a), "a");
    assertEquals(await Deno.readTextFile(b), "b");
    assertEquals(await Deno.readTextFile(long), "é");
    assertEquals([...Deno.readDirSync(dir)].length, 3, "no temporary file left");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
