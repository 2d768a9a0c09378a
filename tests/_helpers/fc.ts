// fast-check, configured once for every property test: CI runs a fixed seed (a
// red build is then reproducible and never depends on luck); local runs explore
// a new seed each time. FC_SEED=N replays a reported failure.
import fc from "fast-check";

const fixed = Deno.env.get("FC_SEED") ?? (Deno.env.get("CI") ? "20261123" : undefined);
fc.configureGlobal({
  seed: fixed === undefined ? Date.now() ^ (Math.random() * 2 ** 31) : Number(fixed),
});

export default fc;
