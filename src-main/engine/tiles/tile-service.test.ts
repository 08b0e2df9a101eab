import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DISPLAY_SPECTROGRAM, displayHop, type DisplaySpectrogramSettings } from '../../../src-shared/display-types';
import { computeSpectrogram } from '../features';
import { createRng, sine, whiteNoise, mixAt } from '../testing/synth';
import { encodeWav } from '../testing/wav-writer';
import { collectBlocks } from '../testing/signal-compare';
import { findFfmpeg } from '../audio/ffmpeg-locate';
import { readAudioBlocks } from '../audio/read-blocks';
import { createTileService, type TileService } from './tile-service';
import { createTileFixture, pcm16RoundTrip, referenceQuantise } from './test-helpers';
import { TILE_CACHE_SUBDIR } from './tile-cache';
import { decodeTile, TILE_COLUMNS } from './tile-format';
import { DC_BLOCK_SAMPLES } from './dc-offset';

interface Reference {
  q: Uint8Array;
  frames: number;
  bins: number;
  hop: number;
}

/**
 * Reference level-0 columns, independent of the range reads: one STFT over the
 * whole recording with `fft/2 − ⌊hop/2⌋` zeros in front (frames centred on their
 * columns), quantised independently.
 */
function referenceColumns(decoded: Float32Array, rate: number, settings: DisplaySpectrogramSettings): Reference {
  const hop = displayHop(settings);
  const lead = settings.fftSize / 2 - Math.floor(hop / 2);
  const padded = new Float32Array(lead + decoded.length);
  padded.set(decoded, lead);
  const config = {
    version: 1 as const, analysisSampleRate: rate, channel: 0, fftSize: settings.fftSize, hopSize: hop, magnitude: 'db' as const,
    band: { lowHz: 0, highHz: rate / 2 }, windowFrames: 1, windowStride: 1, normalisation: 'none' as const,
  };
  const spec = computeSpectrogram(padded, config, settings.window);
  const frames = Math.ceil(decoded.length / hop);
  const q = new Uint8Array(frames * spec.binCount);
  for (let i = 0; i < q.length; i++) q[i] = referenceQuantise(spec.data[i]);
  return { q, frames, bins: spec.binCount, hop };
}

/** Brute force: column c at level L = max over frames [c·2^L, (c+1)·2^L). */
function bruteLevelColumn(ref: Reference, level: number, c: number): Uint8Array {
  const out = new Uint8Array(ref.bins);
  const f0 = c * 2 ** level;
  const f1 = Math.min(ref.frames, f0 + 2 ** level);
  for (let f = f0; f < f1; f++) for (let b = 0; b < ref.bins; b++) out[b] = Math.max(out[b], ref.q[f * ref.bins + b]);
  return out;
}

const blockMeans = new WeakMap<Float32Array, Map<number, number>>();

