import { describe, expect, it } from 'vitest';
import { fmWhistle, mixAt, whiteNoise } from '../testing/synth';
import { defaultFeatureConfig } from './feature-config';
import { createResampler } from './resample';
import { DB_FLOOR, computeSpectrogram } from './stft';
import { windowSpans } from './windows';
import { analyseSignal, streamFeatureWindows, streamSpectrogram, type FeatureWindow } from './pipeline';
import type { FeatureConfig } from '../../../src-shared/feature-types';
import { asyncBlocks, joinBlocks, splitBlocks } from './test-helpers';

const ODD_BLOCKS = [4097, 1, 333, 20000, 77];

function recording(rate: number, seconds: number): Float32Array {
  const noise = whiteNoise(rate, seconds, 0.01, 21);
  return mixAt(noise, fmWhistle({ sampleRate: rate, durationSeconds: 0.4, startHz: 5000, endHz: 15000 }), rate, 0.3);
}

async function collect(gen: AsyncIterable<FeatureWindow>): Promise<FeatureWindow[]> {
  const out: FeatureWindow[] = [];
  for await (const w of gen) out.push(w);
  return out;
}

describe('streamSpectrogram', () => {
  it('96 kHz in odd blocks equals computeSpectrogram of the one-shot resampled signal', async () => {
    const x = recording(96000, 1.3);
    const c = defaultFeatureConfig(48000);
    const r = createResampler(96000, 48000);
    const resampled = joinBlocks([r.process(x), r.flush()]);
    const want = computeSpectrogram(resampled, c);
    const chunks = [];
    for await (const ch of streamSpectrogram(() => asyncBlocks(splitBlocks(x, ODD_BLOCKS)), 96000, c)) chunks.push(ch);
    let expectStart = 0;
    for (const ch of chunks) {
      expect(ch.startFrame).toBe(expectStart);
      expectStart += ch.frames;
    }
    expect(expectStart).toBe(want.frameCount);
    expect(joinBlocks(chunks.map((ch) => ch.data))).toEqual(want.data);
  });

  it('stops with CANCELLED when aborted', async () => {
    const controller = new AbortController();
    const x = recording(48000, 1);
    const run = async () => {
      for await (const _ of streamSpectrogram(() => asyncBlocks(splitBlocks(x, [1000])), 48000, defaultFeatureConfig(48000), { signal: controller.signal })) {
        controller.abort();
      }
    };
    await expect(run()).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('streamFeatureWindows', () => {
  const cases: Array<[string, number, Partial<FeatureConfig>]> = [
    ['44.1 → 48 kHz, per-window z-score', 44100, {}],
    ['48 kHz, per-recording z-score', 48000, { normalisation: 'recording' }],
    ['96 → 48 kHz, none, linear', 96000, { normalisation: 'none', magnitude: 'linear' }],
    ['48 kHz, small windows 5/3', 48000, { windowFrames: 5, windowStride: 3, normalisation: 'none' }],
  ];
  for (const [name, nativeRate, overrides] of cases) {
    it(`${name}: streamed windows equal analyseSignal and windowSpans`, async () => {
      const x = recording(nativeRate, 1.1);
      const c = defaultFeatureConfig(48000, overrides);
      let opens = 0;
      const open = () => {
        opens++;
        return asyncBlocks(splitBlocks(x, ODD_BLOCKS));
      };
      const windows = await collect(streamFeatureWindows(open, nativeRate, x.length, c));
      const ref = analyseSignal(x, nativeRate, c);
      expect(opens).toBe(c.normalisation === 'recording' ? 2 : 1);
      expect(windows.map((w) => w.span)).toEqual(ref.spans);
      expect(ref.spans).toEqual(windowSpans(ref.analysisSamples, nativeRate, x.length, c));
      const size = c.windowFrames * ref.spectrogram.binCount;
      windows.forEach((w, i) => {
        const want = ref.windows.subarray(i * size, (i + 1) * size);
        if (c.normalisation !== 'recording') expect(w.data).toEqual(want);
        // Recording statistics are accumulated chunk by chunk when streaming: equal up to rounding.
        else w.data.forEach((v, k) => expect(Math.abs(v - want[k])).toBeLessThan(1e-5));
      });
      expect(windows.at(-1)!.span.endNativeSample).toBe(x.length);
    });
  }

  it('window data is the spectrogram slice, padded with the floor past the end (normalisation none)', async () => {
    const x = recording(48000, 0.5);
    const c = defaultFeatureConfig(48000, { normalisation: 'none' });
    const spec = computeSpectrogram(x, c);
    const windows = await collect(streamFeatureWindows(() => asyncBlocks([x]), 48000, x.length, c));
    const bins = spec.binCount;
    for (const w of windows) {
      for (let f = 0; f < c.windowFrames; f++) {
        const frame = w.span.startFrame + f;
        const row = w.data.subarray(f * bins, (f + 1) * bins);
        if (frame < spec.frameCount) expect(row).toEqual(spec.data.subarray(frame * bins, (frame + 1) * bins));
        else expect(row.every((v) => v === DB_FLOOR)).toBe(true);
      }
    }
    expect(windows.at(-1)!.span.padded).toBe(true);
  });

  it('per-window z-score: every window has mean ≈ 0', async () => {
    const x = recording(48000, 0.8);
    const windows = await collect(streamFeatureWindows(() => asyncBlocks([x]), 48000, x.length, defaultFeatureConfig(48000)));
    for (const w of windows) {
      const mean = w.data.reduce((a, b) => a + b, 0) / w.data.length;
      expect(Math.abs(mean)).toBeLessThan(1e-4);
    }
  });

  it('covers the end: a click in the last millisecond appears in the last window', async () => {
    const rate = 44100;
    const x = new Float32Array(rate * 2 + 12345);
    for (let i = x.length - 20; i < x.length; i++) x[i] = 0.8;
    const c = defaultFeatureConfig(48000, { normalisation: 'none' });
    const windows = await collect(streamFeatureWindows(() => asyncBlocks(splitBlocks(x, ODD_BLOCKS)), rate, x.length, c));
    const last = windows.at(-1)!;
    expect(last.span.endNativeSample).toBe(x.length);
    expect(Math.max(...last.data)).toBeGreaterThan(-60);
    // …and everything before it is digital silence.
    expect(Math.max(...windows[0].data)).toBe(DB_FLOOR);
  });

  it('a stream shorter than the reported length (truncated file) still ends exactly at the delivered samples', async () => {
    const x = recording(48000, 1);
    const delivered = x.subarray(0, 30000);
    const c = defaultFeatureConfig(48000);
    const windows = await collect(streamFeatureWindows(() => asyncBlocks([delivered]), 48000, x.length, c));
    expect(windows.map((w) => w.span)).toEqual(windowSpans(30000, 48000, 30000, c));
  });

  it('a header that reports 0 samples (unknown length) does not change the spans', async () => {
    const x = recording(44100, 1);
    const c = defaultFeatureConfig(48000);
    const windows = await collect(streamFeatureWindows(() => asyncBlocks(splitBlocks(x, ODD_BLOCKS)), 44100, 0, c));
    expect(windows.map((w) => w.span)).toEqual(analyseSignal(x, 44100, c).spans);
  });

  it('an empty recording yields no windows', async () => {
    const windows = await collect(streamFeatureWindows(() => asyncBlocks([]), 48000, 0, defaultFeatureConfig(48000)));
    expect(windows).toEqual([]);
  });
});
