/**
 * Hand-set types shape the next clustering through constraints on the
 * distance matrix (measured against a nearest-exemplar rule and the type head
 * on the dev sets; `npm run bench -- cluster_ari`):
 * - cannot-link: regions a person gave different types are infinitely far,
 *   so no cluster ever holds two of a person's types;
 * - must-link: regions of the same type are at distance 0.
 * The cut then stops below the first merge that would break a constraint
 * (`constrainedCut`), unless a cut was asked for explicitly.
 */
import { condensedIndex } from './condensed';
import { cutAtDistance, type FlatClusters } from './cut';
import type { Dendrogram } from './linkage';

/** Applies the constraints in place; returns how many pairs they changed. */
export function applyTypeConstraints(condensed: Float32Array, n: number, types: readonly (string | null)[]): number {
  const labelled: number[] = [];
  types.forEach((t, i) => {
    if (t !== null) labelled.push(i);
  });
  let changed = 0;
  for (let a = 0; a < labelled.length; a++) {
    for (let b = a + 1; b < labelled.length; b++) {
      const i = labelled[a];
      const j = labelled[b];
      condensed[condensedIndex(n, i, j)] = types[i] === types[j] ? 0 : Infinity;
      changed++;
    }
  }
  return changed;
}

/** Number of distinct hand-set types. */
export function typeCount(types: readonly (string | null)[]): number {
  return new Set(types.filter((t) => t !== null)).size;
}

/**
 * The partition just below the first infinite merge: every cluster holds at
 * most one of the person's types, and everything that can join a typed
 * cluster without breaking a constraint has joined it.
 */
export function constrainedCut(tree: Dendrogram, minClusterSize: number): FlatClusters {
  let highest = 0;
  for (const h of tree.height) if (Number.isFinite(h) && h > highest) highest = h;
  return cutAtDistance(tree, highest, minClusterSize);
}
