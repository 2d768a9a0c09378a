/**
 * What every remote kind provides: the request for a page of its listing and
 * a parser for the answer (pure functions, no I/O), plus the hosts its images
 * are documented to come from.
 *
 * @module
 */
import type { RemoteItem, RemoteSpec } from "../protocol.ts";

/** An HTTP GET to make. */
export interface KindRequest {
  url: string;
  headers: Record<string, string>;
}

/** Which page to ask for. */
export interface PageRequest {
  /** null for the first page, else what the previous {@linkcode Listing} said. */
  cursor: string | null;
  /** How many new images are wanted (a hint for the page size). */
  want: number;
}

/** One page of a listing, parsed. */
export interface Listing {
  /** Usable items (those that fail the kind's own rules are counted in `notes`). */
  items: RemoteItem[];
  /** The cursor of the next page, or null at the end. */
  next: string | null;
  /** Plain-language notes on what was left out and why. */
  notes: string[];
}

/** A remote kind. */
export interface RemoteKind {
  /** Its name in `[[remote]] kind`. */
  name: string;
  /**
   * Hosts (names, default port) the images are documented to come from,
   * besides the API's own host; "feed" means any host the listing names (rss).
   */
  imageHosts: readonly string[] | "feed";
  /** Whether the service needs a key ("demo": it has a public demo key). */
  key: "required" | "optional" | "demo";
  /** The key used when none is configured (kind "demo"). */
  demoKey?: string;
  /** The URL the listing is read from (its host is the API host). */
  listingUrl(spec: RemoteSpec): string;
  /** The request for one page. */
  request(spec: RemoteSpec, page: PageRequest): KindRequest;
  /**
   * Parses one page.
   *
   * @throws {ListingError} When the answer is not what the service sends.
   */
  parse(body: string, spec: RemoteSpec): Listing;
  /** Headers for a ping (a request the service asks for when an image is shown). */
  pingHeaders?(spec: RemoteSpec): Record<string, string>;
}

/** An answer that is not what the service sends (malformed, partial, wrong shape). */
export class ListingError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ListingError";
  }
}

/** Parses a JSON answer. @throws {ListingError} On malformed or partial JSON. */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (e) {
    const what = body.trimStart().startsWith("<") ? "an HTML or XML page" : "malformed JSON";
    throw new ListingError(
      `the API answered with ${what}, not the JSON it sends (${(e as Error).message})`,
      { cause: e },
    );
  }
}

// deno-lint-ignore no-control-regex -- control characters are what it looks for
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g;

/** A plain object, or undefined. */
export function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v)
    ? v as Record<string, unknown>
    : undefined;
}

/**
 * A non-empty trimmed string, or null: control characters (C0, DEL, C1), line and paragraph
 * separators and bidirectional overrides (which could disguise a title) become spaces.
 */
export function text(v: unknown, max = 2000): string | null {
  if (typeof v !== "string") return null;
  const t = v.replace(CONTROLS, " ").replace(/\s+/g, " ").trim();
  return t ? t.slice(0, max) : null;
}

/** A positive whole number, or null. */
export function count(v: unknown): number | null {
  const n = typeof v === "string" ? Number(v) : v;
  return typeof n === "number" && Number.isInteger(n) && n > 0 ? n : null;
}

/** An absolute http(s) URL (resolved against `base`), or null. */
export function httpUrl(v: unknown, base?: string): string | null {
  if (typeof v !== "string" || v.trim() === "") return null;
  try {
    const u = new URL(v.trim(), base);
    if (u.protocol !== "https:" && u.protocol !== "http:") return null;
    if (u.username || u.password) return null;
    return u.href;
  } catch {
    return null;
  }
}

/** Adds a note counting items left out, when any were. */
export function noteDropped(notes: string[], n: number, of: number, why: string): void {
  // `why` is written for "n of several results were …"; "1 of 1 result" takes "was".
  const verb = of === 1 ? why.replace(/\bwere\b/g, "was") : why;
  if (n > 0) notes.push(`${n} of ${of} ${of === 1 ? "result" : "results"} ${verb}`);
}

/** An item with every optional field empty. */
export function item(id: string, imageUrl: string): RemoteItem {
  return {
    id,
    imageUrl,
    pageUrl: null,
    author: null,
    authorUrl: null,
    title: null,
    licence: null,
    width: null,
    height: null,
    fileSize: null,
    pingUrl: null,
  };
}

/** `base` without a trailing slash, then `path`. */
export function join(base: string, path: string): string {
  return base.replace(/\/+$/, "") + path;
}
