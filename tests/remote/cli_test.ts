// The commands as a user runs them (separate processes with the varietal task's permissions,
// no network): a fresh user with one [[remote]] fetches, indexes, shows and credits images.
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_helpers/assert.ts";
import { runCli, type RunResult, spawnCli, tempHome } from "../_helpers/env.ts";
import { FakeServices, makeImages, remoteToml } from "./_fake_services.ts";
import { stalls } from "./_fake_server.ts";
import { FAST_FETCH, filesIn, SECRET_KEY } from "./_setup.ts";
import { Database } from "../../src/db/database.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";
import { getRemote } from "../../src/db/remotes.ts";
import { insertImage } from "../../src/db/images.ts";

interface Credit {
  remote: string;
  page_url: string;
  author: string;
  author_url: string;
  licence: string;
  image_url: string;
}

Deno.test("fetch on a fresh user downloads, indexes and credits; next shows them; current --json credits", async () => {
  await using svc = new FakeServices();
  svc.list("unsplash", await makeImages("photo", 5, { width: 800, height: 600 }));
  await using home = await tempHome();
  await home.writeConfig(`${FAST_FETCH}
[wallpaper]
setter = "none"

[[remote]]
name = "photos"
kind = "unsplash"
api = "${svc.api("unsplash")}"
api_key_env = "UNSPLASH_TEST_KEY"
keep_unseen = 3

[[templates]]
name = "credit"
template = "credit.txt"
target = "~/credit.txt"
`);
  await Deno.mkdir(`${home.env.XDG_CONFIG_HOME}/varietal/templates`, { recursive: true });
  await Deno.writeTextFile(
    `${home.env.XDG_CONFIG_HOME}/varietal/templates/credit.txt`,
    "{{ image_remote }} | {{ image_author }} | {{ image_source }} | {{ image_licence }}\n",
  );
  const outputs: RunResult[] = [];
  const cli = async (args: string[]) => {
    const r = await runCli(home, args, { env: { UNSPLASH_TEST_KEY: SECRET_KEY } });
    outputs.push(r);
    return r;
  };

  const fetched = await cli(["fetch", "--json"]);
  assertEquals(fetched.code, 0, fetched.stderr);
  const report = fetched.json<{ added: (Credit & { path: string; width: number })[] }>();
  assertEquals(report.added.length, 3);
  const dir = `${home.env.XDG_DATA_HOME}/varietal/downloads/photos`;
  for (const f of report.added) {
    assert(f.path.startsWith(`${dir}/`), f.path);
    assertEquals([f.width, f.author, f.remote], [800, "Jane Doe", "photos"]);
    assertMatch(f.page_url, /^https:\/\/unsplash\.com\/photos\/photo\d\?utm_source=varietal/);
  }
  assertEquals((await filesIn(dir)).length, 3);

  const explain = await cli(["select", "--explain", "--seed", "7"]);
  assertEquals(explain.code, 0, explain.stderr);
  assertStringIncludes(explain.stdout, 'from photos (unsplash): "Photo photo');
  assertStringIncludes(explain.stdout, "by Jane Doe");
  assertStringIncludes(explain.stdout, "https://unsplash.com/photos/photo");

  const next = await cli(["next", "--json"]);
  assertEquals(next.code, 0, next.stderr);
  type Shown = { path: string; attribution: Credit; package: unknown };
  const shownJson = next.json<Shown & { shows: Shown[] }>();
  const shown = shownJson.shows[0].path;
  assert(shown.startsWith(`${dir}/`), shown);

  const current = await cli(["current", "--json"]);
  const [cur] = current.json<{ path: string; attribution: Credit }[]>();
  assertEquals(cur.path, shown);
  // next --json credits the picture as current --json does.
  assertEquals(shownJson.attribution, cur.attribution);
  assertEquals(shownJson.shows[0].attribution, cur.attribution);
  assertEquals(shownJson.package, null);
  assertEquals(cur.attribution.author, "Jane Doe");
  assertEquals(
    cur.attribution.author_url,
    "https://unsplash.com/@jane?utm_source=varietal&utm_medium=referral",
  );
  assertMatch(cur.attribution.page_url, /^https:\/\/unsplash\.com\/photos\/photo\d/);
  assertStringIncludes(cur.attribution.licence, "Unsplash License");

  const credit = await Deno.readTextFile(`${home.home}/credit.txt`);
  assertMatch(
    credit,
    /^photos \| Jane Doe \| https:\/\/unsplash\.com\/photos\/photo\d\?utm_source=varietal&utm_medium=referral \| Unsplash License/,
  );

  const history = await cli(["history", "--json"]);
  assertEquals(history.json<{ attribution: Credit }[]>()[0].attribution.author, "Jane Doe");

  const html = `${home.root}/report.html`;
  assertEquals((await cli(["report", "--out", html])).code, 0);
  const page = await Deno.readTextFile(html);
  assertStringIncludes(page, "from <b>photos</b>");
  assertStringIncludes(page, `>Jane Doe</a>`);

  // The shown image's download_location is requested by the next fetch, which also tops up.
  const again = await cli(["fetch", "--json"]);
  assertEquals(again.code, 0, again.stderr);
  assertEquals(again.json<{ added: unknown[] }>().added.length, 1);
  const pings = svc.server.requests.filter((r) => /\/download$/.test(r.path));
  assertEquals(pings.length, 1);
  assertEquals(pings[0].headers.get("authorization"), `Client-ID ${SECRET_KEY}`);

  // Banning the current wallpaper deletes the download.
  const ban = await cli(["ban", "--json"]);
  assertEquals(ban.json(), [{ path: shown, favorite: false, banned: true, file_deleted: true }]);
  assertEquals(await Deno.stat(shown).then(() => true, () => false), false);

  const list = await cli(["remote", "list", "--json"]);
  const [r] = list.json<{ name: string; images: number; api_key: unknown }[]>();
  assertEquals(r.name, "photos");
  assertEquals(r.api_key, { from: "env UNSPLASH_TEST_KEY", set: true, problem: null });
  const sources = await cli(["sources", "list", "--json"]);
  assertEquals(sources.json<{ path: string; origin: string }[]>().map((s) => [s.path, s.origin]), [
    [dir, "remote"], // not "command": no 'sources add' made it
  ]);
  assertStringIncludes((await cli(["sources", "list"])).stdout, `remote   ${dir}`);
  // config show says where that folder comes from (not "added with 'varietal sources add'").
  assertStringIncludes(
    (await cli(["config", "show"])).stdout,
    `#   ${dir}  (downloads of a remote source, [[remote]] or 'varietal remote add'`,
  );
  // Its folder goes with the remote, not by itself (the files would stay, the remote not).
  const rmDir = await cli(["sources", "remove", dir]);
  assertEquals(rmDir.code, 1);
  assertStringIncludes(
    rmDir.stderr,
    "is the downloads folder of remote 'photos'; use 'varietal remote remove photos'",
  );
  assertEquals((await cli(["remote", "list", "--json"])).json<unknown[]>().length, 1);
  // Removing the remote of the wallpaper on screen says that its file went too.
  const onScreen = (await cli(["next", "--json"])).json<{ shows: { path: string }[] }>();
  assert(onScreen.shows[0].path.startsWith(`${dir}/`));
  const rmRemote = await cli(["remote", "remove", "photos"]);
  assertEquals(rmRemote.code, 0, rmRemote.stderr);
  assertStringIncludes(
    rmRemote.stderr,
    `the wallpaper on screen, ${onScreen.shows[0].path}, was one of the removed downloads`,
  );

  for (const o of outputs) {
    assert(!o.stdout.includes(SECRET_KEY) && !o.stderr.includes(SECRET_KEY), "the key was printed");
  }
});

