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

  /**
   * @param file The config file path.
   * @param key The dotted key at fault, or "" for the whole file.
   * @param message What is wrong and what is expected.
   * @param options Optional cause.
   */
  constructor(
    file: string,
    key: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(key ? `${file}: ${key}: ${message}` : `${file}: ${message}`, options);
    this.name = "ConfigError";
    this.file = file;
    this.key = key;
  }
}
