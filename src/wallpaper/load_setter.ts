/**
 * Loads one setter's module by name, by a specifier built at run time, so
 * that a `next` loads the setter it uses rather than all ten (see `lazy()` in
 * `src/cli/_context.ts`: Deno prepares every literal `import("…")` target at
 * start-up). `registry.ts` holds all of them, for doctor and the tests.
 *
 * @module
 */
import type { ConcreteSetter } from "./registry.ts";
import type { Setter } from "./setter.ts";

/** The setter with this name (the same object `SETTER_REGISTRY` holds). */
export async function loadSetter(name: ConcreteSetter): Promise<Setter> {
  // Each module under setters/ is named for its setter and exports it under that name.
  const url = new URL(`./setters/${name}.ts`, import.meta.url).href;
  const mod = await import(url) as Record<string, Setter>;
  return mod[name];
}
