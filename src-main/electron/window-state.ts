/** Remembers the window's size, position and maximised state between runs. */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { screen, type BrowserWindow, type Rectangle } from 'electron';

export interface WindowState {
  bounds: Rectangle;
  maximized: boolean;
}

const DEFAULT: WindowState = { bounds: { x: 0, y: 0, width: 1280, height: 820 }, maximized: false };

export function loadWindowState(dir: string): WindowState {
  try {
    const file = join(dir, 'window-state.json');
    if (!existsSync(file)) return DEFAULT;
    const state = JSON.parse(readFileSync(file, 'utf8')) as WindowState;
    // A display that was unplugged must not leave the window off-screen.
    const visible = screen.getAllDisplays().some((d) => {
      const a = d.workArea;
      return state.bounds.x < a.x + a.width && state.bounds.x + state.bounds.width > a.x && state.bounds.y < a.y + a.height && state.bounds.y + state.bounds.height > a.y;
    });
    return visible ? state : { ...state, bounds: { ...DEFAULT.bounds, width: state.bounds.width, height: state.bounds.height } };
  } catch {
    return DEFAULT;
  }
}

export function trackWindowState(window: BrowserWindow, dir: string): void {
  const save = () => {
    try {
      mkdirSync(dir, { recursive: true });
      const state: WindowState = { bounds: window.getNormalBounds(), maximized: window.isMaximized() };
      writeFileSync(join(dir, 'window-state.json'), JSON.stringify(state));
    } catch {
      // Losing the window position is not worth an error dialog.
    }
  };
  window.on('close', save);
}
