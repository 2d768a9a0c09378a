// `varietal doctor`.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { fixture } from "./_fixture.ts";
import { runCli, tempHome, withTmpfs } from "../_helpers/env.ts";
import { writeOldDatabase } from "../_helpers/old_database.ts";
import { SCHEMA_VERSION } from "../../src/db/schema_version.ts";

interface Doctor {
  ok: boolean;
  checks: { name: string; status: string; detail: string; data?: Record<string, unknown> }[];
}

Deno.test("doctor reports every check and explains setter detection", async () => {
  await using f = await fixture();
  const r = await f.cli(["doctor", "--json"]);
  assertEquals(r.code, 0, r.stdout + r.stderr);
  const d = r.json<Doctor>();
  assert(d.ok);
  assertEquals(d.checks.map((c) => c.name), [
    "deno",
    "config",
    "database",
    "sources",
    "setter",
    "outputs",
    "wallust",
    "templates",
    "folders",
  ]);
  const by = Object.fromEntries(d.checks.map((c) => [c.name, c]));
  assertStringIncludes(by.deno.detail, Deno.version.deno);
  assertStringIncludes(by.database.detail, "quick_check ok");
  assertEquals(by.setter.status, "ok");
  assertStringIncludes(by.setter.detail, "custom (from config");
  assertEquals(by.templates.status, "ok");
  // The fixture keeps the built-ins out of the cache folder ([theme] cache_builtins = false).
  assertEquals(by.templates.detail, "1 configured template(s) compile");
  const text = await f.cli(["doctor"], {
    SWAYSOCK: "/run/sway.sock",
    WAYLAND_DISPLAY: "wayland-1",
  });
  assertStringIncludes(text.stdout, "auto would pick swaybg");
});

Deno.test("doctor fails on an unreachable source and an auto setter without a session", async () => {
  await using f = await fixture();
  await Deno.remove(f.pics, { recursive: true });
  await f.home.writeConfig(
    (await Deno.readTextFile(f.home.configFile)).replace('setter = "custom"', 'setter = "auto"'),
  );
  const r = await f.cli(["doctor", "--json"], { WAYLAND_DISPLAY: "", DISPLAY: "" });
  assertEquals(r.code, 1);
  const by = Object.fromEntries(r.json<Doctor>().checks.map((c) => [c.name, c]));
  assertEquals(by.sources.status, "error");
  assertStringIncludes(by.sources.detail, f.pics);
  assertEquals(by.setter.status, "error");
  assertStringIncludes(by.setter.detail, "no graphical session");
});

Deno.test("doctor and next refuse a custom command that never names the image", async () => {
  await using f = await fixture();
  await f.home.writeConfig(
    (await Deno.readTextFile(f.home.configFile)).replace('"{path}", "{output}"', '"{output}"'),
  );
  const r = await f.cli(["doctor", "--json"]);
  assertEquals(r.code, 1);
  const by = Object.fromEntries(r.json<Doctor>().checks.map((c) => [c.name, c]));
  assertEquals(by.setter.status, "error");
  assertStringIncludes(by.setter.detail, "command never names the image");
  const next = await f.cli(["next"]);
  assertEquals(next.code, 1);
  assertStringIncludes(next.stderr, 'put "{path}" in one of its arguments');
  assertEquals(await f.setterCalls(), []);
});

Deno.test("doctor checks each remote's key without printing it, and says when none is set", async () => {
  await using home = await tempHome();
  await home.writeConfig(`
[wallpaper]
setter = "none"

[[remote]]
name = "nature"
kind = "wallhaven"
query = "nature"
api_key_env = "TEST_WALLHAVEN_KEY"

[[remote]]
name = "photos"
kind = "unsplash"
query = "fjord"
`);
  const secret = "s3cr3t-key-value-1234";
  const r = await runCli(home, ["doctor", "--json"], { env: { TEST_WALLHAVEN_KEY: secret } });
  assert(!r.stdout.includes(secret) && !r.stderr.includes(secret), "the key is never printed");
  const d = JSON.parse(r.stdout) as Doctor;
  const remotes = d.checks.find((c) => c.name === "remotes")!;
  assertEquals(remotes.status, "error");
  assertStringIncludes(remotes.detail, "photos (unsplash): unsplash needs an API key");
  const rows = (remotes.data as { remotes: { name: string; status: string; key_from: string }[] })
    .remotes;
  assertEquals(rows.map((x) => [x.name, x.status, x.key_from]), [
    ["nature", "ok", "env TEST_WALLHAVEN_KEY"],
    ["photos", "error", null],
  ]);
  const text = await runCli(home, ["doctor"], { env: { TEST_WALLHAVEN_KEY: secret } });
  assert(!text.stdout.includes(secret));
  assertEquals(text.code, 1);
});

