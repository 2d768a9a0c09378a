// A stand-in `wallust` executable for tests. It accepts `wallust run IMAGE -s -T -q
// [--palette NAME]`, hashes the image's bytes with its own FNV-1a, reads wallust.toml from
// $XDG_CONFIG_HOME and writes its cache under $XDG_CACHE_HOME exactly where wallust 3 does
// (`<base36>_1.7/<Backend>_<ColorSpace>_<threshold|auto>_<Palette>`, plus the backend and
// colourspace stage files). A `wallust.mode` JSON file beside it picks a behaviour:
//   {"mode":"ok"}                         write the entry
//   {"mode":"slow","delayMs":N}           sleep N ms first
//   {"mode":"fail"}                       print to stderr, exit 1
//   {"mode":"garbage"}                    write an entry that is not JSON
//   {"mode":"none"}                       exit 0 without writing
//   {"mode":"decoy","decoyFor":PATH}      also write newer entries for another image and
//                                         another palette name, after the right one
// Every run appends its argv to `wallust.log`.

/** The script's text. */
const SCRIPT = String.raw`
const dir = new URL(".", import.meta.url).pathname;
const args = Deno.args;
await Deno.writeTextFile(dir + "wallust.log", JSON.stringify(args) + "\n", { append: true });
let mode = { mode: "ok" };
try { mode = JSON.parse(await Deno.readTextFile(dir + "wallust.mode")); } catch { /* default */ }
if (args[0] !== "run" || !args.includes("-s") || !args.includes("-T") || !args.includes("-q")) {
  console.error("error: expected 'run IMAGE -s -T -q'");
  Deno.exit(2);
}
const image = args[1];
const pi = args.indexOf("--palette");
const cliPalette = pi > 0 ? args[pi + 1] : undefined;
const NAMES = { fastresize: "FastResize", resized: "Resized", full: "Full", lch: "Lch", lab: "Lab",
  labmixed: "LabMixed", dark: "Dark", dark16: "Dark16", light: "Light", light16: "Light16",
  harddark: "HardDark", softlight16: "SoftLight16" };
const fnv = (b) => { let h = 2166136261; for (const x of b) { h = (h ^ x) >>> 0; h = Number((BigInt(h) * 16777619n) % 4294967296n); } return h; };
const cfgHome = Deno.env.get("XDG_CONFIG_HOME");
const cacheHome = Deno.env.get("XDG_CACHE_HOME");
let backend = "fastresize", cs = "lch", palette = "dark", threshold = "auto";
try {
  const toml = await Deno.readTextFile(cfgHome + "/wallust/wallust.toml");
  const get = (k) => new RegExp("^\\s*" + k + "\\s*=\\s*\"?([\\w-]+)\"?", "m").exec(toml)?.[1];
  backend = get("backend") ?? backend; cs = get("color_space") ?? cs;
  palette = get("palette") ?? palette; threshold = get("threshold") ?? threshold;
} catch { /* defaults */ }
if (cliPalette) palette = cliPalette;
const name = (v) => NAMES[v.replace(/-/g, "")] ?? (() => { console.error("unknown " + v); Deno.exit(2); })();
const colors = (h) => {
  const hex = (n) => "#" + (n >>> 0 & 0xffffff).toString(16).toUpperCase().padStart(6, "0");
  const o = { cursor: hex(h + 0xeeeeee), background: hex(h), foreground: hex(h + 0xeeeeee) };
  for (let i = 0; i < 16; i++) o["color" + i] = hex(h + i * 0x111111);
  return JSON.stringify(o, null, 2);
};
const write = async (bytes, file, text) => {
  const d = cacheHome + "/wallust/" + fnv(bytes).toString(36) + "_1.7";
  await Deno.mkdir(d, { recursive: true });
  await Deno.writeTextFile(d + "/" + file, text);
};
const bytes = await Deno.readFile(image);
const h = fnv(bytes);
const entry = name(backend) + "_" + name(cs) + "_" + threshold + "_" + name(palette);
if (mode.mode === "slow") await new Promise((r) => setTimeout(r, mode.delayMs ?? 1000));
if (mode.mode === "fail") { console.error("[E] image: failed to decode " + image); Deno.exit(1); }
if (mode.mode === "none") Deno.exit(0);
await write(bytes, name(backend), "[1,2,3]");
await write(bytes, name(backend) + "_" + name(cs) + "_" + threshold, "[[],[],false]");
await write(bytes, entry, mode.mode === "garbage" ? "{ this is not json" : colors(h));
if (mode.mode === "decoy") {
  await new Promise((r) => setTimeout(r, 20));
  const other = await Deno.readFile(mode.decoyFor);
  await write(other, entry, colors(fnv(other) ^ 0x5a5a5a));
  await write(bytes, "Resized_Lab_auto_Dark", colors(h ^ 0xa5a5a5));
}
`;

/** Writes the stand-in as `<dir>/wallust` and returns its path. */
export async function writeFakeWallust(dir: string): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const path = `${dir}/wallust`;
  await Deno.writeTextFile(
    path,
    `#!/usr/bin/env -S ${Deno.execPath()} run -q --allow-read --allow-write --allow-env\n${SCRIPT}`,
  );
  await Deno.chmod(path, 0o755);
  return path;
}

/** Sets the stand-in's behaviour. */
export async function setFakeMode(
  dir: string,
  mode: { mode: string; delayMs?: number; decoyFor?: string },
): Promise<void> {
  await Deno.writeTextFile(`${dir}/wallust.mode`, JSON.stringify(mode));
}

/** The palette the stand-in writes for an image's bytes (its own formula). */
export function expectedBackground(bytes: Uint8Array): string {
  let h = 2166136261;
  for (const x of bytes) {
    h = (h ^ x) >>> 0;
    h = Number((BigInt(h) * 16777619n) % 4294967296n);
  }
  return "#" + (h & 0xffffff).toString(16).toUpperCase().padStart(6, "0");
}
