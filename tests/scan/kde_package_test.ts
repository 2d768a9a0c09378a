import { assertEquals } from "../_helpers/assert.ts";
import {
  chooseSize,
  packageInfo,
  packageOfImage,
  packageOfSizesFolder,
  sizeFromName,
} from "../../src/scan/kde_package.ts";

Deno.test("packageOfSizesFolder() names the package of contents/images and contents/images_dark", () => {
  assertEquals(
    packageOfSizesFolder("/usr/share/wallpapers/Kay/contents/images"),
    "/usr/share/wallpapers/Kay",
  );
  assertEquals(packageOfSizesFolder("/w/Kay/contents/images_dark"), "/w/Kay");
  assertEquals(packageOfSizesFolder("/w/Kay/contents"), undefined);
  assertEquals(packageOfSizesFolder("/w/Kay/contents/images/more"), undefined);
  assertEquals(packageOfSizesFolder("/w/Kay/contents/imagesX"), undefined);
  assertEquals(packageOfSizesFolder("/contents/images"), undefined);
});

Deno.test("sizeFromName() reads WIDTHxHEIGHT.EXT and nothing else", () => {
  assertEquals(sizeFromName("5120x2880.png"), { width: 5120, height: 2880 });
  assertEquals(sizeFromName("1080x1920.JPG"), { width: 1080, height: 1920 });
  for (
    const bad of [
      "0x100.png",
      "100x0.png",
      "1920X1080.png",
      "1920x1080",
      "a1920x1080.png",
      "1920x1080.tar.gz",
      "1234567x10.png",
    ]
  ) {
    assertEquals(sizeFromName(bad), undefined, bad);
  }
});

Deno.test("chooseSize() keeps the largest landscape size, else the largest, the same each time", () => {
  // Debian's BytheWater: 16:10 at 2560 is larger than 16:9 at 1920.
  assertEquals(
    chooseSize(["1920x1080.jpg", "1280x1024.jpg", "2560x1600.jpg", "640x480.jpg"]),
    "2560x1600.jpg",
  );
  // A larger portrait size loses to any landscape one.
  assertEquals(chooseSize(["1080x1920.png", "4000x8000.png", "1280x800.png"]), "1280x800.png");
  // A square counts as landscape.
  assertEquals(chooseSize(["1000x2000.png", "1200x1200.png"]), "1200x1200.png");
  // Only portrait sizes: the largest.
  assertEquals(chooseSize(["720x1440.jpg", "1080x1920.jpg"]), "1080x1920.jpg");
  // The same size twice: the first name, whatever the listing order.
  assertEquals(chooseSize(["1920x1080.png", "1920x1080.jpg"]), "1920x1080.jpg");
  assertEquals(chooseSize(["1920x1080.jpg", "1920x1080.png"]), "1920x1080.jpg");
  // Names that state no size are not sizes.
  assertEquals(chooseSize(["wallpaper.png", "1280x800.png", "huge.png"]), "1280x800.png");
  assertEquals(chooseSize(["wallpaper.png"]), undefined);
  assertEquals(chooseSize([]), undefined);
});

Deno.test("chooseSize() keeps a size under the pixel limit rather than lose the picture", () => {
  const names = ["5120x2880.png", "1920x1080.png", "1080x1920.png", "640x480.png"];
  assertEquals(chooseSize(names, Infinity), "5120x2880.png");
  assertEquals(chooseSize(names, 5120 * 2880), "5120x2880.png", "the limit itself fits");
  assertEquals(chooseSize(names, 3_000_000), "1920x1080.png");
  assertEquals(chooseSize(["1080x1920.png", "5120x2880.png"], 3_000_000), "1080x1920.png");
  // None fits: the usual choice (the scan then says it is too large).
  assertEquals(chooseSize(names, 100_000), "5120x2880.png");
  // An SVG is drawn at any size: it always fits.
  assertEquals(chooseSize(["1920x1080.png", "5120x2880.svg"], 3_000_000), "5120x2880.svg");
});

Deno.test("packageOfImage() names the package of a size, and nothing for other images", () => {
  assertEquals(packageOfImage("/w/Kay/contents/images_dark/5120x2880.png"), "/w/Kay");
  assertEquals(packageOfImage("/w/Kay/contents/screenshot.png"), undefined);
  assertEquals(packageOfImage("/w/mine/sunset.jpg"), undefined);
});

Deno.test("packageInfo() reads metadata.json's KPlugin, untranslated", () => {
  const json = JSON.stringify({
    KPlugin: {
      Authors: [
        { Email: "a@example.org", Name: "Alesya Khoteeva", "Name[ru]": "Алеся Хотеева" },
        { Name: "  Second Author " },
        { Email: "no-name@example.org" },
        "not an object",
        null,
      ],
      Id: "Next",
      License: "CC-BY-SA-4.0",
      Name: "Altai",
      "Name[zh_CN]": "Altai 远山",
    },
  });
  assertEquals(packageInfo(json, "metadata.json"), {
    name: "Altai",
    authors: ["Alesya Khoteeva", "Second Author"],
    licence: "CC-BY-SA-4.0",
  });
  // Fields that are missing, empty or not text are null; overlong ones are cut.
  assertEquals(
    packageInfo(
      JSON.stringify({ KPlugin: { Name: " ", License: 3, Authors: "x" } }),
      "metadata.json",
    ),
    { name: null, authors: [], licence: null },
  );
  assertEquals(
    packageInfo(JSON.stringify({ KPlugin: { Name: "n".repeat(5000) } }), "metadata.json")?.name
      ?.length,
    200,
  );
  for (const bad of ["{", "null", "[]", '{"KPlugin": "Altai"}', '{"Name": "Altai"}']) {
    assertEquals(packageInfo(bad, "metadata.json"), undefined, bad);
  }
});

Deno.test("packageInfo() reads metadata.desktop's [Desktop Entry], untranslated", () => {
  const desktop = [
    "# a comment",
    "[Desktop Entry]",
    "Name[de]=Sichere Landung",
    "Name=Safe Landing",
    "X-KDE-PluginInfo-Author=Louis Durrant, Someone Else",
    "X-KDE-PluginInfo-Email=louis@example.org",
    "X-KDE-PluginInfo-License=CC-BY-SA-4.0",
    "",
    "[Other Group]",
    "Name=not this",
  ].join("\r\n");
  assertEquals(packageInfo(desktop, "metadata.desktop"), {
    name: "Safe Landing",
    authors: ["Louis Durrant", "Someone Else"],
    licence: "CC-BY-SA-4.0",
  });
  assertEquals(packageInfo("[Desktop Entry]\nType=Service\n", "metadata.desktop"), {
    name: null,
    authors: [],
    licence: null,
  });
  assertEquals(packageInfo("Name=Loose\n[Other]\nName=x\n", "metadata.desktop"), undefined);
});
