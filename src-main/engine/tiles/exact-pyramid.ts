/**
 * The background builder: one streaming pass over a recording (decode →
 * display STFT at the native rate, frames centred on their columns), writing
 * every tile of every level. Level L+1 columns are the max of pairs of
 * level-L columns, so each level is exact max-pooling of the frames it
 * covers. Memory stays at one tile per level plus the decoder's buffers.
 */
import { readAudioBlocks } from '../audio/read-blocks';
import { createStreamingStft } from '../features';
import { DcRemover } from './dc-offset';
import { DISPLAY_DB_MAX, DISPLAY_DB_MIN, TILE_COLUMNS, quantiseValues, type Tile } from './tile-format';
import { displayStftConfig, nativeStartOfFrame, type TileGeometry } from './tile-geometry';

export interface ExactPyramidOptions {
  signal?: AbortSignal;
  /** Called after each chunk of frames with (frames done, total frames). */
  onProgress?: (done: number, total: number) => void;
  /**
   * Levels below this are pooled but not written (default 0: write all).
   * Fine levels of seekable files are cheaper to compute on demand than to
   * store: level 0 alone is as large as a 16-bit recording.
   */
  minStoredLevel?: number;
}

/** Min/max of the native samples each level-0 column owns (DC removed), in column order. */
class PeakTracker {
  private column = 0;
  private position = 0;
  private nextBoundary: number;
  private lo = Infinity;
  private hi = -Infinity;
  /** Finished columns not yet taken: lo, hi pairs from `head`. */
  private queue: number[] = [];
  private head = 0;

  constructor(private readonly g: TileGeometry) {
    this.nextBoundary = nativeStartOfFrame(g, 1);
  }

  push(block: Float32Array): void {
    let i = 0;
    while (i < block.length) {
      while (this.position >= this.nextBoundary && this.column < this.g.frameCount) this.closeColumn();
      const end = this.column < this.g.frameCount ? Math.min(block.length, i + (this.nextBoundary - this.position)) : block.length;
      let lo = this.lo;
      let hi = this.hi;
      for (let j = i; j < end; j++) {
        const x = block[j];
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
      this.lo = lo;
      this.hi = hi;
      this.position += end - i;
      i = end;
    }
  }

  /** Closes every remaining column (those without samples read 0, 0). */
  finish(): void {
    while (this.column < this.g.frameCount) this.closeColumn();
  }

  /** Peaks of the next column, or null when it is not complete yet. */
  take(): [number, number] | null {
    if (this.head >= this.queue.length) return null;
    const pair: [number, number] = [this.queue[this.head], this.queue[this.head + 1]];
    this.head += 2;
    if (this.head > 4096) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return pair;
  }

  private closeColumn(): void {
    const empty = this.lo === Infinity;
    this.queue.push(empty ? 0 : this.lo, empty ? 0 : this.hi);
    this.lo = Infinity;
    this.hi = -Infinity;
    this.column++;
    this.nextBoundary = nativeStartOfFrame(this.g, this.column + 1);
  }
}

/** Accumulates the columns of one level into tiles and hands pairs up to the next level. */
class LevelWriter {
  private data: Uint8Array;
  private peaks: Float32Array;
  private count = 0;
  private index = 0;
  private pending: Uint8Array | null = null;
  private pendingLo = 0;
  private pendingHi = 0;

  constructor(
    private readonly level: number,
    private readonly bins: number,
    private readonly up: LevelWriter | null,
    private readonly ready: Tile[],
    private readonly store: boolean,
  ) {
    this.data = new Uint8Array(TILE_COLUMNS * bins);
    this.peaks = new Float32Array(2 * TILE_COLUMNS);
  }

  add(column: Uint8Array, lo: number, hi: number): void {
    this.data.set(column, this.count * this.bins);
    this.peaks[2 * this.count] = lo;
    this.peaks[2 * this.count + 1] = hi;
    if (++this.count === TILE_COLUMNS) this.flushTile();
    if (!this.up) return;
    if (!this.pending) {
      this.pending = column.slice();
      this.pendingLo = lo;
      this.pendingHi = hi;
      return;
    }
    const merged = this.pending;
    for (let b = 0; b < this.bins; b++) if (column[b] > merged[b]) merged[b] = column[b];
    this.pending = null;
    this.up.add(merged, Math.min(this.pendingLo, lo), Math.max(this.pendingHi, hi));
  }

