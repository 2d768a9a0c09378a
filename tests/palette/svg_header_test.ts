// The SVG header reader: which files are SVGs, and the size they ask for.
import { assert, assertEquals } from "../_helpers/assert.ts";
import { looksLikeSvg, svgSize } from "../../src/palette/svg_header.ts";
import { sniffFormat } from "../../src/palette/decode.ts";

const bytes = (s: string) => new TextEncoder().encode(s);
const size = (s: string) => svgSize(bytes(s));

Deno.test("svgSize() reads width and height in every absolute unit", () => {
  assertEquals(size('<svg width="1920" height="1080"/>'), { width: 1920, height: 1080 });
  assertEquals(size("<svg width=\"1920px\" height='1080px'/>"), { width: 1920, height: 1080 });
  assertEquals(size('<svg width="10in" height="5in">'), { width: 960, height: 480 });
  assertEquals(size('<svg width="297mm" height="210mm">'), { width: 1123, height: 794 });
  assertEquals(size('<svg width="2.54cm" height="72pt">'), { width: 96, height: 96 });
  assertEquals(size('<svg width="6pc" height="1e2">'), { width: 96, height: 100 });
  assertEquals(size('<svg width="0.4" height="0.2">'), { width: 1, height: 1 }, "at least 1 × 1");
});

Deno.test("svgSize() makes a missing or relative side from the viewBox", () => {
  assertEquals(size('<svg viewBox="0 0 4096 4096">'), { width: 4096, height: 4096 });
  assertEquals(size('<svg viewBox="0,0,16,9" width="1600">'), { width: 1600, height: 900 });
  assertEquals(size('<svg viewBox="-5 -5 16 9" height="90">'), { width: 160, height: 90 });
  assertEquals(size('<svg width="100%" height="100%" viewBox="0 0 800 600">'), {
    width: 800,
    height: 600,
  });
  // nothing usable: resvg's and browsers' 100 × 100
  assertEquals(size("<svg>"), { width: 100, height: 100 });
  assertEquals(size('<svg width="auto" viewBox="0 0 0 10">'), { width: 100, height: 100 });
  assertEquals(size('<svg width="50" viewBox="1 2 3">'), { width: 50, height: 100 });
});

Deno.test("svgSize() skips the prolog: BOM, XML declaration, comments, DOCTYPE with a subset", () => {
  const prolog = '\ufeff<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' +
    "<!-- Created with Inkscape (http://www.inkscape.org/) -->\n" +
    '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd" [\n  <!ENTITY ns "a>b">\n]>\n' +
    "<?xml-stylesheet href='s.css'?>\n";
  assertEquals(size(`${prolog}<svg\n   width="1280"\n   height="1024"\n>`), {
    width: 1280,
    height: 1024,
  });
  assertEquals(size('<svg:svg xmlns:svg="http://www.w3.org/2000/svg" width="3" height="4">'), {
    width: 3,
    height: 4,
  });
  assertEquals(size('<svg data-x="a>b" width="7" height="8">'), { width: 7, height: 8 });
});

Deno.test("looksLikeSvg() and svgSize() refuse other documents and cut-off tags", () => {
  for (
    const s of [
      "<html><svg/></html>",
      "<svgfoo/>",
      "hello <svg/>",
      "<!-- never closed <svg/>",
      '<svg width="10" height',
      "<?xml version='1.0'?>",
      "",
    ]
  ) {
    assertEquals(looksLikeSvg(bytes(s)), false, s);
    assertEquals(svgSize(bytes(s)), undefined, s);
  }
  // the root element must start within the first 64 KiB
  assertEquals(looksLikeSvg(bytes(`<!--${"x".repeat(70_000)}--><svg/>`)), false);
  assertEquals(looksLikeSvg(bytes(`<!--${"x".repeat(1000)}--><svg/>`)), true);
});

Deno.test("sniffFormat() tells SVG from raster formats", () => {
  assertEquals(sniffFormat(bytes('  \n<svg xmlns="http://www.w3.org/2000/svg"/>')), "svg");
  assertEquals(sniffFormat(bytes("<html/>")), undefined);
  assertEquals(sniffFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])), "jpeg");
});

Deno.test("svgSize() reads the size of every real SVG wallpaper installed", async () => {
  const roots = ["/usr/share/backgrounds", "/usr/share/desktop-base"];
  const files: string[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else if (e.isFile && /\.svg$/i.test(e.name)) files.push(p);
    }
  };
  for (const r of roots) await walk(r).catch(() => {});
  if (files.length === 0) {
    console.log("skipped: no SVG under /usr/share/backgrounds or /usr/share/desktop-base");
    return;
  }
  let named = 0;
  for (const f of files) {
    const s = svgSize(await Deno.readFile(f));
    assert(s, `${f}: no size`);
    // desktop-base names its pictures by the size they are drawn for
    const m = /\/(\d+)x(\d+)\.svg$/.exec(f);
    if (m) {
      assertEquals([s.width, s.height], [Number(m[1]), Number(m[2])], f);
      named++;
    }
  }
  console.log(`${files.length} SVGs, ${named} named by their size`);
});
