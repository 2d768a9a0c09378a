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
