// Everything varietal creates is private (0600 files, 0700 folders): a wallpaper history is personal.
import { assert, assertEquals } from "../_helpers/assert.ts";
import { runCli, tempHome } from "../_helpers/env.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";
import { saveSequences } from "../../src/theme/terminals.ts";
import { fixture, scannedHome } from "./_fixture.ts";

/** Every file and folder under `dir` whose mode lets the group or others in. */
async function openToOthers(dir: string): Promise<string[]> {
  const found: string[] = [];
  const st = await Deno.lstat(dir);
  if (!st.isSymlink && (st.mode! & 0o077) !== 0) {
    found.push(`${dir} ${(st.mode! & 0o777).toString(8)}`);
  }
  if (!st.isDirectory) return found;
  for await (const e of Deno.readDir(dir)) found.push(...await openToOthers(`${dir}/${e.name}`));
  return found;
}

Deno.test("scan and next create the data, state, cache and runtime folders 0700 and their files 0600", async () => {
  await using home = await tempHome();
  const pics = `${home.root}/pics`; // the test's own folder, outside the checked homes
  await writeImage(`${pics}/a.png`, { width: 32, height: 24, colors: [COLORS.red, COLORS.blue] });
  await writeImage(`${pics}/b.png`, { width: 32, height: 24, colors: [COLORS.green, COLORS.red] });
  await home.writeConfig(
    `[[sources]]\npath = "${pics}"\n\n[palette]\norigin = "builtin"\n\n[selection]\nmin_width = 0\nmin_height = 0\n`,
  );
  // A fresh account: no XDG folders yet (config.toml is the user's own file).
  for (const d of [".local", ".cache"]) await Deno.remove(`${home.home}/${d}`, { recursive: true });
  await Deno.remove(`${home.root}/run`, { recursive: true });
  await Deno.mkdir(`${home.root}/run`, { mode: 0o700 });

  assertEquals((await runCli(home, ["scan"])).code, 0);
  const r = await runCli(home, ["next", "--setter", "none"]);
  assertEquals(r.code, 0, r.stderr);
  for (const must of [home.database, `${home.env.XDG_STATE_HOME}/varietal/browse.json`]) {
    assertEquals((await Deno.stat(must)).mode! & 0o777, 0o600, must);
  }
  assert(
    (await Array.fromAsync(Deno.readDir(`${home.env.XDG_CACHE_HOME}/varietal/theme`))).length > 0,
  );
  const open = [
    ...await openToOthers(`${home.home}/.local`),
    // Only ours: an installed wallust keeps its own cache beside it.
    ...await openToOthers(`${home.home}/.cache/varietal`),
    ...await openToOthers(`${home.root}/run`),
  ];
  assertEquals((await Deno.stat(`${home.home}/.cache`)).mode! & 0o777, 0o700);
  assertEquals(open, []);
});

Deno.test("files an older varietal left readable by others are tightened when used", async () => {
  const { home } = await scannedHome();
  await using _home = home;
  assertEquals((await runCli(home, ["next", "--setter", "none"])).code, 0);
  const browse = `${home.env.XDG_STATE_HOME}/varietal/browse.json`;
  // 0.1.0 made its folders 0755 and the built-ins' copies 0644 (colors.json names the wallpaper).
  const cache = `${home.env.XDG_CACHE_HOME}/varietal`;
  const copies = [...Deno.readDirSync(`${cache}/theme`)].map((e) => `${cache}/theme/${e.name}`);
  assert(copies.some((c) => c.endsWith("/colors.json")), copies.join(" "));
  const folders = [
    `${home.env.XDG_DATA_HOME}/varietal`,
    `${home.env.XDG_STATE_HOME}/varietal`,
    cache,
    `${cache}/theme`,
  ];
  for (const f of [home.database, browse, ...copies]) await Deno.chmod(f, 0o644);
  for (const d of folders) await Deno.chmod(d, 0o755);
  assertEquals((await runCli(home, ["next", "--setter", "none"])).code, 0);
  for (const f of [home.database, browse, ...copies]) {
    assertEquals((await Deno.stat(f)).mode! & 0o777, 0o600, f);
  }
  for (const d of folders) assertEquals((await Deno.stat(d)).mode! & 0o777, 0o700, d);

  const seq = `${home.env.XDG_CACHE_HOME}/varietal/sequences`;
  await Deno.mkdir(`${home.env.XDG_CACHE_HOME}/varietal`, { recursive: true });
  await Deno.writeTextFile(seq, "old");
  await Deno.chmod(seq, 0o644);
  await saveSequences(seq, "\x1b]11;#000000\x07");
  assertEquals((await Deno.stat(seq)).mode! & 0o777, 0o600);
});

Deno.test("next, with the task's permissions, removes a killed writer's temporary file beside a target", async () => {
  await using f = await fixture();
  const dir = f.probe.replace(/\/[^/]+$/, "");
  await Deno.mkdir(dir, { recursive: true });
  // Left by a `kill -9` between write and rename (a PID above Linux's maximum: surely gone).
  const stale = `${dir}/.probe.txt.4194305.7.varietal-tmp`;
  await Deno.writeTextFile(stale, "half");
  const old = new Date(Date.now() - 3600_000);
  await Deno.utime(stale, old, old);
  const r = await f.cli(["next"]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["probe.txt"]);
});
