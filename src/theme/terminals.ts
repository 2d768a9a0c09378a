/**
 * Writes sequences to the user's own terminals (`/dev/pts/N` owned by this
 * user and writable; others are skipped) and saves them to a file a shell
 * can `cat` at start. Requires `--allow-read`, `--allow-write` and
 * `--allow-sys=uid`.
 *
 * @module
 */
import { writeAtomic } from "./atomic_write.ts";

/** What {@linkcode writeTerminals} did. */
export interface TerminalReport {
  /** Terminals written. */
  written: string[];
  /** Terminals that could not be written, with the reason. */
  failed: { path: string; reason: string }[];
}

/** Options for {@linkcode writeTerminals}. */
export interface WriteTerminalsOptions {
  /** The folder of pseudo-terminals. @default "/dev/pts" */
  dir?: string;
  /** The uid whose terminals to write. @default Deno.uid() */
  uid?: number | null;
  /** Milliseconds one terminal may block. @default 500 */
  timeoutMs?: number;
}

/**
 * Writes `sequences` to each terminal of the user.
 */
export async function writeTerminals(
  sequences: string,
  options: WriteTerminalsOptions = {},
): Promise<TerminalReport> {
  const dir = options.dir ?? "/dev/pts";
  const uid = options.uid === undefined ? Deno.uid() : options.uid;
  const report: TerminalReport = { written: [], failed: [] };
  let names: string[];
  try {
    names = [];
    for await (const e of Deno.readDir(dir)) if (/^\d+$/.test(e.name)) names.push(e.name);
  } catch {
    return report;
  }
  const data = new TextEncoder().encode(sequences);
  await Promise.all(names.map(async (name) => {
    const path = `${dir}/${name}`;
    try {
      const st = await Deno.stat(path);
      if (uid !== null && st.uid !== uid) return;
      const f = await Deno.open(path, { write: true });
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        await Promise.race([
          writeAll(f, data),
          new Promise((_, reject) => {
            timer = setTimeout(
              () => reject(new Error("write timed out")),
              options.timeoutMs ?? 500,
            );
          }),
        ]);
      } finally {
        clearTimeout(timer);
        f.close();
      }
      report.written.push(path);
    } catch (e) {
      if (e instanceof Deno.errors.PermissionDenied) return; // not ours to write
      report.failed.push({ path, reason: (e as Error).message });
    }
  }));
  report.written.sort();
  return report;
}

async function writeAll(f: Deno.FsFile, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await f.write(data.subarray(off));
}

/** Saves the sequences to `file` (atomically) for shells to `cat` at start. */
export async function saveSequences(file: string, sequences: string): Promise<void> {
  await writeAtomic(file, sequences, { mode: 0o600 });
}
