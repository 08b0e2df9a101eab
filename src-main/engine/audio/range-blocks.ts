/**
 * Mono blocks of samples [start, end) of one channel, for analysing part of a
 * long recording (a distributed shard). WAV/RF64 files are read with
 * positioned reads, so a shard near the end of a 10-hour file costs what its
 * own minutes cost. Other formats have no sample-accurate seek: they are
 * decoded from the start and the samples before `start` are dropped.
 */
import { openAudioRangeReader } from './read-range';
import { DEFAULT_BLOCK_FRAMES, readAudioBlocks } from './read-blocks';
import { throwIfAborted } from './fs-errors';

/** Containers whose frame count is exact and whose samples can be read at any position. */
export function hasExactRandomAccess(container: string | null): boolean {
  return container === 'wav' || container === 'rf64';
}

/**
 * Blocks of samples [start, end) of `channel` (end clipped to the file). The
 * range [0, ∞) is the plain streaming decode of the whole file.
 */
export async function* streamAudioRange(
  absPath: string,
  channel: number,
  start: number,
  end: number,
  signal?: AbortSignal,
): AsyncGenerator<Float32Array> {
  if (start === 0 && end === Infinity) {
    yield* readAudioBlocks(absPath, { channel, signal });
    return;
  }
  const reader = await openAudioRangeReader(absPath);
  try {
    if (reader.seekable) {
      for (let at = start; at < end; ) {
        throwIfAborted(signal);
        const block = await reader.read(at, Math.min(DEFAULT_BLOCK_FRAMES, end - at), channel, signal);
        if (block.length === 0) return;
        yield block;
        at += block.length;
      }
      return;
    }
  } finally {
    await reader.close();
  }
  let position = 0;
  for await (const block of readAudioBlocks(absPath, { channel, signal })) {
    const from = Math.max(0, start - position);
    const to = Math.min(block.length, end - position);
    position += block.length;
    if (to > from) yield block.subarray(from, to);
    if (position >= end) return;
  }
}