Deno.test("remote add/list/disable/enable/remove manage remotes like sources", async () => {
  await using home = await tempHome();
  const add = await runCli(home, [
    "remote",
    "add",
    "nature",
    "--kind",
    "wallhaven",
    "--query",
    "forest lake",
    "--quota",
    "2GiB",
    "--keep-unseen",
    "5",
    "--api-key-file",
    "~/wallhaven.key",
    "--json",
  ]);
  assertEquals(add.code, 0, add.stderr);
  const added = add.json<Record<string, unknown>>();
  assertEquals(
    [
      added.name,
      added.kind,
      added.query,
      added.api,
      added.quota,
      added.keep_unseen,
      added.sfw_only,
    ],
    ["nature", "wallhaven", "forest lake", "https://wallhaven.cc/api/v1", 2 * 1024 ** 3, 5, true],
  );
  assertEquals((added.api_key as { set: boolean }).set, false);
  assertStringIncludes((added.api_key as { problem: string }).problem, "wallhaven.key");
  const dir = `${home.env.XDG_DATA_HOME}/varietal/downloads/nature`;
  assertEquals((await Deno.stat(dir)).mode! & 0o777, 0o700);

  const dup = await runCli(home, ["remote", "add", "nature", "--kind", "bing"]);
  assertEquals(dup.code, 1);
  assertStringIncludes(dup.stderr, 'a remote named "nature" already exists');
  const badSize = await runCli(home, ["remote", "add", "x", "--kind", "bing", "--quota", "lots"]);
  assertEquals(badSize.code, 2);
  assertStringIncludes(badSize.stderr, "--quota: expected a size");
  // Out of range: said in units, and a negative or fractional count as such.
  const zero = await runCli(home, ["remote", "add", "x", "--kind", "bing", "--quota", "0"]);
  assertEquals(zero.code, 2);
  assertStringIncludes(zero.stderr, "--quota: must be between 1 MiB and 1024 TiB, got 0 B");
  for (const [n, why] of [["-1", "a number between 0 and 10000"], ["1.5", "a whole number"]]) {
    const r = await runCli(home, ["remote", "add", "x", "--kind", "bing", "--keep-unseen", n]);
    assertEquals(r.code, 2);
    assertStringIncludes(r.stderr, `--keep-unseen: expected ${why}`);
  }
  const badName = await runCli(home, ["remote", "add", "../x", "--kind", "bing"]);
  assertEquals(badName.code, 2);
  assertStringIncludes(badName.stderr, "not a valid remote name");
  const noQuery = await runCli(home, ["remote", "add", "r", "--kind", "rss"]);
  assertEquals(noQuery.code, 2);
  assertStringIncludes(noQuery.stderr, "--query: is required for rss");
  const badKind = await runCli(home, ["remote", "add", "r", "--kind", "flickr"]);
  assertEquals(badKind.code, 2);
  // Added, but said at once when it cannot fetch yet.
  const keyless = await runCli(home, ["remote", "add", "u", "--kind", "unsplash"]);
  assertEquals(keyless.code, 0, keyless.stderr);
  // (No [[remote]] entry to edit: it is added again with the key's flag.)
  const readd =
    "unsplash needs an API key: 'varietal remote remove u', then 'varietal remote add " +
    "u --kind unsplash --api-key-env VAR' (or --api-key-file FILE)";
  assertStringIncludes(keyless.stderr, `warning: u: ${readd}`);
  // `remote list` says the same as `remote add` and `doctor`, not "enabled".
  const keylessList = await runCli(home, ["remote", "list"]);
  const uLine = keylessList.stdout.split("\n").find((l) => l.startsWith("u "));
  assertStringIncludes(uLine ?? "", "unsplash needs an API key");
  const keylessJson = (await runCli(home, ["remote", "list", "--json"])).json<
    { name: string; api_key: { set: boolean; problem: string | null } }[]
  >().find((r) => r.name === "u");
  assertEquals(keylessJson?.api_key, {
    ...keylessJson!.api_key,
    set: false,
    problem: readd,
  });
  const fetchU = await runCli(home, ["fetch", "u"]);
  assertStringIncludes(fetchU.stderr, readd);
  assertEquals((await runCli(home, ["remote", "remove", "u"])).code, 0);

  assertEquals((await runCli(home, ["remote", "disable", "nature"])).code, 0);
  const src = (await runCli(home, ["sources", "list", "--json"])).json<
    { path: string; enabled: boolean }[]
  >();
  assertEquals(src, [{ ...src[0], path: dir, enabled: false }]);
  const fetchDisabled = await runCli(home, ["fetch", "nature"]);
  assertEquals(fetchDisabled.code, 1);
  assertStringIncludes(
    fetchDisabled.stderr,
    "disabled; enable it with 'varietal remote enable nature'",
  );
  assertEquals((await runCli(home, ["remote", "enable", "nature"])).code, 0);
  const text = await runCli(home, ["remote", "list"]);
  assertStringIncludes(text.stdout, "nature");
  assertStringIncludes(text.stdout, "0/5");
  const unknown = await runCli(home, ["fetch", "nope"]);
  assertEquals(unknown.code, 1);
  assertStringIncludes(unknown.stderr, 'no remote named "nope"');

  const rm = await runCli(home, ["remote", "remove", "nature", "--json"]);
  assertEquals(rm.json(), [{ name: "nature", action: "remove", images: 0, from_config: false }]);
  assertEquals(await Deno.stat(dir).then(() => true, () => false), false);
  assertEquals((await runCli(home, ["sources", "list", "--json"])).json(), []);
});

