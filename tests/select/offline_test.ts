// Issue 11 §9 "An unplugged drive is offline, not deleted", end to end: with
// one source's drive unplugged (its folder gone, then a bare mount point),
// select and next draw from the other source and say why, sources list and
// doctor report it offline, nothing is marked missing or pruned, and
// everything is there again when the drive returns.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { runCli, tempHome } from "../_helpers/env.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";
import { Database } from "../../src/db/database.ts";

Deno.test("an unplugged source is offline: drawn around, reported, and whole again when it returns", async () => {
  await using home = await tempHome();
  const usb = `${home.root}/media/usb`;
  const local = `${home.root}/local`;
  const colors = [COLORS.red, COLORS.blue, COLORS.green, COLORS.orange, COLORS.teal];
  for (let i = 0; i < 5; i++) {
    await writeImage(`${usb}/set${i % 2}/u${i}.png`, { width: 16, height: 9, colors: [colors[i]] });
  }
  await writeImage(`${local}/l0.png`, { width: 16, height: 9, colors: [COLORS.navy] });
  await home.writeConfig("[selection]\nmin_width = 0\nmin_height = 0\n");
  const cli = async (args: string[], code = 0) => {
    const r = await runCli(home, args);
    assertEquals(r.code, code, `${args.join(" ")}: ${r.stderr}`);
    return r;
  };
  await cli(["sources", "add", usb, local]);
  await cli(["scan"]);
  await cli(["next", "--image", `${usb}/set0/u0.png`, "--setter", "none", "--no-theme"]);
  await cli(["favorite", `${usb}/set1/u1.png`]);
  const snapshot = async () => {
    using db = await Database.open(home.database);
    return {
      missing: (db.raw.prepare("SELECT COUNT(*) AS n FROM images WHERE missing_since IS NOT NULL")
        .get() as { n: number }).n,
      images: (db.raw.prepare("SELECT COUNT(*) AS n FROM images").get() as { n: number }).n,
      favorites: (db.raw.prepare("SELECT COUNT(*) AS n FROM images WHERE favorite = 1").get() as {
        n: number;
      }).n,
      history: (db.raw.prepare("SELECT COUNT(*) AS n FROM history").get() as { n: number }).n,
    };
  };
  const before = await snapshot();
  assertEquals(before, { missing: 0, images: 6, favorites: 1, history: 1 });

  const unplugged = async (label: string) => {
    const sel = await cli(["select", "-n", "6", "--json", "--seed", "1"]);
    const picks = JSON.parse(sel.stdout) as { path: string }[];
    assertEquals(picks.map((p) => p.path), [`${local}/l0.png`], label);
    assertStringIncludes(sel.stderr, `source ${usb} is offline`);
    const next = await cli(["next", "--setter", "none", "--no-theme", "--no-palette", "--json"]);
    assertStringIncludes(next.stderr, `${usb} is offline`);
    const list = (await cli(["sources", "list", "--json"])).json<
      { path: string; status: string; reason: string; images: number }[]
    >();
    const u = list.find((s) => s.path === usb)!;
    assertEquals([u.status, u.images], ["offline", 5], label);
    const doctor = (await cli(["doctor", "--json"], 1)).json<
      { checks: { name: string; status: string; detail: string }[] }
    >().checks.find((c) => c.name === "sources")!;
    assertEquals(doctor.status, "error");
    assertStringIncludes(doctor.detail, `offline: ${usb}`);
    const prune = (await cli(["prune", "--missing", "--json"])).json<
      { missing_images: number }
    >();
    assertEquals(prune.missing_images, 0);
    // A scan while the drive is away did all it could: exit 0, the source named as offline.
    const scan = (await cli(["scan", "--json"])).json<
      { missing: number; errors: unknown[]; offline: { path: string }[] }
    >();
    assertEquals(scan.missing, 0, label);
    assertEquals([scan.errors, scan.offline.map((o) => o.path)], [[], [usb]], label);
    assertStringIncludes((await cli(["scan"])).stderr, `varietal: ${usb}: offline: `);
    const now = await snapshot();
    assertEquals([now.missing, now.images, now.favorites], [0, 6, 1], label);
  };

  // 1. The drive is unplugged and its mount point removed: the folder is gone.
  await Deno.rename(`${home.root}/media`, `${home.root}/media-away`);
  await unplugged("folder gone");
  // 2. The mount point is there, but nothing is mounted on it.
  await Deno.mkdir(usb, { recursive: true });
  await unplugged("bare mount point");
  await Deno.remove(`${home.root}/media`, { recursive: true });
  // 3. The drive is back: all of it is drawn again, nothing was lost.
  await Deno.rename(`${home.root}/media-away`, `${home.root}/media`);
  const sel = await cli(["select", "-n", "6", "--json", "--any-time"]);
  assertEquals((JSON.parse(sel.stdout) as unknown[]).length, 6);
  assert(!sel.stderr.includes("offline"), sel.stderr);
  const scan = (await cli(["scan", "--json"])).json<Record<string, number>>();
  assertEquals([scan.added, scan.missing, scan.restored, scan.unchanged], [0, 0, 0, 6]);
  const after = await snapshot();
  assertEquals([after.missing, after.images, after.favorites], [0, 6, 1]);
  assert(after.history >= before.history, "history kept");
});

Deno.test("current --restore of a wallpaper on an unplugged drive says the drive is offline, not gone", async () => {
  await using home = await tempHome();
  const usb = `${home.root}/media/usb`;
  await writeImage(`${usb}/a.png`, { width: 64, height: 48, colors: [COLORS.red] });
  await home.writeConfig("[selection]\nmin_width = 0\nmin_height = 0\n");
  for (
    const args of [
      ["sources", "add", usb],
      ["scan", "-q"],
      ["next", "--image", `${usb}/a.png`, "--setter", "none", "--no-theme"],
    ]
  ) {
    assertEquals((await runCli(home, args)).code, 0, args.join(" "));
  }
  await Deno.rename(`${home.root}/media`, `${home.root}/media-away`);
  const r = await runCli(home, ["current", "--restore", "--setter", "none"]);
  assertEquals(r.code, 1);
  assertStringIncludes(
    r.stderr,
    `varietal: nothing to restore: the last wallpaper, ${usb}/a.png, is in ${usb}, which is ` +
      "offline (",
  );
});
