/**
 * A small real project for the review e2e test, built in a temp folder (the
 * shared recordings are only read, never written): a few real recordings
 * copied into `audio/`, two synthesised scenes beside them, scanned and run
 * through detection so every recording has regions before the browser opens.
 */
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openProject } from '../../src-main/engine/project/open-project';
import { scanProject } from '../../src-main/engine/project/scan-project';
import { detectProject } from '../../src-main/engine/detection/detect-project';
import type { DetectResult } from '../../src-main/engine/detection/detect-types';
import { synthScene, type SceneSegment } from '../../src-main/engine/testing/synth';
import { encodeWav } from '../../src-main/engine/testing/wav-writer';
import { sharedRecordingsDir } from './paths';

/** Real recordings copied into the project (MIT / OGL-Canada files; small). */
export const REAL_RECORDINGS = [
  'dolphin_osmose_220925_223450.wav',
  'dolphin_osmose_220925_223500.wav',
  'orca_srkw_calltype_S01-J_L-1.wav',
] as const;

const SYNTH_RATE = 48_000;
const SYNTH_SECONDS = 20;

/** Two scenes with sounds at known times; everything else is low-level noise ("silence"). */
export const SYNTH_SCENES: Record<string, SceneSegment[]> = {
  'synth_scene_a.wav': [
    { kind: 'whistle', startSeconds: 2, endSeconds: 5 },
    { kind: 'clicks', startSeconds: 9, endSeconds: 11 },
    { kind: 'burst', startSeconds: 14, endSeconds: 17 },
  ],
  'synth_scene_b.wav': [
    { kind: 'burst', startSeconds: 3, endSeconds: 5.5 },
    { kind: 'whistle', startSeconds: 10, endSeconds: 13 },
  ],
};

export interface ReviewProject {
  root: string;
  projectDir: string;
  audioDir: string;
  detection: DetectResult;
}

/** Creates, scans and detects the project. The caller removes `root`. */
export async function createReviewProject(): Promise<ReviewProject> {
  const root = await mkdtemp(join(tmpdir(), 'sonotype-e2e-review-'));
  const audioDir = join(root, 'audio');
  const projectDir = join(root, 'project');
  await mkdir(audioDir, { recursive: true });
  for (const name of REAL_RECORDINGS) await copyFile(join(sharedRecordingsDir, name), join(audioDir, name));
  let seed = 21;
  for (const [name, segments] of Object.entries(SYNTH_SCENES)) {
    const samples = synthScene(SYNTH_RATE, segments, SYNTH_SECONDS, 0.002, seed++);
    await writeFile(join(audioDir, name), encodeWav([samples], { sampleRate: SYNTH_RATE, format: 'pcm16' }));
  }
  const project = await openProject(projectDir, { audioRoot: audioDir });
  try {
    await scanProject(project);
    const detection = await detectProject(project);
    return { root, projectDir, audioDir, detection };
  } finally {
    project.close();
  }
}
