/**
 * Display spectrogram tiles of a project's recordings, for the review UI: an
 * STFT at the recording's native rate with the researcher's display settings
 * (FFT size, window, overlap; independent of the model's features), paged as
 * a multi-resolution pyramid and cached on disk, so a many-hour file opens at
 * once. Waveform peaks ride along in each tile, with the DC offset removed.
 *
 * How a tile is produced (first match wins):
 * 1. an exact tile from the cache (memory LRU, then disk);
 * 2. tiles of a seekable file (WAV/RF64) whose frames × FFT size fit
 *    EXACT_ON_DEMAND_BUDGET: computed exactly from a range read, then cached;
 * 3. a cached approximate tile;
 * 4. seekable file: an approximate tile sampled from a few frames per column;
 * 5. compressed file (no random access): the exact builder runs once over the
 *    whole file (shared by concurrent requests) and the tile comes from it.
 * Whenever an approximate tile is served, the exact pyramid of that
 * recording is asked for once: through `requestExactBuild` (the app starts a
 * 'tiles' job, off the main thread), else in this process. `buildExactPyramid`
 * replaces every approximate tile with the exact one (for seekable files it
 * stores only the levels that are not computed on demand: level 0 alone would
 * be as large as a 16-bit recording).
 */
import type { SpectrogramInfo } from '../../../src-shared/review-types';
import { writeFile, access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DEFAULT_DISPLAY_SPECTROGRAM, displaySettingsKey, displaySettingsProblem, type DisplaySpectrogramSettings,
} from '../../../src-shared/display-types';
import { SonotypeError } from '../../../src-shared/errors';
import { openAudioRangeReader, type AudioRangeReader } from '../audio/read-range';
import { getSetting } from '../store/settings';
import type { Project } from '../project/open-project';
import { DcBlocks } from './dc-offset';
import { buildExactTiles, type ExactPyramidOptions } from './exact-pyramid';
import { resolveRecordingFile, type RecordingFile } from './recording-file';
import { createTileCache, tileFolderName, type TileCache } from './tile-cache';
import { computeExactTile, computeSampledTile } from './tile-compute';
import { DISPLAY_DB_MAX, DISPLAY_DB_MIN, TILE_COLUMNS, type Tile } from './tile-format';
import { displayFrequencies, hopSeconds, levelColumns, levelTiles, tileGeometry, tileSpan, type TileGeometry } from './tile-geometry';

/**
 * Tiles whose frames × FFT size stay within this are computed exactly on
 * demand (4096 frames of a 512 FFT, ≈ 10 ms of work); coarser ones come
 * from the builder.
 */
export const EXACT_ON_DEMAND_BUDGET = 4096 * 512;
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
  settings: DisplaySpectrogramSettings;
  /** DC block means of this recording (shared by tiles and audio pages). */
  dc: DcBlocks;
}

/** Per-call choice of display settings (default: DEFAULT_DISPLAY_SPECTROGRAM). */
export interface DisplayOption {
  settings?: DisplaySpectrogramSettings;
}

export interface TileService {
  tileInfo(recordingId: number, opts?: DisplayOption): Promise<TileInfo>;
  /** Throws NOT_FOUND for an unknown recording or a level/index outside the pyramid. */
  getTile(recordingId: number, level: number, index: number, opts?: DisplayOption & { signal?: AbortSignal }): Promise<TileResult>;
  /** Computes and caches every exact tile in one pass (a long job: pass a signal and a progress callback). */
  buildExactPyramid(recordingId: number, opts?: ExactPyramidOptions & DisplayOption): Promise<{ tiles: number }>;
  /** The recording's checked file, open reader and geometry (shared with the audio route). */
  source(recordingId: number, opts?: DisplayOption): Promise<RecordingSource>;
  close(): Promise<void>;
}

export interface TileServiceOptions {
  memoryBytes?: number;
  /**
   * Asked (once per recording and settings) to build the exact pyramid when a
   * preview tile was served. Without it the service builds in this process.
   */
  requestExactBuild?: (recordingId: number, settings: DisplaySpectrogramSettings) => void;
}

interface SourceState extends RecordingSource {
  folder: string;
}

function toResult(entry: { bytes: Uint8Array; tile: Tile }): TileResult {
  const { tile } = entry;
  return { bytes: entry.bytes, data: tile.data, peaks: tile.peaks, columns: tile.columns, approximate: tile.approximate };
}

function checkedSettings(opts: DisplayOption | undefined): DisplaySpectrogramSettings {
  const settings = opts?.settings ?? DEFAULT_DISPLAY_SPECTROGRAM;
  const problem = displaySettingsProblem(settings);
  if (problem) throw new SonotypeError('INVALID_ARGUMENT', problem);
  return settings;
}

