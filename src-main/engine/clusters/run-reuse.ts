/**
 * Re-clustering without recomputing what cannot have changed. A new run over
 * the same regions with the same representation and distance settings (the
 * same units key) has the same distance matrix, summary vectors and, with
 * the same seed, the same map as the current run: re-clustering after type
 * edits, or with another linkage or cut, takes them from the current run's
 * files instead of decoding the audio, computing every DTW pair and laying
 * out UMAP again (minutes on a large project).
 *
 * Encoder runs are never reused: their sequences depend on the project's
 * embeddings, which a retrained encoder or a new detection changes without
 * changing the regions.
 */
import type { ProjectDb } from '../store/database';
import { currentClusterRun, listRunMembers } from '../store/sound-clusters';
import { loadRunMatrix, loadRunSummaries } from './run-files';

export interface ReusableRun {
  runId: number;
  condensed: Float32Array;
  summaries: Float32Array | null;
  /** The map, when the current run was laid out with the same seed. */
  positions: { x: Float32Array; y: Float32Array } | null;
}

/**
 * The current run's distances (and summaries and map), when it was computed
 * over these `n` regions with these distance settings; otherwise null.
 */
export function reusableRun(project: { dir: string; db: ProjectDb }, n: number, unitsKey: string, representation: string, seed: number): ReusableRun | null {
  if (representation === 'encoder') return null;
  const run = currentClusterRun(project.db);
  if (!run || run.params.unitsKey !== unitsKey || run.itemCount !== n) return null;
  const condensed = loadRunMatrix(project.dir, run.id);
  if (!condensed || condensed.length !== (n * (n - 1)) / 2) return null;
  const summaries = loadRunSummaries(project.dir, run.id);
  const settings = run.params.settings as { seed?: unknown } | undefined;
  return {
    runId: run.id, condensed,
    summaries: summaries && summaries.length % n === 0 ? summaries : null,
    positions: settings?.seed === seed ? positionsOf(project.db, run.id, n) : null,
  };
}

function positionsOf(db: ProjectDb, runId: number, n: number): { x: Float32Array; y: Float32Array } | null {
  const members = listRunMembers(db, runId);
  if (members.length !== n || members.some((m) => m.x === null || m.y === null)) return null;
  return { x: Float32Array.from(members, (m) => m.x!), y: Float32Array.from(members, (m) => m.y!) };
}
