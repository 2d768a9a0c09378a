// writeTerminals(): real pseudo-terminals of this user get the sequences; others are skipped.
import { assertEquals } from "../_helpers/assert.ts";
import { writeTerminals } from "../../src/theme/terminals.ts";

const hasPython = (() => {
  try {
    return new Deno.Command("python3", { args: ["-c", "import pty"] }).outputSync().success;
  } catch {
    return false;
  }
})();

// python3 opens a pty, prints its name, waits for a line, then prints what the terminal got.
const HOLDER = `
import os, pty, select, sys
m, s = pty.openpty()
print(os.ttyname(s), flush=True)
sys.stdin.readline()
got = b""
while select.select([m], [], [], 0.3)[0]:
    got += os.read(m, 4096)
print(got.hex(), flush=True)
`;

Deno.test({
  name: "writeTerminals() writes to a real pseudo-terminal of this user",
  ignore: !hasPython,
  async fn() {
    const child = new Deno.Command("python3", {
      args: ["-c", HOLDER],
      stdin: "piped",
      stdout: "piped",
    }).spawn();
    const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let buf = "";
    const readLine = async () => {
      while (!buf.includes("\n")) {
        const { value, done } = await lines.read();
        if (done) break;
        buf += value;
      }
      const i = buf.indexOf("\n");
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      return line;
    };
    const tty = await readLine();
    const seq = "\x1b]11;#102030\x1b\\";
    const r = await writeTerminals(seq);
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode("go\n"));
    await w.close();
    const hex = await readLine();
    await lines.cancel();
    await child.status;
    assertEquals(r.written.includes(tty), true, `${tty} not in ${r.written}`);
    const got = new TextDecoder().decode(
      new Uint8Array(hex.match(/../g)!.map((h) => parseInt(h, 16))),
    );
    assertEquals(got, seq);
  },
});

Deno.test("writeTerminals() skips other users' terminals and non-terminal names", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const n of ["1", "2", "ptmx"]) await Deno.writeTextFile(`${dir}/${n}`, "");
    if (Deno.uid() === 0) await Deno.chown(`${dir}/2`, 4242, 4242);
    const r = await writeTerminals("X", { dir, uid: Deno.uid() === 0 ? 0 : Deno.uid() });
    const expected = Deno.uid() === 0 ? [`${dir}/1`] : [`${dir}/1`, `${dir}/2`];
    assertEquals(r.written, expected);
    assertEquals(await Deno.readTextFile(`${dir}/1`), "X");
    assertEquals(await Deno.readTextFile(`${dir}/ptmx`), "");
    if (Deno.uid() === 0) assertEquals(await Deno.readTextFile(`${dir}/2`), "");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
