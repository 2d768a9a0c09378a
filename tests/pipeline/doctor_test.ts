// `varietal doctor`.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { fixture } from "./_fixture.ts";

interface Doctor {
  ok: boolean;
  checks: { name: string; status: string; detail: string; data?: Record<string, unknown> }[];
}

Deno.test("doctor reports every check and explains setter detection", async () => {
  await using f = await fixture();
  const r = await f.cli(["doctor", "--json"]);
  assertEquals(r.code, 0, r.stdout + r.stderr);
  const d = r.json<Doctor>();
  assert(d.ok);
  assertEquals(d.checks.map((c) => c.name), [
    "deno",
    "config",
    "database",
    "sources",
    "setter",
    "outputs",
    "wallust",
    "templates",
  ]);
  const by = Object.fromEntries(d.checks.map((c) => [c.name, c]));
  assertStringIncludes(by.deno.detail, Deno.version.deno);
  assertStringIncludes(by.database.detail, "quick_check ok");
  assertEquals(by.setter.status, "ok");
  assertStringIncludes(by.setter.detail, "custom (from config");
  assertEquals(by.templates.status, "ok");
  const text = await f.cli(["doctor"], {
    SWAYSOCK: "/run/sway.sock",
    WAYLAND_DISPLAY: "wayland-1",
  });
  assertStringIncludes(text.stdout, "auto would pick swaybg");
});

Deno.test("doctor fails on an unreachable source and an auto setter without a session", async () => {
  await using f = await fixture();
  await Deno.remove(f.pics, { recursive: true });
  await f.home.writeConfig(
    (await Deno.readTextFile(f.home.configFile)).replace('setter = "custom"', 'setter = "auto"'),
  );
  const r = await f.cli(["doctor", "--json"], { WAYLAND_DISPLAY: "", DISPLAY: "" });
  assertEquals(r.code, 1);
  const by = Object.fromEntries(r.json<Doctor>().checks.map((c) => [c.name, c]));
  assertEquals(by.sources.status, "error");
  assertStringIncludes(by.sources.detail, f.pics);
  assertEquals(by.setter.status, "error");
  assertStringIncludes(by.setter.detail, "no graphical session");
});
