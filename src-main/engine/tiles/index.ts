/**
 * Spectrogram tiles and media for the review UI: a multi-resolution pyramid
 * of each recording's display spectrogram at its native rate, computed in the
 * main process (or a 'tiles' job), cached on disk and served (with paged
 * audio) through `/media/…` routes.
 */
export {
  createTileService, EXACT_ON_DEMAND_BUDGET, type TileService, type TileServiceOptions, type TileInfo, type TileResult, type RecordingSource,
} from './tile-service';
export { buildExactTiles, type ExactPyramidOptions } from './exact-pyramid';
export { buildRecordingTilePyramid } from './build-task';
export { handleMediaRequest, MAX_AUDIO_SECONDS, MAX_AUDIO_FRAMES, type MediaResponse, type MediaRequestHeaders } from './media-handler';
export {
  TILE_COLUMNS, TILE_FORMAT_VERSION, DISPLAY_DB_MIN, DISPLAY_DB_MAX, HEADER_BYTES,
  encodeTile, decodeTile, quantiseDb, type Tile,
} from './tile-format';
export { tileGeometry, tileSpan, levelColumns, levelTiles, displayStftConfig, type TileGeometry, type TileSpan } from './tile-geometry';
export { DC_BLOCK_SAMPLES, DcBlocks } from './dc-offset';
export { TILE_CACHE_SUBDIR } from './tile-cache';
export { SAMPLED_FRAMES_PER_COLUMN } from './tile-compute';
