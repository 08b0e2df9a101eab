import { describe, expect, it } from 'vitest';
import '@testing-library/svelte/vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import RetrainPanel from './RetrainPanel.svelte';
import JobLaunchers from './JobLaunchers.svelte';
import { createRetrainStore } from './retrain-store.svelte';
import { createJobsStore } from '../jobs/jobs-store.svelte';
import { installFakeApi, type FakeHandlers } from '../../lib/testing/fake-api';
import { SonotypeError } from '../../../../src-shared/errors';
import type { RetrainReport } from '../../../../src-shared/review-types';
import type { JobProgress } from '../../../../src-shared/job-types';

const report: RetrainReport = {
  headModelId: 12, heldOutRecordings: 3, trainWindows: 4200, seconds: 6.4,
  before: [[66, 81], [1, 740]], after: [[104, 44], [18, 724]], lossCurve: [0.7, 0.4, 0.3],
  adopted: false, activeHeadId: 11,
  decision: 'The new head was kept inactive: it scored 61.0 % on held-out human labels, the active head 74.0 %.',
};

function setup(handlers: FakeHandlers) {
  const api = installFakeApi({ 'jobs:list': () => [], ...handlers });
  const jobs = createJobsStore();
  jobs.subscribe();
  const store = createRetrainStore(jobs);
  render(RetrainPanel, { store, jobs });
  return { api, jobs };
}

const cellCounts = (figure: Element) => Array.from(figure.querySelectorAll('g.cell text.count')).map((t) => Number(t.textContent));

describe('RetrainPanel', () => {
  it('shows the before and after matrices of the last report', async () => {
    setup({ 'retrain:lastReport': () => report });
    const group = await screen.findByRole('group', { name: 'Last retrain report' });
    const before = within(group).getByRole('img', { name: /^Before \(previous head\): confusion matrix, 888 held-out windows/ });
    const after = within(group).getByRole('img', { name: /^After \(new head\): confusion matrix, 890 held-out windows/ });
    expect(cellCounts(before)).toEqual([66, 81, 1, 740]);
    expect(cellCounts(after)).toEqual([104, 44, 18, 724]);
    // Accuracy 806/888 = 90.77% → 828/890 = 93.03%: +2.3 points.
    expect(within(group).getByText(/accuracy \+2\.3 points/)).toBeTruthy();
    expect(within(group).getByText(/4,200 training windows · 3 held-out recordings · 6\.4 s/)).toBeTruthy();
    expect(within(group).getByRole('img', { name: /Silence head training: 3 values/ })).toBeTruthy();
    // A worse head is never adopted silently: the decision says so, with both scores.
    expect(within(group).getByRole('status').textContent).toMatch(/kept inactive.*61\.0 %.*74\.0 %/);
  });

  it('says what to do before the first retrain, and that there is no "before" after it', async () => {
    setup({ 'retrain:lastReport': () => null });
    expect(await screen.findByText(/No retrain yet/)).toBeTruthy();
    document.body.innerHTML = '';
    setup({ 'retrain:lastReport': () => ({ ...report, before: null }) });
    expect(await screen.findByText(/this was the first retrain/)).toBeTruthy();
    expect(screen.getAllByRole('img', { name: /confusion matrix/ })).toHaveLength(1);
  });

  it('retrains with one button, follows the job, then shows the new report', async () => {
    let current: RetrainReport | null = null;
    const { api } = setup({ 'retrain:lastReport': () => current, 'jobs:start': () => 21 });
    await screen.findByText(/No retrain yet/);
    await fireEvent.click(screen.getByRole('button', { name: 'Retrain silence head' }));
    expect(api.calls).toContainEqual(['jobs:start', ['retrain-head', {}]]);
    const running: JobProgress = { jobId: 21, kind: 'retrain-head', state: 'running', phase: 'training head', done: 2, total: 8, etaSeconds: 5 };
    api.emit('jobs:progress', running);
    const progress = await screen.findByRole('list', { name: 'Retrain progress' });
    expect(within(progress).getByText('training head')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Retraining…' })).toHaveProperty('disabled', true);
    current = report;
    api.emit('jobs:progress', { ...running, state: 'succeeded', phase: 'done', done: 8 });
    await screen.findByRole('group', { name: 'Last retrain report' });
    expect(screen.getByRole('button', { name: 'Retrain silence head' })).toHaveProperty('disabled', false);
  });

  it("shows a failed retrain's reason and a refused start", async () => {
    let startFails = false;
    const { api } = setup({
      'retrain:lastReport': () => null,
      'jobs:start': () => {
        if (startFails) throw new SonotypeError('INVALID_ARGUMENT', 'There are no labels yet: label a few regions first.');
        return 5;
      },
    });
    await screen.findByText(/No retrain yet/);
    await fireEvent.click(screen.getByRole('button', { name: 'Retrain silence head' }));
    await waitFor(() => expect(api.calls.some(([n]) => n === 'jobs:start')).toBe(true));
    api.emit('jobs:progress', {
      jobId: 5, kind: 'retrain-head', state: 'failed', phase: 'loading embeddings', done: 0, total: null, etaSeconds: null,
      error: { code: 'NOT_FOUND', message: 'No cached embeddings: run detection first.' },
    });
    expect((await screen.findByRole('alert')).textContent).toBe('Retrain failed: No cached embeddings: run detection first.');
    startFails = true;
    await fireEvent.click(screen.getByRole('button', { name: 'Retrain silence head' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Retrain failed: There are no labels yet: label a few regions first.'));
  });
});

describe('JobLaunchers', () => {
  it('starts detection and training, and shows a refusal readably', async () => {
    const api = installFakeApi({
      'jobs:list': () => [],
      'jobs:start': (...[kind]) => {
        if (kind === 'train') throw new SonotypeError('INVALID_CONFIG', 'Training needs at least 10 s of readable audio.');
        return 31;
      },
    });
    render(JobLaunchers, { jobs: createJobsStore() });
    await fireEvent.click(screen.getByRole('button', { name: 'Run detection' }));
    expect((await screen.findByRole('status')).textContent).toBe('Detection started as job #31.');
    expect(api.calls).toContainEqual(['jobs:start', ['detect', {}]]);
    await fireEvent.click(screen.getByRole('button', { name: 'Train encoder' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Encoder training could not start: Training needs at least 10 s of readable audio.');
    // The train task needs a model kind: the button asks for the Convnet V1 encoder (an empty params object fails in the task).
    expect(api.calls).toContainEqual(['jobs:start', ['train', { model: 'v1' }]]);
  });
});
