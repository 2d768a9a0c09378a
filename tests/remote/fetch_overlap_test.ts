// A slow service holds up only itself: each remote's downloads start when its own listing
// arrives, not when every remote has answered.
import { assertEquals } from "../_helpers/assert.ts";
import { FakeServices, makeImages, remoteToml } from "./_fake_services.ts";
import { remoteWorld } from "./_setup.ts";

Deno.test("a remote's images arrive while another remote's listing is still on its way", async () => {
  await using fast = new FakeServices();
  await using slow = new FakeServices();
  fast.list("wallhaven", await makeImages("f", 3));
  slow.list("wallhaven", await makeImages("s", 3));
  // The slow service answers its listing only once the fast remote's first file is in (or after
  // 10 s, which fails the test).
  let release!: (by: string) => void;
  const released = new Promise<string>((r) => release = r);
  const timer = setTimeout(() => release("timeout"), 10_000);
  const serve = slow.server.handler;
  slow.server.handler = async (req) => {
    if (req.path.endsWith("/search")) await released;
    return await serve(req);
  };
  await using w = await remoteWorld(
    remoteToml(fast, "wallhaven", "fast", { keep_unseen: 1 }) +
      remoteToml(slow, "wallhaven", "slow", { keep_unseen: 1 }),
  );
  w.config.fetch.connect_timeout = 30;
  w.config.fetch.total_timeout = 30;
  const wanted: number[] = [];
  try {
    const r = await w.fetch({
      onPlan: (n) => wanted.push(n),
      onFile: (f) => {
        if (f.credit.remote === "fast") release("file");
      },
    });
    assertEquals(await released, "file");
    assertEquals(r.warnings, []);
    assertEquals(r.added.map((f) => f.credit.remote), ["fast", "slow"]);
    assertEquals(r.remotes.map((o) => [o.name, o.added, o.status]), [
      ["fast", 1, "ok"],
      ["slow", 1, "ok"],
    ]);
    // The progress total grows as each remote's listing comes in.
    assertEquals(wanted, [1, 2]);
  } finally {
    clearTimeout(timer);
    release("end");
  }
});