Deno.test("a [[remote]] deleted from config.toml is disabled, not fetched, and can then be removed", async () => {
  await using home = await tempHome();
  // A closed loopback port: any attempt to fetch it fails the command.
  const api = "http://127.0.0.1:9/api/v1";
  await home.writeConfig(
    `[[remote]]\nname = "gone"\nkind = "wallhaven"\napi = "${api}"\n` +
      `[[remote]]\nname = "kept"\nkind = "wallhaven"\napi = "${api}"\nenabled = false\n`,
  );
  const before = (await runCli(home, ["remote", "list", "--json"])).json<
    { name: string; enabled: boolean; from_config: boolean }[]
  >();
  assertEquals(before.map((r) => [r.name, r.enabled, r.from_config]), [
    ["gone", true, true],
    ["kept", false, true],
  ]);
  await home.writeConfig(
    `[[remote]]\nname = "kept"\nkind = "wallhaven"\napi = "${api}"\nenabled = false\n`,
  );

  const fetch = await runCli(home, ["fetch", "--json"]);
  assertEquals(fetch.code, 0, fetch.stderr);
  const report = fetch.json<{ remotes: unknown[]; notes: { remote: string; message: string }[] }>();
  assertEquals(report.remotes, [], "nothing fetched");
  assertEquals(report.notes.map((n) => n.remote), ["gone"]);
  assertStringIncludes(report.notes[0].message, "no longer a [[remote]] in config.toml: disabled");
  const after = await runCli(home, ["remote", "list", "--json"]);
  assertEquals(after.stderr, "", "the note is said once");
  assertEquals(
    after.json<{ name: string; enabled: boolean; from_config: boolean }[]>()
      .map((r) => [r.name, r.enabled, r.from_config]),
    [["gone", false, false], ["kept", false, true]],
  );
  const rm = await runCli(home, ["remote", "remove", "gone", "--json"]);
  assertEquals(rm.code, 0, rm.stderr);
  assertEquals(rm.stderr, "", "no claim that it is still in config.toml");
  assertEquals(rm.json<{ from_config: boolean }[]>()[0].from_config, false);

  // `enabled = false` in the file: only the file enables it, and both commands say so.
  const inFile = `the remote "kept" is disabled in ${home.configFile} ([[remote]] name = "kept", ` +
    "enabled = false); set enabled = true there\n";
  const enable = await runCli(home, ["remote", "enable", "kept"]);
  assertEquals([enable.code, enable.stdout, enable.stderr], [1, "", `varietal: ${inFile}`]);
  const named = await runCli(home, ["fetch", "kept"]);
  assertEquals([named.code, named.stderr], [1, `varietal: ${inFile}`]);
  // Doing so enables it; a `remote disable` of it then lasts.
  const entry = `[[remote]]\nname = "kept"\nkind = "wallhaven"\napi = "${api}"\n`;
  await home.writeConfig(`${entry}enabled = true\n`);
  const enabled = async () =>
    (await runCli(home, ["remote", "list", "--json"])).json<{ name: string; enabled: boolean }[]>()
      .find((r) => r.name === "kept")!.enabled;
  assertEquals(await enabled(), true);
  assertEquals((await runCli(home, ["remote", "disable", "kept"])).code, 0);
  assertEquals(await enabled(), false);
  await home.writeConfig(entry);
  assertEquals(await enabled(), false, "disabled by command, not by the file");
});

