import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '../testing/wav-writer';
import { mixAt, sine, whiteNoise } from '../testing/synth';
import { openProject, type Project } from '../project/open-project';
import { scanProject } from '../project/scan-project';
import { frameCount, windowCount } from '../features';
import { ensureFeatureConfig } from '../store/feature-configs';
import { countWindows } from '../store/windows';
import { getRecording } from '../store/recordings';
import { embedProjectWindows } from './window-analysis';
import type { DetectWork } from './detect-types';
import { listRecordings } from '../store/recordings';

describe('window embeddings of a mixed-rate folder (detect --embed)', () => {
  let dir: string;
  let project: Project | null = null;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sonotype-embed-rates-'));
  });
  afterEach(async () => {
    project?.close();
    project = null;
    await rm(dir, { recursive: true, force: true });
  });

  it('windows each recording at its rate group\'s rate: a 2 kHz file is not upsampled to the 48 kHz files\' rate', async () => {
    const whale = mixAt(whiteNoise(2000, 20, 0.01, 3), sine(2000, 1, 150, 0.3), 2000, 8);
    const dolphin = mixAt(whiteNoise(48_000, 2, 0.01, 4), sine(48_000, 0.5, 9000, 0.3), 48_000, 0.7);
    await writeFile(join(dir, 'whale_2k.wav'), encodeWav([whale], { sampleRate: 2000, format: 'pcm16' }));
    for (const name of ['dolphin_a.wav', 'dolphin_b.wav']) await writeFile(join(dir, name), encodeWav([dolphin], { sampleRate: 48_000, format: 'pcm16' }));
    project = await openProject(dir);
    await scanProject(project);
    const work: DetectWork = {
      recordingsDecoded: 0, audioSecondsDecoded: 0, headTrained: false, recordingsPredicted: 0, regionsDerived: 0,
      heuristicRecordings: 0, windowRowsReplaced: 0, windowsEmbedded: 0, embeddingSeconds: 0,
    };
    await embedProjectWindows(project, listRecordings(project.db), work, [], { backend: 'wasm' });

    const whaleConfig = project.featureConfigFor(2000);
    const mainConfig = project.featureConfig()!;
    expect(whaleConfig.analysisSampleRate).toBe(2000);
    expect(mainConfig.analysisSampleRate).toBe(48_000);
    const whaleId = getRecording(project.db, 'whale_2k.wav')!.id;
    // 20 s at 2 kHz: ceil(40000 / 256) = 157 frames → 9 windows; at 48 kHz it would have been 24× that.
    const expected = windowCount(frameCount(20 * 2000, whaleConfig), whaleConfig);
    expect(countWindows(project.db, whaleId, ensureFeatureConfig(project.db, whaleConfig))).toBe(expected);
    expect(countWindows(project.db, whaleId, ensureFeatureConfig(project.db, mainConfig))).toBe(0);
    const dolphinId = getRecording(project.db, 'dolphin_a.wav')!.id;
    expect(countWindows(project.db, dolphinId, ensureFeatureConfig(project.db, mainConfig))).toBe(windowCount(frameCount(2 * 48_000, mainConfig), mainConfig));
  }, 120_000);
});
