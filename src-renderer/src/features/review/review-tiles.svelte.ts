/**
 * The spectrogram and waveform tiles of one review: a tile loader for the
 * review's current spectrogram settings (replaced when they change), which
 * tiles to ask for, what the whole-file tile tells (the waveform's scale, the
 * file's peak, the first auto levels) and the refresh of sampled preview
 * tiles until the exact ones exist. Everything it starts lives in the scope it
 * is given, so closing the review (even mid-load) stops it.
 */
import { displaySettingsQuery } from '../../../../src-shared/display-types';
import type { Scope } from '../../../../src-shared/scope';
import { autoLevels } from '../../lib/colormap';
import { tileUrl } from '../../lib/media-urls';
import type { ReviewStore } from './review-store.svelte';
import { createTileLoader, tileCapacityFor, type TileLoader } from './tile-loader';
import { autoLevelsOfPieces, peakAmplitude, planSpectrogram, waveformScale } from './tile-plan';
import { tilesForRange, viewportEnd, visibleTiles, type TileKey } from './viewport';

/** How often sampled preview tiles are fetched again while exact ones are being built (by a 'tiles' job in main). */
const REFRESH_PREVIEW_MS = 1000;

export class ReviewTiles {
  loader = $state<TileLoader | null>(null);
  /** Bumped whenever a tile arrives: the canvases redraw on it. */
  version = $state(0);
  error = $state<string | null>(null);
  amplitudeScale = $state(1);
  filePeak = $state<number | null>(null);
  /** Whether the canvas shows sampled preview tiles (set by the canvas). */
  preview = $state(false);
  /** The loader's own scope: new spectrogram settings replace the loader. */
  private loaderScope: Scope | null = null;
  private autoLevelsDone = false;

  constructor(
    private readonly store: ReviewStore,
    private readonly scope: Scope,
  ) {}

  /** The whole-file tile: the stand-in while closer tiles load, and the source of scale, peak and first levels. */
  get topTile(): TileKey | null {
    const info = this.store.info;
    return info ? { level: info.levels - 1, index: 0 } : null;
  }

  /** (Re)starts tile paging for the review's current spectrogram settings. */
  start(): void {
    const review = this.store.review;
    if (!review) return;
    this.loaderScope?.dispose();
    this.loaderScope = this.scope.child();
    const query = displaySettingsQuery(review.spectrogram.display);
    const recordingId = this.store.recordingId;
    const loader = this.loaderScope.own(createTileLoader({
      urlFor: (k) => tileUrl(review.mediaBase, review.mediaQuery, recordingId, k.level, k.index, query),
      capacity: tileCapacityFor(review.spectrogram.binCount),
    }));
    loader.onChange(() => this.onChanged());
    this.loader = loader;
    this.autoLevelsDone = false;
  }

  /** Fetches sampled preview tiles again until the exact ones exist, for as long as the review lives. */
  keepPreviewsFresh(): void {
    this.scope.interval(() => {
      if (this.preview || !this.store.review?.spectrogram.exactComplete) this.loader?.refreshApproximate();
    }, REFRESH_PREVIEW_MS);
  }

  /** Asks for what is on screen, then one screen either side (smooth panning), then the whole-file tile as stand-in. */
  wantVisible(): void {
    const info = this.store.info;
    const top = this.topTile;
    if (!this.loader || !info || !top) return;
    const vp = this.store.viewport;
    const { level, tiles } = visibleTiles(info, vp);
    const span = viewportEnd(vp) - vp.startSeconds;
    const around = tilesForRange(info, level, vp.startSeconds - span, viewportEnd(vp) + span);
    this.loader.want([top, ...tiles, ...around.filter((k) => !tiles.some((t) => t.index === k.index))]);
  }

  /** Colour levels from the tiles on screen (the Auto button). */
  autoLevelsFromScreen(): void {
    const info = this.store.info;
    if (!info || !this.loader) return;
    const levels = autoLevelsOfPieces(planSpectrogram(info, this.store.viewport, (k) => this.loader?.get(k)).pieces);
    if (levels) this.store.display = { ...this.store.display, ...levels };
  }

  private onChanged(): void {
    this.version++;
    this.error = this.loader?.error ?? null;
    const top = this.topTile && this.loader?.get(this.topTile);
    if (!top) return;
    this.amplitudeScale = waveformScale(top.peaks);
    this.filePeak = peakAmplitude(top.peaks);
    if (!this.autoLevelsDone && !this.store.displayTouched) {
      this.autoLevelsDone = true;
      const levels = autoLevels(top.data, top.dbRange);
      if (levels) this.store.display = { ...this.store.display, ...levels };
    }
  }
}
