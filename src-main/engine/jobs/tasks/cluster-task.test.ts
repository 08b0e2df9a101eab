/**
 * The 'cluster' job in a worker thread: progress through every phase, a
 * cancel after the distances were checkpointed, and a resume that skips the
 * features and distances and finishes the same clustering.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobProgress } from '../../../../src-shared/job-types';
import { jobResultOf } from '../../../../src-shared/job-kinds';
import { JobRunner } from '../job-runner';
import { openProject, type Project } from '../../project/open-project';
import { scanProject } from '../../project/scan-project';
import { createLabel } from '../../store/labels';
import { listRecordings } from '../../store/recordings';
import { currentClusterRun, listRunMembers } from '../../store/sound-clusters';
import { encodeWav } from '../../testing/wav-writer';
import { concat, digitalSilence, fmWhistle } from '../../testing/synth';

const RATE = 16_000;
const CALLS = 150;
let dir: string;
let project: Project;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sonotype-cluster-task-'));
  const parts: Float32Array[] = [];
  const starts: number[] = [];
  let at = 0;
  for (let k = 0; k < CALLS; k++) {
    const gap = digitalSilence(RATE, 0.05);
    const up = k % 2 === 0;
    const call = fmWhistle({ sampleRate: RATE, durationSeconds: 0.08, startHz: up ? 2000 : 6000, endHz: up ? 6000 : 2000, vibratoHz: 0 });
    starts.push(at + gap.length);
    parts.push(gap, call);
    at += gap.length + call.length;
  }
  await writeFile(join(dir, 'calls.wav'), encodeWav([concat(...parts)], { sampleRate: RATE, format: 'pcm16' }));
  project = await openProject(dir);
  await scanProject(project);
  const rec = listRecordings(project.db)[0];
  for (const s of starts) createLabel(project.db, { recordingId: rec.id, startSample: s, endSample: s + Math.round(0.08 * RATE), value: 'sound' });
});

afterAll(async () => {
  project?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("'cluster' job", () => {
  it('reports every phase, resumes after a cancel without recomputing distances', async () => {
    const runner = new JobRunner(project.db);
    try {
      const events: JobProgress[] = [];
      runner.onProgress((p) => events.push(p));
      let first = -1;
      let cancelled = false;
      runner.onProgress((p) => {
        if (p.jobId === first && p.phase === 'map' && !cancelled) {
          cancelled = true;
          runner.cancel(first);
        }
      });
      first = runner.start('cluster', { k: 2 });
      const stopped = await runner.wait(first);
      expect(stopped.state).toBe('cancelled');
      const phases = new Set(events.filter((e) => e.jobId === first).map((e) => e.phase));
      for (const phase of ['regions', 'features', 'distances', 'clustering', 'map']) expect(phases).toContain(phase);
      expect(currentClusterRun(project.db)).toBeNull();

      const second = runner.resume(first);
      const done = await runner.wait(second);
      expect(done.state).toBe('succeeded');
      const result = jobResultOf(done, 'cluster')!;
      expect(result.seconds.distances).toBe(0);
      expect(events.filter((e) => e.jobId === second).map((e) => e.phase)).not.toContain('distances');
      expect(result).toMatchObject({ regions: CALLS, clusters: 2, unclustered: 0, representation: 'mfcc', linkage: 'complete' });
      // Up- and down-sweeps alternate: the two clusters must alternate too.
      const members = listRunMembers(project.db, result.runId);
      expect(members.every((m, i) => (m.clusterId === members[0].clusterId) === (i % 2 === 0))).toBe(true);
      expect(members.every((m) => m.x !== null && Number.isFinite(m.y))).toBe(true);
    } finally {
      await runner.shutdown();
    }
  }, 120_000);
});
