// The fetch worker runs in its own Deno process whose permissions are the job's hosts and the
// downloads folder only; Deno enforces them whatever the job or a server says.
import { assert, assertEquals, assertStringIncludes, assertThrows } from "../_helpers/assert.ts";
import { ROOT } from "../_helpers/env.ts";
import { FakeServices, makeImages } from "./_fake_services.ts";
import { stalls } from "./_fake_server.ts";
import { filesIn } from "./_setup.ts";
import {
  defaultLaunch,
  extractWorker,
  runWorker,
  workerArgs,
  WorkerSetupError,
} from "../../src/remote/spawn_worker.ts";
import type { DownloadJob, ListJob, RemoteItem, WorkerEvent } from "../../src/remote/protocol.ts";

const env = (k: string) => Deno.env.get(k);
const timeouts = { connectMs: 3000, idleMs: 3000, totalMs: 8000 };

function item(id: string, url: string): RemoteItem {
  return {
    id,
    imageUrl: url,
    pageUrl: null,
    author: null,
    authorUrl: null,
    title: null,
    licence: null,
    width: null,
    height: null,
    fileSize: null,
    pingUrl: null,
  };
}

/** A download job of one rss task: `items` into `dir`, half files in `partialDir`. */
function downloadJob(o: {
  dir: string;
  partialDir: string;
  items: RemoteItem[];
  hosts: string[];
  timeouts?: DownloadJob["timeouts"];
}): DownloadJob {
  return {
    phase: "download",
    userAgent: "t",
    timeouts: o.timeouts ?? timeouts,
    concurrency: 1,
    partialDir: o.partialDir,
    knownHashes: [],
    tasks: [{
      name: "r",
      kind: "rss",
      dir: o.dir,
      want: 1,
      maxFileSize: 1e6,
      budget: 1e9,
      minWidth: 1,
      minHeight: 1,
      maxPixels: 1e8,
      items: o.items,
      allowedHosts: o.hosts,
    }],
  };
}

Deno.test("workerArgs() grants the hosts and the downloads folder, nothing else", async () => {
  const launch = await defaultLaunch("/tmp", env);
  assertEquals(launch.deno, Deno.execPath());
  const args = workerArgs(launch, ["b.example", "a.example:8080", "b.example"], "/d/downloads");
  const perms = args.filter((a) => a.startsWith("--allow") || a === "-A");
  assertEquals(perms, [
    "--allow-net=a.example:8080,b.example",
    "--allow-read=/d/downloads",
    "--allow-write=/d/downloads",
  ]);
  assert(args.includes("--no-prompt") && args.includes("--no-remote") && args.includes("--no-npm"));
  assertEquals(args.at(-1), launch.module);
  // The listing phase needs no files at all.
  const list = workerArgs(launch, ["a.example"], null).filter((a) => a.startsWith("--allow"));
  assertEquals(list, ["--allow-net=a.example"]);
  // No host is an error; a comma would add permission entries.
  assertThrows(() => workerArgs(launch, [], "/d"), WorkerSetupError);
  assertThrows(() => workerArgs(launch, ["a.example,evil.example"], "/d"), WorkerSetupError);
  assertThrows(() => workerArgs(launch, ["a.example"], "/d,/etc"), WorkerSetupError);
});

