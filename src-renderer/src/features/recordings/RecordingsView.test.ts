import { describe, expect, it, vi } from 'vitest';
import '@testing-library/svelte/vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import RecordingsView from './RecordingsView.svelte';
import { createRecordingsStore } from './recordings-store.svelte';
import { deferred, installFakeApi } from '../../lib/testing/fake-api';
import { SonotypeError } from '../../../../src-shared/errors';
import type { RecordingRow } from '../../../../src-shared/review-types';
import { threeRows } from './test-rows';

const fileCells = () =>
  within(screen.getByRole('grid', { name: 'Recordings' })).getAllByRole('row').slice(1).map((r) => r.querySelector('td')?.textContent);

describe('RecordingsView', () => {
  it('shows a loading state, then the rows', async () => {
    const pending = deferred<RecordingRow[]>();
    installFakeApi({ 'recordings:table': () => pending.promise });
    render(RecordingsView, { store: createRecordingsStore() });
    expect(screen.getByRole('status').textContent).toMatch(/Loading recordings/);
    pending.resolve(threeRows);
    await screen.findByRole('grid', { name: 'Recordings' });
    expect(fileCells()).toEqual(['a-whale.flac', 'b-dolphin.wav', 'c-broken.wav']);
    expect(screen.getByText('3 of 3 shown')).toBeTruthy();
  });

  it('says plainly when the project has no recordings', async () => {
    installFakeApi({ 'recordings:table': () => [] });
    render(RecordingsView, { store: createRecordingsStore() });
    expect(await screen.findByText(/This project has no recordings yet/)).toBeTruthy();
    expect(screen.queryByRole('grid')).toBeNull();
  });

  it("shows main's error message and retries on request", async () => {
    let fail = true;
    installFakeApi({
      'recordings:table': () => {
        if (fail) throw new SonotypeError('DATABASE', 'The project database is locked by another program.');
        return threeRows;
      },
    });
    render(RecordingsView, { store: createRecordingsStore() });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The project database is locked by another program.');
    fail = false;
    await fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    await screen.findByRole('grid', { name: 'Recordings' });
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('focuses the filter with "/", filters as you type, and sorts from the headers', async () => {
    installFakeApi({ 'recordings:table': () => threeRows });
    render(RecordingsView, { store: createRecordingsStore() });
    await screen.findByRole('grid', { name: 'Recordings' });
    await fireEvent.keyDown(document.body, { key: '/' });
    const filter = screen.getByRole('searchbox', { name: 'Filter recordings' });
    expect(document.activeElement).toBe(filter);
    await fireEvent.input(filter, { target: { value: 'dolph' } });
    expect(fileCells()).toEqual(['b-dolphin.wav']);
    expect(screen.getByText('1 of 3 shown')).toBeTruthy();
    await fireEvent.input(filter, { target: { value: 'nothing like this' } });
    expect(screen.getByText('No recording matches the filter.')).toBeTruthy();
    await fireEvent.keyDown(filter, { key: 'Escape' });
    expect(fileCells()).toHaveLength(3);
    await fireEvent.click(screen.getByRole('button', { name: /Duration/ }));
    expect(fileCells()).toEqual(['b-dolphin.wav', 'a-whale.flac', 'c-broken.wav']);
    await fireEvent.click(screen.getByRole('button', { name: /Duration/ }));
    expect(fileCells()).toEqual(['a-whale.flac', 'b-dolphin.wav', 'c-broken.wav']);
  });

  it('filters by status', async () => {
    installFakeApi({ 'recordings:table': () => threeRows });
    render(RecordingsView, { store: createRecordingsStore() });
    await screen.findByRole('grid', { name: 'Recordings' });
    await fireEvent.change(screen.getByRole('combobox', { name: /Show/ }), { target: { value: 'error' } });
    expect(fileCells()).toEqual(['c-broken.wav']);
  });

  it('rescans the folder, reports the totals and a failure readably', async () => {
    let scanFails = false;
    const api = installFakeApi({
      'recordings:table': () => threeRows,
      'project:scan': () => {
        if (scanFails) throw new SonotypeError('NOT_FOUND', 'The audio folder /data/site-A no longer exists.');
        return { files: 3, ok: 2, errors: 1, durationSeconds: 7230, inserted: 1, updated: 0, relinked: 0, unchanged: 2, missing: 0 };
      },
    });
    render(RecordingsView, { store: createRecordingsStore() });
    await screen.findByRole('grid', { name: 'Recordings' });
    await fireEvent.click(screen.getByRole('button', { name: 'Rescan folder' }));
    expect((await screen.findByRole('status')).textContent).toBe('Scanned 3 files: 1 new, 0 changed, 0 missing, 1 unreadable.');
    expect(api.calls.filter(([name]) => name === 'recordings:table')).toHaveLength(2);
    scanFails = true;
    await fireEvent.click(await screen.findByRole('button', { name: 'Rescan folder' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Scan failed: The audio folder /data/site-A no longer exists.');
  });

  it('opens the review on Enter via the table', async () => {
    installFakeApi({ 'recordings:table': () => threeRows });
    const onOpen = vi.fn();
    render(RecordingsView, { store: createRecordingsStore(), onOpen });
    await screen.findByRole('grid', { name: 'Recordings' });
    const filter = screen.getByRole('searchbox', { name: 'Filter recordings' });
    await fireEvent.keyDown(filter, { key: 'ArrowDown' });
    const focused = document.activeElement as HTMLElement;
    expect(focused.tagName).toBe('TR');
    await fireEvent.keyDown(focused, { key: 'Enter' });
    await waitFor(() => expect(onOpen).toHaveBeenCalledWith(threeRows[1]));
  });

  it('reloads when main reports changed recordings', async () => {
    const api = installFakeApi({ 'recordings:table': () => threeRows });
    const store = createRecordingsStore();
    store.subscribe();
    render(RecordingsView, { store });
    await screen.findByRole('grid', { name: 'Recordings' });
    api.emit('recordings:changed', { count: 3 });
    await waitFor(() => expect(api.calls.filter(([n]) => n === 'recordings:table')).toHaveLength(2));
    store.dispose();
    expect(api.listenerCount('recordings:changed')).toBe(0);
  });
});
