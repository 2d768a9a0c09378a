// `deno task bench`: runs every bench/*_bench.ts script in turn (each prints
// its table and writes bench/results/<name>.json). Pass names to run some:
// `deno task bench select theme`.
import { RUN_FLAGS } from "../tests/_helpers/env.ts";

const dir = new URL(".", import.meta.url).pathname;
// The task's flags, plus FFI (imagescript), every sys call (Deno.loadavg) and the loopback
// network for the fetch bench's local server.
const flags = [
  ...RUN_FLAGS.filter((f) => !f.startsWith("--allow-sys")),
  "--allow-ffi",
  "--allow-sys",
  "--allow-net=127.0.0.1",
];
const only = Deno.args;
const scripts = [...Deno.readDirSync(dir)]
  .map((e) => e.name)
  .filter((n) => n.endsWith("_bench.ts"))
  .filter((n) => only.length === 0 || only.some((o) => n.startsWith(o)))
  .sort();
let failed = 0;
for (const s of scripts) {
  console.log(`\n# ${s}`);
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-q", ...flags, `${dir}${s}`],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) {
    failed++;
    console.log(`# ${s} failed with exit code ${code}`);
  }
}
Deno.exit(failed ? 1 : 0);
