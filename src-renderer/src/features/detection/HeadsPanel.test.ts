import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import type { DetectionHeadView } from '../../../../src-shared/detection-types';
import { installFakeApi } from '../../lib/testing/fake-api';
import HeadsPanel from './HeadsPanel.svelte';
import { createHeadsStore, latestOutcome } from './heads-store.svelte';

const learned = { teacherFrames: 9000, humanFrames: 1200, humanSoundFrames: 700, humanSilenceFrames: 500, recordingsWithHumanLabels: 2 };
const teacher: DetectionHeadView = {
  id: 3, version: 1, type: 'teacher', createdAt: 1_700_000_000_000, active: false,
  learnedFrom: { ...learned, humanFrames: 0, humanSoundFrames: 0, humanSilenceFrames: 0, recordingsWithHumanLabels: 0 },
  heldOut: null, adopted: null, seed: null,
};
const better: DetectionHeadView = {
  id: 7, version: 2, type: 'boosted', createdAt: 1_700_000_100_000, active: true, learnedFrom: learned,
  heldOut: { by: 'recording', folds: 2, frames: 5000, candidate: 0.81, active: 0.7, activeHeadId: 3, tieBreakZ: null }, adopted: true, seed: 11,
};
// The trial's case: a retrain that scored far lower than the head in use is kept aside.
const worse: DetectionHeadView = {
  id: 9, version: 3, type: 'boosted', createdAt: 1_700_000_200_000, active: false, learnedFrom: learned,
  heldOut: { by: 'recording', folds: 2, frames: 5200, candidate: 0.25, active: 0.86, activeHeadId: 7, tieBreakZ: null }, adopted: false, seed: 12,
};

afterEach(() => cleanup());

describe('HeadsPanel', () => {
  it('shows both held-out scores of a worse retrain, keeps the better head active, and switches with one click', async () => {
    let heads = [worse, better, teacher];
    const api = installFakeApi({
      'detection:heads': () => heads,
      'detection:activateHead': (id) => {
        heads = heads.map((h) => ({ ...h, active: h.id === id }));
        return heads.find((h) => h.id === id)!;
      },
    });
    render(HeadsPanel, { store: createHeadsStore() });
    const outcome = await screen.findByTestId('retrain-outcome');
    expect(within(outcome).getByTestId('candidate-score').textContent).toBe('0.250');
    expect(within(outcome).getByTestId('previous-score').textContent).toBe('0.860');
    expect(outcome.textContent).toMatch(/It scored lower, so head v2 stays active/);
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-active'))).toEqual(['false', 'true', 'false']);
    expect(rows[0].textContent).toMatch(/0\.250.*0\.860/);
    expect(rows[2].textContent).toMatch(/no labels \(day-one detector\)/);

    await fireEvent.click(within(outcome).getByRole('button', { name: 'Use head v3 anyway' }));
    await waitFor(() => expect(screen.getAllByRole('row')[1].getAttribute('data-active')).toBe('true'));
    expect(api.calls.filter(([n]) => n === 'detection:activateHead').map(([, a]) => a)).toEqual([[9]]);
    // Now the worse head is in use by choice: one click goes back.
    await fireEvent.click(await screen.findByRole('button', { name: 'Go back to head v2' }));
    await waitFor(() => expect(screen.getAllByRole('row')[2].getAttribute('data-active')).toBe('true'));
  });

  it('says a better retrain was adopted, and shows the reason when a switch fails', async () => {
    installFakeApi({
      'detection:heads': () => [better, teacher],
      'detection:activateHead': () => {
        throw new Error('Head v1 has no cached probabilities for 3 recordings: run detection first.');
      },
    });
    render(HeadsPanel, { store: createHeadsStore() });
    expect((await screen.findByTestId('retrain-outcome')).textContent).toMatch(/scored better, so it is now active/);
    await fireEvent.click(screen.getByRole('button', { name: 'Make active' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/run detection first/);
  });

  it('says when tied scores left the choice to the frame probabilities', async () => {
    const tied: DetectionHeadView = { ...worse, heldOut: { ...worse.heldOut!, candidate: 0.955, active: 0.955, tieBreakZ: -0.3 } };
    installFakeApi({ 'detection:heads': () => [tied, better, teacher] });
    render(HeadsPanel, { store: createHeadsStore() });
    const text = (await screen.findByTestId('retrain-outcome')).textContent!.replace(/\s+/g, ' ');
    expect(text).toMatch(/scores tie.*no closer to the held-out labels \(-0\.3 standard errors\), so head v2 stays active/);
    expect(text).not.toMatch(/scored lower/);
  });

  it('has no outcome before a retrain', () => {
    expect(latestOutcome([teacher])).toBeNull();
    expect(latestOutcome([])).toBeNull();
  });
});
