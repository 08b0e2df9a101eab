/**
 * The stores that live as long as one open project: recordings, jobs and the
 * retrain state. The app makes a new session whenever a project is opened, so
 * nothing from the previous project can leak into the new one's views.
 */
import type { Scope } from '../../../src-shared/scope';
import { createRecordingsStore } from '../features/recordings/recordings-store.svelte';
import { createJobsStore } from '../features/jobs/jobs-store.svelte';
import { createRetrainStore } from '../features/retrain/retrain-store.svelte';
import { createClustersStore } from '../features/types/clusters-store.svelte';

/**
 * Creates the session's stores, subscribes them to main's events and starts
 * loading. They stop listening when `scope` is disposed (the app disposes it
 * when another project is opened, or when it is torn down).
 */
export function createProjectSession(scope: Scope) {
  const recordings = scope.own(createRecordingsStore());
  const jobs = scope.own(createJobsStore());
  const retrain = createRetrainStore(jobs);
  const clusters = createClustersStore(jobs); // listens only while the types view shows it (TypesView's scope)
  recordings.subscribe();
  jobs.subscribe();
  void recordings.load();
  void jobs.load();
  return { recordings, jobs, retrain, clusters };
}

export type ProjectSession = ReturnType<typeof createProjectSession>;
