/**
 * varietal's version, printed by `varietal --version`: the last release's, or
 * the next one's with `-dev` between releases (CHANGELOG.md's "Unreleased"),
 * so that a bug report or an upgrade note can tell a checkout from 0.1.0.
 */
export const VERSION = "0.2.0-dev";
