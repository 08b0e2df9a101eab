/**
 * One odd file or folder never stops or silently skews a scan: a backslash in
 * a file name (it used to abort the whole scan), a sub-folder that cannot be
 * read (it used to be skipped without a word, and its recordings were then
 * flagged missing), a cut-short file (stored with its warning).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sine } from '../testing/synth';
import { encodeWav } from '../testing/wav-writer';
import { getRecording } from '../store/recordings';
import { openProject } from './open-project';
import { scanProject } from './scan-project';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const wav = encodeWav([sine(16_000, 0.5, 440)], { sampleRate: 16_000, format: 'pcm16' });
const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});
function tempRoot(): string {
  const r = mkdtempSync(path.join(os.tmpdir(), 'sonotype-scan-faults-'));
  roots.push(r);
  return r;
}

describe('scan faults', () => {
  it('scans a file whose name holds a backslash, and the others', async () => {
    const root = tempRoot();
    writeFileSync(path.join(root, 'site\\night 1.wav'), wav);
    writeFileSync(path.join(root, 'b.wav'), wav);
    const project = await openProject(root);
    try {
      const report = await scanProject(project);
      expect(report.recordings.map((r) => [r.path, r.status])).toEqual([['b.wav', 'ok'], ['site\\night 1.wav', 'ok']]);
    } finally {
      project.close();
    }
  });

  it('stores a cut-short file as ok with its warning', async () => {
    const root = tempRoot();
    writeFileSync(path.join(root, 'cut.wav'), wav.subarray(0, 44 + 2 * 4000));
    const project = await openProject(root);
    try {
      const report = await scanProject(project);
      expect(report.recordings[0]).toMatchObject({ status: 'ok', durationSeconds: 0.25, warning: expect.stringMatching(/header says 0\.5 s; the file holds 0\.25 s/) });
      expect(getRecording(project.db, 'cut.wav')!.warning).toBe(report.recordings[0].warning);
      // Repaired (the copy completed): the warning goes.
      writeFileSync(path.join(root, 'cut.wav'), wav);
      await scanProject(project);
      expect(getRecording(project.db, 'cut.wav')!.warning).toBeUndefined();
    } finally {
      project.close();
    }
  });

  const isRoot = process.getuid?.() === 0;
  const canDropPrivileges = isRoot && spawnSync('runuser', ['-u', 'nobody', '--', 'true']).status === 0;
  if (isRoot && !canDropPrivileges) console.warn('Skipping the unreadable-folder test: running as root and `runuser -u nobody` is unavailable.');

  it.skipIf(isRoot && !canDropPrivileges)('reports an unreadable sub-folder and does not flag its recordings missing', async () => {
    const root = tempRoot();
    mkdirSync(path.join(root, 'open'));
    mkdirSync(path.join(root, 'locked'));
    writeFileSync(path.join(root, 'open', 'a.wav'), wav);
    writeFileSync(path.join(root, 'locked', 'b.wav'), wav);
    // The first scan sees both; then the folder becomes unreadable (a permission change, a failing disk).
    const script = path.join(root, 'scan.mts');
    writeFileSync(
      script,
      `import { openProject } from ${JSON.stringify(path.join(here, 'open-project.ts'))};\n` +
        `import { scanProject } from ${JSON.stringify(path.join(here, 'scan-project.ts'))};\n` +
        `import { listRecordings } from ${JSON.stringify(path.join(here, '../store/recordings.ts'))};\n` +
        `const p = await openProject(${JSON.stringify(root)});\nconst r = await scanProject(p);\n` +
        `console.log(JSON.stringify({ totals: r.totals, missing: listRecordings(p.db).filter((x) => x.missing).map((x) => x.path) }));\np.close();\n`,
    );
    const run = () => {
      const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
      const command = isRoot ? ['runuser', ['-u', 'nobody', '--', process.execPath, tsx, script]] as const : [process.execPath, [tsx, script]] as const;
      const stdout = execFileSync(command[0], [...command[1]], { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: root }, encoding: 'utf8' });
      return JSON.parse(stdout.trim().split('\n').pop() as string) as { totals: { files: number; unreadableFolders?: { path: string; error: { code: string; message: string } }[] }; missing: string[] };
    };
    chmodSync(root, 0o777);
    for (const d of ['open', 'locked']) chmodSync(path.join(root, d), 0o777);
    chmodSync(script, 0o644);
    const first = run();
    expect(first.totals.files).toBe(2);
    chmodSync(path.join(root, 'locked'), 0o000);
    const second = run();
    expect(second.totals.files).toBe(1);
    expect(second.totals.unreadableFolders).toEqual([{ path: 'locked', error: { code: 'UNREADABLE', message: expect.stringMatching(/ermission denied/) } }]);
    expect(second.missing).toEqual([]);
    chmodSync(path.join(root, 'locked'), 0o777);
    expect(readFileSync(path.join(root, 'locked', 'b.wav')).length).toBe(wav.length);
  });
});
