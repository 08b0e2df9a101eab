import { describe, expect, it, vi } from 'vitest';
import '@testing-library/svelte/vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import RecordingsTable from './RecordingsTable.svelte';
import { recordingRow, threeRows } from './test-rows';

const bodyRows = () => within(screen.getByRole('grid', { name: 'Recordings' })).getAllByRole('row').slice(1);

describe('RecordingsTable', () => {
  it('shows each recording with duration, rate, channels, status, % silence and review progress', () => {
    render(RecordingsTable, {
      rows: [
        recordingRow({ silenceFraction: 0.4567, regionCount: 8, reviewedCount: 2 }),
        recordingRow({ id: 2, path: 'broken.wav', status: 'error', error: { code: 'EMPTY_FILE', message: 'File is empty (0 bytes).' }, sampleRate: null, durationSeconds: null, silenceFraction: null, regionCount: 0 }),
      ],
    });
    const [first, second] = bodyRows();
    const cells = Array.from(first.querySelectorAll('td')).map((c) => c.textContent?.trim());
    expect(cells.slice(0, 6)).toEqual(['a.wav', '1:01.5', '48000', '1', 'ok', '45.7%']);
    expect(cells[6]).toContain('2 / 8');
    expect(within(first).getByLabelText('Reviewed 2 of 8 regions')).toBeTruthy();
    expect(within(second).getByText('File is empty (0 bytes).')).toBeTruthy();
  });

  it('marks a cut-short recording with its warning (the full text on hover)', () => {
    const warning = 'The header says 2.5 s; the file holds 1.1 s (it was cut short, e.g. by an interrupted copy). Sonotype analyses what is there.';
    render(RecordingsTable, { rows: [recordingRow({ warning })] });
    const marker = within(bodyRows()[0]).getByText(/cut short/);
    expect(marker.getAttribute('title')).toBe(warning);
  });

  it('draws 0 reviewed as an empty bar and all reviewed as a full one', () => {
    render(RecordingsTable, { rows: [recordingRow({ regionCount: 26, reviewedCount: 0 }), recordingRow({ id: 2, path: 'b.wav', regionCount: 4, reviewedCount: 4 })] });
    const [none, all] = bodyRows().map((row) => within(row).getByRole('progressbar'));
    expect(none.tagName).not.toBe('PROGRESS'); // Chromium's native bar draws its light track: 0 % looked full
    expect((within(none).getByTestId('progress-fill') as HTMLElement).style.width).toBe('0%');
    expect((within(all).getByTestId('progress-fill') as HTMLElement).style.width).toBe('100%');
  });

  it('asks to sort when a header is clicked and marks the sorted column', async () => {
    const onSort = vi.fn();
    render(RecordingsTable, { rows: threeRows, sortKey: 'duration', direction: 'desc', onSort });
    const header = screen.getByRole('columnheader', { name: /Duration/ });
    expect(header.getAttribute('aria-sort')).toBe('descending');
    expect(screen.getByRole('columnheader', { name: /File/ }).getAttribute('aria-sort')).toBe('none');
    await fireEvent.click(screen.getByRole('button', { name: /Silence/ }));
    expect(onSort).toHaveBeenCalledWith('silence');
  });

  it('moves with the arrow keys, Home and End, and opens the selected recording with Enter', async () => {
    const onOpen = vi.fn();
    render(RecordingsTable, { rows: threeRows, onOpen });
    let rows = bodyRows();
    expect(rows[0].getAttribute('aria-selected')).toBe('true');
    expect(rows.map((r) => r.tabIndex)).toEqual([0, -1, -1]);
    rows[0].focus();
    await fireEvent.keyDown(rows[0], { key: 'ArrowDown' });
    rows = bodyRows();
    expect(rows[1].getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(rows[1]);
    await fireEvent.keyDown(rows[1], { key: 'Enter' });
    expect(onOpen).toHaveBeenCalledWith(threeRows[1]);
    await fireEvent.keyDown(rows[1], { key: 'End' });
    expect(document.activeElement).toBe(bodyRows()[2]);
    // The broken file cannot be reviewed: Enter does nothing.
    await fireEvent.keyDown(bodyRows()[2], { key: 'Enter' });
    expect(onOpen).toHaveBeenCalledTimes(1);
    await fireEvent.keyDown(bodyRows()[2], { key: 'ArrowDown' });
    expect(document.activeElement).toBe(bodyRows()[2]);
    await fireEvent.keyDown(bodyRows()[2], { key: 'Home' });
    await fireEvent.keyDown(bodyRows()[0], { key: 'ArrowUp' });
    expect(document.activeElement).toBe(bodyRows()[0]);
  });

  it('opens a recording on double-click', async () => {
    const onOpen = vi.fn();
    render(RecordingsTable, { rows: threeRows, onOpen });
    await fireEvent.dblClick(screen.getByText('b-dolphin.wav'));
    expect(onOpen).toHaveBeenCalledWith(threeRows[0]);
  });
});