Deno.test("a remote added by hand that a [[remote]] entry also names stays yours, enabled, when the entry goes", async () => {
  await using home = await tempHome();
  const api = "http://127.0.0.1:9/api/v1";
  const listed = async () =>
    (await runCli(home, ["remote", "list", "--json"])).json<
      { name: string; enabled: boolean; from_config: boolean }[]
    >().map((r) => [r.name, r.enabled, r.from_config]);
  const add = await runCli(home, ["remote", "add", "mine", "--kind", "wallhaven", "--api", api]);
  assertEquals(add.code, 0, add.stderr);
  await home.writeConfig(`[[remote]]\nname = "mine"\nkind = "wallhaven"\napi = "${api}"\n`);
  assertEquals(await listed(), [["mine", true, true]]);
  await home.writeConfig("");
  const sync = await runCli(home, ["remote", "list"]);
  assertEquals(sync.stderr, "", "no 'disabled' note");
  assertEquals(await listed(), [["mine", true, false]]);
});

Deno.test("a bad [[remote]] entry is an error naming the file and key", async () => {
  await using home = await tempHome();
  await home.writeConfig('[[remote]]\nname = "a"\nkind = "wallhaven"\nquota = "big"\n');
  const r = await runCli(home, ["remote", "list"]);
  assertEquals(r.code, 1);
  assertStringIncludes(r.stderr, `${home.configFile}:4: remote[0].quota: expected a size`);
  await home.writeConfig(
    '[[remote]]\nname = "a"\nkind = "bing"\n[[remote]]\nname = "a"\nkind = "apod"\n',
  );
  const dup = await runCli(home, ["fetch"]);
  assertStringIncludes(dup.stderr, 'remote[1].name: "a" is used twice');
  await home.writeConfig('[[remote]]\nname = "a"\nkind = "apod"\napi = "ftp://x"\n');
  assertStringIncludes(
    (await runCli(home, ["fetch"])).stderr,
    'remote[0].api: "ftp://x" is not an http(s) URL',
  );
});

