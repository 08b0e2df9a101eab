/**
 * The one cancellation check of the engine: long loops call it between units
 * of work, so a cancelled job, a closed view or Ctrl-C in the CLI stops at
 * the next consistent point with a CANCELLED error that says what stopped.
 */
import { SonotypeError } from '../../../src-shared/errors';

/** Throws CANCELLED ("<what> was cancelled.") once `signal` has been aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new SonotypeError('CANCELLED', `${what} was cancelled.`);
}