Deno.test("deno.json: only the test and bench tasks get the loopback network", async () => {
  const { tasks } = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`)) as {
    tasks: Record<string, string>;
  };
  for (const [name, cmd] of Object.entries(tasks)) {
    const net = cmd.split(/\s+/).filter((w) => /^--allow-net|^-A$|^--allow-all$/.test(w));
    assertEquals(net, name === "test" || name === "bench" ? ["--allow-net=127.0.0.1"] : [], name);
  }
});

Deno.test("the worker cannot reach a host outside its --allow-net, even when its job says so", async () => {
  await using allowed = new FakeServices();
  await using other = new FakeServices();
  const [im] = await makeImages("p", 1);
  const url = other.file("x.jpg", im.bytes);
  const root = await Deno.makeTempDir({ prefix: "varietal-perm-" });
  try {
    await Deno.mkdir(`${root}/r`);
    const events: WorkerEvent[] = [];
    const job = downloadJob({
      dir: `${root}/r`,
      partialDir: `${root}/.partial`,
      items: [item("x", url)],
      // A job that lies: the worker's own check passes, Deno's permission does not.
      hosts: [allowed.server.host, other.server.host],
    });
    const r = await runWorker(job, {
      launch: await defaultLaunch(root, env),
      hosts: [allowed.server.host],
      downloads: root,
      onEvent: (e) => events.push(e),
      timeoutMs: 20_000,
      env,
    });
    assertEquals(r.code, 0, r.stderr);
    const rejected = events.find((e) => e.type === "rejected");
    assert(rejected?.type === "rejected", JSON.stringify(events));
    assertStringIncludes(rejected.reason, `no network permission for ${other.server.host}`);
    assertEquals(other.server.requests.length, 0);
    assertEquals(await filesIn(`${root}/r`), []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("the worker cannot write outside the downloads folder", async () => {
  await using svc = new FakeServices();
  const [im] = await makeImages("w", 1);
  const url = svc.file("w.jpg", im.bytes);
  const root = await Deno.makeTempDir({ prefix: "varietal-perm-" });
  const outside = await Deno.makeTempDir({ prefix: "varietal-outside-" });
  try {
    await Deno.mkdir(`${root}/downloads`);
    const events: WorkerEvent[] = [];
    await runWorker(
      downloadJob({
        dir: outside,
        partialDir: `${root}/downloads/.partial`,
        items: [item("w", url)],
        hosts: [svc.server.host],
      }),
      {
        launch: await defaultLaunch(root, env),
        hosts: [svc.server.host],
        downloads: `${root}/downloads`,
        onEvent: (e) => events.push(e),
        timeoutMs: 20_000,
        env,
      },
    );
    const rejected = events.find((e) => e.type === "rejected");
    assert(rejected?.type === "rejected", JSON.stringify(events));
    assertStringIncludes(rejected.reason, "cannot store the file");
    assertEquals(await filesIn(outside), []);
    assertEquals(await filesIn(`${root}/downloads/.partial`), []);
  } finally {
    await Deno.remove(root, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test("extractWorker() copies the worker once; the copy runs (the compiled binary's path)", async () => {
  await using svc = new FakeServices();
  svc.list("bing", await makeImages("cp", 2));
  const cache = await Deno.makeTempDir({ prefix: "varietal-cache-" });
  try {
    const entry = await extractWorker(cache);
    assertEquals(await extractWorker(cache), entry);
    assert(entry.startsWith(`${cache}/fetch-worker/`) && entry.endsWith("/worker.ts"));
    assertEquals((await Deno.stat(`${cache}/fetch-worker`)).mode! & 0o777, 0o700);
    const events: WorkerEvent[] = [];
    const job: ListJob = {
      phase: "list",
      userAgent: "t",
      timeouts,
      maxBodyBytes: 1e6,
      maxPages: 1,
      tasks: [{
        spec: {
          name: "b",
          kind: "bing",
          query: "",
          api: svc.api("bing"),
          key: null,
          sfwOnly: true,
          minWidth: 1,
          minHeight: 1,
        },
        want: 2,
        skip: [],
        pings: [],
        allowedHosts: [svc.server.host],
      }],
    };
    const r = await runWorker(job, {
      launch: { deno: Deno.execPath(), module: entry },
      hosts: [svc.server.host],
      downloads: null,
      onEvent: (e) => events.push(e),
      timeoutMs: 20_000,
      env,
    });
    assertEquals(r.code, 0, r.stderr);
    const listing = events.find((e) => e.type === "listing");
    assert(listing?.type === "listing" && listing.items.length === 2, JSON.stringify(events));
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
});

Deno.test("the download worker clears partial files a killed worker left behind", async () => {
  await using svc = new FakeServices();
  const [im] = await makeImages("c", 1);
  const url = svc.file("c.jpg", im.bytes);
  const root = await Deno.makeTempDir({ prefix: "varietal-partial-" });
  try {
    await Deno.mkdir(`${root}/.partial`, { recursive: true });
    await Deno.mkdir(`${root}/r`);
    await Deno.writeFile(`${root}/.partial/0123.part`, new Uint8Array(10));
    const events: WorkerEvent[] = [];
    await runWorker(
      downloadJob({
        dir: `${root}/r`,
        partialDir: `${root}/.partial`,
        items: [item("c", url)],
        hosts: [svc.server.host],
      }),
      {
        launch: await defaultLaunch(root, env),
        hosts: [svc.server.host],
        downloads: root,
        onEvent: (e) => events.push(e),
        timeoutMs: 20_000,
        env,
      },
    );
    assert(events.some((e) => e.type === "file"), JSON.stringify(events));
    assertEquals(await filesIn(`${root}/.partial`), []);
    assertEquals(await filesIn(`${root}/r`), ["c.jpg"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a download worker whose varietal is killed stops too, saving nothing", async () => {
  await using svc = new FakeServices();
  const [im] = await makeImages("k", 1);
  const url = svc.file("k.jpg", im.bytes);
  // The first bytes, then a long silence: the worker is mid-download when its parent dies.
  svc.overrides.set("/img/k.jpg", () => stalls(im.bytes.subarray(0, 100), 15_000));
  const root = await Deno.makeTempDir({ prefix: "varietal-orphan-" });
  try {
    await Deno.mkdir(`${root}/r`);
    const job = downloadJob({
      dir: `${root}/r`,
      partialDir: `${root}/.partial`,
      items: [item("k", url)],
      hosts: [svc.server.host],
      timeouts: { connectMs: 3000, idleMs: 30_000, totalMs: 30_000 },
    });
    // A stand-in varietal: runs the worker, as `fetch` does, until it is killed.
    const parent = `${root}/parent.ts`;
    await Deno.writeTextFile(
      parent,
      `import { defaultLaunch, runWorker } from ${
        JSON.stringify(`file://${ROOT}/src/remote/spawn_worker.ts`)
      };\n` +
        `const env = (k: string) => Deno.env.get(k);\n` +
        `await runWorker(${JSON.stringify(job)}, { launch: await defaultLaunch(${
          JSON.stringify(root)
        }, env), hosts: [${JSON.stringify(svc.server.host)}], downloads: ${
          JSON.stringify(root)
        }, onEvent: () => {}, timeoutMs: 60_000, env });\n`,
    );
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-q", "--allow-read", "--allow-write", "--allow-env", "--allow-run", parent],
      stdout: "null",
      stderr: "null",
    }).spawn();
    const workers = async () => {
      const ps = await new Deno.Command("ps", { args: ["-eo", "pid=,args="], stdout: "piped" })
        .output();
      return new TextDecoder().decode(ps.stdout).split("\n")
        .filter((l) => l.includes(`--allow-write=${root}`) && l.includes("worker.ts"));
    };
    // Kill the stand-in once its worker is downloading (the .part file is there).
    for (
      let i = 0;
      i < 200 && (await filesIn(`${root}/.partial`).catch(() => [])).length === 0;
      i++
    ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assertEquals((await workers()).length, 1, "the worker runs");
    child.kill("SIGKILL");
    await child.status;
    let left = await workers();
    for (let i = 0; i < 40 && left.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = await workers();
    }
    assertEquals(left, [], "the worker stopped within 4 s of its parent");
    assertEquals(await filesIn(`${root}/r`), []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
