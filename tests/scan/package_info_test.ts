// What a KDE wallpaper package says of its picture: read from its metadata,
// shown by `select --explain`, `current --json` and notifications.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { readPackagePicture } from "../../src/scan/package_info.ts";
import { runCli, tempHome } from "../_helpers/env.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";

const META = JSON.stringify({
  KPlugin: { Name: "Altai", License: "CC-BY-SA-4.0", Authors: [{ Name: "Alesya Khoteeva" }] },
});

Deno.test("readPackagePicture() reads metadata.json, else metadata.desktop, and never throws", async () => {
  await using home = await tempHome();
  const pkg = `${home.root}/Altai`;
  const image = `${pkg}/contents/images/1920x1080.png`;
  await writeImage(image, { width: 16, height: 9, colors: [COLORS.teal] });
  assertEquals(readPackagePicture(image), undefined, "no metadata: not a package");
  await Deno.writeTextFile(
    `${pkg}/metadata.desktop`,
    "[Desktop Entry]\nName=Old Style\nX-KDE-PluginInfo-Author=Someone\n",
  );
  assertEquals(readPackagePicture(image), {
    name: "Old Style",
    authors: ["Someone"],
    licence: null,
    folder: pkg,
  });
  await Deno.writeTextFile(`${pkg}/metadata.json`, META);
  assertEquals(readPackagePicture(image), {
    name: "Altai",
    authors: ["Alesya Khoteeva"],
    licence: "CC-BY-SA-4.0",
    folder: pkg,
  });
  // A broken metadata.json: the desktop file answers.
  await Deno.writeTextFile(`${pkg}/metadata.json`, "{ not json");
  assertEquals(readPackagePicture(image)?.name, "Old Style");
  // Over the size limit, a folder, or binary: not read.
  await Deno.writeTextFile(`${pkg}/metadata.json`, " ".repeat(600 * 1024) + META);
  assertEquals(readPackagePicture(image)?.name, "Old Style");
  await Deno.remove(`${pkg}/metadata.desktop`);
  await Deno.mkdir(`${pkg}/metadata.desktop`);
  assertEquals(readPackagePicture(image), undefined);
  assertEquals(readPackagePicture(`${home.root}/elsewhere.png`), undefined);
  assertEquals(readPackagePicture(`${pkg}/contents/screenshot.png`), undefined);
});

Deno.test("select --explain, select --json, current --json and history --json name a package's picture, its authors and licence", async () => {
  await using home = await tempHome();
  const pkg = `${home.root}/walls/Altai`;
  await writeImage(`${pkg}/contents/images/1920x1080.png`, {
    width: 16,
    height: 9,
    colors: [COLORS.teal],
  });
  await writeImage(`${home.root}/walls/mine.png`, { width: 16, height: 9, colors: [COLORS.red] });
  await Deno.writeTextFile(`${pkg}/metadata.json`, META);
  await home.writeConfig(
    `[[sources]]\npath = "${home.root}/walls"\n\n[selection]\nmin_width = 0\nmin_height = 0\n\n` +
      `[wallpaper]\nsetter = "none"\n\n[theme]\nenabled = false\n`,
  );
  assertEquals((await runCli(home, ["scan"])).code, 0);
  const explain = await runCli(home, ["select", "-n", "2", "--explain"]);
  assertEquals(explain.code, 0, explain.stderr);
  assertStringIncludes(
    explain.stdout,
    'from the KDE wallpaper package "Altai" by Alesya Khoteeva (licence CC-BY-SA-4.0)',
  );
  assertEquals(explain.stdout.split("KDE wallpaper package").length, 2, "one line, for Altai");
  const altai = {
    name: "Altai",
    authors: ["Alesya Khoteeva"],
    licence: "CC-BY-SA-4.0",
    folder: pkg,
  };
  const picks = await runCli(home, ["select", "-n", "2", "--json"]);
  assertEquals(picks.code, 0, picks.stderr);
  const byPath = new Map(
    picks.json<{ path: string; package?: unknown }[]>().map((p) => [p.path, p.package]),
  );
  assertEquals(byPath.get(`${pkg}/contents/images/1920x1080.png`), altai);
  assert(byPath.has(`${home.root}/walls/mine.png`));
  assertEquals(byPath.get(`${home.root}/walls/mine.png`), undefined, "no key for a plain image");

  for (
    const [image, expected] of [
      [`${pkg}/contents/images/1920x1080.png`, {
        name: "Altai",
        authors: ["Alesya Khoteeva"],
        licence: "CC-BY-SA-4.0",
        folder: pkg,
      }],
      [`${home.root}/walls/mine.png`, null],
    ] as const
  ) {
    const next = await runCli(home, ["next", "--image", image, "--json"]);
    assertEquals(next.code, 0, next.stderr);
    const shown = next.json<{ package: unknown; shows: { package: unknown }[] }>();
    assertEquals([shown.package, shown.shows[0].package], [expected, expected]);
    const current = await runCli(home, ["current", "--json"]);
    assertEquals(current.code, 0, current.stderr);
    const [row] = current.json<{ path: string; package: unknown; attribution: unknown }[]>();
    assertEquals(row.path, image);
    assertEquals(row.package, expected);
    assertEquals(row.attribution, null);
  }
  const history = await runCli(home, ["history", "--json"]);
  assertEquals(history.code, 0, history.stderr);
  assertEquals(
    history.json<{ path: string; package: unknown }[]>().map((r) => [r.path, r.package]),
    [[`${home.root}/walls/mine.png`, null], [`${pkg}/contents/images/1920x1080.png`, altai]],
  );
  // The plain output stays one path per line, for scripts.
  const plain = await runCli(home, ["current"]);
  assert(!plain.stdout.includes("KDE"));
});
