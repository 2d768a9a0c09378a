// A daemon left running after its graphical session ended stops by itself.
import { assert, assertEquals } from "../_helpers/assert.ts";
import { sessionSocket, watchSession } from "../../src/pipeline/session_end.ts";

Deno.test("sessionSocket() names the Wayland socket first, else a local X display's", () => {
  const env = (vars: Record<string, string>) => (k: string) => vars[k];
  assertEquals(
    sessionSocket(
      env({ WAYLAND_DISPLAY: "wayland-1", XDG_RUNTIME_DIR: "/run/user/7", DISPLAY: ":1" }),
    ),
    "/run/user/7/wayland-1",
  );
  assertEquals(sessionSocket(env({ WAYLAND_DISPLAY: "/tmp/w/socket" })), "/tmp/w/socket");
  assertEquals(sessionSocket(env({ WAYLAND_DISPLAY: "wayland-1" })), null, "no runtime dir");
  assertEquals(sessionSocket(env({ DISPLAY: ":12" })), "/tmp/.X11-unix/X12");
  assertEquals(sessionSocket(env({ DISPLAY: "remote:0" })), null);
});

Deno.test("watchSession() ends after the socket is gone at two checks in a row, once", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const socket = `${dir}/wayland-1`;
    await Deno.writeTextFile(socket, "");
    const ended: string[] = [];
    const w = watchSession(socket, (s) => ended.push(s), 20);
    await new Promise((r) => setTimeout(r, 70));
    assertEquals(ended, [], "there all along");
    await Deno.remove(socket);
    await new Promise((r) => setTimeout(r, 30)); // one miss: a restart in place is not an end
    const afterOne = ended.length;
    await new Promise((r) => setTimeout(r, 120));
    assertEquals(ended, [socket]);
    assert(afterOne <= 1);
    w.stop();
    // Missing from the start (a misconfigured environment): never watched.
    const never: string[] = [];
    const n = watchSession(`${dir}/none`, (s) => never.push(s), 10);
    await new Promise((r) => setTimeout(r, 50));
    assertEquals(never, []);
    n.stop();
    // A miss followed by the socket again starts the count over.
    await Deno.writeTextFile(socket, "");
    let present = true, checks = 0;
    const flicker: string[] = [];
    const f = watchSession(socket, (s) => flicker.push(s), 10, () => {
      checks++;
      return present || checks % 2 === 0; // gone at every other check
    });
    present = false;
    await new Promise((r) => setTimeout(r, 100));
    assertEquals(flicker, []);
    f.stop();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
