/**
 * Where the app keeps its own files (recent projects, window state, the demo
 * project) and where its bundled resources are. Plain Node: Electron's main
 * sets SONOTYPE_CONFIG_DIR to app.getPath('userData') and, when packaged,
 * SONOTYPE_RESOURCES_DIR to its resources folder.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { sourceRoot } from '../engine/util/source-root';


export function configDir(): string {
  if (process.env.SONOTYPE_CONFIG_DIR) return process.env.SONOTYPE_CONFIG_DIR;
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Sonotype');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Sonotype');
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'sonotype');
}

export function resourcesDir(): string {
  return process.env.SONOTYPE_RESOURCES_DIR ?? join(sourceRoot(), 'resources');
}
