import { describe, expect, it } from 'vitest';
import { BACKEND_PREFERENCES } from '../../src-shared/job-kinds';
import { CLUSTER_CHOICES } from '../../src-shared/cluster-types';
import { choiceFlag, integerFlag, numberFlag } from './flag-values';
import { clusterRequestFromFlags } from './commands/cluster';

describe('flag values', () => {
  it('parses numbers one way: absent, good, and each kind of bad value named with the flag', () => {
    expect(integerFlag({}, 'seed')).toBeUndefined();
    expect(integerFlag({ seed: '7' }, 'seed')).toBe(7);
    for (const bad of ['', ' ', 'x', '1.5', '-1', 'Infinity']) {
      expect(() => integerFlag({ seed: bad }, 'seed'), bad).toThrow(`--seed must be a whole number ≥ 0, got '${bad}'`);
    }
    expect(() => numberFlag({ band: '2' }, 'band', (n) => n <= 1, 'a fraction')).toThrow("--band must be a fraction, got '2'");
  });

  it('takes choices from where the values are defined (the contract), so a new choice needs no CLI edit', () => {
    expect(choiceFlag({}, 'backend', BACKEND_PREFERENCES)).toBeUndefined();
    for (const b of BACKEND_PREFERENCES) expect(choiceFlag({ backend: b }, 'backend', BACKEND_PREFERENCES)).toBe(b);
    expect(() => choiceFlag({ backend: 'gpu' }, 'backend', BACKEND_PREFERENCES)).toThrow("--backend must be one of auto, tensorflow, wasm, cpu, got 'gpu'");
    for (const r of CLUSTER_CHOICES.representation) expect(clusterRequestFromFlags({ representation: r })).toEqual({ representation: r });
    expect(() => clusterRequestFromFlags({ linkage: 'centroid' })).toThrow(/--linkage must be one of complete, average, single, weighted, ward/);
  });
});
