/**
 * Re-blocks decoder output of arbitrary sizes into fixed-size mono blocks,
 * so every decoder yields the block size the caller asked for (the last block
 * may be shorter).
 */
export class BlockAssembler {
  private block: Float32Array;
  private filled = 0;

  constructor(private readonly blockFrames: number) {
    this.block = new Float32Array(blockFrames);
  }

  /** Appends samples; returns the blocks completed by them (each a fresh array). */
  push(samples: Float32Array): Float32Array[] {
    const done: Float32Array[] = [];
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(this.blockFrames - this.filled, samples.length - offset);
      this.block.set(samples.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.blockFrames) {
        done.push(this.block);
        this.block = new Float32Array(this.blockFrames);
        this.filled = 0;
      }
    }
    return done;
  }

  /** The partial last block, or null when nothing is pending. */
  flush(): Float32Array | null {
    if (this.filled === 0) return null;
    const last = this.block.slice(0, this.filled);
    this.filled = 0;
    return last;
  }
}

/** Clamps samples to [-1, 1] in place (non-finite values become 0); float WAVs may exceed full scale. */
export function clampToUnit(samples: Float32Array): Float32Array {
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i];
    if (!(x >= -1 && x <= 1)) samples[i] = x > 1 ? 1 : x < -1 ? -1 : 0;
  }
  return samples;
}
