/**
 * Child process for crash-safety.test.ts (not a test itself): imports
 * `total` recordings, each with `windowsPerRecording` windows and a job
 * progress update, one transaction per recording. Prints "committed <i>" after
 * each commit so the parent knows what must survive a SIGKILL. Re-running it
 * skips recordings already complete, so it finishes interrupted work.
 *
 * Usage: node --import tsx kill-test-writer.ts <dbPath> <total> <windowsPerRecording>
 */
import type { WindowSpan } from '../../../src-shared/feature-types';
import { openProjectDb } from './database';
import { ensureFeatureConfig } from './feature-configs';
import { createJob, finishJob, updateJobProgress } from './jobs';
import { getRecording, upsertScannedRecording } from './recordings';
import { countWindows, replaceWindows } from './windows';

const KILL_TEST_CONFIG = {
  version: 1, analysisSampleRate: 16_000, channel: 0, fftSize: 512, hopSize: 256, magnitude: 'db',
  band: { lowHz: 0, highHz: 8000 }, windowFrames: 32, windowStride: 16, normalisation: 'window',
} as const;

function spansFor(i: number, count: number): WindowSpan[] {
  return Array.from({ length: count }, (_, w) => ({
    index: w, startFrame: w * 16, startSample: w * 4096, endSample: w * 4096 + 8192,
    startNativeSample: w * 4096 + i, endNativeSample: w * 4096 + 8192 + i,
    startSeconds: 0, endSeconds: 0, padded: w === count - 1,
  }));
}

function main(): void {
  const [dbPath, totalText, windowsText] = process.argv.slice(2);
  const total = Number(totalText);
  const windowsPerRecording = Number(windowsText);
  if (!dbPath || !(total > 0) || !(windowsPerRecording > 0)) {
    throw new Error('usage: kill-test-writer.ts <dbPath> <total> <windowsPerRecording>');
  }
  const db = openProjectDb(dbPath);
  const featureConfigId = ensureFeatureConfig(db, { ...KILL_TEST_CONFIG, band: { ...KILL_TEST_CONFIG.band } });
  const job = createJob(db, { kind: 'kill-test', params: { total } });
  for (let i = 0; i < total; i++) {
    const relPath = `site/rec-${String(i).padStart(5, '0')}.wav`;
    const existing = getRecording(db, relPath);
    if (existing && countWindows(db, existing.id, featureConfigId) === windowsPerRecording) continue;
    db.transaction(() => {
      const { id } = upsertScannedRecording(db, {
        relPath, sizeBytes: 1000 + i, mtimeMs: 1_700_000_000_000 + i, hash: `hash-${i}`, status: 'ok',
        info: { sampleRate: 16_000, channels: 1, frames: 16_000 * 60, durationSeconds: 60, codec: 'pcm_s16le', container: 'wav', bitsPerSample: 16 },
      });
      replaceWindows(db, id, featureConfigId, spansFor(i, windowsPerRecording));
      updateJobProgress(db, job.id, { done: i + 1, total });
    });
    process.stdout.write(`committed ${i}\n`);
  }
  finishJob(db, job.id, { state: 'succeeded' });
  db.close();
  process.stdout.write('done\n');
}

main();
