import { assertEquals, assertThrows } from "../_helpers/assert.ts";
import {
  encodeReply,
  encodeRequest,
  LineSplitter,
  MAX_LINE_BYTES,
  MAX_REPLY_BYTES,
  parseReply,
  parseRequest,
} from "../../src/pipeline/control_protocol.ts";

const REPLY = "reply-4711-0123456789abcdef.fifo";
const enc = new TextEncoder();

Deno.test("parseRequest() reads what encodeRequest() writes", () => {
  const line = encodeRequest({ v: 1, id: "ab12", command: "pause", reply: REPLY });
  assertEquals(line.endsWith("\n"), true);
  assertEquals(parseRequest(line.trim()), {
    kind: "request",
    request: { v: 1, id: "ab12", command: "pause", reply: REPLY },
  });
});

Deno.test("parseRequest() drops junk that names no reply FIFO", () => {
  for (
    const line of [
      "",
      "next",
      "null",
      "[]",
      '"next"',
      '{"v":1,"id":"ab","command":"next"}',
      `{"v":1,"id":"ab","command":"next","reply":"../${REPLY}"}`,
      `{"v":1,"id":"ab","command":"next","reply":"/tmp/${REPLY}"}`,
      '{"v":1,"id":"ab","command":"next","reply":"reply-1-xyz.fifo"}',
      '{"v":1,"id":"ab","command":"next","reply":"reply-0-0123456789abcdef.fifo"}',
      `{"v":1,"id":"AB\\n","command":"next","reply":"${REPLY}"}`,
      `{"v":1,"command":"next","reply":"${REPLY}"}`,
    ]
  ) {
    assertEquals(parseRequest(line).kind, "junk", line);
  }
});

Deno.test("parseRequest() rejects an unknown command or version with an answer", () => {
  const bad = parseRequest(`{"v":1,"id":"ab","command":"rm -rf","reply":"${REPLY}"}`);
  assertEquals(bad.kind, "reject");
  const old = parseRequest(`{"v":0,"id":"ab","command":"next","reply":"${REPLY}"}`);
  assertEquals(old.kind, "reject");
  const status = parseRequest(`{"v":1,"id":"ab","command":"status","reply":"${REPLY}"}`);
  assertEquals(status.kind, "request");
});

Deno.test("encodeRequest() refuses lines longer than PIPE_BUF, encodeReply() longer than 1 MiB", () => {
  const req = { v: 1, id: "a", command: "next" as const, reply: "reply-1-0123456789abcdef.fifo" };
  assertThrows(() => encodeRequest({ ...req, id: "a".repeat(MAX_LINE_BYTES) }), RangeError);
  // A reply has one writer: a `run-next` result may be longer than PIPE_BUF.
  const long = encodeReply({ v: 1, id: "a", ok: true, message: "x".repeat(MAX_LINE_BYTES) });
  assertEquals(parseReply(long).message.length, MAX_LINE_BYTES);
  assertThrows(
    () => encodeReply({ v: 1, id: "a", ok: true, message: "x".repeat(MAX_REPLY_BYTES) }),
    RangeError,
  );
  const r = parseReply(encodeReply({ v: 1, id: "a", ok: false, message: "no" }));
  assertEquals([r.id, r.ok, r.message], ["a", false, "no"]);
  assertThrows(() => parseReply('{"id":1}'), SyntaxError);
});

Deno.test("LineSplitter joins lines split across chunks and drops overlong ones", () => {
  const s = new LineSplitter();
  assertEquals(s.push(enc.encode("ab")), []);
  assertEquals(s.push(enc.encode("c\nde")), ["abc"]);
  assertEquals(s.push(enc.encode("f\n\ng\n")), ["def", "", "g"]);
  // A line of MAX_LINE_BYTES - 1 bytes plus its newline still fits.
  assertEquals(s.push(enc.encode("y".repeat(MAX_LINE_BYTES - 1) + "\n")).length, 1);
  // Longer ones are dropped whole, in one chunk or over several.
  assertEquals(s.push(enc.encode("x".repeat(MAX_LINE_BYTES) + "\nok\n")), ["ok"]);
  assertEquals(s.push(enc.encode("z".repeat(MAX_LINE_BYTES - 10))), []);
  assertEquals(s.push(enc.encode("z".repeat(20))), []);
  assertEquals(s.push(enc.encode("z".repeat(5000))), []);
  assertEquals(s.push(enc.encode("zz\nafter\n")), ["after"]);
  assertEquals(s.overlong, 2);
  // A multi-byte character split between chunks comes out whole.
  const e = enc.encode("é\n");
  assertEquals([...s.push(e.subarray(0, 1)), ...s.push(e.subarray(1))], ["é"]);
});

