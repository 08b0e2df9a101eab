/** The "Recent Projects" list: newest first, at most 10, folders that vanished are dropped. */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RecentProject } from '../../src-shared/contract';
import { configDir } from './app-paths';

const MAX_RECENT = 10;
const fileName = () => join(configDir(), 'recent-projects.json');

export async function listRecentProjects(): Promise<RecentProject[]> {
  let list: RecentProject[] = [];
  try {
    const parsed = JSON.parse(await readFile(fileName(), 'utf8')) as unknown;
    if (Array.isArray(parsed)) {
      list = parsed.filter((p): p is RecentProject => typeof p?.dir === 'string' && typeof p?.openedAt === 'number');
    }
  } catch {
    // No list yet, or an unreadable one: start afresh rather than fail to start.
  }
  return list.filter((p) => existsSync(p.dir));
}

export async function rememberProject(dir: string): Promise<RecentProject[]> {
  const abs = resolve(dir);
  const list = [{ dir: abs, openedAt: Date.now() }, ...(await listRecentProjects()).filter((p) => p.dir !== abs)].slice(0, MAX_RECENT);
  await mkdir(configDir(), { recursive: true });
  const tmp = `${fileName()}.tmp`;
  await writeFile(tmp, JSON.stringify(list, null, 1));
  await rename(tmp, fileName());
  return list;
}
