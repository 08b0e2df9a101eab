/**
 * The exact tile builder as a self-contained task (for the job runner): open
 * the project's tile service, build every exact tile of one recording, close.
 */
import type { Project } from '../project/open-project';
import type { ExactPyramidOptions } from './exact-pyramid';
import { createTileService, type DisplayOption } from './tile-service';

/**
 * Builds and caches every exact tile of `recordingId` in one streaming pass.
 * Cancellable through `opts.signal` (throws CANCELLED); reports progress in
 * STFT frames through `opts.onProgress`. Returns the number of tiles written.
 */
export async function buildRecordingTilePyramid(
  project: Project,
  recordingId: number,
  opts: ExactPyramidOptions & DisplayOption = {},
): Promise<{ tiles: number }> {
  const service = createTileService(project);
  try {
    return await service.buildExactPyramid(recordingId, opts);
  } finally {
    await service.close();
  }
}
