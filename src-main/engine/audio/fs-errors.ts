/**
 * Maps Node file-system errors to SonotypeErrors with messages a researcher
 * can act on ("Permission denied", not "EACCES: open …").
 */
import { throwIfCancelled } from '../util/cancel';
import { SonotypeError } from '../../../src-shared/errors';

/** Wraps an fs error thrown while touching `absPath`; SonotypeErrors pass through. */
export function toFileError(error: unknown, absPath: string): SonotypeError {
  if (error instanceof SonotypeError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return new SonotypeError('NOT_FOUND', `File not found: ${absPath}`, { cause: error });
    case 'EACCES':
    case 'EPERM':
      return new SonotypeError('UNREADABLE', `Permission denied: cannot read ${absPath}. Check the file's permissions.`, {
        cause: error,
      });
    case 'EISDIR':
      return new SonotypeError('NOT_AUDIO', `${absPath} is a folder, not an audio file`, { cause: error });
    case 'EIO':
      return new SonotypeError('UNREADABLE', `Input/output error while reading ${absPath} (failing disk or card?)`, {
        cause: error,
      });
    default: {
      const message = error instanceof Error ? error.message : String(error);
      return new SonotypeError('UNREADABLE', `Could not read ${absPath}: ${message}`, { cause: error });
    }
  }
}

/** Throws CANCELLED if the signal has been aborted (while reading audio). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  throwIfCancelled(signal, 'Reading audio');
}
