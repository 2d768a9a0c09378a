// A temporary home with generated wallpapers, a logging custom setter, a
// probe template, and the collection scanned.
import { runCli, type RunResult, type TempHome, tempHome } from "../_helpers/env.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";
import { Database } from "../../src/db/database.ts";

/** A ready collection. */
export interface Fixture extends AsyncDisposable {
  home: TempHome;
  /** The wallpaper folder. */
  pics: string;
  /** The generated images, sorted. */
  images: string[];
  /** The file the probe template renders to ("wallpaper\nbackground\ncolor1"). */
  probe: string;
  /** The lines the setter logged: "path|output". */
  setterCalls(): Promise<string[]>;
  /** Runs varietal in this home. */
  cli(args: string[], env?: Record<string, string>): Promise<RunResult>;
  /** Opens the database (close it). */
  openDb(): Promise<Database>;
}

/** Options for {@linkcode fixture}. */
export interface FixtureOptions {
  /** How many images. @default 6 */
  images?: number;
  /** Extra TOML appended to config.toml. */
  config?: string;
  /** Extra `[wallpaper]` lines. */
  wallpaper?: string;
  /** Skip the scan (an empty collection). @default false */
  noScan?: boolean;
}

const PALETTE = Object.values(COLORS);

/**
 * The setter script: logs "path|output" (lock order), then sleeps
 * `SETTER_SLEEP` seconds, waits while the file `SETTER_HOLD` exists (at most 60 s: a test
 * that must not depend on the machine's speed), or fails with `SETTER_FAIL` on stderr when set
 * (only for the output `SETTER_FAIL_OUTPUT`, when that is set).
 */
function setterScript(log: string): string {
  return `#!/bin/sh
echo "$1|$2" >> "${log}"
if [ -n "$SETTER_SLEEP" ]; then sleep "$SETTER_SLEEP"; fi
if [ -n "$SETTER_HOLD" ]; then
  n=0; while [ -e "$SETTER_HOLD" ] && [ $n -lt 1200 ]; do sleep 0.05; n=$((n + 1)); done
fi
if [ -n "$SETTER_FAIL" ]; then echo "$SETTER_FAIL" >&2; exit 3; fi
if [ -n "$SETTER_FAIL_OUTPUT" ] && [ "$2" = "$SETTER_FAIL_OUTPUT" ]; then
  echo "no output named $2" >&2; exit 3
fi
exit 0
`;
}

/** Creates the fixture; `await using` removes it. */
export async function fixture(options: FixtureOptions = {}): Promise<Fixture> {
  const home = await tempHome();
  const pics = `${home.root}/pics`;
  const log = `${home.root}/setter.log`;
  const script = `${home.root}/setter.sh`;
  const probe = `${home.root}/out/probe.txt`;
  const images: string[] = [];
  const n = options.images ?? 6;
  for (let i = 0; i < n; i++) {
    const a = PALETTE[i % PALETTE.length], b = PALETTE[(i * 5 + 3) % PALETTE.length];
    images.push(
      await writeImage(`${pics}/img${String(i).padStart(2, "0")}.png`, {
        width: 48,
        height: 32,
        colors: [a, b, a],
        noise: 12,
      }),
    );
  }
  await Deno.writeTextFile(script, setterScript(log));
  await Deno.chmod(script, 0o755);
  await Deno.writeTextFile(log, "");
  const tplDir = `${home.env.XDG_CONFIG_HOME}/varietal/templates`;
  await Deno.mkdir(tplDir, { recursive: true });
  await Deno.writeTextFile(
    `${tplDir}/probe.txt`,
    "{{ wallpaper }}\n{{ background }}\n{{ color1 }}\n",
  );
  await home.writeConfig(`[[sources]]
path = "${pics}"

[selection]
min_width = 0 # the images are 48 × 32
min_height = 0

[wallpaper]
setter = "custom"
command = ["${script}", "{path}", "{output}"]
${options.wallpaper ?? ""}

[palette]
origin = "builtin"

[theme]
cache_builtins = false

[[templates]]
name = "probe"
template = "probe.txt"
target = "${probe}"
${options.config ?? ""}
`);
  const cli = (args: string[], env?: Record<string, string>) =>
    runCli(home, args, env ? { env } : {});
  if (!options.noScan) {
    const r = await cli(["scan"]);
    if (r.code !== 0) throw new Error(`scan failed: ${r.stderr}`);
  }
  return {
    home,
    pics,
    images: images.sort(),
    probe,
    cli,
    async setterCalls() {
      return (await Deno.readTextFile(log)).split("\n").filter(Boolean);
    },
    openDb: () => Database.open(home.database),
    [Symbol.asyncDispose]: () => home[Symbol.asyncDispose](),
  };
}

/** History rows oldest first. */
export function historyRows(
  db: Database,
): { id: number; image_id: number; path: string; shown_at: number; output: string | null }[] {
  return db.prepare(
    `SELECT h.id, h.image_id, i.path, h.shown_at, h.output FROM history h
     JOIN images i ON i.id = h.image_id ORDER BY h.id`,
  ).all() as unknown as {
    id: number;
    image_id: number;
    path: string;
    shown_at: number;
    output: string | null;
  }[];
}

/**
 * A home whose one folder (outside the home) holds one picture, scanned, with the built-in
 * extractor and no minimum size: what a `next` needs to change, record and theme.
 *
 * @returns The home and the picture's path.
 */
export async function scannedHome(): Promise<{ home: TempHome; picture: string }> {
  const home = await tempHome();
  const pics = `${home.root}/pics`;
  const picture = `${pics}/a.png`;
  await writeImage(picture, { width: 32, height: 24, colors: [COLORS.red, COLORS.blue] });
  await home.writeConfig(
    `[[sources]]\npath = "${pics}"\n\n[palette]\norigin = "builtin"\n\n[selection]\nmin_width = 0\nmin_height = 0\n`,
  );
  const scan = await runCli(home, ["scan"]);
  if (scan.code !== 0) throw new Error(`scan failed: ${scan.stderr}`);
  return { home, picture };
}
