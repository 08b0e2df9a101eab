/**
 * Spectrogram tiles of a project's recordings, for the review UI: the
 * project's own feature pipeline (same FFT, hop, band and dB as the model,
 * at the analysis rate, not z-normalised), paged as a multi-resolution
 * pyramid and cached on disk, so a many-hour file opens at once.
 *
 * How a tile is produced (first match wins):
 * 1. an exact tile from the cache (memory LRU, then disk);
 * 2. fine levels (≤ EXACT_ON_DEMAND_MAX_FRAMES frames per tile) of a seekable
 *    file (WAV/RF64): computed exactly from a range read, then cached;
 * 3. a cached approximate tile;
 * 4. seekable file: an approximate tile sampled from a few frames per column;
 * 5. compressed file (no random access): the exact builder runs once over the
 *    whole file (shared by concurrent requests) and the tile comes from it.
 * `buildExactPyramid` replaces every approximate tile with the exact one
 * (for seekable files it stores only the levels that are not computed on
 * demand: level 0 alone would be as large as a 16-bit recording).
 */
import type { SpectrogramInfo } from '../../../src-shared/review-types';
import { writeFile, access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FeatureConfig } from '../../../src-shared/feature-types';
import { SonotypeError } from '../../../src-shared/errors';
import { openAudioRangeReader, type AudioRangeReader } from '../audio/read-range';
import { featureConfigKey, keptBins } from '../features';
import type { Project } from '../project/open-project';
import { buildExactTiles, type ExactPyramidOptions } from './exact-pyramid';
import { resolveRecordingFile, type RecordingFile } from './recording-file';
import { createTileCache, tileFolderName, type TileCache } from './tile-cache';
import { computeExactTile, computeSampledTile } from './tile-compute';
import { DISPLAY_DB_MAX, DISPLAY_DB_MIN, TILE_COLUMNS, type Tile } from './tile-format';
import { hopSeconds, levelColumns, levelTiles, tileGeometry, tileSpan, type TileGeometry } from './tile-geometry';

/** Tiles covering at most this many STFT frames are computed exactly on demand (≈ 10 ms of work at 512/256). */
export const EXACT_ON_DEMAND_MAX_FRAMES = 4096;
const COMPLETE_MARKER = 'complete';

/** Everything the renderer needs to lay out a recording's tiles and axes (the contract's SpectrogramInfo). */
export type TileInfo = SpectrogramInfo;

/** One tile ready to serve: its encoded bytes (the wire/disk form) and decoded parts. */
export interface TileResult {
  bytes: Uint8Array;
  data: Uint8Array;
  peaks: Float32Array;
  columns: number;
  approximate: boolean;
}

/** An open recording as the media routes need it. */
export interface RecordingSource {
  file: RecordingFile;
  reader: AudioRangeReader;
  geometry: TileGeometry;
  config: FeatureConfig;
}

export interface TileService {
  tileInfo(recordingId: number): Promise<TileInfo>;
  /** Throws NOT_FOUND for an unknown recording or a level/index outside the pyramid. */
  getTile(recordingId: number, level: number, index: number, opts?: { signal?: AbortSignal }): Promise<TileResult>;
  /** Computes and caches every exact tile in one pass (a long job: pass a signal and a progress callback). */
  buildExactPyramid(recordingId: number, opts?: ExactPyramidOptions): Promise<{ tiles: number }>;
  /** The recording's checked file, open reader and geometry (shared with the audio route). */
  source(recordingId: number): Promise<RecordingSource>;
  close(): Promise<void>;
}

interface SourceState extends RecordingSource {
  folder: string;
}

function toResult(entry: { bytes: Uint8Array; tile: Tile }): TileResult {
  const { tile } = entry;
  return { bytes: entry.bytes, data: tile.data, peaks: tile.peaks, columns: tile.columns, approximate: tile.approximate };
}

