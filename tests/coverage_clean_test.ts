import { assertEquals } from "./_helpers/assert.ts";
import { dropPartialCoverage } from "./_helpers/coverage_clean.ts";

Deno.test("dropPartialCoverage() removes empty and cut-off coverage files, keeps whole ones", async () => {
  const dir = await Deno.makeTempDir({ prefix: "varietal-coverage-" });
  try {
    await Deno.writeTextFile(`${dir}/whole.json`, '{"url":"file:///a.ts","functions":[]}');
    await Deno.writeTextFile(`${dir}/empty.json`, "");
    await Deno.writeTextFile(`${dir}/cut.json`, '{"url":"file:///b.ts","func');
    await Deno.writeTextFile(`${dir}/notes.txt`, "");
    assertEquals((await dropPartialCoverage(dir)).sort(), ["cut.json", "empty.json"]);
    const left = [];
    for await (const e of Deno.readDir(dir)) left.push(e.name);
    assertEquals(left.sort(), ["notes.txt", "whole.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