Deno.test("doctor says where the built-in templates are written", async () => {
  await using home = await tempHome();
  await home.writeConfig('[wallpaper]\nsetter = "none"\n');
  const r = await runCli(home, ["doctor", "--json"]);
  const d = r.json<Doctor>();
  const templates = d.checks.find((c) => c.name === "templates")!;
  assertEquals(
    templates.detail,
    `0 configured template(s) compile; the built-in ones are written to ${home.env.XDG_CACHE_HOME}/varietal/theme/`,
  );
});

Deno.test("doctor says an older database is upgraded by the next command, and where its copy goes", async () => {
  await using home = await tempHome();
  await writeOldDatabase(home.database, 5);
  const doctor = await runCli(home, ["doctor", "--json"]);
  const db = doctor.json<{ checks: { name: string; detail: string }[] }>().checks
    .find((c) => c.name === "database")!;
  assertStringIncludes(
    db.detail,
    `schema v5 (the next command upgrades it to v${SCHEMA_VERSION}, keeping a copy as ${home.database}.v5.bak)`,
  );
  const next = await runCli(home, ["history"]);
  assertEquals(next.code, 0, next.stderr);
  assert((await Deno.stat(`${home.database}.v5.bak`)).isFile);
  const after = await runCli(home, ["doctor", "--json"]);
  assertStringIncludes(
    after.json<{ checks: { name: string; detail: string }[] }>().checks
      .find((c) => c.name === "database")!.detail,
    `schema v${SCHEMA_VERSION}, 0 image(s)`,
  );
});

Deno.test("doctor warns when swww is installed but no swww-daemon runs, and not once one does", async () => {
  await using home = await tempHome();
  const bin = `${home.root}/bin`;
  await Deno.mkdir(bin);
  await Deno.writeTextFile(`${bin}/swww`, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
  await home.writeConfig('[wallpaper]\nsetter = "swww"\n');
  const PATH = `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`;
  const setter = async () => {
    const r = await runCli(home, ["doctor", "--json"], { env: { PATH } });
    return r.json<Doctor>().checks.find((c) => c.name === "setter")!;
  };
  const alone = await setter();
  assertEquals(alone.status, "warn", alone.detail);
  assertStringIncludes(alone.detail, "swww-daemon or awww-daemon is not running");
  // A process of that name (a copy of sleep) running as this user.
  await Deno.copyFile("/bin/sleep", `${bin}/swww-daemon`);
  await Deno.chmod(`${bin}/swww-daemon`, 0o755);
  const daemon = new Deno.Command(`${bin}/swww-daemon`, { args: ["30"] }).spawn();
  try {
    const up = await setter();
    assertEquals(up.status, "ok", up.detail);
  } finally {
    daemon.kill();
    await daemon.status;
  }
});

Deno.test("doctor fails when the built-in theme's folder is on a read-only disk, as every next would", async () => {
  await using home = await tempHome();
  const ro = `${home.root}/ro-cache`;
  await Deno.mkdir(ro);
  await withTmpfs(ro, "64k,ro", async () => {
    const env = { XDG_CACHE_HOME: ro };
    const r = await runCli(home, ["doctor", "--json"], { env });
    assertEquals(r.code, 1, r.stdout + r.stderr);
    const folders = r.json<Doctor>().checks.find((c) => c.name === "folders")!;
    assertEquals(folders.status, "error");
    assertStringIncludes(folders.detail, `the built-in theme files: cannot write in ${ro}`);
    assertStringIncludes(folders.detail, "read-only");
  });
  // Writable folders pass.
  const ok = await runCli(home, ["doctor", "--json"]);
  assertEquals(ok.json<Doctor>().checks.find((c) => c.name === "folders")!.status, "ok");
});
