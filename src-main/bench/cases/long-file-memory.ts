/**
 * Peak RSS while analysing a generated 3-hour 96 kHz mono WAV (≈ 2 GB) end to
 * end. Runs the pipeline in a child process so the figure is that process's
 * own high-water mark; the child's RSS right after loading the engine is
 * printed as the baseline.
 */
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { BenchSuite } from '../types';
import { writeBenchRecording } from './bench-audio';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));

export const longFileMemorySuite: BenchSuite = {
  names: ['peak_rss_3h_96k_analysis_mb', 'baseline_rss_engine_loaded_mb', 'features_3h_96k_x_realtime'],
  async run(ctx, emit) {
    const path = join(ctx.tmpDir, 'bench-3h-96k.wav');
    ctx.log('writing a 3-hour 96 kHz WAV (≈ 2 GB)');
    await writeBenchRecording(path, 96_000, 3 * 3600);
    ctx.log('analysing it in a child process');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(here, 'analyse-child.ts'), path], {
      maxBuffer: 1 << 20,
    });
    const r = JSON.parse(stdout.trim().split('\n').pop() as string) as { baselineMb: number; peakMb: number; seconds: number; windows: number };
    emit({ name: 'baseline_rss_engine_loaded_mb', value: r.baselineMb, unit: 'MB', better: 'lower' });
    emit({ name: 'peak_rss_3h_96k_analysis_mb', value: r.peakMb, unit: 'MB', better: 'lower', target: 500, detail: { windows: r.windows } });
    emit({ name: 'features_3h_96k_x_realtime', value: Math.round((10800 / r.seconds) * 100) / 100, unit: 'x realtime', better: 'higher' });
  },
};