Deno.test("parseRequest() reads a run-next hand-over and rejects a malformed one", () => {
  const next = {
    config: "/h/.config/varietal/config.toml",
    config_stamp: "12:1700000000000:42",
    database: "/h/.local/share/varietal/varietal.db",
    session: { WAYLAND_DISPLAY: "wayland-1" },
    setter: "swww",
    wait_ms: 5000,
    image: "poster.png",
    cwd: "/h/Downloads",
  };
  const base = { v: 1, id: "ab", command: "run-next", reply: REPLY };
  const ok = parseRequest(JSON.stringify({ ...base, next }));
  assertEquals(ok.kind === "request" ? ok.request.next : null, next);
  // Other commands carry no hand-over, even when a sender adds one.
  const plain = parseRequest(JSON.stringify({ ...base, command: "next", next }));
  assertEquals(plain.kind === "request" ? plain.request.next : "x", undefined);
  for (
    const [bad, why] of [
      [undefined, "no 'next' object"],
      [{ ...next, database: 7 }, "'database' is not a string"],
      [{ ...next, wait_ms: -1 }, "'wait_ms' is not a duration"],
      [{ ...next, setter: ["swww"] }, "'setter' is not a string"],
      [{ ...next, session: { LD_PRELOAD: "/x.so" } }, "unexpected session variable 'LD_PRELOAD'"],
      [{ ...next, session: "wayland-1" }, "no 'session' object"],
      [{ ...next, image: "" }, "'image' is not a path"],
      [{ ...next, cwd: "pics" }, "'cwd' is not an absolute path"],
      // A newer sender's option: done without it, the command would do something else.
      [
        { ...next, fit: "center" },
        "unknown field 'fit' (restart the daemon after updating varietal)",
      ],
    ] as const
  ) {
    const r = parseRequest(JSON.stringify({ ...base, next: bad }));
    assertEquals(r.kind, "reject", why);
    assertEquals(r.kind === "reject" ? r.message : "", `run-next: ${why}`);
  }
});

Deno.test("parseReply() keeps a run-next result, exit code and refusal, and drops junk in them", () => {
  const r = parseReply(
    JSON.stringify({ v: 1, id: "a", ok: true, message: "m", show: { shows: [] }, exit: 75 }),
  );
  assertEquals([r.show, r.exit, r.declined], [{ shows: [] }, 75, undefined]);
  const d = parseReply(JSON.stringify({ v: 1, id: "a", ok: false, message: "m", declined: true }));
  assertEquals([d.declined, d.outdated], [true, undefined]);
  const old = parseReply(
    JSON.stringify({ v: 1, id: "a", ok: false, message: "m", declined: true, outdated: true }),
  );
  assertEquals(old.outdated, true);
  const junk = parseReply(
    JSON.stringify({ v: 1, id: "a", ok: false, message: "m", show: [1], exit: 1.5, declined: 1 }),
  );
  assertEquals([junk.show, junk.exit, junk.declined], [undefined, undefined, undefined]);
});

Deno.test("parseRequest() reads a run-select hand-over and rejects a malformed one", () => {
  const select = {
    args: ["-n", "3", "--json"],
    color: false,
    home: "/h",
    config: "/h/.config/varietal/config.toml",
    config_stamp: "12:1700000000000:42",
    database: "/h/.local/share/varietal/varietal.db",
    session: { DISPLAY: ":0" },
  };
  const base = { v: 1, id: "ab", command: "run-select", reply: REPLY };
  const ok = parseRequest(JSON.stringify({ ...base, select }));
  assertEquals(ok.kind === "request" ? ok.request.select : null, select);
  // Only run-select carries one.
  const plain = parseRequest(JSON.stringify({ ...base, command: "status", select }));
  assertEquals(plain.kind === "request" ? plain.request.select : "x", undefined);
  for (
    const [bad, why] of [
      [undefined, "no 'select' object"],
      [{ ...select, args: "-n 3" }, "'args' is not a list of at most 16 short strings"],
      [{ ...select, args: [3] }, "'args' is not a list of at most 16 short strings"],
      [
        { ...select, args: Array.from({ length: 17 }, () => "--json") },
        "'args' is not a list of at most 16 short strings",
      ],
      [{ ...select, args: ["x".repeat(257)] }, "'args' is not a list of at most 16 short strings"],
      [{ ...select, color: "yes" }, "'color' is not true or false"],
      [{ ...select, home: "h" }, "'home' is not an absolute path"],
      [{ ...select, config_stamp: null }, "'config_stamp' is not a string"],
      [{ ...select, session: { PATH: "/tmp" } }, "unexpected session variable 'PATH'"],
      [
        { ...select, stdin: "x" },
        "unknown field 'stdin' (restart the daemon after updating varietal)",
      ],
    ] as const
  ) {
    const r = parseRequest(JSON.stringify({ ...base, select: bad }));
    assertEquals(r.kind, "reject", why);
    assertEquals(r.kind === "reject" ? r.message : "", `run-select: ${why}`);
  }
});

Deno.test("parseReply() keeps a run-select output and drops a malformed one", () => {
  const output = { stdout: "[]\n", stderr: "varietal: x\n", exit: 1 };
  const r = parseReply(JSON.stringify({ v: 1, id: "a", ok: false, message: "m", output }));
  assertEquals(r.output, output);
  for (
    const bad of [
      { stdout: 1, stderr: "", exit: 0 },
      { stdout: "", stderr: "", exit: 1.5 },
      { stdout: "", stderr: "", exit: 300 },
      { stdout: "", exit: 0 },
      "text",
    ]
  ) {
    const j = parseReply(JSON.stringify({ v: 1, id: "a", ok: true, message: "m", output: bad }));
    assertEquals(j.output, undefined, JSON.stringify(bad));
  }
});
