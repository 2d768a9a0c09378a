// Turning what a user typed into a source folder's real path, and config sources.
import { assertEquals, assertRejects } from "../_helpers/assert.ts";
import { expandPath, resolveFolder, syncConfigSources } from "../../src/scan/source_path.ts";
import { Database } from "../../src/db/database.ts";
import { listSources } from "../../src/db/sources.ts";
import { defaultConfig } from "../../src/config/schema.ts";

Deno.test("expandPath() expands ~ and makes a relative path absolute", () => {
  assertEquals(expandPath("~", "/home/me", "/tmp"), "/home/me");
  assertEquals(expandPath("~/walls", "/home/me", "/tmp"), "/home/me/walls");
  assertEquals(expandPath("walls", "/home/me", "/srv/"), "/srv/walls");
  assertEquals(expandPath("/abs", "/home/me", "/srv"), "/abs");
  assertEquals(expandPath("~other/x", "/home/me", "/srv"), "/srv/~other/x"); // only ~ and ~/
});

Deno.test("resolveFolder() resolves symlinks and refuses what is not a readable folder", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "varietal-src-" }));
  try {
    await Deno.mkdir(`${dir}/walls`);
    await Deno.symlink(`${dir}/walls`, `${dir}/link`);
    await Deno.writeTextFile(`${dir}/file.jpg`, "");
    assertEquals(await resolveFolder("~/link", dir), `${dir}/walls`);
    assertEquals(await resolveFolder("walls", "/nowhere", dir), `${dir}/walls`);
    await assertRejects(
      () => resolveFolder("~/gone", dir),
      Error,
      "~/gone: folder not found; check the path",
    );
    await assertRejects(
      () => resolveFolder(`${dir}/file.jpg`, dir),
      Error,
      "file.jpg: not a folder; give the folder that holds the images",
    );
    await assertRejects(() => resolveFolder(`${dir}/file.jpg/x`, dir), Error, "/x: cannot read: ");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("syncConfigSources() adds config folders, keeps them disabled when asked, returns the unreachable", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "varietal-src-" }));
  try {
    await Deno.mkdir(`${dir}/a`);
    await Deno.mkdir(`${dir}/b`);
    using db = await Database.open(`${dir}/v.db`);
    const config = defaultConfig();
    config.sources = [
      { path: "~/a", recursive: true, enabled: true, order: null },
      { path: "~/b", recursive: false, enabled: false, order: null },
      { path: "~/gone", recursive: true, enabled: true, order: null },
    ];
    const { problems, dropped } = await syncConfigSources(db, config, dir);
    assertEquals(problems, [{ path: "~/gone", reason: "folder not found; check the path" }]);
    assertEquals(dropped, []);
    const rows = listSources(db).map((s) => [s.path, s.enabled, s.recursive]);
    assertEquals(rows, [[`${dir}/a`, true, true], [`${dir}/b`, false, false]]);
    // An entry gone from the file is dropped only while every entry resolves: one that
    // does not might be that very folder, offline.
    config.sources = [config.sources[1], config.sources[2]];
    assertEquals((await syncConfigSources(db, config, dir)).dropped, []);
    config.sources = [config.sources[0]];
    assertEquals((await syncConfigSources(db, config, dir)).dropped, [`${dir}/a`]);
    assertEquals(listSources(db).find((s) => s.path === `${dir}/a`)?.enabled, false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
