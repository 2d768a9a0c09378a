/**
 * Every remote kind by name.
 *
 * @module
 */
import type { RemoteKind } from "./_kind.ts";
import { apod } from "./apod.ts";
import { bing } from "./bing.ts";
import { reddit } from "./reddit.ts";
import { rss } from "./rss.ts";
import { unsplash } from "./unsplash.ts";
import { wallhaven } from "./wallhaven.ts";

export type { RemoteKind };

/** The kinds, by `[[remote]] kind`. */
export const KINDS: Readonly<Record<string, RemoteKind>> = Object.freeze({
  wallhaven,
  unsplash,
  reddit,
  bing,
  apod,
  rss,
});

/**
 * A kind by name.
 *
 * @throws {RangeError} For an unknown kind.
 */
export function getKind(name: string): RemoteKind {
  const k = Object.hasOwn(KINDS, name) ? KINDS[name] : undefined;
  if (!k) throw new RangeError(`Unknown remote kind "${name}"`);
  return k;
}