Deno.test("fetch NAME of a remote that is backing off exits 75 and says until when", async () => {
  await using home = await tempHome();
  const add = await runCli(home, ["remote", "add", "daily", "--kind", "bing"]);
  assertEquals(add.code, 0, add.stderr);
  {
    const { Database } = await import("../../src/db/database.ts");
    using db = await Database.open(home.database);
    db.raw.prepare("UPDATE remotes SET backoff_until = ?, last_error = 'too many requests (429)'")
      .run(Date.now() + 3_600_000);
  }
  const named = await runCli(home, ["fetch", "daily"]);
  assertEquals(named.code, 75, named.stdout + named.stderr);
  assertMatch(
    named.stderr,
    /not fetched: backing off until \d{4}-\d\d-\d\d \d\d:\d\d; try again then/,
  );
  const json = await runCli(home, ["fetch", "daily", "--json"]);
  assertEquals(json.code, 75);
  assertMatch(
    json.stderr,
    /not fetched: backing off until /,
    "the exit code's reason, with --json too",
  );
  const [r] = json.json<{ remotes: { status: string; backoff_until?: number }[] }>().remotes;
  assertEquals(r.status, "skipped");
  assert(r.backoff_until! > Date.now(), JSON.stringify(r));
  // remote list --json gives the same time the same way: ms since the epoch, as all --json does.
  const [listed] = (await runCli(home, ["remote", "list", "--json"])).json<
    { backoff_until: unknown; last_fetch_at: unknown }[]
  >();
  assertEquals(listed.backoff_until, r.backoff_until);
  assert(listed.last_fetch_at === null || typeof listed.last_fetch_at === "number");
  // Without names (a timer's fetch), a remote backing off is normal: exit 0.
  const all = await runCli(home, ["fetch"]);
  assertEquals(all.code, 0, all.stderr);
  // Its line says it was skipped and why (not "+0 of 0 wanted").
  assertMatch(
    all.stdout,
    /^daily: skipped: not contacted until .+ \(backing off after: too many requests \(429\)\)$/m,
  );
  // doctor warns of it, for a remote added by command as for a [[remote]] entry.
  const doctor = await runCli(home, ["doctor", "--json"]);
  const checks = doctor.json<{ checks: { name: string; status: string; detail: string }[] }>()
    .checks;
  const remotes = checks.find((c) => c.name === "remotes");
  assertEquals(remotes?.status, "warn", JSON.stringify(remotes));
  assertStringIncludes(remotes!.detail, "daily (bing): backing off for 60 min");
});

