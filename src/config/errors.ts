/**
 * Errors raised while reading `config.toml`.
 *
 * @module
 */

/** A problem in the user's configuration, naming the file and the key. */
export class ConfigError extends Error {
  /** The config file. */
  readonly file: string;
  /** The dotted key, empty for file-level problems. */
  readonly key: string;
  /** What is wrong, without the file and key. */
  readonly detail: string;
  /** The line of the key in the file, when known. */
  readonly line?: number;

  /**
   * @param file The config file path.
   * @param key The dotted key at fault, or "" for the whole file.
   * @param message What is wrong and what is expected.
   * @param options Optional cause, and the key's line in the file (given as `file:line:`).
   */
  constructor(
    file: string,
    key: string,
    message: string,
    options?: ErrorOptions & { line?: number },
  ) {
    const where = options?.line === undefined ? file : `${file}:${options.line}`;
    super(key ? `${where}: ${key}: ${message}` : `${where}: ${message}`, options);
    this.name = "ConfigError";
    this.file = file;
    this.key = key;
    this.detail = message;
    if (options?.line !== undefined) this.line = options.line;
  }
}

/**
 * Several problems in one config file, found in one reading: its message is the
 * first problem's and says how many more there are (`varietal config check`
 * lists them all). It is a {@linkcode ConfigError} (the first problem's file,
 * key, detail and line), so code that handles one handles this too.
 */
export class ConfigProblems extends ConfigError {
  /** Every problem, in the order of the file (two or more). */
  readonly problems: readonly ConfigError[];

  /** @param problems Two or more problems of one file. */
  constructor(problems: readonly ConfigError[]) {
    const [first] = problems;
    const more = problems.length - 1;
    super(first.file, first.key, first.detail, {
      cause: first.cause,
      ...(first.line === undefined ? {} : { line: first.line }),
    });
    this.message += ` (and ${more} more problem${more === 1 ? "" : "s"}: ` +
      "'varietal config check' lists them all)";
    this.name = "ConfigProblems";
    this.problems = problems;
  }
}

/** Every problem a config error stands for: its own list, or itself. */
export function problemsOf(e: ConfigError): readonly ConfigError[] {
  return e instanceof ConfigProblems ? e.problems : [e];
}

/**
 * Collects the config problems of several independent readings, so that one
 * run names them all instead of the first (pure).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConfigError, ProblemCollector } from "./errors.ts";
 *
 * const found = new ProblemCollector();
 * const a = found.read(() => 1);
 * found.read(() => { throw new ConfigError("c.toml", "x", "bad"); });
 * found.add(new ConfigError("c.toml", "y", "bad too"));
 * assert.equal(a, 1);
 * assert.throws(() => found.throwAny(), /x: bad \(and 1 more problem:/);
 * ```
 */
export class ProblemCollector {
  readonly #found: ConfigError[] = [];

  /** Runs `step`; a config error it throws is kept (and undefined returned). */
  read<T>(step: () => T): T | undefined {
    try {
      return step();
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      this.#found.push(...problemsOf(e));
      return undefined;
    }
  }

  /** Keeps problems found without a reading that throws them. */
  add(...problems: readonly ConfigError[]): void {
    for (const p of problems) this.#found.push(...problemsOf(p));
  }

  /** Throws what was kept: nothing, the one problem, or {@linkcode ConfigProblems}. */
  throwAny(): void {
    throwProblems(this.#found);
  }
}

/** Throws nothing for no problems, the problem itself for one, else {@linkcode ConfigProblems}. */
export function throwProblems(problems: readonly ConfigError[]): void {
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) throw new ConfigProblems(problems);
}