/** Creates the tile service of an open project (one per project; close it with the project). */
export function createTileService(project: Project, options: TileServiceOptions = {}): TileService {
  const cache: TileCache = createTileCache(project.dir, options.memoryBytes);
  const sources = new Map<string, Promise<SourceState>>();
  const dcOf = new Map<string, DcBlocks>();
  const inFlight = new Map<string, Promise<TileResult>>();
  const builds = new Map<string, Promise<{ tiles: number }>>();
  const buildsAsked = new Set<string>();
  // In-process background builds stop when the service closes.
  const closing = new AbortController();
  const channel = () => getSetting(project.db, 'channel') ?? 0;

  async function openSource(recordingId: number, settings: DisplaySpectrogramSettings): Promise<SourceState> {
    const file = await resolveRecordingFile(project, recordingId);
    const reader = await openAudioRangeReader(file.absPath);
    const geometry = tileGeometry(reader.info, settings, channel());
    const folder = tileFolderName({
      recordingId,
      displayKey: displaySettingsKey(settings),
      contentHash: file.recording.hash,
      sizeBytes: file.sizeBytes,
      mtimeMs: file.mtimeMs,
      channel: geometry.channel,
    });
    // DC means depend on the file version and channel only: shared by every display setting.
    const dcKey = `${file.absPath}|${file.sizeBytes}|${file.mtimeMs}|${geometry.channel}`;
    let dc = dcOf.get(dcKey);
    if (!dc) {
      dc = new DcBlocks(reader, geometry.channel, geometry.nativeFrames);
      dcOf.set(dcKey, dc);
    }
    await cache.removeStale(folder);
    return { file, reader, geometry, settings, dc, folder };
  }

  /** The recording's state, reopened when its file, path or the project's channel changed. */
  async function source(recordingId: number, opts?: DisplayOption): Promise<SourceState> {
    const settings = checkedSettings(opts);
    const key = `${recordingId}|${displaySettingsKey(settings)}`;
    const known = sources.get(key);
    if (known) {
      const state = await known.catch(() => null);
      const file = state ? await resolveRecordingFile(project, recordingId) : null;
      if (
        state && file &&
        file.absPath === state.file.absPath && file.sizeBytes === state.file.sizeBytes && file.mtimeMs === state.file.mtimeMs &&
        Math.min(channel(), Math.max(0, state.reader.info.channels - 1)) === state.geometry.channel
      ) {
        return state;
      }
      sources.delete(key);
      void state?.reader.close();
    }
    const opening = openSource(recordingId, settings);
    sources.set(key, opening);
    opening.catch(() => sources.delete(key));
    return opening;
  }

  function askForExactBuild(s: SourceState, recordingId: number): void {
    if (buildsAsked.has(s.folder)) return;
    buildsAsked.add(s.folder);
    if (options.requestExactBuild) options.requestExactBuild(recordingId, s.settings);
    else void buildAll(s, { signal: closing.signal }).catch(() => buildsAsked.delete(s.folder));
  }

  async function produceTile(s: SourceState, recordingId: number, level: number, index: number, signal?: AbortSignal): Promise<TileResult> {
    const span = tileSpan(s.geometry, level, index);
    if (!span) {
      throw new SonotypeError('NOT_FOUND', `No tile ${index} at level ${level}: this recording has ${s.geometry.levels} levels.`);
    }
    const cached = await cache.read(s.folder, level, index);
    if (cached && !cached.tile.approximate) return toResult(cached);
    const frames = span.endFrame - span.firstFrame;
    const request = { reader: s.reader, geometry: s.geometry, dc: s.dc, level, index, span };
    if (s.reader.seekable && frames * s.geometry.fftSize <= EXACT_ON_DEMAND_BUDGET) {
      return toResult(await cache.write(s.folder, await computeExactTile(request, signal)));
    }
    askForExactBuild(s, recordingId);
    if (cached) return toResult(cached);
    if (s.reader.seekable) return toResult(await cache.write(s.folder, await computeSampledTile(request, signal)));
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
      while (s.reader.seekable && TILE_COLUMNS * 2 ** minStoredLevel * s.geometry.fftSize <= EXACT_ON_DEMAND_BUDGET) minStoredLevel++;
      const write = async (t: Tile) => void (await cache.write(s.folder, t));
      const onDcBlock = (block: number, mean: number) => s.dc.remember(block, mean);
      const tiles = await buildExactTiles(s.file.absPath, s.geometry, write, { ...opts, minStoredLevel, onDcBlock });
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
    async tileInfo(recordingId, opts) {
      const s = await source(recordingId, opts);
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
        nativeSampleRate: g.nativeRate,
        channel: g.channel,
        frequenciesHz: displayFrequencies(g),
        nyquistHz: g.nativeRate / 2,
        display: s.settings,
        durationSeconds: g.nativeFrames / g.nativeRate,
        dbRange: [DISPLAY_DB_MIN, DISPLAY_DB_MAX],
        levelColumns: levels.map((l) => levelColumns(g, l)),
        levelTiles: levels.map((l) => levelTiles(g, l)),
        exactComplete,
      };
    },
    async getTile(recordingId, level, index, opts = {}) {
      const s = await source(recordingId, opts);
      const key = `${s.folder}/${level}/${index}`;
      const running = inFlight.get(key);
      if (running) return running;
      const work = produceTile(s, recordingId, level, index, opts.signal);
      inFlight.set(key, work);
      try {
        return await work;
      } finally {
        inFlight.delete(key);
      }
    },
    async buildExactPyramid(recordingId, opts = {}) {
      return buildAll(await source(recordingId, opts), opts);
    },
    async close() {
      closing.abort();
      await Promise.all([...builds.values()].map((b) => b.catch(() => undefined)));
      const states = await Promise.all([...sources.values()].map((p) => p.catch(() => null)));
      sources.clear();
      dcOf.clear();
      await Promise.all(states.map((s) => s?.reader.close()));
    },
  };
}
