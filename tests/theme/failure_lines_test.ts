// How `next` and `prev` print theme failures: one line each, but a folder that refused
// every target (a full disk, a read-only cache) is said once.
import { assertEquals } from "../_helpers/assert.ts";
import { failureLines } from "../../src/theme/theme_report.ts";
import { logThemeProblems } from "../../src/pipeline/daemon_jobs.ts";
import { osErrorCause } from "../../src/text/not_capable.ts";

const ro = osErrorCause(new Error("Read-only file system (os error 30): open '/x'"))!;
const full = osErrorCause(new Error("No space left on device (os error 28): open '/x'"))!;

Deno.test("theme failures of one folder and cause share a line; others keep theirs, in order", () => {
  const failed = [
    { name: "kitty", reason: "kitty.conf line 3: unknown variable 'colr1'" },
    ...["a.toml", "b.json", "c.sh", "d.ini", "e.css"].map((n) => ({
      name: `builtin:${n}`,
      reason: `cannot write /c/theme/${n}: ${ro}`,
    })),
    { name: "mine", reason: `cannot write /home/u/.config/mine.conf: ${full}` },
    { name: "builtin:f", reason: `cannot write /c/theme/f.conf: ${full}` },
    { name: "hook of kitty", reason: "exit code 1" },
  ];
  assertEquals(failureLines(failed), [
    "kitty: kitty.conf line 3: unknown variable 'colr1'",
    `cannot write 5 targets in /c/theme (a.toml, b.json, c.sh, …): ${ro}`,
    `mine: cannot write /home/u/.config/mine.conf: ${full}`,
    `builtin:f: cannot write /c/theme/f.conf: ${full}`,
    "hook of kitty: exit code 1",
  ]);
  assertEquals(
    ro,
    "read-only file system; that file system is mounted read-only: choose a writable place or " +
      "remount it",
  );
});

Deno.test("the daemon's log says a refusing theme folder once per change too", () => {
  const report = {
    written: [],
    failed: ["a.toml", "b.json", "c.sh"].map((n) => ({
      name: `builtin:${n}`,
      reason: `cannot write /c/theme/${n}: ${ro}`,
    })),
    hooks: [],
    ms: 1,
  };
  const logged: string[] = [];
  logThemeProblems(report, () => {}, (m) => logged.push(m));
  assertEquals(logged, [`theme: cannot write 3 targets in /c/theme (a.toml, b.json, c.sh): ${ro}`]);
});
