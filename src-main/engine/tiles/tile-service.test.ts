import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseSignal, computeSpectrogram, defaultFeatureConfig, keptBins } from '../features';
import { setSetting } from '../store/settings';
import { createRng, sine, whiteNoise, mixAt } from '../testing/synth';
import { encodeWav } from '../testing/wav-writer';
import { collectBlocks } from '../testing/signal-compare';
import { findFfmpeg } from '../audio/ffmpeg-locate';
import { readAudioBlocks } from '../audio/read-blocks';
import { createTileService, type TileService } from './tile-service';
import { createTileFixture, pcm16RoundTrip, referenceQuantise, type TileFixture } from './test-helpers';
import { TILE_CACHE_SUBDIR } from './tile-cache';
import { decodeTile, TILE_COLUMNS } from './tile-format';

const RATE = 48_000;
const HOP = 256;

/** Reference level-0 columns: the pipeline's spectrogram of the decoded samples, quantised independently. */
function referenceColumns(decoded: Float32Array, nativeRate: number, analysisRate: number): { q: Uint8Array; frames: number; bins: number } {
  const config = defaultFeatureConfig(analysisRate);
  const spec = nativeRate === analysisRate ? computeSpectrogram(decoded, config) : analyseSignal(decoded, nativeRate, config).spectrogram;
  const q = new Uint8Array(spec.data.length);
  for (let i = 0; i < q.length; i++) q[i] = referenceQuantise(spec.data[i]);
  return { q, frames: spec.frameCount, bins: spec.binCount };
}

/** Brute force: column c at level L = max over frames [c·2^L, (c+1)·2^L). */
function bruteLevelColumn(ref: { q: Uint8Array; frames: number; bins: number }, level: number, c: number): Uint8Array {
  const out = new Uint8Array(ref.bins);
  const f0 = c * 2 ** level;
  const f1 = Math.min(ref.frames, f0 + 2 ** level);
  for (let f = f0; f < f1; f++) for (let b = 0; b < ref.bins; b++) out[b] = Math.max(out[b], ref.q[f * ref.bins + b]);
  return out;
}

/** Brute force min/max per frame: native sample i belongs to frame floor(i·A / (N·hop)) (the last frame takes any rest). */
const framePeakCache = new WeakMap<Float32Array, Float64Array>();
function framePeaks(decoded: Float32Array, nativeRate: number, analysisRate: number, frames: number): Float64Array {
  const known = framePeakCache.get(decoded);
  if (known) return known;
  const peaks = new Float64Array(2 * frames).fill(NaN);
  for (let i = 0; i < decoded.length; i++) {
    const f = Math.min(frames - 1, Math.floor((i * analysisRate) / (nativeRate * HOP)));
    if (!(decoded[i] >= peaks[2 * f])) peaks[2 * f] = Math.min(decoded[i], Number.isNaN(peaks[2 * f]) ? Infinity : peaks[2 * f]);
    if (!(decoded[i] <= peaks[2 * f + 1])) peaks[2 * f + 1] = Math.max(decoded[i], Number.isNaN(peaks[2 * f + 1]) ? -Infinity : peaks[2 * f + 1]);
  }
  framePeakCache.set(decoded, peaks);
  return peaks;
}

function brutePeaks(decoded: Float32Array, nativeRate: number, analysisRate: number, f0: number, f1: number, lastFrame: number): [number, number] {
  const peaks = framePeaks(decoded, nativeRate, analysisRate, lastFrame + 1);
  let lo = Infinity;
  let hi = -Infinity;
  for (let f = f0; f < Math.min(f1, lastFrame + 1); f++) {
    if (Number.isNaN(peaks[2 * f])) continue; // a frame owning no samples
    lo = Math.min(lo, peaks[2 * f]);
    hi = Math.max(hi, peaks[2 * f + 1]);
  }
  return lo === Infinity ? [0, 0] : [lo, hi];
}

