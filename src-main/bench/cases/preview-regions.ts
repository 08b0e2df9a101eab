/**
 * Live preview of detection settings: how long 'detection:previewRegions'
 * takes for a one-hour recording (cached frame probabilities → regions under
 * new settings → the JSON the UI receives), as the settings panel calls it
 * while a slider moves. Target: < 200 ms to redraw a 1-h file (issue 7).
 * In-run baseline: the same call with the stored settings.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchSuite } from '../types';
import { writeBenchRecording } from './bench-audio';
import { createHandlers, closeProject, switchProject, type AppState } from '../../app/handlers';
import { openProject } from '../../engine/project/open-project';
import { scanProject } from '../../engine/project/scan-project';
import { detectProject } from '../../engine/detection/detect-project';

const RATE = 16_000;
const SECONDS = 3600;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export const previewRegionsSuite: BenchSuite = {
  names: ['preview_regions_1h_ms'],
  async run(ctx, emit) {
    const dir = join(ctx.tmpDir, 'preview-regions');
    mkdirSync(dir, { recursive: true });
    ctx.log('writing a 1-hour 16 kHz WAV and detecting it once (not timed)');
    await writeBenchRecording(join(dir, 'one-hour.wav'), RATE, SECONDS);
    const setup = await openProject(dir);
    let recordingId: number;
    try {
      recordingId = (await scanProject(setup)).recordings[0].id;
      await detectProject(setup);
    } finally {
      setup.close();
    }
    const state: AppState = { mode: 'browser', version: 'bench', project: null, emit: () => undefined };
    const handlers = createHandlers(state);
    await switchProject(state, () => openProject(dir));
    try {
      const stored = await handlers['detection:settings']();
      await handlers['detection:previewRegions'](recordingId, stored.region); // warm the statement cache
      const timings: number[] = [];
      let regions = 0;
      let bytes = 0;
      for (const threshold of [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]) {
        const started = performance.now();
        const preview = await handlers['detection:previewRegions'](recordingId, { ...stored.region, threshold, mergeGapSeconds: 0.02 });
        bytes = JSON.stringify(preview).length; // what crosses the WebSocket / IPC
        timings.push(performance.now() - started);
        regions = Math.max(regions, preview.length);
      }
      const baseStarted = performance.now();
      await handlers['detection:previewRegions'](recordingId, stored.region);
      emit({
        name: 'preview_regions_1h_ms',
        value: Math.round(median(timings) * 10) / 10,
        unit: 'ms',
        better: 'lower',
        target: 200,
        detail: {
          recordingSeconds: SECONDS, sampleRate: RATE, maxRegions: regions, jsonBytes: bytes, runs: timings.length,
          worstMs: Math.round(Math.max(...timings)), storedSettingsMs: Math.round(performance.now() - baseStarted),
          path: 'detection:previewRegions handler: cached probabilities → regions → JSON (excludes transport and drawing)',
        },
      });
    } finally {
      await closeProject(state);
    }
  },
};
