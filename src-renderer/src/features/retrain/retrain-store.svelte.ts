/**
 * Retraining the silence head from the UI: start the 'retrain-head' job, follow
 * it through the jobs store, then load the new held-out report. The report of
 * the last retrain is loaded on open so the panel is never empty after a restart.
 */
import type { RetrainReport } from '../../../../src-shared/review-types';
import { call } from '../../lib/api';
import { createAsyncResource } from '../../lib/async-resource.svelte';
import { errorMessage } from '../../lib/format';
import type { JobsStore } from '../jobs/jobs-store.svelte';

/** Creates the retrain state over a shared jobs store. */
export function createRetrainStore(jobs: JobsStore) {
  const report = createAsyncResource<RetrainReport | null>(() => call('retrain:lastReport'));
  let jobId = $state<number | null>(null);
  let starting = $state(false);
  let error = $state<string | null>(null);
  let notice = $state<string | null>(null);
  const job = $derived(jobId === null ? null : (jobs.items.find((j) => j.jobId === jobId) ?? null));
  const running = $derived(starting || jobId !== null);

  async function follow(id: number): Promise<void> {
    jobId = id;
    const final = await jobs.whenFinished(id);
    if (jobId !== id) return;
    jobId = null;
    if (final.state === 'succeeded') await report.load();
    else if (final.state === 'failed') error = final.error?.message ?? 'The retrain failed without giving a reason.';
    else notice = 'The retrain was cancelled; the previous silence head is still in use.';
  }

  /** Starts a retrain on all human labels (plus heuristic ones where none exist) and waits for it. */
  async function retrain(): Promise<void> {
    if (running) return;
    starting = true;
    error = null;
    notice = null;
    try {
      const id = await jobs.start('retrain-head', {});
      starting = false;
      await follow(id);
    } catch (e) {
      error = errorMessage(e);
    } finally {
      starting = false;
    }
  }

  /** Picks up a retrain that was already running when the panel opened. */
  function adoptRunningJob(): void {
    const active = jobs.active.find((j) => j.kind === 'retrain-head');
    if (active && jobId === null && !starting) void follow(active.jobId);
  }

  return {
    report,
    get job() { return job; },
    get running() { return running; },
    get error() { return error; },
    get notice() { return notice; },
    retrain,
    adoptRunningJob,
  };
}

export type RetrainStore = ReturnType<typeof createRetrainStore>;
