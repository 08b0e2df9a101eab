import { describe, expect, it } from 'vitest';
import { frameAnalysisFor, frameCell, frameAtSample } from './frame-analysis';
import { applyHumanTargets } from './frame-labels';
import { deriveFrameRegions, resolveFrameRegionParams } from './frame-regions';

const analysis = frameAnalysisFor(32_000); // hop 160 samples (5 ms), FFT 256
const frames = 400; // 2 s
const nativeFrames = frames * 160 + 37;

/** pSilence per frame: sound (0) in the given frame ranges, silence (1) elsewhere. */
function pattern(sound: [number, number][]): Float32Array {
  const p = new Float32Array(frames).fill(1);
  for (const [a, b] of sound) p.fill(0, a, b);
  return p;
}

describe('frame cells', () => {
  it('tile the file exactly and map samples back to their frame', () => {
    expect(analysis).toMatchObject({ hopSize: 160, fftSize: 256 });
    let end = 0;
    for (let f = 0; f < frames; f++) {
      const [s, e] = frameCell(analysis, f, frames, nativeFrames);
      expect(s).toBe(end);
      expect(e).toBeGreaterThan(s);
      expect(frameAtSample(analysis, s, frames)).toBe(f);
      expect(frameAtSample(analysis, e - 1, frames)).toBe(f);
      end = e;
    }
    expect(end).toBe(nativeFrames);
    // A frame stands for the hop at the centre of its FFT window.
    expect(frameCell(analysis, 10, frames, nativeFrames)).toEqual([10 * 160 + 48, 11 * 160 + 48]);
  });
});

describe('deriveFrameRegions', () => {
  it('keeps two sounds 20 ms apart as two regions with edges on the frames', () => {
    const p = pattern([[100, 140], [144, 180]]); // a 4-frame (20 ms) gap
    const regions = deriveFrameRegions(p, analysis, nativeFrames);
    expect(regions.map((r) => r.kind)).toEqual(['silence', 'sound', 'silence', 'sound', 'silence']);
    expect(regions[1].startSample).toBe(frameCell(analysis, 100, frames, nativeFrames)[0]);
    expect(regions[1].endSample).toBe(frameCell(analysis, 139, frames, nativeFrames)[1]);
    expect(regions[3].startSample).toBe(frameCell(analysis, 144, frames, nativeFrames)[0]);
    expect(regions[0].startSample).toBe(0);
    expect(regions.at(-1)!.endSample).toBe(nativeFrames);
    for (let i = 1; i < regions.length; i++) expect(regions[i].startSample).toBe(regions[i - 1].endSample);
  });

  it('merges gaps shorter than the merge gap and drops sounds shorter than the minimum', () => {
    const p = pattern([[100, 140], [141, 180], [300, 301]]);
    const regions = deriveFrameRegions(p, analysis, nativeFrames, { mergeGapSeconds: 0.008, minSoundSeconds: 0.012 });
    expect(regions.filter((r) => r.kind === 'sound')).toHaveLength(1); // 5-ms gap merged, 5-ms blip dropped
    expect(deriveFrameRegions(p, analysis, nativeFrames, { mergeGapSeconds: 0, minSoundSeconds: 0 }).filter((r) => r.kind === 'sound')).toHaveLength(3);
  });

  it('reports each region\u2019s mean frame probability and applies the threshold and smoothing', () => {
    const p = new Float32Array(frames).fill(0.9);
    p.fill(0.3, 200, 220);
    const regions = deriveFrameRegions(p, analysis, nativeFrames, { minSoundSeconds: 0 });
    expect(regions[1]).toMatchObject({ kind: 'sound' });
    expect(regions[1].pSilence).toBeCloseTo(0.3, 6);
    expect(deriveFrameRegions(p, analysis, nativeFrames, { threshold: 0.2 })).toHaveLength(1);
    // Smoothing over 41 frames averages the 20-frame dip away (mean > 0.5 everywhere).
    expect(deriveFrameRegions(p, analysis, nativeFrames, { smoothingFrames: 41 })).toHaveLength(1);
  });

  it('covers an empty or frameless file and refuses bad settings by name', () => {
    expect(deriveFrameRegions(new Float32Array(0), analysis, 0)).toEqual([]);
    expect(deriveFrameRegions(new Float32Array(0), analysis, 100)).toMatchObject([{ kind: 'silence', startSample: 0, endSample: 100 }]);
    expect(() => resolveFrameRegionParams({ smoothingFrames: 4 })).toThrow(/smoothingFrames/);
    expect(() => resolveFrameRegionParams({ threshold: 2 })).toThrow(/threshold/);
  });
});

describe('deriveFrameRegions with human labels', () => {
  it('never merges or drops a run a person labelled', () => {
    const p = pattern([[100, 140], [141, 180], [300, 301]]);
    const fixed = new Int8Array(frames).fill(-1);
    fixed[140] = 0; // a person split the two syllables with a one-frame gap
    fixed[300] = 1; // and marked a 5-ms click as sound
    const regions = deriveFrameRegions(p, analysis, nativeFrames, { mergeGapSeconds: 0.008, minSoundSeconds: 0.012 }, fixed);
    expect(regions.filter((r) => r.kind === 'sound')).toHaveLength(3);
  });
});

describe('deriveFrameRegions at the edges of a person\u2019s sound label', () => {
  it('keeps the labelled sound apart from the model\u2019s sound beside it', () => {
    // The model: two syllables 100–140 and 143–180 (a 15-ms gap). A person labels the second one from frame 141
    // (their onset is earlier than the model's): the model's gap shrinks to one frame, below the merge gap.
    const p = pattern([[100, 140], [143, 180]]);
    const fixed = new Int8Array(frames).fill(-1);
    fixed.fill(1, 141, 178);
    fixed.fill(0, 178, 182);
    const sound = deriveFrameRegions(applyHumanTargets(p, fixed), analysis, nativeFrames, { mergeGapSeconds: 0.008, minSoundSeconds: 0.012 }, fixed).filter((r) => r.kind === 'sound');
    expect(sound).toHaveLength(2);
    expect(sound[1].startSample).toBe(frameCell(analysis, 141, frames, nativeFrames)[0]);
  });

  it('cuts the model\u2019s sound that runs on past the label\u2019s end into a sound of its own, or drops it when too short', () => {
    const fixed = new Int8Array(frames).fill(-1);
    fixed.fill(1, 100, 130); // a person says the sound ends at frame 130
    const long = deriveFrameRegions(applyHumanTargets(pattern([[100, 160]]), fixed), analysis, nativeFrames, {}, fixed).filter((r) => r.kind === 'sound');
    expect(long.map((r) => r.startSample)).toEqual([frameCell(analysis, 100, frames, nativeFrames)[0], frameCell(analysis, 131, frames, nativeFrames)[0]]);
    expect(long[0].endSample).toBe(frameCell(analysis, 129, frames, nativeFrames)[1]);
    const short = deriveFrameRegions(applyHumanTargets(pattern([[100, 132]]), fixed), analysis, nativeFrames, {}, fixed).filter((r) => r.kind === 'sound');
    expect(short).toHaveLength(1); // 130 becomes silence, 131 alone is shorter than 12 ms
    expect(short[0].endSample).toBe(frameCell(analysis, 129, frames, nativeFrames)[1]);
  });
});
