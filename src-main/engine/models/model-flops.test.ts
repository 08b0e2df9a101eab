import { describe, expect, it } from 'vitest';
import { buildConvnetV1 } from './convnet-v1';
import { forwardFlopsPerWindow } from './model-flops';

describe('forwardFlopsPerWindow', () => {
  it('counts Convnet V1 encoder and decoder as worked out by hand from the layer table', () => {
    const { encoder, autoencoder } = buildConvnetV1({ seed: 1 });
    // out H×W × kernel (kh·kw·cin·cout), per stride-2 conv; then the 512→128 dense.
    const enc = 2 * (16 * 128 * 64 * 1 * 128 + 8 * 64 * 64 * 128 * 64 + 4 * 32 * 64 * 64 * 32 + 2 * 16 * 64 * 32 * 16 + 512 * 128);
    // 128→512 dense; transposed convs scatter every *input* pixel through the kernel.
    const dec = 2 * (128 * 512 + 2 * 16 * 64 * 16 * 32 + 4 * 32 * 64 * 32 * 64 + 8 * 64 * 64 * 64 * 128 + 16 * 128 * 64 * 128 * 1);
    expect(forwardFlopsPerWindow(encoder)).toBe(enc);
    expect(forwardFlopsPerWindow(autoencoder)).toBe(enc + dec);
  });
});
