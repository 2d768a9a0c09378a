// The daemon keeps remotes topped up in the background, and a hung server never delays a
// rotation.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { FakeServices, makeImages, remoteToml } from "./_fake_services.ts";
import { remoteWorld } from "./_setup.ts";
import { silent } from "./_fake_server.ts";
import { startRemoteTopUp, topUpIntervalMs } from "../../src/remote/background.ts";
import type { FetchReport } from "../../src/remote/fetch_remotes.ts";
import { countHistory } from "../../src/db/history.ts";
import { type DaemonEvent, runDaemon } from "../../src/pipeline/daemon.ts";
import type { PipelineServices } from "../../src/pipeline/services.ts";
import { defaultConfig } from "../../src/config/schema.ts";

const until = async (pred: () => boolean, what: string, tries = 1500) => {
  for (let i = 0; i < tries && !pred(); i++) await new Promise((r) => setTimeout(r, 10));
  assert(pred(), what);
};

Deno.test("startRemoteTopUp() logs what a fetch added and its warnings; idle without remotes", async () => {
  await using svc = new FakeServices();
  await using w = await remoteWorld(remoteToml(svc, "bing"));
  const logs: string[] = [];
  const calls: AbortSignal[] = [];
  const report: FetchReport = {
    added: [],
    remotes: [{ name: "bing", wanted: 2, added: 2, evicted: 1, status: "ok" }],
    warnings: [{ remote: "bing", message: "one file was refused" }],
    notes: [],
  };
  const t = startRemoteTopUp({
    db: w.db,
    paths: w.paths,
    config: () => w.config,
    env: w.env,
    log: (l) => logs.push(`log ${l}`),
    info: (l) => logs.push(`info ${l}`),
    firstDelayMs: 0,
    fetch: (_db, _c, _p, o) => {
      calls.push(o.signal!);
      return Promise.resolve(report);
    },
  });
  await t.nextCheck();
  await t.stop();
  assertEquals(logs, [
    "info fetch: bing +2, 1 deleted for the quota",
    "log fetch: bing: one file was refused",
  ]);
  assertEquals(calls.length, 1);
  assert(calls[0].aborted, "stop() aborts the fetch's signal");

  const none = { ...defaultConfig(), fetch: { ...w.config.fetch } };
  const idle = startRemoteTopUp({
    db: w.db,
    paths: w.paths,
    config: () => none,
    env: w.env,
    log: () => {},
    info: () => {},
    firstDelayMs: 0,
    fetch: () => {
      throw new Error("must not fetch without remotes");
    },
  });
  await idle.nextCheck();
  await idle.stop();
  assertEquals(topUpIntervalMs({ ...none, daemon: { ...none.daemon, interval: 600 } }), 600_000);
  assertEquals(topUpIntervalMs({ ...none, daemon: { ...none.daemon, interval: 5 } }), 60_000);
});

async function daemonWorld(svc: FakeServices) {
  const w = await remoteWorld(remoteToml(svc, "bing", "bing", { keep_unseen: 2 }));
  // A local folder to rotate through, beside the remote.
  const dir = `${w.home.root}/walls`;
  await Deno.mkdir(dir);
  const { addSource } = await import("../../src/db/sources.ts");
  const { insertImage } = await import("../../src/db/images.ts");
  const { source } = addSource(w.db, dir);
  for (const n of ["a", "b"]) {
    await Deno.writeFile(`${dir}/${n}.png`, new Uint8Array([1]));
    insertImage(w.db, {
      path: `${dir}/${n}.png`,
      source_id: source.id,
      size: 1,
      mtime: 1,
      width: 10,
      height: 10,
      format: "png",
    }, 1);
  }
  let n = 0;
  const services: PipelineServices = {
    select: (db) => {
      const rows = db.prepare(`SELECT * FROM images WHERE path LIKE '${dir}/%' ORDER BY id`)
        .all() as never[];
      return {
        picks: [{ image: rows[n++ % rows.length], weight: 1, factors: {} }],
        requested: 1,
        warnings: [],
        seed: 0,
      };
    },
    palette: () => Promise.reject(new Error("no palette in this test")),
    theme: () => Promise.reject(new Error("no theme in this test")),
  };
  w.config.wallpaper.setter = "none";
  w.config.theme.enabled = false;
  return { w, deps: { db: w.db, config: w.config, paths: w.paths, env: w.env, services } };
}

