/**
 * A person's types under re-clustering: the distances the constrained tree is
 * built on (`typedTreeDistances`), and when the settings choose DTW plus
 * summary distances (syllable-length regions) or the distances alone.
 */
import { describe, expect, it } from 'vitest';
import { resolveClusterSettings } from './cluster-settings';
import { condensedIndex } from './condensed';
import { applyTypeConstraints, constrainedCut, typedTreeDistances } from './constraints';
import { linkage } from './linkage';

/** A condensed matrix of n items from a distance function. */
function condensedOf(n: number, distance: (i: number, j: number) => number): Float32Array {
  const out = new Float32Array((n * (n - 1)) / 2);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out[condensedIndex(n, i, j)] = distance(i, j);
  return out;
}

/**
 * Eight regions, types A (0–3) and B (4–7); 0 and 4 typed by hand. By DTW the A pair 1–2 lies nearer B (3)
 * than A (4), as one finch syllable's sub-group did; their summaries (spectrum and level) are A's.
 */
const N = 8;
const isA = (i: number) => i < 4;
const DTW = condensedOf(N, (i, j) => {
  const [a, b] = [Math.min(i, j), Math.max(i, j)];
  if (a === 1 && b === 2) return 0.5;
  if (isA(a) === isA(b)) return [a, b].some((x) => x === 1 || x === 2) ? 4 : 1;
  return a === 1 || a === 2 ? 3 : 6;
});
const SUMMARIES = Float32Array.from({ length: N * 2 }, (_, k) => (isA(k >> 1) ? 0 : 10) + ((k * 7) % 5) * 0.1);
const TYPES = ['A', null, null, null, 'B', null, null, null];

function assignment(matrix: Float32Array): (string | null)[] {
  applyTypeConstraints(matrix, N, TYPES);
  const flat = constrainedCut(linkage(matrix, 'average'), 1);
  return Array.from(flat.labels, (label) => (label === flat.labels[0] ? 'A' : label === flat.labels[4] ? 'B' : null));
}

describe('typedTreeDistances', () => {
  it('as measured: a copy of the distances, which are left untouched', () => {
    const { matrix, used } = typedTreeDistances(DTW, N, 'as-measured', SUMMARIES);
    expect(used).toBe('as-measured');
    expect(matrix).not.toBe(DTW);
    expect(Array.from(matrix)).toEqual(Array.from(DTW));
  });

  it('with summaries: each view over its median, summaries standardised over all regions', () => {
    const before = Float32Array.from(DTW);
    const { matrix, used } = typedTreeDistances(DTW, N, 'with-summary', SUMMARIES);
    expect(used).toBe('with-summary');
    expect(Array.from(DTW)).toEqual(Array.from(before));
    // Recomputed directly from the definition.
    const z = [0, 1].map((d) => {
      const column = Array.from({ length: N }, (_, i) => SUMMARIES[i * 2 + d]);
      const mean = column.reduce((s, x) => s + x, 0) / N;
      const sd = Math.sqrt(column.reduce((s, x) => s + (x - mean) ** 2, 0) / N);
      return column.map((x) => (x - mean) / (sd + 1e-6));
    });
    const summary = condensedOf(N, (i, j) => Math.hypot(z[0][i] - z[0][j], z[1][i] - z[1][j]));
    const median = (m: Float32Array) => Float64Array.from(m).sort()[m.length >> 1];
    const [dm, sm] = [median(DTW), median(summary)];
    for (let p = 0; p < DTW.length; p++) expect(matrix[p]).toBeCloseTo(DTW[p] / dm + summary[p] / sm, 5);
  });

  it('keeps a sub-group with the typed example its summaries match, where DTW alone sends it to the other type', () => {
    const measured = assignment(typedTreeDistances(DTW, N, 'as-measured', SUMMARIES).matrix);
    expect(measured.slice(1, 3)).toEqual(['B', 'B']);
    const both = assignment(typedTreeDistances(DTW, N, 'with-summary', SUMMARIES).matrix);
    expect(both).toEqual(['A', 'A', 'A', 'A', 'B', 'B', 'B', 'B']);
  });

  it('falls back to the distances alone when no summaries were stored', () => {
    expect(typedTreeDistances(DTW, N, 'with-summary', null).used).toBe('as-measured');
    expect(typedTreeDistances(DTW, N, 'with-summary', new Float32Array(3)).used).toBe('as-measured');
  });
});

describe('the settings under hand-set types', () => {
  const syllables = [0.05, 0.08, 0.06];
  const calls = [1.2, 1.6, 0.9];

  it('syllables (no per-region normalisation): DTW plus summaries, average linkage, said in why', () => {
    const s = resolveClusterSettings({}, syllables, 2);
    expect([s.typedDistances, s.linkage]).toEqual(['with-summary', 'average']);
    expect(s.why.join(' ')).toMatch(/DTW plus summary-vector distances/);
  });

  it('calls (normalised per region), no types, labels switched off, or another representation: the distances alone', () => {
    const calls2 = resolveClusterSettings({}, calls, 2);
    expect([calls2.typedDistances, calls2.linkage]).toEqual(['as-measured', 'weighted']);
    expect(resolveClusterSettings({}, syllables, 0).typedDistances).toBe('as-measured');
    expect(resolveClusterSettings({ useLabels: false }, syllables, 2).typedDistances).toBe('as-measured');
    expect(resolveClusterSettings({ representation: 'logmel' }, syllables, 2).typedDistances).toBe('as-measured');
    expect(resolveClusterSettings({ normalise: 'on' }, syllables, 2).typedDistances).toBe('as-measured');
  });

  it('an asked-for linkage is kept', () => {
    expect(resolveClusterSettings({ linkage: 'complete' }, syllables, 2).linkage).toBe('complete');
  });
});
