import { assertEquals, assertThrows } from "../_helpers/assert.ts";
import {
  encodeReply,
  encodeRequest,
  LineSplitter,
  MAX_LINE_BYTES,
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

Deno.test("encodeRequest()/encodeReply() refuse lines longer than PIPE_BUF", () => {
  assertThrows(
    () => encodeReply({ v: 1, id: "a", ok: true, message: "x".repeat(MAX_LINE_BYTES) }),
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
