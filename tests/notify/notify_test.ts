// Desktop notifications: the text (pure), the argv, and a stand-in notify-send
// run after each change (next and the daemon's rotations); failures only warn.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { spawnCli } from "../_helpers/env.ts";
import { standIns } from "../_helpers/stand_in.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";
import { fixture, historyRows } from "../pipeline/_fixture.ts";
import { notificationText } from "../../src/notify/notification_text.ts";
import { notifyArgv, notifyShow } from "../../src/notify/notify.ts";
import { DEFAULTS } from "../../src/config/schema.ts";

Deno.test("notificationText() names the file, its folder, and title and author when known", () => {
  assertEquals(notificationText({ path: "/home/a/Pictures/fjord.jpg" }), {
    summary: "fjord.jpg",
    body: "/home/a/Pictures",
  });
  assertEquals(
    notificationText({ path: "/w/1234.jpg", title: "Fjord at dusk", author: "Ana <ana@x>" }),
    { summary: "Fjord at dusk", body: "by Ana &lt;ana@x&gt;\n1234.jpg\n/w" },
  );
  assertEquals(notificationText({ path: "/x.png", title: " ", author: "" }), {
    summary: "x.png",
    body: "/",
  });
  const hostile = notificationText({ path: "/w/a&b\n<i>.png" });
  assertEquals(hostile.summary, "a&b\\n<i>.png", "the summary is plain text, one line");
  assertEquals(hostile.body, "/w");
  assertEquals(notificationText({ path: "/d&d/x.png" }).body, "/d&amp;d", "the body is markup");
});

Deno.test("notifyArgv() gives app name, thumbnail, replace hints and ends options before the text", () => {
  assertEquals(notifyArgv("notify-send", { path: "/w/-rf.png" }), [
    "notify-send",
    "--app-name=varietal",
    "--icon=/w/-rf.png",
    "--urgency=low",
    "--hint=string:x-canonical-private-synchronous:varietal",
    "--hint=string:x-dunst-stack-tag:varietal",
    "--",
    "-rf.png",
    "/w",
  ]);
});

Deno.test("notifyShow() does nothing when disabled and turns failures into a warning", async () => {
  await using s = await standIns({ "notify-send": { script: "echo 'no server' >&2; exit 1" } });
  const off = await notifyShow({ path: "/w/a.png" }, DEFAULTS.notify, s.run);
  assertEquals([off, await s.calls()], [null, []]);
  const on = { ...DEFAULTS.notify, enabled: true };
  const w = await notifyShow({ path: "/w/a.png" }, on, s.run);
  assertStringIncludes(w ?? "", "notification not shown");
  assertStringIncludes(w ?? "", "no server");
  const missing = await notifyShow({ path: "/w/a.png" }, {
    ...on,
    program: "/nonexistent/notify-send",
  });
  assertStringIncludes(missing ?? "", "notification not shown");
});

