import { describe, expect, it } from 'vitest';
import { frameAnalysisFor, frameCell } from './frame-analysis';
import { applyHumanTargets, humanFrameTargets, isSteadyTarget } from './frame-labels';

const a = frameAnalysisFor(32_000); // hop 160
const frames = 100;
const native = frames * 160;
const cellStart = (f: number) => frameCell(a, f, frames, native)[0];

describe('human labels at frame resolution', () => {
  it('paint frames by their cell centre; later labels win overlaps', () => {
    const t = humanFrameTargets(
      [{ startSample: cellStart(10), endSample: cellStart(20), sound: true }, { startSample: cellStart(15), endSample: cellStart(30), sound: false }],
      a, frames, native,
    );
    expect(Array.from(t.slice(9, 31))).toEqual([-1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1]);
  });

  it('keep two touching sound labels apart (a person split them)', () => {
    const split = cellStart(40) + 80;
    const t = humanFrameTargets([{ startSample: cellStart(30), endSample: split, sound: true }, { startSample: split, endSample: cellStart(50), sound: true }], a, frames, native);
    expect(t[40]).toBe(0);
    expect(t[39]).toBe(1);
    expect(t[41]).toBe(1);
  });

  it('leave label edges out of training and let people win over the model', () => {
    const t = humanFrameTargets([{ startSample: cellStart(10), endSample: cellStart(20), sound: true }], a, frames, native);
    expect(isSteadyTarget(t, 10, 1)).toBe(false);
    expect(isSteadyTarget(t, 11, 1)).toBe(true);
    expect(isSteadyTarget(t, 5, 1)).toBe(false);
    const p = applyHumanTargets(new Float32Array(frames).fill(0.8), t);
    expect(p[12]).toBe(0);
    expect(p[5]).toBeCloseTo(0.8, 6);
  });
});
