/**
 * The stores that live as long as one open project: recordings, jobs and the
 * retrain state. The app makes a new session whenever a project is opened, so
 * nothing from the previous project can leak into the new one's views.
 */
import { createRecordingsStore } from '../features/recordings/recordings-store.svelte';
import { createJobsStore } from '../features/jobs/jobs-store.svelte';
import { createRetrainStore } from '../features/retrain/retrain-store.svelte';

/** Creates the session's stores, subscribes them to main's events and starts loading. */
export function createProjectSession() {
  const recordings = createRecordingsStore();
  const jobs = createJobsStore();
  const retrain = createRetrainStore(jobs);
  recordings.subscribe();
  jobs.subscribe();
  void recordings.load();
  void jobs.load();
  return {
    recordings,
    jobs,
    retrain,
    /** Stops listening to main's events. */
    dispose(): void {
      recordings.dispose();
      jobs.dispose();
    },
  };
}

export type ProjectSession = ReturnType<typeof createProjectSession>;