Deno.test("a back-off set while the clock was fast lasts its length from now, not until that future", async () => {
  await using home = await tempHome();
  assertEquals((await runCli(home, ["remote", "add", "daily", "--kind", "bing"])).code, 0);
  const MIN = 60_000;
  {
    const { Database } = await import("../../src/db/database.ts");
    using db = await Database.open(home.database);
    // A 5-minute back-off after a failure dated two hours ahead (the clock since set right).
    const failedAt = Date.now() + 120 * MIN;
    db.raw.prepare("UPDATE remotes SET last_fetch_at = ?, backoff_until = ?, last_error = 'x'")
      .run(failedAt, failedAt + 5 * MIN);
  }
  const before = Date.now();
  const json = await runCli(home, ["fetch", "daily", "--json"]);
  assertEquals(json.code, 75, json.stderr);
  const [r] = json.json<{ remotes: { backoff_until?: number }[] }>().remotes;
  assert(
    r.backoff_until! >= before + 5 * MIN && r.backoff_until! <= Date.now() + 5 * MIN,
    `${r.backoff_until! - before}`,
  );
  const [listed] = (await runCli(home, ["remote", "list", "--json"])).json<
    { backoff_until: number }[]
  >();
  assert(listed.backoff_until <= Date.now() + 5 * MIN, `${listed.backoff_until - Date.now()}`);
});

