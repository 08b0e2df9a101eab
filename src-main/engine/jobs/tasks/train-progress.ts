/** Progress reports of the 'train' task, kept apart from it so they are checked without loading tfjs. */
import type { JobProgressUpdate } from '../../../../src-shared/job-types';

/**
 * The job progress of one finished batch. Progress counts batches, so the
 * rate is in batches per second too (the trainer measures windows per
 * second; a batch holds `batchSize` windows): "1.2 batches/s" next to an ETA
 * of hours was windows per second under the wrong unit.
 */
export function batchProgress(
  p: { epoch: number; batch: number; batches: number; loss: number; windowsPerSecond: number },
  epochs: number,
  batchSize: number,
): Omit<JobProgressUpdate, 'phase'> {
  return {
    epoch: p.epoch + 1, epochs, batch: p.batch, batches: p.batches, loss: p.loss,
    done: p.epoch * p.batches + p.batch, itemsLabel: 'batches', itemsPerSecond: p.windowsPerSecond / batchSize,
    message: `${p.windowsPerSecond.toFixed(1)} windows/s`,
  };
}
