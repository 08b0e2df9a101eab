import { describe, expect, it } from 'vitest';
import '@testing-library/svelte/vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import JobsPanel from './JobsPanel.svelte';
import JobsIndicator from './JobsIndicator.svelte';
import { createJobsStore } from './jobs-store.svelte';
import { describeParams } from './job-facts';
import { deferred, installFakeApi } from '../../lib/testing/fake-api';
import { SonotypeError } from '../../../../src-shared/errors';
import type { JobProgress } from '../../../../src-shared/job-types';

const job = (over: Partial<JobProgress>): JobProgress => ({
  jobId: 1, kind: 'train', state: 'running', phase: 'training', done: 0, total: null, etaSeconds: null, ...over,
});

const jobItem = (id: number) => screen.getByRole('listitem', { name: new RegExp(`^Job ${id}:`) });

describe('JobsPanel', () => {
  it('shows loading, then an empty state', async () => {
    const pending = deferred<JobProgress[]>();
    installFakeApi({ 'jobs:list': () => pending.promise });
    render(JobsPanel, { store: createJobsStore() });
    expect(screen.getByRole('status').textContent).toBe('Loading jobs…');
    pending.resolve([]);
    expect(await screen.findByText(/No jobs yet/)).toBeTruthy();
  });

  it('shows the error when the list cannot be loaded', async () => {
    installFakeApi({ 'jobs:list': () => { throw new SonotypeError('INVALID_ARGUMENT', 'No project is open. Open a folder first.'); } });
    render(JobsPanel, { store: createJobsStore() });
    expect((await screen.findByRole('alert')).textContent).toContain('No project is open. Open a folder first.');
  });

  it('shows progress bar, phase, counts, ETA and training details, live from progress events', async () => {
    const api = installFakeApi({
      'jobs:list': () => [
        job({ jobId: 2, kind: 'detect', phase: 'writing predictions', done: 250, total: 1000, itemsLabel: 'windows', etaSeconds: 200 }),
        job({ jobId: 1, kind: 'train', state: 'succeeded', phase: 'done', done: 5, total: 5, itemsLabel: 'epochs' }),
      ],
    });
    const store = createJobsStore();
    store.subscribe();
    render(JobsPanel, { store });
    await screen.findByRole('list', { name: 'Jobs' });
    const running = jobItem(2);
    const bar = within(running).getByRole('progressbar', { name: 'Progress of job 2' });
    expect(bar.getAttribute('aria-valuenow')).toBe('25');
    expect(within(running).getByText('writing predictions')).toBeTruthy();
    expect(running.querySelector('.counts')?.textContent).toBe('250 / 1,000 windows (25%)');
    expect(within(running).getByText('ETA 3 min 20 s')).toBeTruthy();
    expect(within(jobItem(1)).queryByRole('button', { name: /Cancel/ })).toBeNull();

    api.emit('jobs:progress', job({ jobId: 2, kind: 'detect', phase: 'training', done: 900, total: 1000, itemsLabel: 'windows', etaSeconds: 12, epoch: 3, epochs: 10, loss: 0.123456 }));
    await waitFor(() => expect(within(jobItem(2)).getByText('ETA 12 s')).toBeTruthy());
    expect(within(jobItem(2)).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('90');
    expect(within(jobItem(2)).getByText('epoch 3 / 10')).toBeTruthy();
    expect(within(jobItem(2)).getByText('loss 0.1235')).toBeTruthy();

    // A new job appears at the top.
    api.emit('jobs:progress', job({ jobId: 3, kind: 'retrain-head', state: 'queued', phase: 'waiting', etaSeconds: null }));
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Jobs' })).getAllByRole('listitem')[0].getAttribute('aria-label')).toMatch(/^Job 3:/));
    store.dispose();
  });

  it('cancels a running job and shows a refused cancel in plain words', async () => {
    const api = installFakeApi({
      'jobs:list': () => [job({ jobId: 4 }), job({ jobId: 5, kind: 'detect' })],
      'jobs:cancel': (id) => {
        if (id === 5) throw new SonotypeError('DATABASE', 'Could not record the cancellation: the database is read-only.');
        return true;
      },
    });
    render(JobsPanel, { store: createJobsStore() });
    await screen.findByRole('list', { name: 'Jobs' });
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel job 4 (train)' }));
    await waitFor(() => expect(api.calls).toContainEqual(['jobs:cancel', [4]]));
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel job 5 (detect)' }));
    const alert = await within(jobItem(5)).findByRole('alert');
    expect(alert.textContent).toBe('Could not cancel: Could not record the cancellation: the database is read-only.');
    expect(within(jobItem(4)).queryByRole('alert')).toBeNull();
  });

  it("shows a failed job's error message and an indeterminate bar with 'estimating' before the total is known", async () => {
    installFakeApi({
      'jobs:list': () => [
        job({ jobId: 7, kind: 'detect', state: 'failed', phase: 'loading', error: { code: 'DECODE_FAILED', message: 'rec.flac: the FLAC stream is corrupt at 12.5 s.' } }),
        job({ jobId: 6, done: 3, total: null, itemsLabel: 'batches' }),
      ],
    });
    render(JobsPanel, { store: createJobsStore() });
    await screen.findByRole('list', { name: 'Jobs' });
    expect(within(jobItem(7)).getByText('Failed: rec.flac: the FLAC stream is corrupt at 12.5 s.')).toBeTruthy();
    const bar = within(jobItem(6)).getByRole('progressbar');
    expect(bar.hasAttribute('aria-valuenow')).toBe(false);
    expect(within(jobItem(6)).getByText('ETA estimating…')).toBeTruthy();
    expect(within(jobItem(6)).getByText('3 batches')).toBeTruthy();
  });

  it('draws 0 % as an empty bar, not a full one (native <progress> on a dark page reads as full)', async () => {
    installFakeApi({ 'jobs:list': () => [job({ jobId: 8, kind: 'detect', done: 0, total: 40, itemsLabel: 'windows' })] });
    render(JobsPanel, { store: createJobsStore() });
    await screen.findByRole('list', { name: 'Jobs' });
    const bar = within(jobItem(8)).getByRole('progressbar');
    expect(bar.tagName).not.toBe('PROGRESS');
    expect(bar.getAttribute('aria-valuenow')).toBe('0');
    expect((within(bar).getByTestId('progress-fill') as HTMLElement).style.width).toBe('0%');
  });

  it('lists when each job started, how long it ran and its parameters; a bare 0 is not shown', async () => {
    const startedAt = new Date(2026, 0, 5, 14, 3, 27).getTime();
    installFakeApi({
      'jobs:list': () => [
        job({ jobId: 3, kind: 'train', state: 'succeeded', phase: 'done', done: 60, total: 60, itemsLabel: 'batches', params: { model: 'v1', epochs: 3, maxWindows: 2000 }, createdAt: startedAt - 1000, startedAt, finishedAt: startedAt + 134_000 }),
        job({ jobId: 2, kind: 'scan', state: 'succeeded', phase: 'succeeded', done: 0, total: null, params: { audioRoot: '/data/reef' }, startedAt, finishedAt: startedAt + 900 }),
      ],
    });
    render(JobsPanel, { store: createJobsStore() });
    await screen.findByRole('list', { name: 'Jobs' });
    const facts = within(jobItem(3)).getByTestId('job-facts').textContent ?? '';
    expect(facts).toMatch(/started (2026-01-05 )?14:03:27/);
    expect(facts).toContain('ran 2 min 14 s');
    expect(facts).toContain('model v1 · epochs 3 · windows 2,000');
    expect(within(jobItem(2)).getByTestId('job-facts').textContent).toContain('folder /data/reef');
    expect(describeParams({ regionParams: { threshold: 0.4, mergeGapSeconds: 0.1 }, backend: 'wasm' })).toBe('threshold 0.4 · merge gap (s) 0.1 · backend wasm');
    expect(jobItem(2).querySelector('.counts')).toBeNull();
  });
});

describe('JobsIndicator', () => {
  it('counts active jobs and shows the running one', async () => {
    const api = installFakeApi({ 'jobs:list': () => [job({ jobId: 1, state: 'succeeded' })] });
    const store = createJobsStore();
    store.subscribe();
    await store.load();
    render(JobsIndicator, { store });
    expect(screen.getByRole('button').textContent?.trim()).toBe('No jobs running');
    api.emit('jobs:progress', job({ jobId: 2, kind: 'detect', done: 1, total: 4 }));
    api.emit('jobs:progress', job({ jobId: 3, kind: 'train', state: 'queued' }));
    await waitFor(() => expect(screen.getByRole('button').textContent?.trim()).toBe('2 jobs active · detect 25%'));
    store.dispose();
  });

  it('resolves whenFinished once the job ends', async () => {
    const api = installFakeApi({ 'jobs:list': () => [], 'jobs:start': () => 9 });
    const store = createJobsStore();
    store.subscribe();
    const id = await store.start('retrain-head', {});
    const finished = store.whenFinished(id);
    api.emit('jobs:progress', job({ jobId: 9, kind: 'retrain-head', state: 'running' }));
    api.emit('jobs:progress', job({ jobId: 9, kind: 'retrain-head', state: 'succeeded' }));
    expect((await finished).state).toBe('succeeded');
    store.dispose();
  });
});