/** Brute-force waveform peaks of native samples [i0, i1): each sample minus the mean of its 65 536-sample block. */
function brutePeaks(decoded: Float32Array, i0: number, i1: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  let means = blockMeans.get(decoded);
  if (!means) blockMeans.set(decoded, (means = new Map()));
  for (let i = i0; i < Math.min(i1, decoded.length); i++) {
    const b = Math.floor(i / DC_BLOCK_SAMPLES);
    if (!means.has(b)) {
      let sum = 0;
      const end = Math.min(decoded.length, (b + 1) * DC_BLOCK_SAMPLES);
      for (let k = b * DC_BLOCK_SAMPLES; k < end; k++) sum += decoded[k];
      means.set(b, sum / (end - b * DC_BLOCK_SAMPLES));
    }
    const v = Math.fround(decoded[i] - means.get(b)!);
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return lo === Infinity ? [0, 0] : [lo, hi];
}

async function expectLevelMatches(
  tiles: TileService,
  id: number,
  ref: Reference,
  decoded: Float32Array,
  level: number,
  settings: DisplaySpectrogramSettings = DEFAULT_DISPLAY_SPECTROGRAM,
): Promise<void> {
  const columns = Math.ceil(ref.frames / 2 ** level);
  let mismatched = 0;
  for (let index = 0; index * TILE_COLUMNS < columns; index++) {
    const tile = await tiles.getTile(id, level, index, { settings });
    expect(tile.approximate).toBe(false);
    expect(tile.columns).toBe(Math.min(TILE_COLUMNS, columns - index * TILE_COLUMNS));
    for (let c = 0; c < tile.columns; c++) {
      const col = index * TILE_COLUMNS + c;
      const want = bruteLevelColumn(ref, level, col);
      for (let b = 0; b < ref.bins; b++) if (tile.data[c * ref.bins + b] !== want[b]) mismatched++;
      const span = 2 ** level * ref.hop;
      const [lo, hi] = brutePeaks(decoded, col * span, (col + 1) * span);
      expect(tile.peaks[2 * c]).toBeCloseTo(lo, 6);
      expect(tile.peaks[2 * c + 1]).toBeCloseTo(hi, 6);
    }
  }
  expect(mismatched).toBe(0);
}

describe('display tiles of a 48 kHz WAV', () => {
  const RATE = 48_000;
  let fx: Awaited<ReturnType<typeof createTileFixture>>;
  let tiles: TileService;
  let decoded: Float32Array;
  let ref: Reference;
  // 70 s: 13 125 frames → 6 levels; levels ≥ 3 are sampled until the exact builder runs.
  const seconds = 70;
  const whistleAt = 41.3;

  beforeAll(async () => {
    const rng = createRng(7);
    const noise = whiteNoise(RATE, seconds, 0.001, 11);
    const signal = mixAt(noise, sine(RATE, 0.6, 8000, 0.4), RATE, whistleAt);
    // A few loud single-sample clicks: max-pooling must keep them visible at every level.
    for (let k = 0; k < 5; k++) signal[Math.floor(rng() * signal.length)] = 0.9;
    // A DC offset (as some recorders write, e.g. the OSmOSE files): the waveform peaks must not carry it.
    for (let i = 0; i < signal.length; i++) signal[i] += 0.05;
    fx = await createTileFixture([{ name: 'scene.wav', samples: signal, sampleRate: RATE }]);
    // No job runner here: previews are not upgraded behind the tests' backs.
    tiles = createTileService(fx.project, { requestExactBuild: () => undefined });
    decoded = pcm16RoundTrip(signal);
    ref = referenceColumns(decoded, RATE, DEFAULT_DISPLAY_SPECTROGRAM);
  });
  afterAll(async () => {
    await tiles.close();
    fx.cleanup();
  });

  it('describes the pyramid at the native rate, with the frequency axis to Nyquist', async () => {
    const info = await tiles.tileInfo(fx.ids.get('scene.wav')!);
    expect(info.frameCount).toBe(Math.ceil((seconds * RATE) / 256));
    expect(info.frameCount).toBe(ref.frames);
    expect(info.binCount).toBe(256);
    expect(info.levels).toBe(6); // ceil(13125 / 2^5) = 411 ≤ 512 < ceil(13125 / 2^4)
    expect(info.frequenciesHz[0]).toBe(0);
    expect(info.frequenciesHz[255]).toBe(24_000 - RATE / 512);
    expect(info.nyquistHz).toBe(24_000);
    expect(info.display).toEqual(DEFAULT_DISPLAY_SPECTROGRAM);
    expect(info.hopSeconds).toBeCloseTo(256 / RATE, 12);
    expect(info.exactComplete).toBe(false);
  });

  it('serves level-0 and fine levels exactly on demand (centred frames, DC-free peaks)', async () => {
    await expectLevelMatches(tiles, fx.ids.get('scene.wav')!, ref, decoded, 0);
    await expectLevelMatches(tiles, fx.ids.get('scene.wav')!, ref, decoded, 3);
  });

  it('shows a whistle in the right place in the approximate overview', async () => {
    const id = fx.ids.get('scene.wav')!;
    const tile = await tiles.getTile(id, 5, 0);
    expect(tile.approximate).toBe(true);
    const bins = ref.bins;
    const whistleBin = Math.round(8000 / (RATE / 512));
    const colOf = (t: number) => Math.floor((t * RATE) / 256 / 32);
    const loud = referenceQuantise(-30); // the 0.4-amplitude tone reads ≈ −8 dB; noise is far below −30 dB in any bin
    for (let c = colOf(whistleAt) + 1; c < colOf(whistleAt + 0.6) - 1; c++) expect(tile.data[c * bins + whistleBin]).toBeGreaterThan(loud);
    let loudElsewhere = 0;
    for (let c = 0; c < tile.columns; c++) {
      if (c >= colOf(whistleAt) - 1 && c <= colOf(whistleAt + 0.6) + 1) continue;
      if (tile.data[c * bins + whistleBin] > loud) loudElsewhere++;
    }
    expect(loudElsewhere).toBe(0);
    // The preview's waveform is DC-free too: no column sits 0.05 above zero.
    for (let c = 0; c < tile.columns; c++) expect(tile.peaks[2 * c]).toBeLessThan(0.01);
  });

  it('replaces approximate tiles with exact ones after the build', async () => {
    const id = fx.ids.get('scene.wav')!;
    const progress: number[] = [];
    const { tiles: written } = await tiles.buildExactPyramid(id, { onProgress: (done) => progress.push(done) });
    expect(written).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(ref.frames);
    expect((await tiles.tileInfo(id)).exactComplete).toBe(true);
    for (const level of [0, 1, 4, 5]) await expectLevelMatches(tiles, id, ref, decoded, level);
  });

  it('returns identical bytes from the cache, also after a restart', async () => {
    const id = fx.ids.get('scene.wav')!;
    const first = await tiles.getTile(id, 2, 1);
    expect(Buffer.from((await tiles.getTile(id, 2, 1)).bytes).equals(Buffer.from(first.bytes))).toBe(true);
    const fresh = createTileService(fx.project);
    expect(Buffer.from((await fresh.getTile(id, 2, 1)).bytes).equals(Buffer.from(first.bytes))).toBe(true);
    await fresh.close();
  });

  it('keeps one folder per display setting and never shows stale tiles when the file changes', async () => {
    const id = fx.ids.get('scene.wav')!;
    const root = join(fx.dir, TILE_CACHE_SUBDIR);
    const [folder] = readdirSync(root).filter((n) => n.startsWith(`${id}-`));
    // Tamper with a cached exact tile: a cache hit must return the tampered bytes (proves it is used) …
    const file = join(root, folder, 'L5', '0.bin');
    const tampered = decodeTile(new Uint8Array(await import('node:fs').then((fs) => fs.readFileSync(file))))!;
    tampered.data.fill(7);
    const { encodeTile } = await import('./tile-format');
    writeFileSync(file, encodeTile(tampered));
    const fresh = createTileService(fx.project, { requestExactBuild: () => undefined });
    expect((await fresh.getTile(id, 5, 0)).data.every((v) => v === 7)).toBe(true);
    // Other display settings: their own folder, the first one kept.
    const blackman: DisplaySpectrogramSettings = { fftSize: 1024, window: 'blackman', overlapPercent: 75 };
    expect((await fresh.tileInfo(id, { settings: blackman })).binCount).toBe(512);
    await fresh.getTile(id, 0, 0, { settings: blackman });
    expect(readdirSync(root).filter((n) => n.startsWith(`${id}-`))).toHaveLength(2);
    // … and after the recording changes on disk, new folders are used and the old ones removed.
    const louder = new Float32Array(decoded.length);
    louder.set(sine(RATE, 1, 3000, 0.5));
    writeFileSync(join(fx.dir, 'scene.wav'), encodeWav([louder], { sampleRate: RATE, format: 'pcm16' }));
    utimesSync(join(fx.dir, 'scene.wav'), new Date(), new Date(Date.now() + 5000));
    const changed = await fresh.getTile(id, 0, 0);
    const want = referenceColumns(pcm16RoundTrip(louder), RATE, DEFAULT_DISPLAY_SPECTROGRAM);
    expect(Buffer.from(changed.data).equals(Buffer.from(want.q.subarray(0, TILE_COLUMNS * want.bins)))).toBe(true);
    const folders = readdirSync(root).filter((n) => n.startsWith(`${id}-`));
    expect(folders).toHaveLength(1);
    expect(folders[0]).not.toBe(folder);
    await fresh.close();
  });
});

describe('display settings at the native rate', () => {
  it('on-demand, built and fully sampled tiles all equal one STFT of the file (Blackman 1024, 75 % overlap, 96 kHz)', async () => {
    const NATIVE = 96_000;
    const settings: DisplaySpectrogramSettings = { fftSize: 1024, window: 'blackman', overlapPercent: 75 };
    const signal = mixAt(whiteNoise(NATIVE, 12, 0.01, 5), sine(NATIVE, 0.5, 12_000, 0.3), NATIVE, 7.1);
    const fx = await createTileFixture([{ name: 'bat.wav', samples: signal, sampleRate: NATIVE }]);
    const tiles = createTileService(fx.project, { requestExactBuild: () => undefined });
    try {
      const id = fx.ids.get('bat.wav')!;
      const decoded = pcm16RoundTrip(signal);
      const ref = referenceColumns(decoded, NATIVE, settings);
      expect((await tiles.tileInfo(id, { settings })).nyquistHz).toBe(48_000);
      await expectLevelMatches(tiles, id, ref, decoded, 0, settings);
      await tiles.buildExactPyramid(id, { settings });
      await expectLevelMatches(tiles, id, ref, decoded, 2, settings);
      // Sampling 4 of 4 frames per column reads every frame: the batched sampled path must then be exact too.
      const { computeSampledTile, SAMPLED_FRAMES_PER_COLUMN } = await import('./tile-compute');
      const { tileSpan } = await import('./tile-geometry');
      expect(SAMPLED_FRAMES_PER_COLUMN).toBe(4);
      const src = await tiles.source(id, { settings });
      for (let index = 0; index < 2; index++) {
        const span = tileSpan(src.geometry, 2, index)!;
        const sampled = await computeSampledTile({ reader: src.reader, geometry: src.geometry, dc: src.dc, level: 2, index, span });
        expect(sampled.approximate).toBe(true);
        const exact = await tiles.getTile(id, 2, index, { settings });
        expect(Buffer.from(sampled.data).equals(Buffer.from(exact.data))).toBe(true);
      }
    } finally {
      await tiles.close();
      fx.cleanup();
    }
  });

  it('a 2 kHz file holding a 300 Hz tone shows nothing above the noise elsewhere (no imaging)', async () => {
    const RATE = 2000;
    const seconds = 600; // long enough for a sampled overview and built levels
    const noise = whiteNoise(RATE, seconds, 0.001, 21);
    const tone = sine(RATE, seconds, 300, 0.3);
    const withTone = Float32Array.from(noise, (v, i) => v + tone[i]);
    const fx = await createTileFixture([
      { name: 'tone.wav', samples: withTone, sampleRate: RATE },
      { name: 'noise.wav', samples: noise, sampleRate: RATE },
    ]);
    const tiles = createTileService(fx.project);
    try {
      const toneId = fx.ids.get('tone.wav')!;
      const noiseId = fx.ids.get('noise.wav')!;
      const info = await tiles.tileInfo(toneId);
      expect(info.nyquistHz).toBe(1000);
      expect(info.frequenciesHz.at(-1)).toBe(1000 - RATE / 512);
      for (const id of [toneId, noiseId]) await tiles.buildExactPyramid(id);
      const toneBin = Math.round(300 / (RATE / 512));
      for (const level of [0, info.levels - 1]) {
        const withT = await tiles.getTile(toneId, level, 0);
        const alone = await tiles.getTile(noiseId, level, 0);
        expect(withT.approximate).toBe(false);
        // The tone itself is there …
        expect(withT.data[toneBin]).toBeGreaterThan(referenceQuantise(-20));
        // … and every bin more than 16 bins (62.5 Hz: the Hann window's skirt) away from it reads, on average over
        // the columns, within 0.5 dB of the same bin without the tone (resampling images would stand out by tens of dB).
        // The first and last columns are left out: the tone starts and stops abruptly there, which is broadband.
        let worst = -Infinity;
        for (let b = 0; b < info.binCount; b++) {
          if (Math.abs(b - toneBin) <= 16) continue;
          let excess = 0;
          for (let c = 1; c < withT.columns - 1; c++) excess += withT.data[c * info.binCount + b] - alone.data[c * info.binCount + b];
          worst = Math.max(worst, ((excess / (withT.columns - 2)) * 140) / 255);
        }
        expect(worst).toBeLessThan(0.5);
      }
    } finally {
      await tiles.close();
      fx.cleanup();
    }
  });

  it('upgrades a preview in the background: asks once, or builds in-process when nobody is asked', async () => {
    const RATE = 8000;
    const fx = await createTileFixture([{ name: 'long.wav', samples: whiteNoise(RATE, 200, 0.01, 4), sampleRate: RATE }]);
    const asked: number[] = [];
    const viaJobs = createTileService(fx.project, { requestExactBuild: (id) => asked.push(id) });
    const inProcess = createTileService(fx.project);
    try {
      const id = fx.ids.get('long.wav')!;
      const top = (await viaJobs.tileInfo(id)).levels - 1;
      expect((await viaJobs.getTile(id, top, 0)).approximate).toBe(true);
      expect((await viaJobs.getTile(id, top, 0)).approximate).toBe(true);
      expect(asked).toEqual([id]);
      expect((await inProcess.getTile(id, top, 0)).approximate).toBe(true);
      const deadline = Date.now() + 20_000;
      while ((await inProcess.getTile(id, top, 0)).approximate && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect((await inProcess.getTile(id, top, 0)).approximate).toBe(false);
      // The other service's memory still held the preview: it now finds the exact tile on disk.
      expect((await viaJobs.getTile(id, top, 0)).approximate).toBe(false);
    } finally {
      await viaJobs.close();
      await inProcess.close();
      fx.cleanup();
    }
  });
});

const ffmpeg = findFfmpeg();
if (!ffmpeg) console.warn('tiles: no ffmpeg binary, skipping the compressed-recording test');
describe.skipIf(!ffmpeg)('tiles of a compressed recording (no random access)', () => {
  it('builds the exact pyramid on first request and serves it', async () => {
    const fx = await createTileFixture([]);
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
      const ref = referenceColumns(decoded, 16_000, DEFAULT_DISPLAY_SPECTROGRAM);
      const info = await tiles.tileInfo(id);
      expect(info.levels).toBe(4); // 2500 frames → 313 columns at level 3
      await expectLevelMatches(tiles, id, ref, decoded, 2);
      expect((await tiles.tileInfo(id)).exactComplete).toBe(true);
      await expectLevelMatches(tiles, id, ref, decoded, 0);
    } finally {
      await tiles.close();
      fx.cleanup();
    }
  });
});

describe('exact pyramid of a short WAV (every tile exact on demand, nothing stored)', () => {
  it('completes and reports exactComplete', async () => {
    const fx = await createTileFixture([{ name: 'short.wav', samples: whiteNoise(16_000, 2, 0.01, 3), sampleRate: 16_000 }]);
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
