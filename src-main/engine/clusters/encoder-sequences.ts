/**
 * Encoder representation: each region as the sequence of the project
 * encoder's window embeddings (Convnet V1 / LSTM V3, one per model window)
 * that lie in it — the seeds' own representation. The embeddings must exist
 * (`sonotype detect --embed`, or the detect job with embedding); a region
 * shorter than a window takes the window overlapping it most.
 */
import { SonotypeError } from '../../../src-shared/errors';
import type { ProjectDb } from '../store/database';
import { getEmbeddings } from '../store/embeddings';
import { listModels, type StoredModel } from '../store/models';
import { listWindows } from '../store/windows';
import type { Span } from './identities';
import { sequenceSetFrom, type SequenceSet } from './sequences';

/** The newest encoder with embeddings stored for the project, or null. */
export function encoderWithEmbeddings(db: ProjectDb): StoredModel | null {
  const encoders = [...listModels(db, 'encoder-v3'), ...listModels(db, 'encoder-v1')].sort((a, b) => b.createdAt - a.createdAt);
  return encoders.find((m) => getEmbeddings(db, m.id).length > 0) ?? null;
}

/** Window-embedding sequences of the regions, in the given order. */
export function encoderSequences(db: ProjectDb, units: readonly Span[]): { set: SequenceSet; encoder: StoredModel } {
  const encoder = encoderWithEmbeddings(db);
  if (!encoder) {
    throw new SonotypeError('INVALID_CONFIG', 'There are no encoder embeddings in this project yet: run `sonotype detect --embed` (or train an encoder) before clustering with the encoder representation.');
  }
  const byRecording = new Map<number, { start: number; end: number; vector: Float32Array }[]>();
  const windowsOf = (recordingId: number) => {
    let list = byRecording.get(recordingId);
    if (!list) {
      const vectors = new Map(getEmbeddings(db, encoder.id, { recordingId }).map((e) => [e.windowId, e.vector]));
      list = listWindows(db, recordingId, encoder.featureConfigId)
        .filter((w) => vectors.has(w.id))
        .map((w) => ({ start: w.startNativeSample, end: w.endNativeSample, vector: vectors.get(w.id)! }));
      byRecording.set(recordingId, list);
    }
    return list;
  };
  const sequences = units.map((u, i) => {
    const windows = windowsOf(u.recordingId);
    if (windows.length === 0) {
      throw new SonotypeError('INVALID_CONFIG', `Region ${i + 1} lies in a recording without encoder embeddings: run \`sonotype detect --embed\` first.`);
    }
    // Windows whose centre lies inside the region; else the one overlapping it most.
    let inside = windows.filter((w) => (w.start + w.end) / 2 >= u.startSample && (w.start + w.end) / 2 < u.endSample);
    if (inside.length === 0) {
      const overlap = (w: (typeof windows)[number]) => Math.min(w.end, u.endSample) - Math.max(w.start, u.startSample);
      inside = [windows.reduce((best, w) => (overlap(w) > overlap(best) ? w : best))];
    }
    const dims = inside[0].vector.length;
    const out = new Float32Array(inside.length * dims);
    inside.forEach((w, k) => out.set(w.vector, k * dims));
    return out;
  });
  const dims = byRecording.values().next().value?.[0]?.vector.length ?? 1;
  return { set: sequenceSetFrom(sequences, dims), encoder };
}