  /** Sends an unpaired last column up (it covers fewer frames) and writes the partial tile. */
  finish(): void {
    if (this.pending && this.up) this.up.add(this.pending, this.pendingLo, this.pendingHi);
    this.pending = null;
    if (this.count > 0) this.flushTile();
  }

  private flushTile(): void {
    if (!this.store) {
      this.count = 0;
      this.index++;
      return;
    }
    this.ready.push({
      level: this.level,
      index: this.index++,
      columns: this.count,
      bins: this.bins,
      approximate: false,
      dbRange: [DISPLAY_DB_MIN, DISPLAY_DB_MAX],
      data: this.data.slice(0, this.count * this.bins),
      peaks: this.peaks.slice(0, 2 * this.count),
    });
    this.count = 0;
  }
}

/**
 * Streams `absPath` once and hands every exact tile of every level to
 * `writeTile` (level-0 tiles in order, coarser ones as they complete, the
 * top level last), from `opts.minStoredLevel` up. Throws CANCELLED when `signal` aborts. Returns the number
 * of tiles written. Usable as a job task: it reports progress in frames.
 * `onDcBlock` receives each DC block's mean (the tile service caches them for on-demand tiles).
 */
export async function buildExactTiles(
  absPath: string,
  g: TileGeometry,
  writeTile: (tile: Tile) => Promise<void>,
  opts: ExactPyramidOptions & { onDcBlock?: (block: number, mean: number) => void } = {},
): Promise<number> {
  const ready: Tile[] = [];
  const writers: LevelWriter[] = [];
  for (let level = g.levels - 1; level >= 0; level--) {
    writers[level] = new LevelWriter(level, g.binCount, writers[level + 1] ?? null, ready, level >= (opts.minStoredLevel ?? 0));
  }
  const peaks = new PeakTracker(g);
  const pending: Uint8Array[] = []; // level-0 columns waiting for their peaks
  let emitted = 0;
  let written = 0;
  const bins = g.binCount;

  const dc = new DcRemover((samples, block, mean) => {
    peaks.push(samples);
    opts.onDcBlock?.(block, mean);
  });
  function drain(): void {
    while (pending.length > 0) {
      const p = peaks.take();
      if (!p) return;
      writers[0].add(pending.shift() as Uint8Array, p[0], p[1]);
      emitted++;
    }
  }
  async function flushReady(): Promise<void> {
    const tiles = ready.splice(0);
    for (const t of tiles) await writeTile(t);
    written += tiles.length;
  }

  let seen = 0;
  async function take(chunk: { frames: number; data: Float32Array }): Promise<void> {
    const q = new Uint8Array(chunk.data.length);
    quantiseValues(chunk.data, 'db', q);
    // A decoder that delivers more than the header promised: frames past the geometry are not shown.
    const usable = Math.max(0, Math.min(chunk.frames, g.frameCount - seen));
    for (let f = 0; f < usable; f++) pending.push(q.subarray(f * bins, (f + 1) * bins));
    seen += chunk.frames;
    drain();
    await flushReady();
    opts.onProgress?.(Math.min(seen, g.frameCount), g.frameCount);
  }

  // Centred frames: the STFT sees `lead` zeros before the first sample (tile-geometry.ts).
  const stft = createStreamingStft(displayStftConfig(g), g.window);
  await take(stft.push(new Float32Array(g.leadSamples)));
  for await (const block of readAudioBlocks(absPath, { channel: g.channel, signal: opts.signal })) {
    dc.push(block);
    await take(stft.push(block));
  }
  dc.finish();
  if (seen < g.frameCount) await take(stft.finish());
  peaks.finish();
  // Fewer frames than the header promised (a truncated compressed file): show silence.
  while (emitted + pending.length < g.frameCount) pending.push(new Uint8Array(bins));
  drain();
  for (const w of writers) w.finish();
  await flushReady();
  opts.onProgress?.(g.frameCount, g.frameCount);
  return written;
}
