import { describe, expect, it, vi } from 'vitest';
import '@testing-library/svelte/vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import App from './App.svelte';
import { installFakeApi, type FakeHandlers } from './lib/testing/fake-api';
import type { AppInfo, ProjectInfo } from '../../src-shared/contract';
import { threeRows } from './features/recordings/test-rows';

// The review view is another engineer's; the shell only has to mount it with the right recording.
vi.mock('./features/review/ReviewView.svelte', async () => ({ default: (await import('./lib/testing/ReviewViewStub.svelte')).default }));

const project: ProjectInfo = { dir: '/data/reef-2023', audioRoot: '/data/reef-2023', recordingCount: 3, featureConfig: null };
const info = (p: ProjectInfo | null): AppInfo => ({ version: '0.1.0', mode: 'browser', project: p });
const base: FakeHandlers = {
  'recordings:table': () => threeRows,
  'jobs:list': () => [],
  'project:recent': () => [],
  'retrain:lastReport': () => null,
  'figures:trainingLoss': () => null,
  'figures:filters': () => null,
};

describe('App shell', () => {
  it('shows the start screen without a project, then the recordings once one is opened', async () => {
    installFakeApi({ ...base, 'app:info': () => info(null), 'project:open': () => project });
    render(App);
    expect(screen.getByRole('heading', { name: 'Sonotype' })).toBeTruthy();
    await screen.findByRole('heading', { name: 'Open a project' });
    expect(screen.getByText('v0.1.0 · browser mode')).toBeTruthy();
    await fireEvent.input(screen.getByLabelText('Folder path'), { target: { value: '/data/reef-2023' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Open folder' }));
    await screen.findByRole('grid', { name: 'Recordings' });
    expect(screen.getByText('reef-2023')).toBeTruthy();
  });

  it('switches views from the top bar and with Alt+number, and shows the jobs indicator', async () => {
    const api = installFakeApi({ ...base, 'app:info': () => info(project) });
    render(App);
    await screen.findByRole('grid', { name: 'Recordings' });
    const nav = screen.getByRole('navigation', { name: 'Views' });
    expect(within(nav).getByRole('button', { name: 'Recordings' }).getAttribute('aria-current')).toBe('page');
    await fireEvent.click(within(nav).getByRole('button', { name: 'Jobs' }));
    expect(await screen.findByText(/No jobs yet/)).toBeTruthy();
    await fireEvent.keyDown(window, { key: '3', altKey: true });
    expect(await screen.findByRole('heading', { name: 'Retrain the silence head' })).toBeTruthy();
    api.emit('jobs:progress', { jobId: 4, kind: 'detect', state: 'running', phase: 'embedding', done: 1, total: 2, etaSeconds: 3 });
    const indicator = await screen.findByRole('button', { name: 'Jobs: 1 job active · detect 50%' });
    await fireEvent.click(indicator);
    expect(await screen.findByRole('list', { name: 'Jobs' })).toBeTruthy();
  });

  it('opens the review of the selected recording with Enter and comes back', async () => {
    installFakeApi({ ...base, 'app:info': () => info(project) });
    render(App);
    await screen.findByRole('grid', { name: 'Recordings' });
    const row = screen.getByText('b-dolphin.wav').closest('tr') as HTMLTableRowElement;
    await fireEvent.click(row);
    await fireEvent.keyDown(row, { key: 'Enter' });
    expect(await screen.findByText('Reviewing recording 1')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Back to recordings' }));
    expect(await screen.findByRole('grid', { name: 'Recordings' })).toBeTruthy();
  });

  it('follows a project opened from the menu and shows help on request', async () => {
    const api = installFakeApi({ ...base, 'app:info': () => info(null) });
    render(App);
    await screen.findByRole('heading', { name: 'Open a project' });
    api.emit('project:changed', project);
    await screen.findByRole('grid', { name: 'Recordings' });
    api.emit('menu:command', { command: 'show-help' });
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    await fireEvent.keyDown(window, { key: 'Escape' });
    await waitFor(() => expect(dialog.isConnected).toBe(false));
  });

  it('shows a readable message when the engine cannot be reached', async () => {
    installFakeApi({});
    render(App);
    expect((await screen.findByRole('alert')).textContent).toContain('The fake backend has no handler for app:info.');
  });

  it('shows the review\'s keys from the top bar\'s ? while a recording is open', async () => {
    installFakeApi({ ...base, 'app:info': () => info(project) });
    render(App);
    const row = (await screen.findAllByRole('row')).find((r) => r.textContent?.includes('b-dolphin.wav'))!;
    await fireEvent.dblClick(row);
    await screen.findByText('Reviewing recording 1');
    await fireEvent.click(screen.getByRole('button', { name: 'Keyboard shortcuts' }));
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(dialog.textContent).toContain('Split the selected label at the cursor');
    expect(dialog.textContent).not.toContain('Filter the recordings');
  });
});

describe('App shell lifetime', () => {
  it('starts no project session when it is torn down while app:info is still on its way', async () => {
    let answer!: (value: AppInfo) => void;
    const api = installFakeApi({ ...base, 'app:info': () => new Promise<AppInfo>((resolve) => (answer = resolve)) });
    const { unmount } = render(App);
    await waitFor(() => expect(api.calls.map(([name]) => name)).toEqual(['app:info']));
    unmount();
    answer(info(project));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(api.calls.map(([name]) => name)).toEqual(['app:info']); // no recordings:table, no jobs:list
    for (const event of ['jobs:progress', 'recordings:changed', 'recording:changed', 'project:changed', 'menu:command'] as const) {
      expect(api.listenerCount(event), event).toBe(0);
    }
  });

  it("releases the open project's listeners when another project is opened, and all of them on teardown", async () => {
    const api = installFakeApi({ ...base, 'app:info': () => info(project) });
    const { unmount } = render(App);
    await screen.findByRole('grid', { name: 'Recordings' });
    expect(api.listenerCount('jobs:progress')).toBe(1);
    api.emit('project:changed', { ...project, dir: '/data/other' });
    await waitFor(() => expect(screen.getByText('other')).toBeTruthy());
    expect(api.listenerCount('jobs:progress')).toBe(1);
    expect(api.listenerCount('recordings:changed')).toBe(1);
    unmount();
    for (const event of ['jobs:progress', 'recordings:changed', 'recording:changed', 'project:changed', 'menu:command'] as const) {
      expect(api.listenerCount(event), event).toBe(0);
    }
  });
});
