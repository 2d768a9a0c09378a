// Which listening TCP sockets a process owns, from /proc (Linux): the
// listening entries of its network namespace's tcp/tcp6 tables, matched by
// inode against the sockets among its open file descriptors. Deno lets only
// --allow-all read /proc/PID/, so tests call listeningTcpSockets(), which
// runs this file as a child with -A; the child prints the list as JSON.

/** A listening TCP socket of a process. */
export interface ListeningSocket {
  /** "127.0.0.1:9229", "[::1]:8080" style. */
  address: string;
  inode: string;
}

/**
 * The TCP sockets `pid` listens on (looked up by a child process).
 *
 * @throws {Error} When /proc does not let us look (then the answer would be a guess).
 */
export async function listeningTcpSockets(pid: number): Promise<ListeningSocket[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "-q", import.meta.filename!, String(pid)],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  if (out.code !== 0) throw new Error(`listening probe failed: ${dec.decode(out.stderr)}`);
  return JSON.parse(dec.decode(out.stdout)) as ListeningSocket[];
}

/** The lookup itself (needs --allow-all for /proc/PID/). */
async function probe(pid: number): Promise<ListeningSocket[]> {
  const listening = new Map<string, string>();
  let tables = 0;
  for (const table of ["tcp", "tcp6"]) {
    let text: string;
    try {
      text = await Deno.readTextFile(`/proc/${pid}/net/${table}`);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound && table === "tcp6") continue; // no IPv6
      throw new Error(`cannot read /proc/${pid}/net/${table}: ${(e as Error).message}`);
    }
    tables++;
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      if (f.length < 10 || f[3] !== "0A") continue;
      listening.set(f[9], decodeAddress(f[1]));
    }
  }
  if (tables === 0) throw new Error(`no TCP tables under /proc/${pid}/net`);
  const owned: ListeningSocket[] = [];
  let fds = 0;
  for await (const entry of Deno.readDir(`/proc/${pid}/fd`)) {
    fds++;
    let target: string;
    try {
      target = await Deno.readLink(`/proc/${pid}/fd/${entry.name}`);
    } catch {
      continue; // closed meanwhile
    }
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode && listening.has(inode)) owned.push({ address: listening.get(inode)!, inode });
  }
  if (fds === 0) throw new Error(`/proc/${pid}/fd lists no descriptors: cannot tell`);
  return owned;
}

/** "0100007F:240D" → "127.0.0.1:9229"; IPv6 in brackets. */
function decodeAddress(hex: string): string {
  const [ip, port] = hex.split(":");
  const p = parseInt(port, 16);
  if (ip.length === 8) {
    const b = ip.match(/../g)!.map((x) => parseInt(x, 16)).reverse();
    return `${b.join(".")}:${p}`;
  }
  const words = ip.match(/.{8}/g)!.map((w) => w.match(/../g)!.reverse().join(""));
  const groups = words.join("").match(/.{4}/g)!.map((g) => g.replace(/^0+(?=.)/, ""));
  return `[${groups.join(":")}]:${p}`;
}

if (import.meta.main) {
  console.log(JSON.stringify(await probe(Number(Deno.args[0]))));
}
