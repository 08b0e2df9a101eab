/** Process exit codes of the `sonotype` CLI (stable: scripts depend on them). */
export const EXIT_OK = 0;
/** Something failed (I/O, database, decoding of the one requested file, …). */
export const EXIT_FAILURE = 1;
/** The command line itself was wrong: unknown command/flag, missing argument. */
export const EXIT_USAGE = 2;

/** Thrown for command-line mistakes; becomes exit code 2 with the usage text. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
