// What positional arguments and flag values complete to, in each shell run for real
// (those installed): arguments nothing completes, files and folders with any name, and
// words offered besides files.
import { assert, assertEquals } from "../_helpers/assert.ts";
import { tempHome } from "../_helpers/env.ts";
import { REMOTE_KINDS } from "../../src/config/choices.ts";
import { ALL, bashReadline, binDir, completers, sorted, TAB, zshLine } from "./_completers.ts";

Deno.test("after an argument nothing completes (a new remote's name), flags and values still do", async () => {
  await using home = await tempHome();
  // Nothing here asks varietal for names.
  const bin = await binDir(home, "exit 0");
  for (const c of await completers(home, bin)) {
    const check = async (line: string, expected: readonly string[]) =>
      assertEquals(sorted(await c.offers(line)), sorted(expected), `${c.name}: ${line}`);
    await check("varietal remote add nature --k", ["--keep-unseen", "--kind"]);
    await check("varietal remote add nature --kind ", REMOTE_KINDS);
    await check("varietal remote add nature --kind a", ["apod"]);
  }
});

Deno.test("zsh inserts the one matching flag before and after an argument nothing completes", async () => {
  await using home = await tempHome();
  const zsh = await zshLine(home, await binDir(home, "exit 0"), home.root);
  if (!zsh) return;
  for (const line of ["varietal remote add", "varietal remote add nature"]) {
    assertEquals(await zsh.line(`${line} --ki${TAB}`), `${line} --kind=`);
    assertEquals(await zsh.line(`${line} --kind wa${TAB}`), `${line} --kind wallhaven `);
  }
});

Deno.test("--similar-to offers current besides image files, in every shell", async () => {
  await using home = await tempHome();
  const bin = await binDir(home, "exit 0");
  const dir = `${home.root}/work`;
  await Deno.mkdir(dir);
  await Deno.writeTextFile(`${dir}/cup.png`, "");
  for (const c of await completers(home, bin, dir)) {
    const check = async (line: string, expected: readonly string[]) =>
      assertEquals(sorted(await c.offers(line)), sorted(expected), `${c.name}: ${line}`);
    await check("varietal next --similar-to cu", ["cup.png", "current"]);
    await check("varietal select --similar-to cur", ["current"]);
    await check("varietal next --similar-to ", ["cup.png", "current"]);
  }
});

Deno.test("bash completes a folder or file whose name holds a line break or a space as one", async () => {
  await using home = await tempHome();
  const bin = await binDir(home, "exit 0");
  const dir = `${home.root}/pictures`;
  for (const d of ["new\nline", "with space", "plain"]) {
    await Deno.mkdir(`${dir}/${d}`, { recursive: true });
  }
  await Deno.writeTextFile(`${dir}/plain/two\nlines.png`, "");
  const bash = await bashReadline(home, bin, dir);
  if (!bash) return;
  const cases: [string, string][] = [
    // Folders alone (sources add) and files alone (--image) are readline's own completion.
    [`varietal sources add n${TAB}`, "varietal sources add 'new\nline'/"],
    [`varietal sources add w${TAB}`, "varietal sources add with\\ space/"],
    [`varietal sources add "w${TAB}`, 'varietal sources add "with space"/'],
    [`varietal next --image plain/t${TAB}`, "varietal next --image 'plain/two\nlines.png' "],
    [`varietal next --image=plain/t${TAB}`, "varietal next --image='plain/two\nlines.png' "],
    // Mixed with words, they are listed one each too.
    [`varietal favorite plain/t${TAB}`, "varietal favorite 'plain/two\nlines.png' "],
    [`varietal sources order n${TAB}`, "varietal sources order 'new\nline'/"],
    [`varietal sources order plain se${TAB}`, "varietal sources order plain sequential "],
  ];
  for (const [keys, line] of cases) assertEquals(await bash.line(keys), line, keys);
  // Without the script's own listing, nothing is left for a lone "new" or "line".
  const favorite = await bash.line(`varietal favorite ${ALL}`);
  assert(!/ (new|line) /.test(favorite), favorite);
});