Deno.test("next runs notify-send after the theme with the image; a failing notify-send only warns", async () => {
  await using s = await standIns({ "notify-send": {} });
  await using f = await fixture({
    images: 2,
    config: `\n[notify]\nenabled = true\nprogram = "${s.dir}/notify-send"\n`,
  });
  await Deno.writeTextFile(
    `${s.dir}/notify-send`,
    (await Deno.readTextFile(`${s.dir}/notify-send`)) +
      `[ -f '${f.probe}' ] && printf 'themed\\n' >> '${s.dir}/order'\n`,
  );
  const r = await f.cli(["next", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const j = r.json<{ path: string; timings: Record<string, number>; warnings: string[] }>();
  const slash = j.path.lastIndexOf("/");
  assertEquals(await s.calls(), [[
    "notify-send",
    "--app-name=varietal",
    `--icon=${j.path}`,
    "--urgency=low",
    "--hint=string:x-canonical-private-synchronous:varietal",
    "--hint=string:x-dunst-stack-tag:varietal",
    "--",
    j.path.slice(slash + 1),
    j.path.slice(0, slash),
  ]]);
  assertEquals(await Deno.readTextFile(`${s.dir}/order`), "themed\n", "the theme came first");
  assert(typeof j.timings.notify === "number");
  assertEquals(j.warnings, []);

  await Deno.writeTextFile(`${s.dir}/notify-send`, "#!/bin/sh\necho 'no server' >&2\nexit 1\n");
  const failing = await f.cli(["next"]);
  assertEquals(failing.code, 0, failing.stderr);
  assertStringIncludes(failing.stderr, "varietal: warning: notification not shown");
  assertStringIncludes(failing.stderr, "no server");
  using db = await f.openDb();
  assertEquals(historyRows(db).length, 2, "the change itself is recorded");
});

Deno.test("notifications are off by default", async () => {
  await using s = await standIns({ "notify-send": {} });
  await using f = await fixture({ images: 2 });
  const r = await f.cli(["next", "--no-theme"], { PATH: `${s.dir}:${Deno.env.get("PATH")}` });
  assertEquals(r.code, 0, r.stderr);
  assertEquals(await s.calls(), []);
});

Deno.test("the daemon's rotations notify too", async () => {
  await using s = await standIns({ "notify-send": {} });
  await using f = await fixture({
    images: 3,
    config: `\n[notify]\nenabled = true\nprogram = "${s.dir}/notify-send"\n`,
  });
  const child = spawnCli(f.home, ["daemon", "--interval", "1s", "--quiet"]);
  try {
    const end = Date.now() + 30_000;
    while ((await s.calls()).length < 2) {
      if (Date.now() > end) throw new Error("no two notifications from the daemon within 30 s");
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    child.kill("SIGTERM");
    await child.output();
  }
  const shown = (await s.calls()).map((c) => c[2].replace("--icon=", ""));
  using db = await f.openDb();
  const recorded = historyRows(db).map((h) => h.path);
  assertEquals(shown, recorded.slice(0, shown.length));
});

Deno.test("a notification names the picture: a download's title and author, a KDE package's name and authors", async () => {
  // Each call's arguments NUL-separated, calls ended by \x01 (a body holds newlines).
  await using s = await standIns({
    "notify-send": {
      script: `for a in "$@"; do printf '%s\\0' "$a"; done >> "$(dirname "$0")/notes"
printf '\\1' >> "$(dirname "$0")/notes"`,
    },
  });
  await using f = await fixture({
    images: 2,
    config: `\n[notify]\nenabled = true\nprogram = "${s.dir}/notify-send"\n`,
  });
  // A KDE package's picture.
  const pkg = `${f.home.root}/Altai`;
  const sized = `${pkg}/contents/images/1920x1080.png`;
  await writeImage(sized, { width: 48, height: 27, colors: [COLORS.teal] });
  await Deno.writeTextFile(
    `${pkg}/metadata.json`,
    JSON.stringify({ KPlugin: { Name: "Altai <b>", Authors: [{ Name: "A & B" }, { Name: "C" }] } }),
  );
  // A downloaded picture's credit (as a fetch stores it).
  const downloaded = f.images[0];
  {
    using db = await f.openDb();
    const id = (db.raw.prepare("SELECT id FROM images WHERE path = ?").get(downloaded) as {
      id: number;
    }).id;
    db.raw.prepare(
      `INSERT INTO remote_images(image_id, remote, kind, item_id, image_url, author, title,
         downloaded_at) VALUES (?, 'walls', 'wallhaven', 'x1', 'https://example.org/x1.png',
         'Ana', 'Fjord at dusk', 1)`,
    ).run(id);
  }
  for (const image of [sized, downloaded]) {
    const r = await f.cli(["next", "--image", image, "--no-theme"]);
    assertEquals(r.code, 0, r.stderr);
  }
  const texts = (await Deno.readTextFile(`${s.dir}/notes`)).split("\x01").filter(Boolean)
    .map((call) => {
      const args = call.split("\0").slice(0, -1);
      return args.slice(args.indexOf("--") + 1).join("|");
    });
  const folderOf = (p: string) => p.slice(0, p.lastIndexOf("/"));
  const nameOf = (p: string) => p.slice(p.lastIndexOf("/") + 1);
  assertEquals(texts, [
    `Altai <b>|by A &amp; B, C\n1920x1080.png\n${folderOf(sized)}`,
    `Fjord at dusk|by Ana\n${nameOf(downloaded)}\n${folderOf(downloaded)}`,
  ]);
});
