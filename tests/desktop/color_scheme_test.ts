// The desktop's light/dark preference, with stand-in gdbus/busctl/gsettings executables on PATH.
import { assert, assertEquals } from "../_helpers/assert.ts";
import { detectColorScheme, kdeglobalsScheme } from "../../src/desktop/color_scheme.ts";
import { watchColorScheme } from "../../src/desktop/color_scheme_watch.ts";

/** A folder of stand-in programs: each prints the content of a state file (or fails). */
async function standIns(dir: string, programs: Record<string, string | null>): Promise<string> {
  const bin = `${dir}/bin`;
  await Deno.mkdir(bin, { recursive: true });
  for (const [name, output] of Object.entries(programs)) {
    const state = `${dir}/${name}.out`;
    if (output !== null) await Deno.writeTextFile(state, output);
    await Deno.writeTextFile(
      `${bin}/${name}`,
      `#!/bin/sh\necho "$@" >> "${dir}/${name}.args"\n[ -f "${state}" ] || exit 1\ncat "${state}"\n`,
    );
    await Deno.chmod(`${bin}/${name}`, 0o755);
  }
  return bin;
}

Deno.test("detectColorScheme() asks the portal through gdbus first", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = await standIns(dir, { gdbus: "(<<uint32 1>>,)\n", gsettings: "'prefer-light'\n" });
    assertEquals(await detectColorScheme({ configHome: dir, path }), {
      scheme: "dark",
      source: "portal (gdbus)",
    });
    const args = await Deno.readTextFile(`${dir}/gdbus.args`);
    assert(
      args.includes("org.freedesktop.portal.Settings.Read org.freedesktop.appearance color-scheme"),
    );
    await Deno.writeTextFile(`${dir}/gdbus.out`, "(<<uint32 2>>,)\n");
    assertEquals((await detectColorScheme({ configHome: dir, path }))?.scheme, "light");
    // no preference on the portal: gsettings decides
    await Deno.writeTextFile(`${dir}/gdbus.out`, "(<<uint32 0>>,)\n");
    assertEquals(await detectColorScheme({ configHome: dir, path }), {
      scheme: "light",
      source: "gsettings",
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("detectColorScheme() falls back to busctl, gsettings, then kdeglobals", async () => {
  const dir = await Deno.makeTempDir();
  try {
    let path = await standIns(dir, { busctl: "v u 1\n" });
    assertEquals(await detectColorScheme({ configHome: dir, path }), {
      scheme: "dark",
      source: "portal (busctl)",
    });
    await Deno.remove(`${dir}/bin`, { recursive: true });
    path = await standIns(dir, { gdbus: null, gsettings: "'prefer-dark'\n" });
    assertEquals(await detectColorScheme({ configHome: dir, path }), {
      scheme: "dark",
      source: "gsettings",
    });
    await Deno.writeTextFile(`${dir}/gsettings.out`, "'default'\n");
    await Deno.writeTextFile(`${dir}/kdeglobals`, "[General]\nColorScheme=BreezeDark\n");
    assertEquals(await detectColorScheme({ configHome: dir, path }), {
      scheme: "dark",
      source: "kdeglobals",
    });
    await Deno.remove(`${dir}/kdeglobals`);
    // GNOME's "default" is light
    assertEquals((await detectColorScheme({ configHome: dir, path }))?.scheme, "light");
    // nothing at all
    assertEquals(await detectColorScheme({ configHome: dir, path: `${dir}/empty` }), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kdeglobalsScheme() reads the window background, else the scheme name", () => {
  assertEquals(kdeglobalsScheme("[Colors:Window]\nBackgroundNormal=32,35,38\n"), "dark");
  assertEquals(
    kdeglobalsScheme(
      "[Colors:Window]\nBackgroundNormal=239,240,241\n[General]\nColorScheme=BreezeDark\n",
    ),
    "light",
  );
  assertEquals(kdeglobalsScheme("[General]\nColorScheme=Breeze\n"), "light");
  assertEquals(kdeglobalsScheme("[KDE]\nSingleClick=false\n"), null);
});

Deno.test("watchColorScheme() reports a change of the preference once", async () => {
  let current: "dark" | "light" | null = "dark";
  const changes: string[] = [];
  const watch = watchColorScheme({
    detect: () => Promise.resolve(current),
    onChange: (s) => changes.push(s),
    intervalMs: 5,
  });
  await watch.ready;
  current = null; // unknown readings change nothing
  await new Promise((r) => setTimeout(r, 30));
  current = "light";
  for (let i = 0; i < 200 && changes.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 30));
  watch.stop();
  assertEquals(changes, ["light"]);
});
