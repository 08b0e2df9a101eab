/**
 * The native menu. File opens projects (dialog, recent list, demo) and
 * forwards Import Annotations… / Export Labels… to the page; Edit's
 * Undo/Redo and View's zoom are forwarded to the page as `menu:command`
 * events, because the page owns the selection and the viewport.
 */
import { Menu, dialog, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand, RecentProject } from '../../src-shared/contract';

export interface MenuActions {
  openFolder(dir: string): Promise<void>;
  openDemo(): Promise<void>;
  recent(): Promise<RecentProject[]>;
  command(command: MenuCommand): void;
}

export async function installMenu(window: BrowserWindow, actions: MenuActions): Promise<void> {
  const recent = await actions.recent();
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        {
          label: 'Open Folder…',
          accelerator: 'CmdOrCtrl+O',
          click: async () => {
            const result = await dialog.showOpenDialog(window, { title: 'Open a folder of recordings', properties: ['openDirectory', 'createDirectory'] });
            if (!result.canceled && result.filePaths[0]) await actions.openFolder(result.filePaths[0]);
          },
        },
        {
          label: 'Recent Projects',
          submenu: recent.length
            ? recent.map((p) => ({ label: p.dir, click: () => void actions.openFolder(p.dir) }))
            : [{ label: 'No recent projects', enabled: false }],
        },
        { label: 'Open Demo Project', click: () => void actions.openDemo() },
        { type: 'separator' },
        // The page owns the dialogs (they work the same in browser mode); tables can also be dropped on the window.
        { label: 'Import Annotations…', accelerator: 'CmdOrCtrl+I', click: () => actions.command('import-annotations') },
        { label: 'Export Labels…', accelerator: 'CmdOrCtrl+E', click: () => actions.command('export-labels') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        { label: 'Undo', accelerator: 'CmdOrCtrl+Z', click: () => actions.command('undo') },
        { label: 'Redo', accelerator: 'CmdOrCtrl+Shift+Z', click: () => actions.command('redo') },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { label: 'Zoom In (time)', accelerator: 'Z', registerAccelerator: false, click: () => actions.command('zoom-in') },
        { label: 'Zoom Out (time)', accelerator: 'X', registerAccelerator: false, click: () => actions.command('zoom-out') },
        { label: 'Whole Recording', click: () => actions.command('zoom-fit') },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        { role: 'toggleDevTools' },
      ],
    },
    { label: 'Help', submenu: [{ label: 'Keyboard Shortcuts', accelerator: '?', registerAccelerator: false, click: () => actions.command('show-help') }] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
