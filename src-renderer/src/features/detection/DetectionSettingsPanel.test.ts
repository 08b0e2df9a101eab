import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { RegionView } from '../../../../src-shared/review-types';
import type { DetectionSettings } from '../../../../src-shared/detection-settings';
import { installFakeApi } from '../../lib/testing/fake-api';
import DetectionSettingsPanel from './DetectionSettingsPanel.svelte';
import { createDetectionSettings } from './detection-settings.svelte';

const stored: DetectionSettings = { region: { threshold: 0.5, smoothingFrames: 1, mergeGapSeconds: 0.008, minSoundSeconds: 0.012 }, band: {}, tonal: false };

/** Regions main would derive: more sound regions the lower the threshold (enough to see the preview follow). */
function regionsFor(threshold: number): RegionView[] {
  const n = Math.round((1 - threshold) * 10);
  return Array.from({ length: n }, (_, i) => ({
    id: 0, recordingId: 1, kind: 'sound' as const, startSample: i * 2000, endSample: i * 2000 + 1000,
    startSeconds: i * 2, endSeconds: i * 2 + 1, pSilence: 0.2, reviewed: false,
  }));
}

function setup() {
  const api = installFakeApi({
    'detection:settings': () => stored,
    'detection:previewRegions': (_id, s) => regionsFor(s.threshold ?? 0.5),
    'detection:setBand': (band) => ({ ...stored, band }),
    'detection:setTonal': (tonal) => ({ ...stored, tonal }),
    'jobs:start': () => 42,
  });
  const settings = createDetectionSettings(1);
  let applied: number | null = null;
  render(DetectionSettingsPanel, {
    settings, sampleRate: 22_050, onClose: () => undefined,
    onApply: () => void settings.apply((kind, params) => api.call('jobs:start', kind, params).then((r) => (r.ok ? r.value : -1))).then((id) => (applied = id)),
  });
  return { api, settings, applied: () => applied };
}

afterEach(() => cleanup());

describe('DetectionSettingsPanel', () => {
  it('previews the regions of each change from main, then applies them with a detect job', async () => {
    const { api, settings, applied } = setup();
    await waitFor(() => expect(screen.getByTestId('preview-status').textContent).toMatch(/5 sound regions in this recording, redrawn in \d+ ms/));
    await fireEvent.input(screen.getByRole('slider', { name: 'Threshold' }), { target: { value: '0.2' } });
    await waitFor(() => expect(screen.getByTestId('preview-status').textContent).toMatch(/^Preview: 8 sound regions/));
    expect(settings.preview).toHaveLength(8);
    expect(new Set(settings.preview!.map((r) => r.id)).size).toBe(8); // drawable side by side: ids apart
    const asked = api.calls.filter(([n]) => n === 'detection:previewRegions').at(-1)![1];
    expect(asked).toEqual([1, { threshold: 0.2, smoothingFrames: 1, mergeGapSeconds: 0.008, minSoundSeconds: 0.012 }]);
    await fireEvent.input(screen.getByRole('slider', { name: 'Merge gap' }), { target: { value: '0.1' } });
    await waitFor(() => expect(settings.region?.mergeGapSeconds).toBe(0.1));

    await fireEvent.click(screen.getByRole('button', { name: 'Apply to every recording' }));
    await waitFor(() => expect(applied()).toBe(42));
    expect(api.calls.some(([n]) => n === 'detection:setBand')).toBe(false); // the band did not change
    expect(api.calls.some(([n]) => n === 'detection:setTonal')).toBe(false); // nor tonal mode
    expect(api.calls.find(([n]) => n === 'jobs:start')![1]).toEqual(['detect', {
      regionParams: { threshold: 0.2, smoothingFrames: 1, mergeGapSeconds: 0.1, minSoundSeconds: 0.012 },
    }]);
  });

  it('stores a new band before detecting, and goes back to the stored settings on request', async () => {
    const { api, settings } = setup();
    await waitFor(() => expect(settings.preview).not.toBeNull());
    await fireEvent.change(screen.getByRole('spinbutton', { name: 'Band low (Hz)' }), { target: { value: '2000' } });
    expect(screen.getByText('on Apply')).toBeTruthy();
    await fireEvent.input(screen.getByRole('slider', { name: 'Threshold' }), { target: { value: '0.7' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Back to the stored settings' }));
    await waitFor(() => expect(settings.region?.threshold).toBe(0.5));
    expect(settings.band).toEqual({});
    await fireEvent.change(screen.getByRole('spinbutton', { name: 'Band high (Hz)' }), { target: { value: '9000' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Apply to every recording' }));
    await waitFor(() => expect(api.calls.some(([n]) => n === 'jobs:start')).toBe(true));
    expect(api.calls.find(([n]) => n === 'detection:setBand')![1]).toEqual([{ highHz: 9000 }]);
  });

  it('turns tonal mode on before detecting, and back off with the stored settings', async () => {
    const { api, settings } = setup();
    await waitFor(() => expect(settings.preview).not.toBeNull());
    const box = screen.getByRole('checkbox', { name: 'Faint tonal contours' }) as HTMLInputElement;
    expect(box.checked).toBe(false);
    await fireEvent.click(box);
    expect(settings.tonal).toBe(true);
    expect(screen.getByText('on Apply')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Back to the stored settings' }));
    expect(settings.tonal).toBe(false);
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Faint tonal contours' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Apply to every recording' }));
    await waitFor(() => expect(api.calls.some(([n]) => n === 'jobs:start')).toBe(true));
    const order = api.calls.map(([n]) => n).filter((n) => n === 'detection:setTonal' || n === 'jobs:start');
    expect(order).toEqual(['detection:setTonal', 'jobs:start']); // stored before the analysis that needs it
    expect(api.calls.find(([n]) => n === 'detection:setTonal')![1]).toEqual([true]);
    await waitFor(() => expect(settings.tonalChanged).toBe(false)); // stored once the job started
  });

  it('shows main\'s message when there is nothing to preview yet', async () => {
    installFakeApi({
      'detection:settings': () => stored,
      'detection:previewRegions': () => {
        throw new Error('a.wav has no detection to preview yet: run detection first.');
      },
    });
    render(DetectionSettingsPanel, { settings: createDetectionSettings(1), sampleRate: 22_050, onClose: () => undefined, onApply: () => undefined });
    expect((await screen.findByRole('alert')).textContent).toMatch(/run detection first/);
  });
});
