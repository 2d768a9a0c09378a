// Text output shows a file name's control characters as escapes (backup, report), an empty value
// is a usage error, and a folder given as an image is called a folder.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { runCli, tempHome } from "../_helpers/env.ts";

Deno.test("backup and report print the file they wrote with control characters escaped", async () => {
  await using home = await tempHome();
  assertEquals((await runCli(home, ["sources", "list"])).code, 0); // makes the database
  const backup = await runCli(home, ["backup", `${home.root}/b\x1b[1m\n.db`]);
  assertEquals(backup.code, 0, backup.stderr);
  assert(!backup.stdout.includes("\x1b"), JSON.stringify(backup.stdout));
  assertStringIncludes(backup.stdout, `Backed up to ${home.root}/b\\x1b[1m\\n.db (`);
  const report = await runCli(home, ["report", "--out", `${home.root}/r\x1b[1m.html`]);
  assertEquals(report.code, 0, report.stderr);
  assertEquals(
    report.stdout.startsWith(`Wrote ${home.root}/r\\x1b[1m.html (`),
    true,
    report.stdout,
  );
});

Deno.test("an empty --out is a usage error, not the current folder; a folder is no image", async () => {
  await using home = await tempHome();
  const out = await runCli(home, ["report", "--out", ""]);
  assertEquals(out.code, 2);
  assertStringIncludes(out.stderr, "--out was given an empty value (an unset shell variable?)");
  const folder = await runCli(home, ["theme", "apply", home.root]);
  assertEquals(folder.code, 1);
  assertEquals(
    folder.stderr.trim(),
    `varietal: cannot read image ${home.root}: not a file (give an image file)`,
  );
  const missing = await runCli(home, ["theme", "apply", `${home.root}/nope.png`]);
  assertStringIncludes(missing.stderr, `cannot read image ${home.root}/nope.png: no such file`);
});
