/**
 * The credit of a downloaded wallpaper: the data type remote sources
 * produce, the database stores and templates, `current`, `history` and the
 * report show. Types only; no I/O.
 *
 * @module
 */

/** The credit of a downloaded image. */
export interface ImageCredit {
  /** The remote it was downloaded by. */
  remote: string;
  /** The remote's kind (wallhaven, unsplash, …). */
  kind: string;
  /** The service's id of the image. */
  item_id: string;
  /** The page to credit and link to. */
  page_url: string | null;
  /** The file downloaded. */
  image_url: string;
  author: string | null;
  author_url: string | null;
  /** Title or description. */
  title: string | null;
  /** Licence, where the service gives one. */
  licence: string | null;
}
