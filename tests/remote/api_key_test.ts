// Where an API key comes from, and keys that cannot be sent (a setting to fix, not a fault).
import { assertEquals } from "../_helpers/assert.ts";
import { readApiKey } from "../../src/remote/api_key.ts";

const fromEnv = (value: string | undefined) =>
  readApiKey(
    { api_key_env: "KEY", api_key_file: "" },
    (k) => k === "KEY" ? value : undefined,
    "/h",
  );

Deno.test("readApiKey() takes a variable's key, trimmed; refuses one no header can carry", async () => {
  assertEquals(await fromEnv("  abc123\n"), { key: "abc123", from: "env KEY", problem: null });
  assertEquals(
    (await fromEnv(undefined)).problem,
    "the variable KEY (api_key_env) is not set or empty",
  );
  for (const bad of ["abc\r\ndef", "two words", "a\x00b", "k".repeat(513)]) {
    const r = await fromEnv(bad);
    assertEquals(r.key, null, JSON.stringify(bad));
    assertEquals(
      r.problem,
      "the variable KEY (api_key_env) holds spaces, line breaks or other characters no key has; " +
        "set it to the key alone",
    );
  }
});