async function expectLevelMatches(
  tiles: TileService,
  id: number,
  ref: { q: Uint8Array; frames: number; bins: number },
  decoded: Float32Array,
  nativeRate: number,
  analysisRate: number,
  level: number,
  exactExpected: boolean,
): Promise<void> {
  const columns = Math.ceil(ref.frames / 2 ** level);
  let mismatched = 0;
  for (let index = 0; index * TILE_COLUMNS < columns; index++) {
    const tile = await tiles.getTile(id, level, index);
    expect(tile.approximate).toBe(!exactExpected);
    expect(tile.columns).toBe(Math.min(TILE_COLUMNS, columns - index * TILE_COLUMNS));
    for (let c = 0; c < tile.columns; c++) {
      const col = index * TILE_COLUMNS + c;
      const want = bruteLevelColumn(ref, level, col);
      for (let b = 0; b < ref.bins; b++) if (tile.data[c * ref.bins + b] !== want[b]) mismatched++;
      // Peaks of every column against the brute force.
      {
        const [lo, hi] = brutePeaks(decoded, nativeRate, analysisRate, col * 2 ** level, (col + 1) * 2 ** level, ref.frames - 1);
        expect([tile.peaks[2 * c], tile.peaks[2 * c + 1]]).toEqual([lo, hi]);
      }
    }
  }
  expect(mismatched).toBe(0);
}

