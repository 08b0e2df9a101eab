/**
 * Test helpers for comparing decoded audio with the original: brute-force
 * cross-correlation alignment (lossy codecs add delay) and SNR.
 */

/** Concatenates decoded blocks. */
export async function collectBlocks(blocks: AsyncIterable<Float32Array>): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  let total = 0;
  for await (const block of blocks) {
    parts.push(block);
    total += block.length;
  }
  const out = new Float32Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * Lag (in samples, within ±maxLag) maximising the normalised correlation of
 * `decoded[i + lag]` with `reference[i]`, evaluated on a window of `window`
 * samples starting at `from` in the reference. Brute force on purpose.
 */
export function bestLag(reference: Float32Array, decoded: Float32Array, maxLag: number, from = 0, window = 8192): number {
  let best = 0;
  let bestScore = -Infinity;
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let dot = 0;
    let energy = 0;
    for (let i = from; i < from + window; i++) {
      const j = i + lag;
      if (j < 0 || j >= decoded.length || i >= reference.length) continue;
      dot += reference[i] * decoded[j];
      energy += decoded[j] * decoded[j];
    }
    const score = energy > 0 ? dot / Math.sqrt(energy) : -Infinity;
    if (score > bestScore) {
      bestScore = score;
      best = lag;
    }
  }
  return best;
}

/** SNR in dB of `decoded[i + lag]` against `reference[i]` over [from, to). */
export function snrDb(reference: Float32Array, decoded: Float32Array, lag: number, from: number, to: number): number {
  let signal = 0;
  let noise = 0;
  for (let i = from; i < to; i++) {
    const j = i + lag;
    if (j < 0 || j >= decoded.length) continue;
    signal += reference[i] * reference[i];
    noise += (reference[i] - decoded[j]) ** 2;
  }
  return 10 * Math.log10(signal / Math.max(noise, 1e-30));
}
