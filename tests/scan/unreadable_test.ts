// Issue 11 §4 "Unreadable is not deleted", end to end as an ordinary user:
// a subfolder made unreadable with chmod 000 is reported by `scan` (exit 1),
// its images, history and favourite are kept, `prune --missing` deletes
// nothing, and after chmod 755 nothing comes back as new.
//
// chmod 000 does not stop root, so when the tests run as root the varietal
// child runs as nobody (setpriv --reuid=65534) with a Deno binary, HOME and
// DENO_DIR it can reach.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { asNobody, chownTree, NOBODY } from "../_helpers/nobody.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";
import { Database } from "../../src/db/database.ts";
import { getImageByPath } from "../../src/db/images.ts";

Deno.test("scan reports an unreadable subfolder and keeps its images, history and favourite", async () => {
  await asNobody(async (child) => {
    const walls = `${child.home}/walls`;
    const sub = `${walls}/sub`;
    await writeImage(`${walls}/a.png`, { width: 16, height: 9, colors: [COLORS.red] });
    await writeImage(`${sub}/shown.png`, { width: 16, height: 9, colors: [COLORS.blue] });
    await writeImage(`${sub}/loved.png`, { width: 16, height: 9, colors: [COLORS.green] });
    if (Deno.uid() === 0) await chownTree(walls, NOBODY);

    const ok = child.ok;
    await ok(["sources", "add", walls]);
    await ok(["scan"]);
    await ok([
      "next",
      "--image",
      `${sub}/shown.png`,
      "--setter",
      "none",
      "--no-palette",
      "--no-theme",
    ]);
    await ok(["favorite", `${sub}/loved.png`]);

    await Deno.chmod(sub, 0o000);
    try {
      const scan = await child.run(["scan", "--json"]);
      assertEquals(scan.code, 1, "an unreadable folder makes scan exit 1");
      const report = JSON.parse(scan.stdout) as {
        missing: number;
        errors: { path: string; reason: string }[];
      };
      assertEquals(report.missing, 0);
      assertEquals(report.errors.map((e) => e.path), [sub]);
      assertStringIncludes(report.errors[0].reason, "permission denied");
      const text = await child.run(["scan"]);
      assertEquals(text.code, 1);
      assertStringIncludes(text.stderr, `${sub}: permission denied`);
      const prune = await ok(["prune", "--missing", "--json"]);
      assertEquals(JSON.parse(prune.stdout).missing_images, 0);
    } finally {
      await Deno.chmod(sub, 0o755);
    }

    const again = JSON.parse((await ok(["scan", "--json"])).stdout) as Record<string, number>;
    assertEquals([again.added, again.missing, again.restored, again.unchanged], [0, 0, 0, 3]);
    using db = await Database.open(child.database, { readOnly: true });
    const shown = getImageByPath(db, `${sub}/shown.png`)!;
    const loved = getImageByPath(db, `${sub}/loved.png`)!;
    assertEquals([shown.missing_since, shown.times_shown], [null, 1]);
    assertEquals([loved.missing_since, loved.favorite], [null, true]);
    const history = db.raw.prepare("SELECT COUNT(*) AS n FROM history WHERE image_id = ?")
      .get(shown.id) as { n: number };
    assert(history.n === 1, "the show's history row is kept");
  });
});

Deno.test("an image made unreadable is not drawn, browsed to or shown by --image, and nothing is recorded", async () => {
  await asNobody(async (child) => {
    const walls = `${child.home}/walls`;
    await writeImage(`${walls}/open.png`, { width: 16, height: 9, colors: [COLORS.red] });
    await writeImage(`${walls}/locked.png`, { width: 16, height: 9, colors: [COLORS.blue] });
    if (Deno.uid() === 0) await chownTree(walls, NOBODY);
    const ok = child.ok;
    const show = ["--setter", "none", "--no-theme", "--json"];
    await ok(["sources", "add", walls]);
    await ok(["scan"]);
    await ok(["next", "--image", `${walls}/locked.png`, ...show]);
    await ok(["next", "--image", `${walls}/open.png`, ...show]);
    // chmod leaves size and modification time alone: scan calls it unchanged.
    await Deno.chmod(`${walls}/locked.png`, 0o000);
    for (let i = 0; i < 4; i++) {
      const r = await ok(["next", "--min-width", "0", "--min-height", "0", ...show]);
      assertEquals(JSON.parse(r.stdout).path, `${walls}/open.png`);
    }
    const picks = await ok([
      "select",
      "-n",
      "2",
      "--min-width",
      "0",
      "--min-height",
      "0",
      "--json",
    ]);
    assertEquals(JSON.parse(picks.stdout).map((p: { path: string }) => p.path), [
      `${walls}/open.png`,
    ]);
    const given = await child.run(["next", "--image", `${walls}/locked.png`, ...show]);
    assertEquals(given.code, 1);
    // What the system refused and what to do, not its raw text naming the path again.
    assertEquals(
      given.stderr,
      `varietal: --image ${walls}/locked.png: cannot read it: permission denied; check the ` +
        "permissions of the file and its folders (ls -l)\n",
    );
    // Back through history: the unreadable show is stepped over.
    const prev = await child.run(["prev", "--steps", "5", "--setter", "none", "--no-theme"]);
    assertEquals(prev.code, 1);
    assertStringIncludes(prev.stderr, "only 4 earlier wallpaper(s)"); // 5 shows back, one unreadable
    using db = await Database.open(child.database, { readOnly: true });
    const n = db.raw.prepare("SELECT COUNT(*) AS n FROM history").get() as { n: number };
    assertEquals(n.n, 6, "2 shows by --image and 4 by next; nothing for the refused one");
  });
});