describe('tile pyramid of a WAV at the analysis rate', () => {
  let fx: TileFixture;
  let tiles: TileService;
  let decoded: Float32Array;
  let ref: { q: Uint8Array; frames: number; bins: number };
  // 70 s: 13 125 frames → 6 levels; levels ≥ 4 are sampled until the exact builder runs.
  const seconds = 70;
  const whistleAt = 41.3;

  beforeAll(async () => {
    const rng = createRng(7);
    const noise = whiteNoise(RATE, seconds, 0.001, 11);
    const signal = mixAt(noise, sine(RATE, 0.6, 8000, 0.4), RATE, whistleAt);
    // A few loud single-sample clicks: max-pooling must keep them visible at every level.
    for (let k = 0; k < 5; k++) signal[Math.floor(rng() * signal.length)] = 0.9;
    fx = await createTileFixture([{ name: 'scene.wav', samples: signal, sampleRate: RATE }], RATE);
    tiles = createTileService(fx.project);
    decoded = pcm16RoundTrip(signal);
    ref = referenceColumns(decoded, RATE, RATE);
  });
  afterAll(async () => {
    await tiles.close();
    fx.cleanup();
  });

  it('describes the pyramid', async () => {
    const info = await tiles.tileInfo(fx.ids.get('scene.wav')!);
    expect(info.frameCount).toBe(Math.ceil((seconds * RATE) / HOP));
    expect(info.frameCount).toBe(ref.frames);
    expect(info.binCount).toBe(256);
    expect(info.levels).toBe(6); // ceil(13125 / 2^5) = 411 ≤ 512 < ceil(13125 / 2^4)
    expect(info.levelColumns[5]).toBe(Math.ceil(ref.frames / 32));
    expect(info.frequenciesHz).toEqual(Array.from(keptBins(defaultFeatureConfig(RATE)).frequenciesHz));
    expect(info.hopSeconds).toBeCloseTo(HOP / RATE, 12);
    expect(info.dbRange).toEqual([-140, 0]);
    expect(info.exactComplete).toBe(false);
  });

  it('serves level-0 tiles equal to the pipeline spectrogram, quantised', async () => {
    await expectLevelMatches(tiles, fx.ids.get('scene.wav')!, ref, decoded, RATE, RATE, 0, true);
  });

  it('serves fine levels on demand as exact max-pooling', async () => {
    await expectLevelMatches(tiles, fx.ids.get('scene.wav')!, ref, decoded, RATE, RATE, 3, true);
  });

  it('shows a whistle in the right place in the approximate overview', async () => {
    const id = fx.ids.get('scene.wav')!;
    const tile = await tiles.getTile(id, 5, 0);
    expect(tile.approximate).toBe(true);
    const bins = ref.bins;
    const whistleBin = Math.round(8000 / (RATE / 512));
    const colOf = (t: number) => Math.floor((t * RATE) / HOP / 32);
    const loud = referenceQuantise(-30); // the 0.4-amplitude tone reads ≈ −8 dB; noise is far below −30 dB in any bin
    for (let c = colOf(whistleAt) + 1; c < colOf(whistleAt + 0.6) - 1; c++) {
      expect(tile.data[c * bins + whistleBin]).toBeGreaterThan(loud);
    }
    let loudElsewhere = 0;
    for (let c = 0; c < tile.columns; c++) {
      if (c >= colOf(whistleAt) - 1 && c <= colOf(whistleAt + 0.6) + 1) continue;
      if (tile.data[c * bins + whistleBin] > loud) loudElsewhere++;
    }
    expect(loudElsewhere).toBe(0);
    // Bins far from 8 kHz stay quiet in the whistle's columns.
    expect(tile.data[(colOf(whistleAt) + 1) * bins + 30]).toBeLessThan(loud);
  });

  it('replaces approximate tiles with exact ones after the background build', async () => {
    const id = fx.ids.get('scene.wav')!;
    const progress: number[] = [];
    const { tiles: written } = await tiles.buildExactPyramid(id, { onProgress: (done) => progress.push(done) });
    expect(written).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(ref.frames);
    expect((await tiles.tileInfo(id)).exactComplete).toBe(true);
    for (const level of [0, 1, 4, 5]) await expectLevelMatches(tiles, id, ref, decoded, RATE, RATE, level, true);
  });

  it('returns identical bytes from the cache, also after a restart', async () => {
    const id = fx.ids.get('scene.wav')!;
    const first = await tiles.getTile(id, 2, 1);
    const again = await tiles.getTile(id, 2, 1);
    expect(Buffer.from(again.bytes).equals(Buffer.from(first.bytes))).toBe(true);
    const fresh = createTileService(fx.project);
    const fromDisk = await fresh.getTile(id, 2, 1);
    expect(Buffer.from(fromDisk.bytes).equals(Buffer.from(first.bytes))).toBe(true);
    await fresh.close();
  });

  it('never shows stale tiles when the file or the feature config changes', async () => {
    const id = fx.ids.get('scene.wav')!;
    const root = join(fx.dir, TILE_CACHE_SUBDIR);
    const [folder] = readdirSync(root).filter((n) => n.startsWith(`${id}-`));
    // Tamper with a cached exact tile: a cache hit must return the tampered bytes (proves it is used) …
    const file = join(root, folder, 'L0', '0.bin');
    const tampered = decodeTile(new Uint8Array(await import('node:fs').then((fs) => fs.readFileSync(file))))!;
    tampered.data.fill(7);
    const { encodeTile } = await import('./tile-format');
    writeFileSync(file, encodeTile(tampered));
    const fresh = createTileService(fx.project);
    expect((await fresh.getTile(id, 0, 0)).data.every((v) => v === 7)).toBe(true);
    // … and after the recording changes on disk, a new folder is used and the old one removed.
    const louder = new Float32Array(decoded.length).fill(0);
    louder.set(sine(RATE, 1, 3000, 0.5));
    writeFileSync(join(fx.dir, 'scene.wav'), encodeWav([louder], { sampleRate: RATE, format: 'pcm16' }));
    utimesSync(join(fx.dir, 'scene.wav'), new Date(), new Date(Date.now() + 5000));
    const changed = await fresh.getTile(id, 0, 0);
    const want = referenceColumns(pcm16RoundTrip(louder), RATE, RATE);
    expect(Buffer.from(changed.data).equals(Buffer.from(want.q.subarray(0, TILE_COLUMNS * want.bins)))).toBe(true);
    const folders = readdirSync(root).filter((n) => n.startsWith(`${id}-`));
    expect(folders).toHaveLength(1);
    expect(folders[0]).not.toBe(folder);
    // A different feature config (analysis rate) also means a different folder and different tiles.
    setSetting(fx.project.db, 'analysisSampleRate', 24_000);
    const info = await fresh.tileInfo(id);
    expect(info.analysisRate).toBe(24_000);
    const resampled = await fresh.getTile(id, 0, 0);
    expect(resampled.columns).toBe(Math.min(TILE_COLUMNS, info.frameCount));
    const folders2 = readdirSync(root).filter((n) => n.startsWith(`${id}-`));
    expect(folders2).toHaveLength(1);
    expect(folders2[0]).not.toBe(folders[0]);
    setSetting(fx.project.db, 'analysisSampleRate', RATE);
    await fresh.close();
  });
});

