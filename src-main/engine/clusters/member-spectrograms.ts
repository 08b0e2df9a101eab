/**
 * Spectrogram thumbnails of cluster members on SHARED axes (DeepSqueak #148:
 * thumbnails without shared axes cannot be compared): every thumbnail has
 * the same seconds per column and the same frequency rows (0 … maxHz, linear),
 * whatever the recording's rate, and one colour scale (dB range) for the
 * whole request. Rows above a recording's Nyquist stay empty (0).
 * Values are quantised to bytes: 0 = empty, 1 … 255 = floor … top of the range.
 */
import { computeSpectrogram, keptBins } from '../features';
import type { FeatureConfig } from '../../../src-shared/feature-types';
import { readRegionSamples } from './region-audio';

export interface ThumbnailRegion {
  absPath: string;
  sampleRate: number;
  startSample: number;
  endSample: number;
  channel?: number;
}

export interface ThumbnailOptions {
  secondsPerColumn: number;
  rows: number;
  maxHz: number;
  /** At most this many columns per thumbnail (longer regions are cut, `truncated` says so). */
  maxColumns: number;
}

export interface Thumbnail {
  columns: number;
  truncated: boolean;
  /** rows × columns bytes, row 0 = lowest frequency, column-major per row: data[row * columns + column]. */
  data: Uint8Array;
}

export interface ThumbnailSet {
  thumbnails: Thumbnail[];
  /** The dB values bytes 1 and 255 stand for. */
  dbRange: [number, number];
}

/** Thumbnails of regions (any mix of recordings and rates) on shared axes and one colour scale. */
export async function regionThumbnails(regions: readonly ThumbnailRegion[], options: ThumbnailOptions, signal?: AbortSignal): Promise<ThumbnailSet> {
  const raw: { columns: number; truncated: boolean; db: Float32Array }[] = new Array(regions.length);
  const byFile = new Map<string, number[]>();
  regions.forEach((r, i) => byFile.set(`${r.absPath}\u0000${r.channel ?? 0}`, [...(byFile.get(`${r.absPath}\u0000${r.channel ?? 0}`) ?? []), i]));
  for (const indices of byFile.values()) {
    const first = regions[indices[0]];
    const hop = Math.max(1, Math.round(options.secondsPerColumn * first.sampleRate));
    const fftSize = 2 ** Math.ceil(Math.log2(Math.max(32, 2 * hop)));
    const samples = await readRegionSamples(
      first.absPath,
      indices.map((i) => {
        const r = regions[i];
        const columns = Math.min(options.maxColumns, Math.max(1, Math.ceil((r.endSample - r.startSample) / hop)));
        const start = Math.max(0, r.startSample - fftSize / 2);
        return { startFrame: start, frames: columns * hop + fftSize };
      }),
      first.channel ?? 0,
      signal,
    );
    indices.forEach((i, k) => {
      const r = regions[i];
      const wanted = Math.ceil((r.endSample - r.startSample) / hop);
      const columns = Math.min(options.maxColumns, Math.max(1, wanted));
      const lead = r.startSample - Math.max(0, r.startSample - fftSize / 2);
      raw[i] = { columns, truncated: wanted > options.maxColumns, db: spectrogramGrid(samples[k], lead, fftSize, hop, columns, r.sampleRate, options) };
    });
  }
  const dbRange = sharedRange(raw.map((r) => r.db));
  const [lo, hi] = dbRange;
  const thumbnails = raw.map(({ columns, truncated, db }) => {
    const data = new Uint8Array(db.length);
    for (let i = 0; i < db.length; i++) {
      if (Number.isNaN(db[i])) continue;
      data[i] = 1 + Math.round(254 * Math.min(1, Math.max(0, (db[i] - lo) / (hi - lo))));
    }
    return { columns, truncated, data };
  });
  return { thumbnails, dbRange };
}

/** dB on the shared grid: rows × columns, NaN above the recording's Nyquist. */
function spectrogramGrid(
  samples: Float32Array, lead: number, fftSize: number, hop: number, columns: number, rate: number, options: ThumbnailOptions,
): Float32Array {
  // Frames start at lead − fftSize/2 + c·hop so that frame c is centred on region time c·hop.
  const offset = Math.max(0, lead - fftSize / 2);
  const config: FeatureConfig = {
    version: 1, analysisSampleRate: Math.max(1000, rate), channel: 0, fftSize, hopSize: hop, magnitude: 'db',
    band: { lowHz: 0, highHz: Math.max(1000, rate) / 2 }, windowFrames: 1, windowStride: 1, normalisation: 'none',
  };
  const slice = new Float32Array((columns - 1) * hop + fftSize);
  slice.set(samples.subarray(offset, offset + slice.length));
  const spec = computeSpectrogram(slice, config);
  const binHz = rate / fftSize;
  const binCount = keptBins(config).binCount;
  const out = new Float32Array(options.rows * columns);
  for (let row = 0; row < options.rows; row++) {
    const hz = ((row + 0.5) / options.rows) * options.maxHz;
    const bin = hz / binHz;
    for (let c = 0; c < columns; c++) {
      if (hz >= rate / 2 || c >= spec.frameCount) {
        out[row * columns + c] = Number.NaN;
        continue;
      }
      const b0 = Math.min(binCount - 1, Math.floor(bin));
      const b1 = Math.min(binCount - 1, b0 + 1);
      const t = bin - b0;
      out[row * columns + c] = spec.data[c * binCount + b0] * (1 - t) + spec.data[c * binCount + b1] * t;
    }
  }
  return out;
}

/** One colour scale: from the 5th percentile (background) to the 99.5th (loudest calls) of all values. */
function sharedRange(grids: readonly Float32Array[]): [number, number] {
  const values: number[] = [];
  for (const g of grids) for (let i = 0; i < g.length; i += Math.max(1, Math.floor(g.length / 2000))) if (!Number.isNaN(g[i])) values.push(g[i]);
  if (values.length === 0) return [-120, -20];
  values.sort((a, b) => a - b);
  const lo = values[Math.floor(0.05 * (values.length - 1))];
  const hi = values[Math.floor(0.995 * (values.length - 1))];
  return hi - lo < 10 ? [hi - 10, hi] : [lo, hi];
}
