/**
 * Content hash of a recording, streamed so any size hashes in constant memory.
 * The hash re-links recordings that were moved or renamed.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { throwIfAborted, toFileError } from './fs-errors';

/** Hex SHA-256 of the file's bytes. Throws SonotypeError (UNREADABLE, NOT_FOUND, CANCELLED). */
export async function hashFile(absPath: string, signal?: AbortSignal): Promise<string> {
  throwIfAborted(signal);
  const hash = createHash('sha256');
  const stream = createReadStream(absPath, { flags: 'r', highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      throwIfAborted(signal);
      hash.update(chunk);
    }
  } catch (error) {
    throw toFileError(error, absPath);
  } finally {
    stream.destroy();
  }
  return hash.digest('hex');
}
