import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listRecentProjects, rememberProject } from './recent-projects';
import { openDemoProject } from './demo-project';
import { listRecordings } from '../engine/store/recordings';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sonotype-config-'));
  process.env.SONOTYPE_CONFIG_DIR = dir;
});
afterEach(async () => {
  delete process.env.SONOTYPE_CONFIG_DIR;
  await rm(dir, { recursive: true, force: true });
});

describe('recent projects', () => {
  it('keeps the newest first, without duplicates, and forgets folders that vanished', async () => {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    await mkdir(a);
    await mkdir(b);
    await rememberProject(a);
    await rememberProject(b);
    await rememberProject(a);
    expect((await listRecentProjects()).map((p) => p.dir)).toEqual([a, b]);
    await rm(b, { recursive: true });
    expect((await listRecentProjects()).map((p) => p.dir)).toEqual([a]);
  });
});

describe('demo project', () => {
  it('opens the bundled recordings in a writable folder and scans them once', async () => {
    const project = await openDemoProject();
    try {
      const recordings = listRecordings(project.db);
      expect(recordings.length).toBeGreaterThanOrEqual(4);
      expect(recordings.every((r) => r.status === 'ok')).toBe(true);
      expect(project.dir.startsWith(dir)).toBe(true);
    } finally {
      project.close();
    }
  });
});
