// Resolving the setter of a pipeline run.
import { assertEquals, assertRejects, assertStringIncludes } from "../_helpers/assert.ts";
import { resolveSetter } from "../../src/pipeline/pipeline_deps.ts";
import { SetterError } from "../../src/wallpaper/setter_error.ts";

Deno.test("resolveSetter() takes a named setter as it is", async () => {
  assertEquals((await resolveSetter("feh", () => undefined)).name, "feh");
});

Deno.test("resolveSetter('auto') without a graphical session fails like a missing program (127) and says what to do", async () => {
  const e = await assertRejects(
    () => resolveSetter("auto", (k) => (k === "PATH" ? "/nonexistent" : undefined)),
    SetterError,
  );
  assertEquals(e.exitCode, 127);
  assertStringIncludes(e.message, "no wallpaper setter found: ");
  assertStringIncludes(e.message, "set [wallpaper] setter in config.toml or pass --setter NAME");
});
