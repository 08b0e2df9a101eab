import { describe, expect, it } from 'vitest';
import { defaultFeatureConfig } from './feature-config';
import { streamFeatureWindows, type FeatureWindow } from './pipeline';
import { resampledLength, resamplerRangePlan } from './resample';
import { recordingWindowCount, streamFeatureWindowRange, type OpenRange } from './window-range';
import { asyncBlocks, splitBlocks } from './test-helpers';

/** A deterministic test signal: chirp + clicks + noise (so every window differs). */
function signal(rate: number, seconds: number): Float32Array {
  const n = Math.round(rate * seconds);
  const x = new Float32Array(n);
  let seed = 12345;
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const t = i / rate;
    x[i] = 0.3 * Math.sin(2 * Math.PI * (500 + 1500 * t) * t) + 0.05 * ((seed / 2 ** 32) - 0.5) + (i % 4000 < 3 ? 0.8 : 0);
  }
  return x;
}

function opener(x: Float32Array, blockSizes: number[]): OpenRange {
  return (start, end) => asyncBlocks(splitBlocks(x.subarray(start, Math.min(end, x.length)), blockSizes));
}

async function collect(it: AsyncIterable<FeatureWindow>): Promise<FeatureWindow[]> {
  const out: FeatureWindow[] = [];
  for await (const w of it) out.push(w);
  return out;
}

describe('streamFeatureWindowRange', () => {
  const cases = [
    { nativeRate: 48_000, analysisRate: 48_000 },
    { nativeRate: 44_100, analysisRate: 48_000 },
    { nativeRate: 96_000, analysisRate: 48_000 },
    { nativeRate: 8_000, analysisRate: 48_000 },
    { nativeRate: 22_050, analysisRate: 32_000 },
  ];
  for (const { nativeRate, analysisRate } of cases) {
    it(`gives the whole-file windows bit for bit for any range (${nativeRate} → ${analysisRate} Hz)`, async () => {
      const x = signal(nativeRate, 2.3);
      const config = defaultFeatureConfig(analysisRate);
      const whole = await collect(streamFeatureWindows(() => asyncBlocks(splitBlocks(x, [65536])), nativeRate, x.length, config));
      const total = recordingWindowCount(x.length, nativeRate, config);
      expect(whole.length).toBe(total);
      const ranges = [[0, 5], [5, 17], [17, total], [1, 2], [total - 1, total], [3, total + 10], [0, total]];
      for (const [first, end] of ranges) {
        const part = await collect(streamFeatureWindowRange(opener(x, [1000, 4093, 77]), nativeRate, x.length, config, { first, end }));
        const expected = whole.slice(first, Math.min(end, total));
        expect(part.map((w) => w.span)).toEqual(expected.map((w) => w.span));
        part.forEach((w, i) => expect(Buffer.from(w.data.buffer).equals(Buffer.from(expected[i].data.buffer))).toBe(true));
      }
    });
  }

  it('plans resampler input aligned to the filter phase and reaching half a filter around the outputs', () => {
    const plan = resamplerRangePlan(44_100, 48_000, 100_000, 120_000);
    expect(plan.inputStart % 147).toBe(0);
    expect(plan.inputStart).toBeLessThan((100_000 * 147) / 160);
    expect(plan.skipOutputs).toBe(100_000 - (plan.inputStart / 147) * 160);
    expect(plan.inputEnd).toBeGreaterThan((120_000 * 147) / 160);
    expect(resamplerRangePlan(48_000, 48_000, 10, 20)).toEqual({ inputStart: 10, inputEnd: 20, skipOutputs: 0 });
    expect(resampledLength(44_100, 44_100, 48_000)).toBe(48_000);
  });

  it('refuses a partial range under per-recording normalisation, and reports a file shorter than expected', async () => {
    const x = signal(48_000, 1);
    const perRecording = defaultFeatureConfig(48_000, { normalisation: 'recording' });
    await expect(collect(streamFeatureWindowRange(opener(x, [4096]), 48_000, x.length, perRecording, { first: 1, end: 3 }))).rejects.toThrow(/whole file/);
    const config = defaultFeatureConfig(48_000);
    const total = recordingWindowCount(x.length + 20_000, 48_000, config);
    await expect(collect(streamFeatureWindowRange(opener(x, [4096]), 48_000, x.length + 20_000, config, { first: total - 2, end: total }))).rejects.toThrow(/fewer samples|lacks frames/);
  });
});
