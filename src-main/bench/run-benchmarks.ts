/**
 * The benchmark runner. Every later benchmark registers its suite in SUITES.
 * Output: one JSON object per line on stdout,
 * `{"name","value","unit","better","target"?,"machine"}`; logs go to stderr.
 * Arguments are name filters (substring match): `npm run bench -- stft`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeMachine } from './machine';
import type { BenchLine, BenchSuite } from './types';
import { featureThroughputSuite } from './cases/feature-throughput';
import { longFileMemorySuite } from './cases/long-file-memory';
import { modelsSuite } from './cases/models';
import { firstSpectrogramViewSuite } from './cases/first-spectrogram-view';
import { rendererMemorySuite } from './cases/renderer-memory';
import { exactFullViewSuite } from './cases/exact-full-view';
import { previewRegionsSuite } from './cases/preview-regions';
import { exchangeSuite } from './cases/exchange';
import { distributedSuite } from './cases/distributed';

import { detectionSuite } from './cases/detection/detection-bench';
import { clusterSuite } from './cases/cluster';
import { reliabilitySuite } from './cases/reliability';

export const SUITES: BenchSuite[] = [
  featureThroughputSuite, longFileMemorySuite, firstSpectrogramViewSuite, exactFullViewSuite, previewRegionsSuite, modelsSuite, rendererMemorySuite,
  exchangeSuite, distributedSuite, detectionSuite, clusterSuite, reliabilitySuite,
];

export async function runBenchmarks(filters: string[]): Promise<number> {
  const wanted = (name: string) => filters.length === 0 || filters.some((f) => name.includes(f));
  const machine = describeMachine();
  const tmpDir = await mkdtemp(join(process.env.SONOTYPE_BENCH_TMP ?? tmpdir(), 'sonotype-bench-'));
  let failures = 0;
  try {
    for (const suite of SUITES) {
      if (!suite.names.some(wanted)) continue;
      try {
        await suite.run({ tmpDir, wanted, log: (m) => process.stderr.write(`[bench] ${m}\n`) }, (line: BenchLine) => {
          if (wanted(line.name)) process.stdout.write(`${JSON.stringify({ ...line, machine })}\n`);
        });
      } catch (error) {
        failures++;
        process.stderr.write(`[bench] suite ${suite.names.join(',')} failed: ${(error as Error).stack}\n`);
      }
    }
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
  return failures ? 1 : 0;
}
