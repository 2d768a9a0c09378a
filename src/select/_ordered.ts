// Ordered folders for the selector. The folder of each pick is drawn by the
// smart weights (one ordinary draw; skipped when only one folder is usable);
// when that folder is `sequential` or `shuffle`, the pick is instead the next
// image of its order that qualifies. Only the selector imports this.
import type { PlayOrder } from "../config/choices.ts";
import {
  getPlayState,
  lastShownPlace,
  lastShownPlaceOn,
  type PlayKeyOf,
  type PlayPlace,
  playPosition,
  type PlayState,
  seekPlayOrder,
  setPlayState,
  writePlayKeys,
} from "../db/play_state.ts";
import { lookupIds } from "./_candidates.ts";
import { type Draw, type DrawContext, drawImages, type Drawn } from "./_draw.ts";
import { naturalKey, nextSeed, shuffleKey } from "./play_keys.ts";
import { weigh } from "./weights.ts";

/** An ordered folder taking part in a draw. */
export interface OrderedFolder {
  id: number;
  path: string;
  order: Exclude<PlayOrder, "smart">;
  /** The folder's `last_shown_at`. */
  lastShownAt: number | null;
}

/** Which rule chose a pick, and where it stands in its folder's order. */
export interface PickOrder {
  rule: Exclude<PlayOrder, "smart">;
  /** The folder (as stored). */
  source: string;
  /** 1-based place among the folder's drawable images (with `positions`). */
  position?: number;
  /** The folder's drawable images (with `positions`). */
  total?: number;
  /** True when this pick began a new shuffle cycle. */
  newCycle?: boolean;
}

/** A pick with the order that chose it (none for a smart pick). */
export interface OrderedDrawn extends Drawn {
  order?: PickOrder;
}

/** The ordered folders of one selection call, and where each stands. */
export interface Playlist {
  folders: Map<number, OrderedFolder>;
  /** Count positions for `--explain`/`--json` (a count over the folder's rows). */
  positions: boolean;
  /** Folder → its state after preparing it in this call. */
  state: Map<number, PlayState>;
  /** Folder → the last place picked in this call (the next pick follows it). */
  cursor: Map<number, PlayPlace>;
  /** Folders that began a new shuffle cycle in this call (at most one each). */
  cycled: Set<number>;
}

/** A playlist for these ordered folders. */
export function playlist(folders: Map<number, OrderedFolder>, positions: boolean): Playlist {
  return { folders, positions, state: new Map(), cursor: new Map(), cycled: new Set() };
}

/** Proposals read per seek of a folder's order. */
const BATCH = 32;

function keyOf(s: PlayState): PlayKeyOf {
  return s.play_order === "sequential"
    ? (_id, path) => naturalKey(path)
    : (id) => shuffleKey(s.seed, id);
}

/** A new shuffle cycle starts after the folder's last show, so none of it counts as in it. */
function cycleStart(ctx: DrawContext, f: OrderedFolder): number {
  return Math.max(ctx.now, (f.lastShownAt ?? -Infinity) + 1);
}

/**
 * The folder's state, its keys brought up to date: every key rewritten when
 * the order changed (or it is new), else keys given to images added since.
 */
function prepare(ctx: DrawContext, list: Playlist, f: OrderedFolder): PlayState {
  const known = list.state.get(f.id);
  if (known) return known;
  let s = getPlayState(ctx.db, f.id);
  if (!s || s.play_order !== f.order) {
    const fresh: PlayState = f.order === "shuffle"
      ? {
        play_order: "shuffle",
        seed: Math.floor(ctx.rng() * 4294967296),
        cycle_started_at: cycleStart(ctx, f),
      }
      : { play_order: "sequential", seed: 0, cycle_started_at: 0 };
    ctx.db.transaction(() => {
      setPlayState(ctx.db, f.id, fresh);
      writePlayKeys(ctx.db, f.id, keyOf(fresh), true);
    });
    s = fresh;
  } else {
    writePlayKeys(ctx.db, f.id, keyOf(s), false);
  }
  list.state.set(f.id, s);
  return s;
}

/** Starts the folder's next shuffle cycle: a new seed, every key rewritten. */
function newCycle(ctx: DrawContext, list: Playlist, f: OrderedFolder, s: PlayState): PlayState {
  const next: PlayState = {
    play_order: "shuffle",
    seed: nextSeed(s.seed),
    cycle_started_at: cycleStart(ctx, f),
  };
  ctx.db.transaction(() => {
    setPlayState(ctx.db, f.id, next);
    writePlayKeys(ctx.db, f.id, keyOf(next), true);
  });
  list.state.set(f.id, next);
  list.cycled.add(f.id);
  list.cursor.delete(f.id);
  return next;
}

/** Where a folder's order continues from, and since when its shows count as just seen. */
interface Anchor {
  place: PlayPlace;
  /** A sequential folder on several outputs: images shown since then are passed over if possible. */
  since?: number;
}

/**
 * Where the folder's order continues from. A sequential folder on several
 * outputs goes on from the image it showed last on this output (each output
 * walks the images that fit it, a portrait monitor the portrait ones,
 * without the other's picks moving it past any), passing over what the
 * others showed since. Otherwise its last pick in this call, else the image
 * it showed last (for shuffle, only when shown in this cycle).
 */
