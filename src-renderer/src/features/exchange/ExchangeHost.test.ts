import { describe, expect, it } from 'vitest';
import '@testing-library/svelte/vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { ImportReport } from '../../../../src-shared/exchange-types';
import { deferred, installFakeApi } from '../../lib/testing/fake-api';
import { SonotypeError } from '../../../../src-shared/errors';
import { threeRows } from '../recordings/test-rows';
import ExchangeHost from './ExchangeHost.svelte';

const report: ImportReport = {
  tables: [{ name: 'a.txt', format: 'audacity', encoding: 'utf-8', rows: 3, imported: 2, duplicates: 0, rejected: 1 }],
  imported: 2, duplicates: 0, rejected: 1, recordingIds: [1],
  issues: [{ file: 'a.txt', line: 3, reason: 'the start "x" is not a number of seconds.' }],
};

/** A drop event carrying files, as the browser sends it. */
function dropEvent(files: File[], directory = false): Event {
  const event = new Event('drop', { bubbles: true, cancelable: true });
  const items = files.map(() => ({ webkitGetAsEntry: () => ({ isDirectory: directory }) }));
  Object.defineProperty(event, 'dataTransfer', { value: { files, items, types: ['Files'] } });
  return event;
}

/** Renders the host, opens the import dialog from the desktop menu and picks one small table (a.txt). */
async function openImportWithTable(api: ReturnType<typeof installFakeApi>): Promise<void> {
  render(ExchangeHost, { projectDir: '/data/p', recordings: threeRows });
  api.emit('menu:command', { command: 'import-annotations' });
  const dialog = await screen.findByRole('dialog', { name: 'Import annotations' });
  const input = dialog.querySelector('input[type=file]') as HTMLInputElement;
  Object.defineProperty(input, 'files', { value: [new File(['1\t2\tx\n'], 'a.txt')] });
  await fireEvent.change(input);
}

describe('annotation exchange in the app', () => {
  it('the desktop menu opens the import dialog; the result lists each rejected row and can undo the import', async () => {
    const api = installFakeApi({ 'exchange:import': () => report, 'history:undo': () => ({ canUndo: false, canRedo: true }) });
    await openImportWithTable(api);
    await fireEvent.click(screen.getByLabelText(/Reference truth/));
    await fireEvent.click(screen.getByRole('button', { name: 'Import 1' }));
    expect(await screen.findByText(/the start "x" is not a number of seconds/)).toBeTruthy();
    expect(screen.getByText('a.txt, line 3')).toBeTruthy();
    const [, [tables, options]] = api.calls.find(([name]) => name === 'exchange:import')!;
    expect(tables).toEqual([{ name: 'a.txt', base64: btoa('1\t2\tx\n') }]);
    expect(options).toEqual({ as: 'reference' });
    await fireEvent.click(screen.getByRole('button', { name: 'Undo this import' }));
    await screen.findByRole('button', { name: 'Import undone' });
  });

  it("shows the import job's rows read, and Cancel stops it with nothing changed", async () => {
    const pending = deferred<ImportReport>();
    const api = installFakeApi({
      'exchange:import': () => pending.promise,
      'jobs:cancel': () => {
        pending.reject(new SonotypeError('CANCELLED', 'The import job (#7) was cancelled.'));
        return true;
      },
    });
    await openImportWithTable(api);
    await fireEvent.click(screen.getByRole('button', { name: 'Import 1' }));
    await waitFor(() => expect(api.calls.some(([name]) => name === 'exchange:import')).toBe(true));
    const job = { jobId: 7, kind: 'import', state: 'running', etaSeconds: null } as const;
    api.emit('jobs:progress', { ...job, kind: 'export', phase: 'writing', done: 1, total: 2 });
    api.emit('jobs:progress', { ...job, phase: 'matching', done: 1500, total: 4000, itemsLabel: 'rows' });
    expect((await screen.findByTestId('import-progress')).textContent).toMatch(/Reading rows: 1,?500 of 4,?000/);
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel import' }));
    expect(api.calls.find(([name]) => name === 'jobs:cancel')![1]).toEqual([7]);
    expect((await screen.findByRole('alert')).textContent).toBe('Import cancelled: nothing was changed.');
    expect(screen.queryByTestId('import-progress')).toBeNull();
    expect(api.listenerCount('jobs:progress')).toBe(0);
  });

  it('imports tables dropped on the window at once, and leaves dropped folders and other files alone', async () => {
    const api = installFakeApi({ 'exchange:import': () => report });
    render(ExchangeHost, { projectDir: '/data/p', recordings: threeRows });
    const folder = dropEvent([new File([''], 'site A')], true);
    window.dispatchEvent(folder);
    const audio = dropEvent([new File(['RIFF'], 'x.wav')]);
    window.dispatchEvent(audio);
    expect(folder.defaultPrevented || audio.defaultPrevented).toBe(false);
    const tables = dropEvent([new File(['file,start,end\n'], 'events.csv'), new File(['RIFF'], 'x.wav')]);
    window.dispatchEvent(tables);
    expect(tables.defaultPrevented).toBe(true);
    await screen.findByTestId('import-result');
    const [, [sent]] = api.calls.find(([name]) => name === 'exchange:import')!;
    expect((sent as { name: string }[]).map((t) => t.name)).toEqual(['events.csv']);
  });

  it('the export dialog proposes a folder per format and shows what was written', async () => {
    const api = installFakeApi({ 'exchange:export': (r) => ({ format: r.format, outDir: r.outDir, files: ['labels.csv'], recordings: 2, labels: 7 }) });
    render(ExchangeHost, { projectDir: '/data/p', recordings: threeRows });
    api.emit('menu:command', { command: 'export-labels' });
    await screen.findByRole('dialog', { name: 'Export labels' });
    expect((screen.getByLabelText('Export folder') as HTMLInputElement).value).toBe('/data/p/exports/raven');
    await fireEvent.change(screen.getByLabelText('Export format'), { target: { value: 'csv' } });
    await waitFor(() => expect((screen.getByLabelText('Export folder') as HTMLInputElement).value).toBe('/data/p/exports/csv'));
    await fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    expect((await screen.findByTestId('export-result')).textContent).toMatch(/7 labels of 2 recordings written to \/data\/p\/exports\/csv/);
    expect(api.calls.find(([name]) => name === 'exchange:export')![1]).toEqual([{ format: 'csv', outDir: '/data/p/exports/csv', source: 'human' }]);
  });
});
