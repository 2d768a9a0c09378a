// Private FIFOs of the control channel: what is refused, and why.
import { assert, assertEquals, assertRejects } from "../_helpers/assert.ts";
import { isOwnFifo, makeFifo, removeIfPresent } from "../../src/pipeline/fifo.ts";
import { CommandError, type CommandRunner } from "../../src/process/run_command.ts";

async function tmp(): Promise<{ dir: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "varietal-fifo-" });
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

Deno.test("makeFifo() makes a private FIFO", async () => {
  await using t = await tmp();
  const dir = t.dir;
  await makeFifo(`${dir}/f.fifo`);
  assert(await isOwnFifo(`${dir}/f.fifo`));
  assertEquals((await Deno.lstat(`${dir}/f.fifo`)).mode! & 0o777, 0o600);
  await removeIfPresent(`${dir}/f.fifo`);
  await removeIfPresent(`${dir}/f.fifo`); // already gone: no error
  assertEquals(await isOwnFifo(`${dir}/f.fifo`), false);
});

Deno.test("makeFifo() explains a missing or failing mkfifo, and checks what it made", async () => {
  await using t = await tmp();
  const dir = t.dir;
  const missing: CommandRunner = (argv) =>
    Promise.reject(new CommandError(argv, 127, "", "not found"));
  await assertRejects(
    () => makeFifo(`${dir}/a`, missing),
    Error,
    "the 'mkfifo' program (coreutils) was not found on PATH",
  );
  const failing: CommandRunner = () =>
    Promise.resolve({ code: 1, stdout: "", stderr: "mkfifo: File exists", timedOut: false });
  await assertRejects(
    () => makeFifo(`${dir}/b`, failing),
    Error,
    `cannot make the FIFO ${dir}/b: mkfifo: File exists`,
  );
  const silent: CommandRunner = () =>
    Promise.resolve({ code: 2, stdout: "", stderr: "", timedOut: false });
  await assertRejects(() => makeFifo(`${dir}/c`, silent), Error, "mkfifo exited with 2");
  // "succeeds" but leaves a plain file (or nothing private) behind
  const liar: CommandRunner = async (argv) => {
    await Deno.writeTextFile(argv[argv.length - 1], "");
    return { code: 0, stdout: "", stderr: "", timedOut: false };
  };
  await assertRejects(
    () => makeFifo(`${dir}/d`, liar),
    Error,
    "is not a private FIFO after mkfifo",
  );
  const other: CommandRunner = () => Promise.reject(new TypeError("boom"));
  await assertRejects(() => makeFifo(`${dir}/e`, other), TypeError, "boom");
});

Deno.test("isOwnFifo() is false for a FIFO open to others and for a symlink to a FIFO", async () => {
  await using t = await tmp();
  const dir = t.dir;
  await makeFifo(`${dir}/f`);
  await Deno.symlink(`${dir}/f`, `${dir}/link`);
  assertEquals(await isOwnFifo(`${dir}/link`), false);
  await Deno.chmod(`${dir}/f`, 0o622);
  assertEquals(await isOwnFifo(`${dir}/f`), false);
});

Deno.test("removeIfPresent() passes on errors other than a missing file", async () => {
  await using t = await tmp();
  const dir = t.dir;
  await Deno.mkdir(`${dir}/full`);
  await Deno.writeTextFile(`${dir}/full/x`, "");
  await assertRejects(() => removeIfPresent(`${dir}/full`)); // a non-empty folder
});
