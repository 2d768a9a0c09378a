// The control channel in-process: server (daemon side) and client (--send, status).
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../_helpers/assert.ts";
import {
  type ControlCommand,
  parseReply,
  SPARE_FIFOS,
  SPARE_NAME,
} from "../../src/pipeline/control_protocol.ts";
import { type ControlHandler, startControlServer } from "../../src/pipeline/control_server.ts";
import {
  claimSpare,
  ControlError,
  DaemonNotRunningError,
  sendControl,
} from "../../src/pipeline/control_client.ts";
import { controlDir, controlFifo, daemonLockFile } from "../../src/pipeline/daemon_files.ts";
import { makeFifo, openFifo } from "../../src/pipeline/fifo.ts";
import { acquireLock } from "../../src/pipeline/lock.ts";
import { type CommandRunner, runCommand } from "../../src/process/run_command.ts";
import { until } from "./_daemon_process.ts";

/** A runtime dir with the daemon lock held (as a running daemon would). */
async function runtime(options: { lock?: boolean } = {}) {
  const dir = await Deno.makeTempDir({ prefix: "varietal-control-" });
  const lock = options.lock === false
    ? undefined
    : await acquireLock(daemonLockFile(dir), { timeoutMs: 0, purpose: "daemon" });
  return {
    dir,
    lock,
    async [Symbol.asyncDispose]() {
      lock?.release();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** A handler that records commands and answers "did X". */
function recorder() {
  const seen: ControlCommand[] = [];
  const handler: ControlHandler = (command) => {
    seen.push(command);
    return Promise.resolve({ ok: command !== "theme", message: `did ${command}` });
  };
  return { seen, handler };
}

const mode = async (path: string) => (await Deno.lstat(path)).mode! & 0o777;

Deno.test("sendControl() carries each command to the handler and returns its answer", async () => {
  await using rt = await runtime();
  const { seen, handler } = recorder();
  const server = await startControlServer(rt.dir, handler, { log: () => {} });
  try {
    for (const c of ["next", "pause", "status", "theme"] as const) {
      const { pid, reply } = await sendControl(rt.dir, c);
      assertEquals(pid, Deno.pid);
      assertEquals([reply.ok, reply.message], [c !== "theme", `did ${c}`]);
    }
    assertEquals(seen, ["next", "pause", "status", "theme"]);
    // Each sender removes its reply FIFO (the daemon's spares stay for the next ones).
    const left = [...Deno.readDirSync(controlDir(rt.dir))].map((e) => e.name);
    assertEquals(left.filter((n) => !SPARE_NAME.test(n)), ["daemon.fifo"]);
  } finally {
    await server.close();
  }
  await assertRejects(() => Deno.lstat(controlFifo(rt.dir)), Deno.errors.NotFound);
  assertEquals([...Deno.readDirSync(controlDir(rt.dir))].map((e) => e.name), []);
});

Deno.test("senders claim the daemon's spare reply FIFOs, which it makes again with one mkfifo", async () => {
  await using rt = await runtime();
  const { handler } = recorder();
  const calls: string[][] = [];
  const run: CommandRunner = (argv, o) => {
    calls.push([...argv]);
    return runCommand(argv, o);
  };
  const server = await startControlServer(rt.dir, handler, { log: () => {}, run });
  const spares = () =>
    [...Deno.readDirSync(controlDir(rt.dir))].filter((e) => SPARE_NAME.test(e.name));
  try {
    assertEquals(spares().length, SPARE_FIFOS);
    assertEquals(calls.length, 2, "one mkfifo for the control FIFO, one for all spares");
    for (const e of spares()) assertEquals(await mode(`${controlDir(rt.dir)}/${e.name}`), 0o600);
    // A sender with no way to make a FIFO still gets its answer through a spare.
    const noMkfifo: CommandRunner = () => Promise.reject(new Error("no mkfifo here"));
    for (let i = 0; i < SPARE_FIFOS / 2 + 1; i++) {
      assertEquals((await sendControl(rt.dir, "status", { run: noMkfifo })).reply.ok, true);
    }
    // Below half, the daemon makes the missing ones after its answer (one mkfifo).
    await until(() => Promise.resolve(spares().length === SPARE_FIFOS), "spares are made again");
    assertEquals(calls.length, 3);
    // Claiming renames a spare: none is left behind, none is reused.
    const claimed = `${controlDir(rt.dir)}/reply-1-0123456789abcdef.fifo`;
    assertEquals(await claimSpare(controlDir(rt.dir), claimed), true);
    assertEquals(spares().length, SPARE_FIFOS - 1);
    await Deno.remove(claimed);
  } finally {
    await server.close();
  }
  assertEquals(spares().length, 0, "the daemon removes its spares when it stops");
  // Without spares (no daemon made them), claiming finds none.
  assertEquals(await claimSpare(controlDir(rt.dir), `${rt.dir}/x.fifo`), false);
});

Deno.test("the control folder is 0700 and the FIFO 0600, also when the folder existed looser", async () => {
  await using rt = await runtime();
  await Deno.mkdir(controlDir(rt.dir), { mode: 0o755 });
  await Deno.chmod(controlDir(rt.dir), 0o755);
  const server = await startControlServer(rt.dir, recorder().handler, { log: () => {} });
  try {
    assertEquals(await mode(controlDir(rt.dir)), 0o700);
    assertEquals(await mode(controlFifo(rt.dir)), 0o600);
    assert((await Deno.lstat(controlFifo(rt.dir))).isFifo);
  } finally {
    await server.close();
  }
});

Deno.test("junk in the control FIFO is dropped and the daemon goes on answering", async () => {
  await using rt = await runtime();
  const { seen, handler } = recorder();
  const logs: string[] = [];
  const server = await startControlServer(rt.dir, handler, { log: (l) => logs.push(l) });
  try {
    // A regular file named like a reply FIFO: the daemon must not write into it.
    const decoy = `${controlDir(rt.dir)}/reply-1-0123456789abcdef.fifo`;
    await Deno.writeTextFile(decoy, "untouched\n");
    const elsewhere = `${rt.dir}/victim.txt`;
    await Deno.writeTextFile(elsewhere, "untouched\n");
    const junk = [
      "hello",
      "[1,2,3]",
      '{"v":1,"id":"ab","command":"next"}',
      `{"v":1,"id":"ab","command":"next","reply":"../victim.txt"}`,
      `{"v":1,"id":"ab","command":"next","reply":"${elsewhere}"}`,
      '{"v":1,"id":"ab","command":"stop","reply":"reply-1-0123456789abcdef.fifo"}',
      "x".repeat(10_000),
      "\u0000\u00ff\u0007",
    ];
    const f = await Deno.open(controlFifo(rt.dir), { write: true });
    await f.write(new TextEncoder().encode(junk.join("\n") + "\n"));
    await f.write(new Uint8Array([0xff, 0xfe, 0x0a, 0x00, 0x0a]));
    f.close();
    const { reply } = await sendControl(rt.dir, "status");
    assertEquals([reply.ok, reply.message], [true, "did status"]);
    // Not even "stop", whose reply file is no FIFO, reached the handler.
    assertEquals(seen, ["status"]);
    assertEquals(await Deno.readTextFile(decoy), "untouched\n");
    assertEquals(await Deno.readTextFile(elsewhere), "untouched\n");
    assert(logs.some((l) => l.startsWith("control: ignored")), logs.join("\n"));
  } finally {
    await server.close();
  }
});

Deno.test("a request with an unknown command or another version is answered with an error", async () => {
  await using rt = await runtime();
  const { seen, handler } = recorder();
  const server = await startControlServer(rt.dir, handler, { log: () => {} });
  try {
    const ask = async (request: Record<string, unknown>) => {
      const name = "reply-42-00000000000000aa.fifo";
      const path = `${controlDir(rt.dir)}/${name}`;
      await makeFifo(path);
      const replies = await openFifo(path);
      try {
        const ctl = await openFifo(controlFifo(rt.dir));
        await ctl.write(
          new TextEncoder().encode(JSON.stringify({ id: "aa", reply: name, ...request }) + "\n"),
        );
        ctl.close();
        const buf = new Uint8Array(4096);
        const n = await replies.read(buf);
        return parseReply(new TextDecoder().decode(buf.subarray(0, n!)).trim());
      } finally {
        replies.close();
        await Deno.remove(path);
      }
    };
    const unknown = await ask({ v: 1, command: "explode" });
    assertEquals(unknown.ok, false);
    assertStringIncludes(unknown.message, "unknown command 'explode'");
    const version = await ask({ v: 2, command: "next" });
    assertEquals(version.ok, false);
    assertStringIncludes(version.message, "protocol version 2");
    assertEquals(seen, []);
  } finally {
    await server.close();
  }
});

Deno.test("a FIFO or file left by a killed daemon does not block the next one", async () => {
  for (const leftover of ["fifo", "file"]) {
    await using rt = await runtime();
    await Deno.mkdir(controlDir(rt.dir), { recursive: true });
    if (leftover === "fifo") await makeFifo(controlFifo(rt.dir));
    else await Deno.writeTextFile(controlFifo(rt.dir), "junk");
    const server = await startControlServer(rt.dir, recorder().handler, { log: () => {} });
    try {
      assert((await Deno.lstat(controlFifo(rt.dir))).isFifo, leftover);
      assertEquals((await sendControl(rt.dir, "next")).reply.ok, true, leftover);
    } finally {
      await server.close();
    }
  }
});

Deno.test("sendControl() without a daemon throws DaemonNotRunningError", async () => {
  await using rt = await runtime({ lock: false });
  await assertRejects(() => sendControl(rt.dir, "next"), DaemonNotRunningError);
  // A lock file left by a dead daemon is not a running daemon either.
  await Deno.writeTextFile(daemonLockFile(rt.dir), "pid 999999 daemon\n");
  await assertRejects(() => sendControl(rt.dir, "next"), DaemonNotRunningError);
});

Deno.test("sendControl() says when the daemon has no channel, or does not answer", async () => {
  await using rt = await runtime();
  const e = await assertRejects(() => sendControl(rt.dir, "next"), ControlError);
  assertStringIncludes(e.message, "has no control channel");
  const server = await startControlServer(rt.dir, () => new Promise(() => {}), {
    log: () => {},
    closeGraceMs: 50,
  });
  try {
    const late = await assertRejects(
      () => sendControl(rt.dir, "next", { timeoutMs: 300 }),
      ControlError,
    );
    assertStringIncludes(late.message, "did not answer within");
  } finally {
    await server.close();
  }
});

Deno.test("sendControl() notices a daemon that stops before answering", async () => {
  await using rt = await runtime();
  const server = await startControlServer(rt.dir, () => {
    rt.lock!.release(); // the daemon is gone
    return new Promise(() => {});
  }, { log: () => {}, closeGraceMs: 50 });
  try {
    const e = await assertRejects(
      () => sendControl(rt.dir, "next", { pollMs: 20, timeoutMs: 60_000 }),
      ControlError,
    );
    assertStringIncludes(e.message, "stopped before answering");
  } finally {
    await server.close();
  }
});

Deno.test("another user cannot write into the control FIFO", async () => {
  if (Deno.uid() !== 0) {
    console.log("skipped: needs root to run a child as another user (the modes are tested above)");
    return;
  }
  await using rt = await runtime();
  // The runtime dir of a real user (XDG_RUNTIME_DIR) lets only them in; make ours passable
  // so that only the control folder's and FIFO's own modes protect it.
  await Deno.chmod(rt.dir, 0o711);
  const { seen, handler } = recorder();
  const server = await startControlServer(rt.dir, handler, { log: () => {} });
  try {
    const line = '{"v":1,"id":"ab","command":"next","reply":"reply-1-0123456789abcdef.fifo"}';
    const out = await new Deno.Command("setpriv", {
      args: [
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        "sh",
        "-c",
        `printf '%s\\n' '${line}' > '${controlFifo(rt.dir)}'`,
      ],
      stdout: "null",
      stderr: "piped",
    }).output();
    assert(out.code !== 0, "the other user could open the FIFO");
    assertStringIncludes(new TextDecoder().decode(out.stderr), "Permission denied");
    assertEquals((await sendControl(rt.dir, "status")).reply.ok, true);
    assertEquals(seen, ["status"]);
  } finally {
    await server.close();
  }
});

Deno.test("a handler that throws is answered with its message", async () => {
  await using rt = await runtime();
  const server = await startControlServer(
    rt.dir,
    () => Promise.reject(new Error("the database is locked")),
    { log: () => {} },
  );
  try {
    const { reply } = await sendControl(rt.dir, "next");
    assertEquals([reply.ok, reply.message], [false, "the database is locked"]);
  } finally {
    await server.close();
  }
});

Deno.test("startControlServer() removes reply FIFOs that killed senders left, and nothing else", async () => {
  await using rt = await runtime();
  const dir = controlDir(rt.dir);
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const stale = `${dir}/reply-123-0123456789abcdef.fifo`;
  const other = `${dir}/notes.txt`;
  await makeFifo(stale);
  await Deno.writeTextFile(other, "");
  // Started "eleven minutes later": the reply FIFO is stale.
  const server = await startControlServer(rt.dir, recorder().handler, {
    log: () => {},
    now: () => Date.now() + 11 * 60_000,
  });
  try {
    await assertRejects(() => Deno.lstat(stale), Deno.errors.NotFound);
    assert((await Deno.lstat(other)).isFile);
  } finally {
    await server.close();
  }
});
