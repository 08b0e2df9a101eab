/**
 * Acoustic frame sequences for a list of regions across recordings: reads
 * each recording's regions in one go and describes them all on one shared mel
 * axis that ends at the lowest Nyquist frequency among them (see
 * acoustic-frames.ts for why).
 */
import { throwIfCancelled } from '../util/cancel';
import { SonotypeError } from '../../../src-shared/errors';
import { contextSamples, regionAcousticFrames, acousticDim, type AcousticFrameOptions } from './acoustic-frames';
import { readRegionSamples } from './region-audio';
import { sequenceSetFrom, type SequenceSet } from './sequences';

/** A region of a recording, in native samples. */
export interface AudioRegion {
  absPath: string;
  sampleRate: number;
  startSample: number;
  endSample: number;
  channel?: number;
}

export interface SequenceBuildOptions {
  signal?: AbortSignal;
  /** Called after each recording with (regions done, regions in total). */
  onProgress?: (done: number, total: number) => void;
}

/** The mel range actually used for a set of regions: capped at their lowest Nyquist. */
export function sharedMaxHz(regions: readonly AudioRegion[], wanted: number): number {
  let lowestNyquist = Infinity;
  for (const r of regions) lowestNyquist = Math.min(lowestNyquist, r.sampleRate / 2);
  return Math.min(wanted, lowestNyquist);
}

/** Frame sequences of every region (in the given order) with `options`, maxHz capped by sharedMaxHz. */
export async function acousticSequences(regions: readonly AudioRegion[], options: AcousticFrameOptions, build: SequenceBuildOptions = {}): Promise<SequenceSet> {
  if (regions.length === 0) return sequenceSetFrom([], acousticDim(options));
  const effective: AcousticFrameOptions = { ...options, maxHz: sharedMaxHz(regions, options.maxHz) };
  const byFile = new Map<string, number[]>();
  regions.forEach((r, i) => {
    if (!(r.endSample > r.startSample) || r.startSample < 0) {
      throw new SonotypeError('INVALID_ARGUMENT', `Region ${i} of ${r.absPath} has an empty or negative sample range.`);
    }
    byFile.set(r.absPath, [...(byFile.get(r.absPath) ?? []), i]);
  });
  const sequences = new Array<Float32Array>(regions.length);
  let done = 0;
  for (const [absPath, indices] of byFile) {
    throwIfCancelled(build.signal, 'Computing region features');
    const rate = regions[indices[0]].sampleRate;
    const context = contextSamples(rate, effective);
    const ranges = indices.map((i) => {
      const start = Math.max(0, regions[i].startSample - context);
      return { startFrame: start, frames: regions[i].endSample + context - start };
    });
    const samples = await readRegionSamples(absPath, ranges, regions[indices[0]].channel ?? 0, build.signal);
    indices.forEach((i, k) => {
      const before = regions[i].startSample - ranges[k].startFrame;
      sequences[i] = regionAcousticFrames(samples[k], rate, before, regions[i].endSample - regions[i].startSample, effective);
    });
    done += indices.length;
    build.onProgress?.(done, regions.length);
  }
  return sequenceSetFrom(sequences, acousticDim(effective));
}
