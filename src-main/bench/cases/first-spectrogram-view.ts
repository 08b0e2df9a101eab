/**
 * Time to first spectrogram view of a generated 2-hour 96 kHz mono WAV
 * (≈ 1.4 GB), after the project has been scanned, with a cold tile cache:
 * tileInfo + every tile of the whole-file overview (the level whose width
 * fits ~2000 columns) + the first level-0 tile. The in-run baseline is the
 * background exact builder over the same file (one full pipeline pass).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchSuite } from '../types';
import { writeBenchRecording } from './bench-audio';
import { openProject } from '../../engine/project/open-project';
import { scanProject } from '../../engine/project/scan-project';
import { createTileService } from '../../engine/tiles';

const OVERVIEW_COLUMNS = 2000;

export const firstSpectrogramViewSuite: BenchSuite = {
  names: ['first_spectrogram_view_2h_96k_ms', 'exact_pyramid_build_2h_96k_s'],
  async run(ctx, emit) {
    const dir = join(ctx.tmpDir, 'first-view-project');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'bench-2h-96k.wav');
    ctx.log('writing a 2-hour 96 kHz WAV (≈ 1.4 GB)');
    await writeBenchRecording(path, 96_000, 2 * 3600);
    const project = await openProject(dir);
    try {
      ctx.log('scanning the project (not timed)');
      const report = await scanProject(project);
      const id = report.recordings[0].id;

      // Only the view itself is timed: no background build of the exact pyramid meanwhile.
      const tiles = createTileService(project, { requestExactBuild: () => undefined });
      const started = performance.now();
      const info = await tiles.tileInfo(id);
      let level = 0;
      while (info.levelColumns[level] > OVERVIEW_COLUMNS) level++;
      const overview = await Promise.all(Array.from({ length: info.levelTiles[level] }, (_, i) => tiles.getTile(id, level, i)));
      const first = await tiles.getTile(id, 0, 0);
      const ms = performance.now() - started;
      await tiles.close();
      emit({
        name: 'first_spectrogram_view_2h_96k_ms',
        value: Math.round(ms * 10) / 10,
        unit: 'ms',
        better: 'lower',
        target: 1000,
        detail: {
          frameCount: info.frameCount,
          overviewLevel: level,
          overviewColumns: info.levelColumns[level],
          overviewTiles: overview.length,
          overviewApproximate: overview.every((t) => t.approximate),
          firstTileApproximate: first.approximate,
        },
      });

      ctx.log('building the exact pyramid (baseline: one full pass)');
      const builder = createTileService(project);
      const buildStarted = performance.now();
      const { tiles: written } = await builder.buildExactPyramid(id);
      const seconds = (performance.now() - buildStarted) / 1000;
      await builder.close();
      emit({
        name: 'exact_pyramid_build_2h_96k_s',
        value: Math.round(seconds * 100) / 100,
        unit: 's',
        better: 'lower',
        detail: { tiles: written, xRealtime: Math.round((7200 / seconds) * 10) / 10 },
      });
    } finally {
      project.close();
    }
  },
};
