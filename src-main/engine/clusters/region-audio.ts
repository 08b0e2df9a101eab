/**
 * The samples of many regions of one recording, with context on both sides.
 * WAV files answer with positioned reads; compressed files are decoded once,
 * in order, keeping only the requested ranges (never the whole file), since
 * their decoders cannot seek.
 */
import { openAudioRangeReader, readAudioBlocks } from '../audio';

export interface SampleRange {
  startFrame: number;
  frames: number;
}

/** Samples of each range (shorter where a range runs past the end of the file), in the order given. */
export async function readRegionSamples(absPath: string, ranges: readonly SampleRange[], channel = 0, signal?: AbortSignal): Promise<Float32Array[]> {
  const reader = await openAudioRangeReader(absPath);
  try {
    const ch = Math.min(channel, reader.info.channels - 1);
    if (reader.seekable) return await reader.readMany(ranges, ch, signal);
    return await collectRangesInOnePass(absPath, ranges, ch, signal);
  } finally {
    await reader.close();
  }
}

async function collectRangesInOnePass(absPath: string, ranges: readonly SampleRange[], channel: number, signal?: AbortSignal): Promise<Float32Array[]> {
  const out = ranges.map((r) => new Float32Array(r.frames));
  const filled = new Int32Array(ranges.length);
  const lastFrame = ranges.reduce((m, r) => Math.max(m, r.startFrame + r.frames), 0);
  let position = 0;
  for await (const block of readAudioBlocks(absPath, { channel, signal })) {
    const blockEnd = position + block.length;
    ranges.forEach((r, i) => {
      const from = Math.max(r.startFrame, position);
      const to = Math.min(r.startFrame + r.frames, blockEnd);
      if (to > from) {
        out[i].set(block.subarray(from - position, to - position), from - r.startFrame);
        filled[i] = Math.max(filled[i], to - r.startFrame);
      }
    });
    position = blockEnd;
    if (position >= lastFrame) break;
  }
  return out.map((samples, i) => samples.subarray(0, filled[i]));
}
