/**
 * Runs the encoder over the windows of a recording that have no embedding
 * yet and caches the 128-d vectors in the project. Everything downstream
 * (silence head, regions, clustering) works from the cache, so the encoder
 * runs once per window and model. The work itself is a whole-file window
 * shard (analysis-units.ts), the same code a distributed worker runs; given
 * the encoder worker pool, it embeds one batch per core at once.
 */
import type * as tf from '@tensorflow/tfjs';
import type { FeatureConfig } from '../../../src-shared/feature-types';
import { SonotypeError } from '../../../src-shared/errors';
import { streamAudioRange } from '../audio';
import { putEmbeddings } from '../store/embeddings';
import type { RecordingRecord } from '../store/recordings';
import type { StoredWindow } from '../store/windows';
import { analyseWindowShard, type BatchEncoder } from './analysis-units';
import type { DetectionProject } from './detect-types';
import { recordingSource } from './recording-windows';

export { DEFAULT_EMBED_BATCH } from './analysis-units';

export interface EmbedOptions {
  batchSize?: number;
  signal?: AbortSignal;
  /** Called after each batch with the number of windows it embedded. */
  onBatch?: (windows: number) => void;
}

/**
 * Embeds the windows in `missing` (window ids) of one recording with
 * `encoder` and stores them under `encoderId`. The file is streamed through
 * the same pipeline that produced the window rows; a span that disagrees
 * with the stored row means the file changed since it was scanned.
 * Returns the number of windows embedded.
 */
export async function embedRecordingWindows(
  project: DetectionProject,
  recording: RecordingRecord,
  config: FeatureConfig,
  windows: readonly StoredWindow[],
  missing: ReadonlySet<number>,
  /** The encoder (run here, or a worker pool) and its stored model id. */
  encoder: { model: tf.LayersModel | BatchEncoder; id: number },
  options: EmbedOptions = {},
): Promise<number> {
  if (missing.size === 0) return 0;
  const source = recordingSource(project, recording, config, options.signal);
  const absPath = project.resolveRecordingPath(recording.path);
  const channel = Math.min(config.channel, (recording.channels ?? 1) - 1);
  const changed = (index: number): never => {
    throw new SonotypeError('INVALID_ARGUMENT', `${recording.path} changed while it was being analysed (window ${index} moved). Scan the project again.`);
  };
  const embedded = await analyseWindowShard(
    (start, end) => streamAudioRange(absPath, channel, start, end, options.signal),
    source.sampleRate,
    source.frames,
    config,
    { first: 0, end: Infinity },
    { encoder: encoder.model },
    {
      batchSize: options.batchSize,
      signal: options.signal,
      limit: missing.size,
      wanted: (span) => {
        const row = windows[span.index];
        if (!row || row.startNativeSample !== span.startNativeSample || row.endNativeSample !== span.endNativeSample) changed(span.index);
        return missing.has(row.id);
      },
      onBatch: ({ spans, dims, embeddings }) => {
        putEmbeddings(project.db, encoder.id, spans.map((s, i) => ({ windowId: windows[s.index].id, vector: embeddings.slice(i * dims, (i + 1) * dims) })));
        options.onBatch?.(spans.length);
      },
    },
  );
  if (embedded < missing.size) {
    throw new SonotypeError('INVALID_ARGUMENT', `${recording.path} is shorter than when it was scanned (${embedded} of ${missing.size} windows found). Scan the project again.`);
  }
  return embedded;
}
