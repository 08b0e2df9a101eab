import { describe, expect, it } from 'vitest';
import '@testing-library/svelte/vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import RetrainPanel from './RetrainPanel.svelte';
import JobLaunchers from './JobLaunchers.svelte';
import { createRetrainStore } from './retrain-store.svelte';
import { createJobsStore } from '../jobs/jobs-store.svelte';
import { recordingRow } from '../recordings/test-rows';
import { installFakeApi, type FakeHandlers } from '../../lib/testing/fake-api';
import { SonotypeError } from '../../../../src-shared/errors';
import type { RetrainReport } from '../../../../src-shared/review-types';
import type { JobProgress } from '../../../../src-shared/job-types';

const report: RetrainReport = {
  headModelId: 12, heldOutBy: 'recording', folds: 3, heldOutRecordings: 3, heldOutFrames: 888, trainFrames: 4200, seconds: 6.4,
  before: [[66, 81], [1, 740]], after: [[104, 44], [18, 724]], lossCurve: [0.7, 0.4, 0.3],
  scores: { before: { score: 0.74, balancedAccuracy: 0.72, onsetF1: 0.76 }, after: { score: 0.61, balancedAccuracy: 0.84, onsetF1: 0.38 } },
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

const cellsOf = (row: Element) => Array.from(row.children, (c) => c.textContent!.trim()).join(' ');
const cellCounts = (figure: Element) => Array.from(figure.querySelectorAll('g.cell text.count')).map((t) => Number(t.textContent));

describe('RetrainPanel', () => {
  it('shows the before and after matrices of the last report', async () => {
    setup({ 'retrain:lastReport': () => report });
    const group = await screen.findByRole('group', { name: 'Last retrain report' });
    const before = within(group).getByRole('img', { name: /^Before \(previous head\): confusion matrix, 888 held-out frames/ });
    const after = within(group).getByRole('img', { name: /^After \(new head\): confusion matrix, 890 held-out frames/ });
    expect(cellCounts(before)).toEqual([66, 81, 1, 740]);
    expect(cellCounts(after)).toEqual([104, 44, 18, 724]);
    expect(within(group).getByText(/trained on 4,200 frames · scored on 888 held-out labelled frames of 3 recordings \(3 folds by recording\) · 6\.4 s/)).toBeTruthy();
    // The scores that decided, for both heads: a better frame accuracy does not hide the onsets it lost.
    const rows = within(within(group).getByRole('table', { name: 'Held-out scores' })).getAllByRole('row').map(cellsOf);
    expect(rows).toEqual(['Head Score (decides) Balanced accuracy Onset-F1', 'Previous head 74.0% 72.0% 76.0%', 'New head 61.0% 84.0% 38.0%']);
    expect(within(group).getByRole('img', { name: /Silence head training \(boosted trees\): 3 values/ })).toBeTruthy();
    // A worse head is never adopted silently: the decision says so, with both scores.
    expect(within(group).getByRole('status').textContent).toMatch(/kept inactive.*61\.0 %.*74\.0 %/);
  });

  it('says what to do before the first retrain, and that there is no "before" after it', async () => {
    setup({ 'retrain:lastReport': () => null });
    expect(await screen.findByText(/No retrain yet/)).toBeTruthy();
    document.body.innerHTML = '';
    setup({ 'retrain:lastReport': () => ({ ...report, before: null, scores: { before: null, after: { score: 0.9, balancedAccuracy: 0.9, onsetF1: null } } }) });
    expect(await screen.findByText(/this was the first retrain/)).toBeTruthy();
    expect(screen.getAllByRole('img', { name: /confusion matrix/ })).toHaveLength(1);
    // Only the new head's row; an onset-F1 that could not be computed (no sound label held out) is shown as unknown.
    const rows = within(screen.getByRole('table', { name: 'Held-out scores' })).getAllByRole('row');
    expect(rows).toHaveLength(2);
    expect(cellsOf(rows[1])).toBe('New head 90.0% 90.0% –');
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
  it('starts detection; training shows its settings and estimated time first, and starts only when asked', async () => {
    const api = installFakeApi({
      'jobs:list': () => [],
      'jobs:start': (...[kind]) => {
        if (kind === 'train') throw new SonotypeError('INVALID_CONFIG', 'Training needs at least 10 s of readable audio.');
        return 31;
      },
    });
    render(JobLaunchers, { jobs: createJobsStore(), recordings: [recordingRow({ durationSeconds: 3600, sampleRate: 48_000 })] });
    await fireEvent.click(screen.getByRole('button', { name: 'Run detection' }));
    expect((await screen.findByRole('status')).textContent).toBe('Detection started as job #31.');
    expect(api.calls).toContainEqual(['jobs:start', ['detect', {}]]);

    await fireEvent.click(screen.getByRole('button', { name: 'Train encoder…' }));
    expect(api.calls.some(([name, args]) => name === 'jobs:start' && args[0] === 'train')).toBe(false); // one click starts nothing
    const estimateText = () => (screen.getByTestId('train-estimate').textContent ?? '').replace(/\s+/g, ' ');
    // V3, 5 epochs × 2,000 windows at the typical 6.2 windows/s: 10,000 / 6.2 s ≈ 26 min 53 s.
    expect(estimateText()).toMatch(/About 26 min 53 s of training: 2,000 windows × 5 epochs \(315 batches\)/);
    expect(estimateText()).toMatch(/typical speed of the portable backend on 2 cores: 6.2 windows\/s/);
    await fireEvent.change(screen.getByRole('combobox', { name: 'Model' }), { target: { value: 'v1' } });
    await fireEvent.input(screen.getByRole('spinbutton', { name: 'Epochs' }), { target: { value: '3' } });
    expect(estimateText()).toMatch(/About 19 min 14 s of training: 2,000 windows × 3 epochs/);
    await fireEvent.click(screen.getByRole('button', { name: 'Start training' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Encoder training could not start: Training needs at least 10 s of readable audio.');
    expect(api.calls).toContainEqual(['jobs:start', ['train', { model: 'v1', epochs: 3, maxWindows: 2000, batchSize: 32 }]]);
  });

  it('estimates from the speed measured by the newest training of that model in the project', async () => {
    const measured = { jobId: 12, kind: 'train', state: 'cancelled', phase: 'training', done: 40, total: 315, etaSeconds: null, itemsLabel: 'batches', itemsPerSecond: 1 / 40, params: { model: 'v1', batchSize: 32 } } as const;
    installFakeApi({ 'jobs:list': () => [measured] });
    const jobs = createJobsStore();
    await jobs.load();
    render(JobLaunchers, { jobs, recordings: [recordingRow({ durationSeconds: 60, sampleRate: 48_000 })] });
    await fireEvent.click(screen.getByRole('button', { name: 'Train encoder…' }));
    await fireEvent.change(screen.getByRole('combobox', { name: 'Model' }), { target: { value: 'v1' } });
    const text = (screen.getByTestId('train-estimate').textContent ?? '').replace(/\s+/g, ' ');
    // A minute of 48 kHz audio holds about 703 windows; 703 × 5 epochs at 0.8 windows/s (a batch of 32 every 40 s).
    expect(text).toMatch(/measured in job #12: 0.8 windows\/s/);
    expect(text).toMatch(/703 windows × 5 epochs/);
    expect(text).toMatch(/About 1 h 13 min of training/);
    expect(text).toMatch(/The project has only about 703 windows/);
  });
});
