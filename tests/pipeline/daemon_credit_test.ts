// The daemon re-applying the theme: a downloaded wallpaper's credit reaches the templates.
import { assertEquals } from "../_helpers/assert.ts";
import { defaultConfig } from "../../src/config/schema.ts";
import { resolvePaths } from "../../src/config/paths.ts";
import { Database } from "../../src/db/database.ts";
import { addSource } from "../../src/db/sources.ts";
import { saveDownload } from "../../src/db/attribution.ts";
import { recordShows } from "../../src/db/history.ts";
import { reapplyTheme } from "../../src/pipeline/daemon_jobs.ts";
import type { PipelineDeps } from "../../src/pipeline/pipeline_deps.ts";
import type { PipelineServices, ThemeApplier } from "../../src/pipeline/services.ts";
import type { PaletteRecord } from "../../src/palette/palette_record.ts";
import type { ImageCredit } from "../../src/remote/credit.ts";
import { tempHome } from "../_helpers/env.ts";

const PALETTE: PaletteRecord = {
  origin: "builtin",
  variant: "dark16",
  background: "#101010",
  foreground: "#f0f0f0",
  cursor: "#f0f0f0",
  colors: Array.from({ length: 16 }, (_, i) => `#${i.toString(16).repeat(6)}`),
  avg_hue: null,
  avg_saturation: 0,
  avg_lightness: 0.5,
  temperature: 0,
  source_color: "#336699",
};

Deno.test("reapplyTheme() gives the templates a downloaded wallpaper's credit", async () => {
  await using home = await tempHome();
  const paths = resolvePaths((k) => home.env[k]);
  using db = await Database.open(paths.database);
  const { source } = addSource(db, home.root, { now: 1 });
  const credit: ImageCredit = {
    remote: "nature",
    kind: "wallhaven",
    item_id: "abc123",
    page_url: "https://wallhaven.cc/w/abc123",
    image_url: "https://w.wallhaven.cc/full/ab/wallhaven-abc123.jpg",
    author: "Ansel",
    author_url: null,
    title: "Fjord",
    licence: null,
  };
  const path = `${home.root}/abc123.jpg`;
  const id = saveDownload(
    db,
    {
      path,
      source_id: source.id,
      size: 1,
      mtime: 1,
      width: 1920,
      height: 1080,
      format: "jpeg",
      content_hash: "h",
    },
    { ...credit, ping_url: null },
    1,
  );
  recordShows(db, [{ imageId: id, shownAt: 2, output: null, palette: PALETTE }]);

  const given: { palette: PaletteRecord & { image?: ImageCredit | null }; wallpaper: string }[] =
    [];
  const theme: ThemeApplier = {
    apply: (palette, wallpaper) => {
      given.push({ palette, wallpaper });
      return Promise.resolve({ written: [], failed: [], hooks: [], ms: 0 });
    },
    applySoon: () => {},
    flush: () => Promise.resolve(undefined),
    close: () => {},
  };
  const deps: PipelineDeps = {
    db,
    config: defaultConfig(),
    paths,
    env: (k) => home.env[k],
    services: {} as PipelineServices,
  };
  const outcome = await reapplyTheme(deps, theme, () => {}, () => {});
  assertEquals(outcome.ok, true);
  assertEquals(given.length, 1);
  assertEquals(given[0].wallpaper, path);
  assertEquals(given[0].palette.image?.author, "Ansel");
  assertEquals(given[0].palette.image?.page_url, credit.page_url);
});