Deno.test("Ctrl-C during a download exits 130 and leaves no half-downloaded file", async () => {
  await using svc = new FakeServices();
  const [im] = await makeImages("c", 1);
  svc.list("wallhaven", [im]);
  svc.overrides.set(
    new URL(svc.imageUrl("wallhaven", im)).pathname,
    () => stalls(im.bytes.subarray(0, 200), 20_000),
  );
  await using home = await tempHome();
  await home.writeConfig(
    '[fetch]\nidle_timeout = "30s"\ntotal_timeout = "60s"\n' + remoteToml(svc, "wallhaven", "w"),
  );
  const partial = `${home.env.XDG_DATA_HOME}/varietal/downloads/.partial`;
  const child = spawnCli(home, ["fetch"]);
  const parts = async () =>
    (await filesIn(partial).catch(() => [] as string[])).filter((f) => f.endsWith(".part"));
  for (let i = 0; i < 300 && (await parts()).length === 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assertEquals((await parts()).length, 1, "the download has begun");
  child.kill("SIGINT");
  const { code, stderr } = await child.output();
  assertEquals(code, 130, new TextDecoder().decode(stderr));
  assertEquals(await parts(), []);
});

Deno.test("a hostile feed's titles and errors reach the terminal escaped (fetch, remote list, select --explain)", async () => {
  await using svc = new FakeServices();
  const [im] = await makeImages("e", 1);
  const url = svc.file("evil.jpg", im.bytes);
  // ESC, a C1 CSI (U+009B) and a right-to-left override in the title and author.
  svc.extra.rss.push(`<item><title>Sea\x1b]0;PWNED\x07\u009b31m \u202egpj.exe</title>
  <link>https://photos.example.org/p/evil</link>
  <media:content url="${url}" medium="image" type="image/jpeg" width="96" height="72"/>
  <media:credit role="photographer">Eve\x1b[2J</media:credit></item>`);
  await using home = await tempHome();
  await home.writeConfig(
    `${FAST_FETCH}[wallpaper]\nsetter = "none"\n\n[selection]\nmin_width = 0\nmin_height = 0\n\n` +
      remoteToml(svc, "rss", "feed"),
  );
  // deno-lint-ignore no-control-regex -- control characters are what it looks for
  const raw = /[\x1b\x07\u0080-\u009f\u202a-\u202e]/;
  const fetched = await runCli(home, ["fetch"]);
  assertEquals(fetched.code, 0, fetched.stderr);
  const explain = await runCli(home, ["select", "-n", "1", "--explain"]);
  assertEquals(explain.code, 0, explain.stderr);
  assertStringIncludes(explain.stdout, "from feed (rss)");
  assert(!raw.test(explain.stdout), JSON.stringify(explain.stdout));
  // Now the feed breaks, with an escape sequence in the part its error quotes.
  svc.overrides.set(
    "/rss/feed.xml",
    () => ({ body: '<?xml version="1.0"?><\x1b]0;PWNED\x07\x1b[2J:rss version="2.0"><channel>' }),
  );
  const failed = await runCli(home, ["fetch", "--count", "1"]);
  assertEquals(failed.code, 1);
  assertStringIncludes(failed.stdout, "failed");
  const list = await runCli(home, ["remote", "list"]);
  assertStringIncludes(list.stdout, "last fetch failed");
  for (const r of [failed, list]) {
    assert(!raw.test(r.stdout + r.stderr), JSON.stringify(r.stdout + r.stderr));
  }
});

Deno.test("a data folder moved to a new home: a remote's downloads are followed, not called deleted", async () => {
  await using home = await tempHome();
  const added = await runCli(home, ["remote", "add", "feed", "--kind", "bing"]);
  assertEquals(added.code, 0, added.stderr);
  const oldData = home.env.XDG_DATA_HOME;
  const oldDir = `${oldData}/varietal/downloads/feed`;
  const pics = ["a.png", "b.png"].map((n) => `${oldDir}/${n}`);
  for (const p of pics) await writeImage(p, { width: 64, height: 36, colors: [COLORS.red] });
  {
    using db = await Database.open(home.database);
    const source = getRemote(db, "feed")!.source_id;
    for (const p of pics) {
      insertImage(db, {
        path: p,
        source_id: source,
        size: 4,
        mtime: 1,
        width: 1920,
        height: 1080,
        format: "png",
      }, 1);
    }
    db.prepare("UPDATE images SET favorite = 1 WHERE path = ?").run(pics[0]);
  }
  // The whole data folder moved (another home, another $XDG_DATA_HOME); the old one is gone.
  const newData = `${home.root}/moved-data`;
  await Deno.rename(oldData, newData);
  const env = { XDG_DATA_HOME: newData };
  const newDir = `${newData}/varietal/downloads/feed`;
  // Before any remote command, one of them is marked by its new path (a row of single files).
  const banB = await runCli(home, ["ban", `${newDir}/b.png`], { env });
  assertEquals(banB.code, 0, banB.stderr);
  const list = await runCli(home, ["remote", "list", "--json"], { env });
  assertEquals(list.code, 0, list.stderr);
  assertEquals(
    list.stderr,
    `varietal: feed: its downloads folder ${oldDir} is gone: now ${newDir} (where the data ` +
      "folder is), with its 2 image(s), their marks and history\n",
  );
  assertEquals(await Deno.stat(oldDir).then(() => true, () => false), false, "not made again");
  const prune = await runCli(home, ["prune", "--missing", "--json"], { env });
  assertEquals(prune.json<{ missing_images: number }>().missing_images, 0);
  using db = await Database.open(`${newData}/varietal/varietal.db`);
  assertEquals(
    db.prepare(
      "SELECT path, favorite, banned, missing_since, source_id = ? AS remote FROM images ORDER BY path",
    ).all(getRemote(db, "feed")!.source_id).map((r) => ({ ...r })),
    [
      { path: `${newDir}/a.png`, favorite: 1, banned: 0, missing_since: null, remote: 1 },
      { path: `${newDir}/b.png`, favorite: 0, banned: 1, missing_since: null, remote: 1 },
    ],
  );
  // Said once: the remote is where it should be now.
  assertEquals((await runCli(home, ["remote", "list"], { env })).stderr, "");
});

Deno.test("a [[remote]] whose address is corrected in config.toml is tried at once, not held by the old back-off", async () => {
  await using home = await tempHome();
  const entry = (port: number) =>
    `[[remote]]\nname = "wh"\nkind = "wallhaven"\napi = "http://127.0.0.1:${port}/api/v1"\n`;
  // A typo'd port: nothing listens there, and the failure backs the remote off.
  await home.writeConfig(entry(9));
  const first = await runCli(home, ["fetch", "wh"]);
  assertEquals(first.code, 1, first.stderr);
  const held = await runCli(home, ["fetch", "wh"]);
  assertEquals(held.code, 75, "backing off: " + held.stderr);
  // The same entry again (only its other settings changed) keeps the back-off.
  await home.writeConfig(entry(9) + "keep_unseen = 3\n");
  assertEquals((await runCli(home, ["fetch", "wh"])).code, 75);
  // Corrected (to another closed port, so nothing is downloaded): contacted again at once.
  await home.writeConfig(entry(1));
  const fixed = await runCli(home, ["fetch", "wh", "--json"]);
  assertEquals(fixed.code, 1, fixed.stderr);
  const [r] = fixed.json<{ remotes: { status: string; error?: string }[] }>().remotes;
  assertEquals(r.status, "failed", JSON.stringify(r));
  assertStringIncludes(JSON.stringify(r), "127.0.0.1:1");
});

Deno.test("remote add --api-key-file with a relative path reads the file in the current folder", async () => {
  await using home = await tempHome();
  const here = `${home.root}/keys`;
  await Deno.mkdir(here);
  await Deno.writeTextFile(`${here}/k.key`, "abc123\n");
  const add = await runCli(home, [
    "remote",
    "add",
    "u",
    "--kind",
    "unsplash",
    "--api-key-file",
    "k.key",
    "--json",
  ], { cwd: here });
  assertEquals(add.code, 0, add.stderr);
  assertEquals(add.stderr, "", "no warning of an unreadable key file");
  const added = add.json<{ api_key: { set: boolean; from: string; problem: null } }>();
  assertEquals(added.api_key, { set: true, from: `file ${here}/k.key`, problem: null });
});

Deno.test("fetch with every remote disabled says to enable one; remote remove of a name given twice removes it once", async () => {
  await using home = await tempHome();
  for (const name of ["daily", "space"]) {
    const add = await runCli(home, ["remote", "add", name, "--kind", "bing"]);
    assertEquals(add.code, 0, add.stderr);
  }
  assertEquals((await runCli(home, ["remote", "disable", "daily", "space"])).code, 0);
  const fetch = await runCli(home, ["fetch"]);
  assertEquals(fetch.code, 0, fetch.stderr);
  assertEquals(
    fetch.stdout.trim(),
    "No enabled remote sources (2 disabled: daily, space). Enable one: varietal remote enable daily",
  );
  const rm = await runCli(home, ["remote", "remove", "daily", "daily"]);
  assertEquals(rm.code, 0, rm.stderr);
  assertEquals(rm.stdout.split("\n").filter((l) => l.startsWith("Removed")).length, 1, rm.stdout);
});

Deno.test("a downloads folder that links to a disk not mounted is said as such, and nothing is added", async () => {
  await using home = await tempHome();
  await Deno.mkdir(`${home.env.XDG_DATA_HOME}/varietal`, { recursive: true });
  const link = `${home.env.XDG_DATA_HOME}/varietal/downloads`;
  await Deno.symlink(`${home.root}/not-mounted/downloads`, link);
  const add = await runCli(home, ["remote", "add", "daily", "--kind", "bing"]);
  assertEquals(add.code, 1);
  assertEquals(
    add.stderr,
    `varietal: ${link} links to ${home.root}/not-mounted/downloads, which does not exist ` +
      "(a disk not mounted?); mount it, or remove the link to download into a new folder\n",
  );
  assertEquals((await runCli(home, ["remote", "list", "--json"])).json<unknown[]>(), []);
});
