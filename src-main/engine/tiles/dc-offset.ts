/**
 * DC offset for the waveform and playback. Many hydrophone recorders write a
 * constant offset (the OSmOSE dolphin files: ~437 counts, while the signal is
 * at −80 dBFS): drawn as is, the waveform is a flat bar far from zero and an
 * amplified playback starts with a thump. The offset is removed as the mean of
 * fixed blocks of DC_BLOCK_SAMPLES samples aligned to the start of the file —
 * a definition that any reader (streaming builder, tile on demand, audio page
 * at any byte range) computes identically from a bounded read, and that
 * follows a slowly drifting offset. The spectrogram is not affected: its DC
 * bin stays as recorded.
 */
import type { AudioRangeReader } from '../audio/read-range';

/** Samples per DC block: 65536 (1.4 s at 48 kHz, 33 s at 2 kHz). */
export const DC_BLOCK_SAMPLES = 65_536;

/** Mean of each block touched by native samples [from, to), cached per source. */
export class DcBlocks {
  private readonly means = new Map<number, number>();

  constructor(private readonly reader: AudioRangeReader, private readonly channel: number, private readonly nativeFrames: number) {}

  /** The cached mean of block b, or undefined. */
  known(block: number): number | undefined {
    return this.means.get(block);
  }

  /** Remembers a mean computed elsewhere (by a read that covered the whole block). */
  remember(block: number, mean: number): void {
    this.means.set(block, mean);
  }

  /**
   * Native samples [from, to) with the DC of their block removed. Reads whole
   * blocks (at most one extra partial block at each end) unless their means are known.
   */
  async readWithoutDc(from: number, to: number, signal?: AbortSignal): Promise<Float32Array> {
    const B = DC_BLOCK_SAMPLES;
    const end = Math.min(to, this.nativeFrames);
    if (end <= from) return new Float32Array(0);
    const firstBlock = Math.floor(from / B);
    const lastBlock = Math.floor((end - 1) / B);
    const needFirst = !this.means.has(firstBlock);
    const needLast = !this.means.has(lastBlock);
    const readFrom = needFirst ? firstBlock * B : from;
    const readTo = needLast ? Math.min(this.nativeFrames, (lastBlock + 1) * B) : end;
    const samples = await this.reader.read(readFrom, readTo - readFrom, this.channel, signal);
    // Every block wholly inside the read gets its exact mean.
    for (let b = firstBlock; b <= lastBlock; b++) {
      const b0 = b * B;
      const b1 = Math.min(this.nativeFrames, b0 + B);
      if (this.means.has(b) || b0 < readFrom || b1 > readFrom + samples.length) continue;
      this.means.set(b, blockMean(samples, b0 - readFrom, b1 - readFrom));
    }
    const out = samples.slice(from - readFrom, end - readFrom);
    for (let b = firstBlock; b <= lastBlock; b++) {
      const mean = this.means.get(b) ?? 0; // a block shorter than promised (file shrank): leave it
      const i0 = Math.max(0, b * B - from);
      const i1 = Math.min(out.length, (b + 1) * B - from);
      for (let i = i0; i < i1; i++) out[i] -= mean;
    }
    return out;
  }
}

/** Mean of samples[i0 … i1) in double precision (0 for an empty range). */
export function blockMean(samples: Float32Array, i0: number, i1: number): number {
  let sum = 0;
  for (let i = i0; i < i1; i++) sum += samples[i];
  return i1 > i0 ? sum / (i1 - i0) : 0;
}

/**
 * Re-blocks a sample stream (blocks of any size, from sample 0) into the DC
 * blocks and hands each one on with its mean removed. For the streaming builder
 * and whole-page audio, where every block is read anyway.
 */
export class DcRemover {
  private buffer = new Float32Array(DC_BLOCK_SAMPLES);
  private filled = 0;
  private block = 0;

  constructor(private readonly emit: (samples: Float32Array, block: number, mean: number) => void) {}

  push(samples: Float32Array): void {
    let i = 0;
    while (i < samples.length) {
      const n = Math.min(samples.length - i, DC_BLOCK_SAMPLES - this.filled);
      this.buffer.set(samples.subarray(i, i + n), this.filled);
      this.filled += n;
      i += n;
      if (this.filled === DC_BLOCK_SAMPLES) this.flush();
    }
  }

  /** Hands on the last, partial block. */
  finish(): void {
    if (this.filled > 0) this.flush();
  }

  private flush(): void {
    const samples = this.buffer.subarray(0, this.filled);
    const mean = blockMean(samples, 0, samples.length);
    const out = new Float32Array(samples.length);
    for (let i = 0; i < out.length; i++) out[i] = samples[i] - mean;
    this.emit(out, this.block++, mean);
    this.filled = 0;
  }
}
