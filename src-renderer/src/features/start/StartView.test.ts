import { describe, expect, it, vi } from 'vitest';
import '@testing-library/svelte/vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import StartView from './StartView.svelte';
import { deferred, installFakeApi } from '../../lib/testing/fake-api';
import { SonotypeError } from '../../../../src-shared/errors';
import type { ProjectInfo, RecentProject } from '../../../../src-shared/contract';

const project = (dir: string): ProjectInfo => ({ dir, audioRoot: dir, recordingCount: 4, featureConfig: null });

describe('StartView', () => {
  it('opens a typed folder path and reports the project', async () => {
    const api = installFakeApi({ 'project:recent': () => [], 'project:open': (dir) => project(dir) });
    const onOpened = vi.fn();
    render(StartView, { mode: 'browser', onOpened });
    await fireEvent.input(screen.getByLabelText('Folder path'), { target: { value: '  /data/site-A ' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Open folder' }));
    await waitFor(() => expect(onOpened).toHaveBeenCalledWith(project('/data/site-A')));
    expect(api.calls).toContainEqual(['project:open', ['/data/site-A']]);
  });

  it("shows main's reason when the folder cannot be opened, and asks for a path when empty", async () => {
    installFakeApi({
      'project:recent': () => [],
      'project:open': (dir) => { throw new SonotypeError('NOT_FOUND', `Folder ${dir} does not exist.`); },
    });
    const onOpened = vi.fn();
    render(StartView, { mode: 'browser', onOpened });
    await fireEvent.click(screen.getByRole('button', { name: 'Open folder' }));
    expect(screen.getByRole('alert').textContent).toBe('Could not open the project: Type the path of a folder that holds your recordings.');
    await fireEvent.input(screen.getByLabelText('Folder path'), { target: { value: '/nope' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Open folder' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Could not open the project: Folder /nope does not exist.'));
    expect(onOpened).not.toHaveBeenCalled();
  });

  it('lists recent projects (loading, then items) and opens one', async () => {
    const pending = deferred<RecentProject[]>();
    installFakeApi({ 'project:recent': () => pending.promise, 'project:open': (dir) => project(dir) });
    const onOpened = vi.fn();
    render(StartView, { mode: 'electron', onOpened });
    expect(screen.getByRole('status').textContent).toBe('Loading recent projects…');
    expect(screen.getByText(/File → Open Folder…/)).toBeTruthy();
    pending.resolve([{ dir: '/data/reef-2023', openedAt: Date.UTC(2024, 0, 2) }, { dir: '/data/forest', openedAt: Date.UTC(2023, 5, 1) }]);
    const list = await screen.findByRole('list', { name: 'Recent projects' });
    const buttons = within(list).getAllByRole('button');
    expect(buttons.map((b) => b.querySelector('strong')?.textContent)).toEqual(['reef-2023', 'forest']);
    await fireEvent.click(buttons[1]);
    await waitFor(() => expect(onOpened).toHaveBeenCalledWith(project('/data/forest')));
  });

  it('says when there are no recent projects and when they cannot be loaded', async () => {
    installFakeApi({ 'project:recent': () => [] });
    render(StartView, { mode: 'browser', onOpened: vi.fn() });
    expect(await screen.findByText('No recent projects yet.')).toBeTruthy();
    document.body.innerHTML = '';
    installFakeApi({ 'project:recent': () => { throw new SonotypeError('DATABASE', 'The settings file is corrupt.'); } });
    render(StartView, { mode: 'browser', onOpened: vi.fn() });
    expect((await screen.findByRole('alert')).textContent).toBe('Could not load recent projects: The settings file is corrupt.');
  });

  it('opens the demo project', async () => {
    installFakeApi({ 'project:recent': () => [], 'project:openDemo': () => project('/home/me/Sonotype demo') });
    const onOpened = vi.fn();
    render(StartView, { mode: 'browser', onOpened });
    await fireEvent.click(screen.getByRole('button', { name: 'Open demo project' }));
    await waitFor(() => expect(onOpened).toHaveBeenCalledWith(project('/home/me/Sonotype demo')));
  });
});
