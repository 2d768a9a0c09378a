// The message of a draw with no pick: the hint that helps for why nothing qualified.
import { assertEquals } from "../_helpers/assert.ts";
import { noPickMessage } from "../../src/select/no_pick.ts";

Deno.test("noPickMessage(): a group none of whose folders is the user's says to fix [groups]", () => {
  assertEquals(
    noPickMessage({}, { group: { name: "work", sources: [] }, sourceIds: [] }, {
      smaller: 0,
      withoutPalette: 0,
      disabled: 0,
    }),
    "no image qualifies (group work: 0 folder(s)); no folder of group work is one of yours: fix " +
      "[groups] work in config.toml, or add its folders with 'varietal sources add DIR'",
  );
  // A group with folders, all banned: the ban is the news.
  assertEquals(
    noPickMessage({}, { group: { name: "work", sources: ["/w"] } }, {
      smaller: 0,
      withoutPalette: 0,
      banned: 3,
      unbanned: 0,
    }),
    "no image qualifies (group work: 1 folder(s)); all 3 image(s) there are banned: 'varietal " +
      "unban PATH' brings one back, or add folders with 'varietal sources add'",
  );
});
