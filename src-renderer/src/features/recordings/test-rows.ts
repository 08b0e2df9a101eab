/** Recording rows for the recordings tests. */
import type { RecordingRow } from '../../../../src-shared/review-types';

/** A readable recording row with overrides. */
export function recordingRow(over: Partial<RecordingRow>): RecordingRow {
  return {
    id: 1, path: 'a.wav', status: 'ok', missing: false, durationSeconds: 61.5, sampleRate: 48000, channels: 1, codec: 'pcm_s16le',
    silenceFraction: 0.25, regionCount: 8, reviewedCount: 2,
    ...over,
  };
}

/** Three rows that sort differently by every column. */
export const threeRows: RecordingRow[] = [
  recordingRow({ id: 1, path: 'b-dolphin.wav', durationSeconds: 30, sampleRate: 96000, channels: 2, silenceFraction: 0.5, regionCount: 4, reviewedCount: 4 }),
  recordingRow({ id: 2, path: 'a-whale.flac', durationSeconds: 3600 * 2, sampleRate: 2000, channels: 1, silenceFraction: 0.9, regionCount: 10, reviewedCount: 1 }),
  recordingRow({
    id: 3, path: 'c-broken.wav', status: 'error', error: { code: 'EMPTY_FILE', message: 'File is empty (0 bytes).' },
    durationSeconds: null, sampleRate: null, channels: null, silenceFraction: null, regionCount: 0, reviewedCount: 0,
  }),
];
