// checkFile(): the one "is this an existing regular file" check.
import { assertEquals } from "./_helpers/assert.ts";
import { checkFile } from "../src/file_check.ts";

Deno.test("checkFile() is ok for a regular file and missing for an absent path or a folder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "varietal-check-" });
  try {
    await Deno.writeTextFile(`${dir}/a.jpg`, "x");
    assertEquals(checkFile(`${dir}/a.jpg`), "ok");
    assertEquals(checkFile(`${dir}/b.jpg`), "missing");
    assertEquals(checkFile(dir), "missing");
    assertEquals(checkFile(`${dir}/a.jpg/inside`), "missing", "a file used as a folder");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