Deno.test("the daemon tops up an enabled remote in the background", async () => {
  await using svc = new FakeServices();
  svc.list("bing", await makeImages("bg", 3));
  const { w, deps } = await daemonWorld(svc);
  await using _w = w;
  let emit!: (e: DaemonEvent) => void;
  const logs: string[] = [];
  const done = runDaemon(deps, {
    interval: 3600,
    log: (l) => logs.push(l),
    subscribe: (e) => {
      emit = e;
      return () => {};
    },
    reloadConfig: () => Promise.resolve(w.config),
  });
  const remoteImages = () =>
    (w.db.prepare("SELECT COUNT(*) AS n FROM remote_images").get() as { n: number }).n;
  await until(() => remoteImages() === 2, `no background fetch:\n${logs.join("\n")}`);
  await until(() => logs.some((l) => l === "fetch: bing +2"), logs.join("\n"));
  emit("stop");
  await done;
});

Deno.test("a hung server never delays the daemon's rotations, and stopping ends the fetch", async () => {
  await using svc = new FakeServices();
  svc.overrides.set("/bing/HPImageArchive.aspx", () => silent(120_000));
  const { w, deps } = await daemonWorld(svc);
  await using _w = w;
  // Long timeouts: the fetch would hang for minutes.
  w.config.fetch = {
    ...w.config.fetch,
    connect_timeout: 300,
    idle_timeout: 300,
    total_timeout: 600,
  };
  let emit!: (e: DaemonEvent) => void;
  const logs: string[] = [];
  const done = runDaemon(deps, {
    interval: 3600,
    log: (l) => logs.push(l),
    subscribe: (e) => {
      emit = e;
      return () => {};
    },
    reloadConfig: () => Promise.resolve(w.config),
  });
  await until(() => svc.server.hits("/bing/").length === 1, "the fetch did not start");
  const before = countHistory(w.db);
  for (let i = 1; i <= 3; i++) {
    emit("next");
    await until(
      () => countHistory(w.db) === before + i,
      `rotation ${i} waited:\n${logs.join("\n")}`,
    );
  }
  emit("stop");
  await done;
  assertStringIncludes(logs.at(-1)!, "daemon stopping");
  assert(!logs.some((l) => l.startsWith("next failed")), logs.join("\n"));
});

Deno.test("startRemoteTopUp() logs a lasting note (a remote backing off) once, and again when it changes", async () => {
  await using svc = new FakeServices();
  await using w = await remoteWorld(remoteToml(svc, "bing"));
  const logs: string[] = [];
  const notes = [
    "not contacted until 10:00 (backing off)",
    "not contacted until 10:00 (backing off)",
    "not contacted until 10:00 (backing off)",
    "not contacted until 11:00 (backing off)",
  ];
  let check = 0;
  const t = startRemoteTopUp({
    db: w.db,
    paths: w.paths,
    config: () => w.config,
    env: w.env,
    log: (l) => logs.push(`log ${l}`),
    info: (l) => logs.push(`info ${l}`),
    firstDelayMs: 0,
    nextDelayMs: 1,
    fetch: () => {
      const message = notes[Math.min(check++, notes.length - 1)];
      return Promise.resolve(
        {
          added: [],
          remotes: [{ name: "bing", wanted: 0, added: 0, evicted: 0, status: "skipped" }],
          warnings: [],
          notes: [{ remote: "bing", message }],
        } satisfies FetchReport,
      );
    },
  });
  for (let i = 0; i < notes.length; i++) await t.nextCheck();
  await t.stop();
  assertEquals(logs, [
    "info fetch: bing: not contacted until 10:00 (backing off)",
    "info fetch: bing: not contacted until 11:00 (backing off)",
  ]);
});
