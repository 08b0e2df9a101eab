/**
 * Every job of the project, kept live from main's `jobs:progress` events.
 * Shared by the jobs panel, the top bar's indicator and the retrain panel
 * (which waits for its own job to finish).
 */
import type { StartJobArgs } from '../../../../src-shared/contract';
import type { JobProgress, JobState } from '../../../../src-shared/job-types';
import { Scope } from '../../../../src-shared/scope';
import { call, getApi } from '../../lib/api';
import { createAsyncResource } from '../../lib/async-resource.svelte';
import { errorMessage } from '../../lib/format';

const FINAL_STATES: ReadonlySet<JobState> = new Set(['succeeded', 'failed', 'cancelled']);

/** Whether a job will never change again. */
export function isFinished(job: JobProgress): boolean {
  return FINAL_STATES.has(job.state);
}

/** Creates the store; `subscribe()` starts listening, `dispose()` stops. */
export function createJobsStore() {
  let items = $state<JobProgress[]>([]);
  /** The jobs:list request: its loading/loaded/error states (the list itself is merged into `items`). */
  const listing = createAsyncResource(() => call('jobs:list'));
  let subscribeError = $state<string | null>(null);
  /** Readable failures of cancel requests, by job id. */
  let actionErrors = $state<Record<number, string>>({});
  const active = $derived(items.filter((j) => !isFinished(j)));
  const waiters = new Map<number, Array<(job: JobProgress) => void>>();
  /** Event subscriptions, released by dispose(). */
  const scope = new Scope();
  let subscribed = false;

  function upsert(job: JobProgress): void {
    const index = items.findIndex((j) => j.jobId === job.jobId);
    if (index >= 0) items[index] = job;
    else items = [job, ...items].sort((a, b) => b.jobId - a.jobId);
    if (isFinished(job)) settleWaiters(job);
  }

  function settleWaiters(job: JobProgress): void {
    for (const settle of waiters.get(job.jobId) ?? []) settle(job);
    waiters.delete(job.jobId);
  }

  async function load(): Promise<void> {
    await listing.load();
    const list = listing.data;
    if (!list || listing.error) return;
    {
      // Events may have arrived while the list was on its way: a finished snapshot beats an older running one.
      const live = new Map(items.map((j) => [j.jobId, j]));
      // Jobs announced by an event but not yet in the list are kept.
      const listed = new Set(list.map((j) => j.jobId));
      items = [
        ...list.map((j) => {
          const seen = live.get(j.jobId);
          return seen && isFinished(seen) && !isFinished(j) ? seen : j;
        }),
        ...items.filter((j) => !listed.has(j.jobId)),
      ].sort((a, b) => b.jobId - a.jobId);
      for (const job of items) if (isFinished(job)) settleWaiters(job);
    }
  }

  function subscribe(): void {
    if (subscribed) return;
    subscribed = true;
    try {
      scope.add(getApi().on('jobs:progress', upsert));
    } catch (e) {
      subscribeError = errorMessage(e);
    }
  }

  function dispose(): void {
    scope.dispose();
  }

  /** Asks main to cancel a job; a refusal is kept as a readable message next to the job. */
  async function cancel(jobId: number): Promise<void> {
    const { [jobId]: _previous, ...rest } = actionErrors;
    actionErrors = rest;
    try {
      const cancelled = await call('jobs:cancel', jobId);
      if (!cancelled) actionErrors = { ...actionErrors, [jobId]: 'The job had already finished; nothing to cancel.' };
    } catch (e) {
      actionErrors = { ...actionErrors, [jobId]: errorMessage(e) };
    }
  }

  /** Starts a job (a kind and its params, as in src-shared/job-kinds.ts) and returns its id (throws ApiError with main's message on refusal). */
  async function start(...args: StartJobArgs): Promise<number> {
    const jobId = await call('jobs:start', ...args);
    if (!items.some((j) => j.jobId === jobId)) void load();
    return jobId;
  }

  /** Resolves with the job's final snapshot once it has succeeded, failed or been cancelled. */
  function whenFinished(jobId: number): Promise<JobProgress> {
    const known = items.find((j) => j.jobId === jobId);
    if (known && isFinished(known)) return Promise.resolve(known);
    return new Promise((resolve) => waiters.set(jobId, [...(waiters.get(jobId) ?? []), resolve]));
  }

  return {
    get items() { return items; },
    get active() { return active; },
    get loaded() { return listing.loaded; },
    get loading() { return listing.loading; },
    get error() { return listing.error ?? subscribeError; },
    get actionErrors() { return actionErrors; },
    load,
    subscribe,
    dispose,
    cancel,
    start,
    whenFinished,
  };
}

export type JobsStore = ReturnType<typeof createJobsStore>;