/** Creates the tile service of an open project (one per project; close it with the project). */
export function createTileService(project: Project, options: { memoryBytes?: number } = {}): TileService {
  const cache: TileCache = createTileCache(project.dir, options.memoryBytes);
  const sources = new Map<number, Promise<SourceState>>();
  const inFlight = new Map<string, Promise<TileResult>>();
  const builds = new Map<string, Promise<{ tiles: number }>>();

  async function openSource(recordingId: number): Promise<SourceState> {
    const file = await resolveRecordingFile(project, recordingId);
    const reader = await openAudioRangeReader(file.absPath);
    const config = project.featureConfigFor(reader.info.sampleRate);
    const geometry = tileGeometry(reader.info, config);
    const folder = tileFolderName({
      recordingId,
      featureConfigKey: featureConfigKey(config),
      contentHash: file.recording.hash,
      sizeBytes: file.sizeBytes,
      mtimeMs: file.mtimeMs,
      channel: geometry.channel,
    });
    await cache.removeStale(folder);
    return { file, reader, geometry, config, folder };
  }

  /** The recording's state, reopened when its file, path or the project's config changed. */
  async function source(recordingId: number): Promise<SourceState> {
    const known = sources.get(recordingId);
    if (known) {
      const state = await known.catch(() => null);
      const file = state ? await resolveRecordingFile(project, recordingId) : null;
      const config = state ? project.featureConfigFor(state.geometry.nativeRate) : null;
      if (
        state && file && config &&
        file.absPath === state.file.absPath && file.sizeBytes === state.file.sizeBytes && file.mtimeMs === state.file.mtimeMs &&
        featureConfigKey(config) === featureConfigKey(state.config)
      ) {
        return state;
      }
      sources.delete(recordingId);
      void state?.reader.close();
    }
    const opening = openSource(recordingId);
    sources.set(recordingId, opening);
    opening.catch(() => sources.delete(recordingId));
    return opening;
  }

  async function produceTile(s: SourceState, level: number, index: number, signal?: AbortSignal): Promise<TileResult> {
    const span = tileSpan(s.geometry, level, index);
    if (!span) {
      throw new SonotypeError('NOT_FOUND', `No tile ${index} at level ${level}: this recording has ${s.geometry.levels} levels.`);
    }
    const cached = await cache.read(s.folder, level, index);
    if (cached && !cached.tile.approximate) return toResult(cached);
    const frames = span.endFrame - span.firstFrame;
    if (s.reader.seekable && frames <= EXACT_ON_DEMAND_MAX_FRAMES) {
      const tile = await computeExactTile({ reader: s.reader, geometry: s.geometry, config: s.config, level, index, span }, signal);
      return toResult(await cache.write(s.folder, tile));
    }
    if (cached) return toResult(cached);
    if (s.reader.seekable) {
      const tile = await computeSampledTile({ reader: s.reader, geometry: s.geometry, config: s.config, level, index, span }, signal);
      return toResult(await cache.write(s.folder, tile));
    }
    await buildAll(s, { signal });
    const built = await cache.read(s.folder, level, index);
    if (!built) throw new SonotypeError('INTERNAL', `Tile ${index} at level ${level} was not produced by the builder.`);
    return toResult(built);
  }

  function buildAll(s: SourceState, opts: ExactPyramidOptions): Promise<{ tiles: number }> {
    const running = builds.get(s.folder);
    if (running) return running;
    const build = (async () => {
      // Seekable files: fine levels are computed exactly on demand, so only coarser levels are stored.
      let minStoredLevel = 0;
      while (s.reader.seekable && TILE_COLUMNS * 2 ** minStoredLevel <= EXACT_ON_DEMAND_MAX_FRAMES) minStoredLevel++;
      const write = async (t: Tile) => void (await cache.write(s.folder, t));
      const tiles = await buildExactTiles(s.file.absPath, s.geometry, s.config, write, { ...opts, minStoredLevel });
      // Short recordings store no level at all (every tile is exact on demand): the folder may not exist yet.
      await mkdir(cache.pathOf(s.folder), { recursive: true });
      await writeFile(join(cache.pathOf(s.folder), COMPLETE_MARKER), `${tiles}\n`);
      return { tiles };
    })();
    builds.set(s.folder, build);
    void build.catch(() => undefined).finally(() => builds.delete(s.folder));
    return build;
  }

  return {
    source,
    async tileInfo(recordingId) {
      const s = await source(recordingId);
      const g = s.geometry;
      const levels = Array.from({ length: g.levels }, (_, level) => level);
      const exactComplete = await access(join(cache.pathOf(s.folder), COMPLETE_MARKER)).then(() => true, () => false);
      return {
        recordingId,
        frameCount: g.frameCount,
        binCount: g.binCount,
        levels: g.levels,
        tileColumns: TILE_COLUMNS,
        hopSeconds: hopSeconds(g),
        analysisRate: g.analysisRate,
        nativeSampleRate: g.nativeRate,
        channel: g.channel,
        frequenciesHz: Array.from(keptBins(s.config).frequenciesHz),
        durationSeconds: g.nativeFrames / g.nativeRate,
        dbRange: [DISPLAY_DB_MIN, DISPLAY_DB_MAX],
        levelColumns: levels.map((l) => levelColumns(g, l)),
        levelTiles: levels.map((l) => levelTiles(g, l)),
        exactComplete,
      };
    },
    async getTile(recordingId, level, index, opts = {}) {
      const s = await source(recordingId);
      const key = `${s.folder}/${level}/${index}`;
      const running = inFlight.get(key);
      if (running) return running;
      const work = produceTile(s, level, index, opts.signal);
      inFlight.set(key, work);
      try {
        return await work;
      } finally {
        inFlight.delete(key);
      }
    },
    async buildExactPyramid(recordingId, opts = {}) {
      return buildAll(await source(recordingId), opts);
    },
    async close() {
      const states = await Promise.all([...sources.values()].map((p) => p.catch(() => null)));
      sources.clear();
      await Promise.all(states.map((s) => s?.reader.close()));
    },
  };
}
