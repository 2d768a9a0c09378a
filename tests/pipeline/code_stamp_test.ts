// The stamp by which a daemon tells that varietal was updated under it (code_stamp.ts).
import { assertEquals, assertNotEquals } from "../_helpers/assert.ts";
import { codeStampOf } from "../../src/pipeline/code_stamp.ts";

Deno.test("codeStampOf() changes when a checkout is updated, not when its binary gets a hard link", async () => {
  const root = await Deno.makeTempDir({ prefix: "varietal-stamp-" });
  try {
    await Deno.mkdir(`${root}/src/db`, { recursive: true });
    for (const f of ["main.ts", "deno.json", "src/db/a.ts"]) {
      await Deno.writeTextFile(`${root}/${f}`, "1");
    }
    const exec = `${root}/deno`;
    await Deno.writeTextFile(exec, "binary");
    const before = codeStampOf(root, exec);
    await new Promise((r) => setTimeout(r, 1100)); // a later change time (Deno gives whole seconds)
    // `deno task install` links the Deno binary elsewhere: its ctime changes, nothing else.
    await Deno.link(exec, `${root}/deno-kept`);
    assertEquals(codeStampOf(root, exec), before, "a hard link is no update");
    // What `git pull` does to a changed file: removed and written anew in its folder.
    await Deno.remove(`${root}/src/db/a.ts`);
    await Deno.writeTextFile(`${root}/src/db/a.ts`, "2");
    await Deno.utime(`${root}/src/db`, new Date(), new Date(Date.now() + 5_000));
    assertNotEquals(codeStampOf(root, exec), before);
    // A new Deno (or compiled binary) in place of the old one.
    const updated = codeStampOf(root, exec);
    await Deno.remove(exec);
    await Deno.writeTextFile(exec, "another binary");
    assertNotEquals(codeStampOf(root, exec), updated);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