describe('tile pyramid of a WAV resampled to the analysis rate', () => {
  let fx: TileFixture;
  let tiles: TileService;
  const NATIVE = 96_000;

  beforeAll(async () => {
    const signal = mixAt(whiteNoise(NATIVE, 12, 0.01, 5), sine(NATIVE, 0.5, 12_000, 0.3), NATIVE, 7.1);
    fx = await createTileFixture([{ name: 'bat.wav', samples: signal, sampleRate: NATIVE }], RATE);
    tiles = createTileService(fx.project);
  });
  afterAll(async () => {
    await tiles.close();
    fx.cleanup();
  });

  it('on-demand and built tiles both equal the streamed pipeline', async () => {
    const id = fx.ids.get('bat.wav')!;
    const { readAudioRange } = await import('../audio/read-range');
    const decoded = await readAudioRange(join(fx.dir, 'bat.wav'), { startFrame: 0, frames: 12 * NATIVE });
    const ref = referenceColumns(decoded, NATIVE, RATE);
    // On demand: tiles start mid-file, so the resampler restarts there.
    await expectLevelMatches(tiles, id, ref, decoded, NATIVE, RATE, 0, true);
    await tiles.buildExactPyramid(id);
    await expectLevelMatches(tiles, id, ref, decoded, NATIVE, RATE, 2, true);
    // Sampling 4 of 4 frames per column reads every frame: the sampled (batched, resampled) path must then be exact too.
    const { computeSampledTile, SAMPLED_FRAMES_PER_COLUMN } = await import('./tile-compute');
    const { tileSpan } = await import('./tile-geometry');
    expect(SAMPLED_FRAMES_PER_COLUMN).toBe(4);
    const src = await tiles.source(id);
    for (let index = 0; index < 2; index++) {
      const sampled = await computeSampledTile({ reader: src.reader, geometry: src.geometry, config: src.config, level: 2, index, span: tileSpan(src.geometry, 2, index)! });
      expect(sampled.approximate).toBe(true);
      const exact = await tiles.getTile(id, 2, index);
      expect(Buffer.from(sampled.data).equals(Buffer.from(exact.data))).toBe(true);
    }
  });
});

const ffmpeg = findFfmpeg();
if (!ffmpeg) console.warn('tiles: no ffmpeg binary, skipping the compressed-recording test');
describe.skipIf(!ffmpeg)('tiles of a compressed recording (no random access)', () => {
  it('builds the exact pyramid on first request and serves it', async () => {
    const fx = await createTileFixture([], 16_000);
    const tiles = createTileService(fx.project);
    try {
      const wav = join(fx.dir, 'src.wav.tmp');
      writeFileSync(wav, encodeWav([mixAt(whiteNoise(16_000, 40, 0.01, 8), sine(16_000, 1, 2000, 0.5), 16_000, 30)], { sampleRate: 16_000, format: 'pcm16' }));
      const { encodeWithFfmpeg } = await import('../testing/ffmpeg-encode');
      await encodeWithFfmpeg(ffmpeg!, wav, join(fx.dir, 'call.flac'), 'flac');
      const { scanProject } = await import('../project/scan-project');
      const report = await scanProject(fx.project);
      const id = report.recordings.find((r) => r.path === 'call.flac')!.id;
      const decoded = await collectBlocks(readAudioBlocks(join(fx.dir, 'call.flac')));
      const ref = referenceColumns(decoded, 16_000, 16_000);
      const info = await tiles.tileInfo(id);
      expect(info.levels).toBe(4); // 2500 frames → 313 columns at level 3
      await expectLevelMatches(tiles, id, ref, decoded, 16_000, 16_000, 2, true);
      expect((await tiles.tileInfo(id)).exactComplete).toBe(true);
      await expectLevelMatches(tiles, id, ref, decoded, 16_000, 16_000, 0, true);
    } finally {
      await tiles.close();
      fx.cleanup();
    }
  });
});

describe('exact pyramid of a short WAV (every tile exact on demand, nothing stored)', () => {
  it('completes and reports exactComplete', async () => {
    const fx = await createTileFixture([{ name: 'short.wav', samples: whiteNoise(16_000, 2, 0.01, 3), sampleRate: 16_000 }], 16_000);
    const tiles = createTileService(fx.project);
    try {
      const id = fx.ids.get('short.wav')!;
      expect((await tiles.tileInfo(id)).exactComplete).toBe(false);
      await tiles.buildExactPyramid(id);
      expect((await tiles.tileInfo(id)).exactComplete).toBe(true);
    } finally {
      await tiles.close();
      fx.cleanup();
    }
  });
});
