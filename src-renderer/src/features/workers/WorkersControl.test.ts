import { describe, expect, it } from 'vitest';
import '@testing-library/svelte/vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import JobLaunchers from '../retrain/JobLaunchers.svelte';
import DetectionSettingsPanel from '../detection/DetectionSettingsPanel.svelte';
import { createDetectionSettings } from '../detection/detection-settings.svelte';
import { createJobsStore } from '../jobs/jobs-store.svelte';
import { installFakeApi, type FakeHandlers } from '../../lib/testing/fake-api';
import { SonotypeError } from '../../../../src-shared/errors';
import type { WorkersStatus } from '../../../../src-shared/workers-types';

const none: WorkersStatus = { redisUrl: null, storage: null, shardMinutes: 10, check: null };
const set: WorkersStatus = { redisUrl: 'rediss://:***@redis.lab:6380', storage: '/mnt/season', shardMinutes: 10, check: null };

function setup(handlers: FakeHandlers) {
  const api = installFakeApi({ 'jobs:list': () => [], 'jobs:start': () => 7, ...handlers });
  const jobs = createJobsStore();
  jobs.subscribe();
  render(JobLaunchers, { jobs });
  return api;
}

describe('Run on workers', () => {
  it('is set up from the launchers, and detection then starts on the workers', async () => {
    let stored = none;
    const api = setup({
      'workers:get': () => stored,
      'workers:set': (patch) => (stored = { ...set, shardMinutes: patch.shardMinutes ?? 10 }),
      'workers:check': () => ({ ...stored, check: { ok: true, workers: 3 } }),
    });
    await fireEvent.click(await screen.findByRole('button', { name: 'Set up…' }));
    await fireEvent.input(screen.getByRole('textbox', { name: /Redis URL/ }), { target: { value: 'rediss://:pw@redis.lab:6380' } });
    await fireEvent.input(screen.getByRole('textbox', { name: /Storage folder/ }), { target: { value: '/mnt/season' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(api.calls).toContainEqual(['workers:set', [{ redisUrl: 'rediss://:pw@redis.lab:6380', storage: '/mnt/season', shardMinutes: 10 }]]);
    // The password never comes back to the page.
    expect(await screen.findByText(/rediss:\/\/:\*\*\*@redis\.lab:6380 · storage \/mnt\/season · 10-min shards/)).toBeTruthy();
    expect(document.body.textContent).not.toContain(':pw@');

    await fireEvent.click(screen.getByRole('button', { name: 'Check' }));
    expect(await screen.findByText('3 workers connected')).toBeTruthy();

    await fireEvent.click(screen.getByRole('checkbox', { name: 'Run on workers' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Run detection on workers' }));
    await waitFor(() => expect(api.calls).toContainEqual(['jobs:start', ['detect', { onWorkers: true }]]));
  });

  it('runs detection here when not set up, and shows why a setup or a check fails', async () => {
    const api = setup({
      'workers:get': () => set,
      'workers:set': () => {
        throw new SonotypeError('INVALID_ARGUMENT', "Invalid Redis URL 'http://x': scheme 'http:' is neither redis: nor rediss:.");
      },
      'workers:check': () => ({ ...set, check: { ok: false, message: 'Cannot reach Redis at rediss://:***@redis.lab:6380: connect ECONNREFUSED' } }),
    });
    await fireEvent.click(await screen.findByRole('button', { name: 'Check' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Cannot reach Redis .*ECONNREFUSED/);
    await fireEvent.click(screen.getByRole('button', { name: 'Change…' }));
    await fireEvent.input(screen.getByRole('textbox', { name: /Redis URL/ }), { target: { value: 'http://x' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/neither redis: nor rediss:/);
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Run detection' }));
    await waitFor(() => expect(api.calls).toContainEqual(['jobs:start', ['detect', {}]]));
  });

  it('is a choice of the detection settings panel: Apply then runs on the workers', async () => {
    const api = installFakeApi({
      'detection:settings': () => ({ region: { threshold: 0.5, smoothingFrames: 1, mergeGapSeconds: 0.008, minSoundSeconds: 0.012 }, band: {}, tonal: false }),
      'detection:previewRegions': () => [],
      'workers:get': () => set,
      'jobs:start': () => 9,
    });
    const settings = createDetectionSettings(1);
    render(DetectionSettingsPanel, {
      settings, sampleRate: 48_000, onClose: () => undefined,
      onApply: () => void settings.apply((kind, params) => api.call('jobs:start', kind, params).then((r) => (r.ok ? r.value : -1))),
    });
    await fireEvent.click(await screen.findByRole('checkbox', { name: 'Run on workers' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Apply to every recording on workers' }));
    await waitFor(() => expect(api.calls.find(([n]) => n === 'jobs:start')?.[1]).toEqual(['detect', {
      regionParams: { threshold: 0.5, smoothingFrames: 1, mergeGapSeconds: 0.008, minSoundSeconds: 0.012 }, onWorkers: true,
    }]));
  });
});