function anchor(
  ctx: DrawContext,
  list: Playlist,
  f: OrderedFolder,
  s: PlayState,
  output: string | undefined,
): Anchor | undefined {
  if (output !== undefined && s.play_order === "sequential" && f.lastShownAt !== null) {
    const mine = lastShownPlaceOn(ctx.db, f.id, output);
    if (mine) return { place: { key: mine.key, id: mine.id }, since: mine.shownAt };
  }
  const here = list.cursor.get(f.id);
  if (here) return { place: here };
  if (f.lastShownAt === null) return undefined;
  if (s.play_order === "shuffle" && f.lastShownAt < s.cycle_started_at) return undefined;
  const place = lastShownPlace(ctx.db, f.id, f.lastShownAt);
  return place ? { place } : undefined;
}

/**
 * Walks the folder's order from `after` (exclusive) through `through`
 * (inclusive), skipping what does not qualify, what is taken and what the
 * final check drops; returns the first usable image.
 */
function walk(
  ctx: DrawContext,
  f: OrderedFolder,
  d: Draw,
  range: { after?: PlayPlace; through?: PlayPlace; unshownSince?: number },
): { place: PlayPlace; drawn: Drawn } | undefined {
  let after = range.after;
  for (;;) {
    if (ctx.exhausted?.()) return undefined;
    const places = seekPlayOrder(ctx.db, f.id, {
      ...range,
      after,
      where: d.where,
      palettes: d.palettes,
      limit: BATCH,
    });
    if (places.length === 0) return undefined;
    const cands = lookupIds(ctx.db, places.map((p) => p.id), d.where, d.palettes);
    for (let i = 0; i < places.length; i++) {
      const c = cands[i];
      if (!c || ctx.taken.has(c.id)) continue;
      if (ctx.accept(c)) {
        const w = weigh(
          {
            last_shown_at: c.last_shown_at,
            times_shown: c.times_shown,
            favorite: c.favorite === 1,
            sourceShownAt: ctx.sourceRecent.get(c.source_id) ?? null,
          },
          ctx.params,
          ctx.now,
        );
        return { place: places[i], drawn: { cand: c, w } };
      }
      ctx.taken.add(c.id);
      if (ctx.exhausted?.()) return undefined;
    }
    if (places.length < BATCH) return undefined;
    after = places[places.length - 1];
  }
}

/**
 * The next image of an ordered folder that qualifies: after the anchor,
 * else from the start of the order through the anchor (sequential wraps
 * around); for shuffle, only images not shown in this cycle, and a new
 * cycle when none is left.
 */
function pickInOrder(
  ctx: DrawContext,
  list: Playlist,
  f: OrderedFolder,
  d: Draw,
): OrderedDrawn | undefined {
  let s = prepare(ctx, list, f);
  const from = anchor(ctx, list, f, s, d.output);
  const onward = (unshownSince: number | undefined) =>
    walk(ctx, f, d, { after: from?.place, unshownSince }) ??
      (from ? walk(ctx, f, d, { through: from.place, unshownSince }) : undefined);
  let got = onward(s.play_order === "shuffle" ? s.cycle_started_at : from?.since);
  // What the other outputs showed since is passed over, unless nothing else is left.
  if (!got && from?.since !== undefined && !ctx.exhausted?.()) got = onward(undefined);
  let began = false;
  if (!got && s.play_order === "shuffle" && !list.cycled.has(f.id) && !ctx.exhausted?.()) {
    s = newCycle(ctx, list, f, s);
    began = true;
    got = walk(ctx, f, d, { unshownSince: s.cycle_started_at });
  }
  if (!got) return undefined;
  list.cursor.set(f.id, got.place);
  const order: PickOrder = {
    rule: f.order,
    source: f.path,
    ...(list.positions ? playPosition(ctx.db, f.id, got.place) : {}),
    ...(began ? { newCycle: true } : {}),
  };
  return { ...got.drawn, order };
}

/**
 * Draws up to `count` distinct images when some folders are ordered: each
 * pick's folder by the smart weights (an ordinary draw of one image), then,
 * for an ordered folder, the next image of its order instead of the drawn
 * one. With a single usable folder the ordinary draw is skipped.
 */
export function drawOrdered(
  ctx: DrawContext,
  count: number,
  d: Draw,
  list: Playlist,
): OrderedDrawn[] {
  const out: OrderedDrawn[] = [];
  const usable = [...ctx.sourceWeight.keys()];
  const only = usable.length === 1 && list.folders.has(usable[0]) ? usable[0] : undefined;
  while (out.length < count && !ctx.exhausted?.()) {
    let smart: Drawn | undefined;
    let folder = only;
    if (folder === undefined) {
      smart = drawImages(ctx, 1, d)[0];
      if (!smart) break;
      if (!list.folders.has(smart.cand.source_id)) {
        out.push(smart);
        continue;
      }
      folder = smart.cand.source_id;
    }
    // The drawn image only chose the folder: it is free for the order's walk.
    if (smart) ctx.taken.delete(smart.cand.id);
    const got = pickInOrder(ctx, list, list.folders.get(folder)!, d);
    if (got) {
      ctx.taken.add(got.cand.id);
      out.push(got);
    } else if (smart) {
      ctx.taken.add(smart.cand.id);
      out.push(smart);
    } else {
      break;
    }
  }
  return out;
}
