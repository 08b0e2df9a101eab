/**
 * State of the review view for one recording: what was loaded, the viewport,
 * selection and current region, playback settings, undo state and messages.
 * Editing (labels:*, history:*) and the review queue live in label-edits.ts
 * and review-queue.ts and work on this store.
 */
import type { ApiEvents } from '../../../../src-shared/contract';
import type { HistoryState, LabelView, RecordingReview, RegionView } from '../../../../src-shared/review-types';
import { Scope } from '../../../../src-shared/scope';
import { call, getApi } from '../../lib/api';
import { DEFAULT_DISPLAY, type DisplaySettings } from '../../lib/colormap';
import { knownPreferences, loadPreferences, savePreferences } from '../../lib/preferences';
import type { Arrival } from './navigation';
import { sortSpans } from './spans';
import {
  chooseLevel, clampViewport, panViewport, revealSpan, wholeFileViewport, zoomViewport, type PyramidInfo, type Viewport,
} from './viewport';

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  message: string;
  /** A button beside the message (e.g. Undo after an edit). */
  action?: { label: string; run: () => void };
  /** Toasts with the same topic replace each other (only the latest edit offers Undo). */
  topic?: string;
}

/** How long an info message stays; errors stay until closed or replaced. */
const INFO_TOAST_MS = 4000;
/** Edit confirmations stay longer: their Undo button must be reachable. */
const EDIT_TOAST_MS = 8000;
const MAX_TOASTS = 4;

export class ReviewStore {
  status = $state<'loading' | 'ready' | 'error'>('loading');
  loadError = $state<string | null>(null);
  review = $state.raw<RecordingReview | null>(null);
  regions = $state.raw<RegionView[]>([]);
  labels = $state.raw<LabelView[]>([]);
  viewport = $state<Viewport>({ startSeconds: 0, secondsPerPixel: 1, widthPx: 1000 });
  selectedLabelIds = $state<number[]>([]);
  currentRegionId = $state<number | null>(null);
  /** Edit cursor and playhead (seconds): where splits happen and playback starts. */
  cursorSeconds = $state(0);
  playing = $state(false);
  playbackRate = $state(1);
  preservePitch = $state(true);
  looping = $state(false);
  history = $state<HistoryState>({ canUndo: false, canRedo: false });
  toasts = $state<Toast[]>([]);
  /** After an S/N decision, go to the next uncertain region of this recording (a preference; see preferences.ts). */
  autoAdvance = $state(true);
  /** The value a newly drawn label gets: 'sound' unless the researcher chose another. */
  drawValue = $state('sound');
  /** True while a label is being drawn with the mouse: S / N then set its value instead of deciding a region. */
  drafting = $state(false);
  /** Start of a label being marked from the keyboard (I at the playhead, O ends it), or null. */
  markInSeconds = $state<number | null>(null);
  display = $state<DisplaySettings>({ ...DEFAULT_DISPLAY });
  /** True once the researcher moved a display slider, so automatic levels stop overriding them. */
  displayTouched = $state(false);
  helpOpen = $state(false);
  /** Number of edits in flight (buttons show a busy state). */
  pendingEdits = $state(0);

  readonly info: PyramidInfo | null = $derived(this.review ? toPyramidInfo(this.review) : null);
  readonly level: number = $derived(this.info ? chooseLevel(this.info, this.viewport.secondsPerPixel) : 0);
  readonly currentRegion: RegionView | null = $derived(this.regions.find((r) => r.id === this.currentRegionId) ?? null);
  readonly selectedLabels: LabelView[] = $derived(this.labels.filter((l) => this.selectedLabelIds.includes(l.id)));
  readonly durationSeconds: number = $derived(this.review?.durationSeconds ?? 0);

  private nextToastId = 1;
  /** Lives until close(): event subscription and toast timers. */
  private readonly scope = new Scope();
  /** The current open()'s subscription (a retry replaces it). */
  private openScope: Scope | null = null;
  private editChain: Promise<unknown> = Promise.resolve();

  /** Set once the researcher changed a preference here, so the stored one arriving late does not undo it. */
  private preferencesTouched = false;

  constructor(readonly recordingId: number) {
    const preferences = knownPreferences();
    this.autoAdvance = preferences.autoAdvance;
    this.drawValue = preferences.drawValue;
  }

  /** Turns auto-advance on or off, and remembers it. */
  setAutoAdvance(on: boolean): void {
    this.autoAdvance = on;
    this.preferencesTouched = true;
    void savePreferences({ autoAdvance: on });
  }

  /** Chooses the value of newly drawn labels (also of the one being drawn now), and remembers it. */
  setDrawValue(value: string): void {
    this.drawValue = value;
    this.preferencesTouched = true;
    void savePreferences({ drawValue: value });
  }

  /** Applies the stored preferences (auto-advance is remembered: it no longer switches itself back on per recording). */
  private async applyStoredPreferences(): Promise<void> {
    const stored = await loadPreferences();
    if (this.preferencesTouched || this.scope.disposed) return;
    this.autoAdvance = stored.autoAdvance;
    this.drawValue = stored.drawValue;
  }

  /** Loads the recording (review:open) and the undo state, and follows change events (until close()). */
  async open(widthPx = this.viewport.widthPx): Promise<void> {
    this.status = 'loading';
    this.loadError = null;
    let review: RecordingReview;
    const preferences = this.applyStoredPreferences();
    try {
      review = await call('review:open', this.recordingId);
    } catch (e) {
      if (this.scope.disposed) return;
      this.loadError = (e as Error).message;
      this.status = 'error';
      return;
    }
    if (this.scope.disposed) return; // closed while loading: start nothing
    this.review = review;
    this.regions = sortSpans(review.regions);
    this.labels = sortSpans(review.labels);
    this.viewport = wholeFileViewport(toPyramidInfo(review), widthPx);
    await preferences;
    this.status = 'ready';
    void this.refreshHistory();
    this.openScope?.dispose();
    this.openScope = this.scope.child();
    try {
      this.openScope.add(getApi().on('recording:changed', (payload) => void this.onRecordingChanged(payload)));
    } catch {
      // no backend events (should not happen once open succeeded)
    }
  }

  /**
   * What happens when this recording was opened from another one: the reason
   * is shown, the place comes into view (its region becomes current), and an
   * undo or redo that reaches into this recording is carried out here, in view.
   */
  async arrive(arrival: Arrival, undoOrRedo: (which: 'undo' | 'redo') => Promise<unknown>): Promise<void> {
    this.showInfo(arrival.reason);
    const focus = arrival.focus;
    if (focus) {
      // The region named, else the one the place is (a decision's label spans its region): it becomes current.
      const region = focus.regionId !== undefined
        ? this.regions.find((r) => r.id === focus.regionId)
        : this.regions.find((r) => Math.abs(r.startSeconds - focus.startSeconds) < 1e-6 && Math.abs(r.endSeconds - focus.endSeconds) < 1e-6);
      if (region) this.selectRegion(region);
      else {
        this.setCursor(focus.startSeconds);
        this.reveal(focus.startSeconds, focus.endSeconds);
      }
    }
    if (arrival.then) await undoOrRedo(arrival.then);
  }

  /** Stops following events and timers; an open() still in flight starts nothing. */
  close(): void {
    this.scope.dispose();
  }

  /** Whether close() was called. */
  get closed(): boolean {
    return this.scope.disposed;
  }

  /** Runs edits one after another, so responses apply in the order the researcher made them. */
  serialize<T>(task: () => Promise<T>): Promise<T> {
    this.pendingEdits++;
    const run = this.editChain.then(task, task);
    this.editChain = run.catch(() => undefined).finally(() => this.pendingEdits--);
    return run;
  }

  async onRecordingChanged(payload: ApiEvents['recording:changed']): Promise<void> {
    if (payload.recordingId !== this.recordingId || this.status !== 'ready') return;
    // Labels changed from elsewhere (an import, the command line): Undo may now have something to undo, and
    // whether a region is reviewed depends on the labels, so regions are reloaded too.
    if (payload.what === 'labels') await Promise.all([this.reloadLabels(), this.reloadRegions(), this.refreshHistory()]);
    else await this.reloadRegions();
  }

  async reloadLabels(): Promise<void> {
    try {
      this.setLabels(await call('labels:list', this.recordingId));
    } catch (e) {
      this.showError(e);
    }
  }

  /**
   * Reloads the regions. Detection re-derives them after each correction (new
   * ids, shifted edges): the current region is then the new one at the same
   * place, so the researcher keeps their place in the review.
   */
  async reloadRegions(): Promise<void> {
    try {
      const regions = sortSpans(await call('regions:list', this.recordingId));
      const current = this.currentRegionId === null ? null : this.regions.find((r) => r.id === this.currentRegionId) ?? null;
      this.regions = regions;
      if (current && !regions.some((r) => r.id === current.id)) {
        const middle = (current.startSeconds + current.endSeconds) / 2;
        this.currentRegionId = regions.find((r) => r.startSeconds <= middle && middle < r.endSeconds)?.id ?? null;
      }
    } catch (e) {
      this.showError(e);
    }
  }

  async refreshHistory(): Promise<void> {
    try {
      this.history = await call('history:state');
    } catch (e) {
      this.showError(e);
    }
  }

  /** Replaces the labels, dropping selected ids that no longer exist. */
  setLabels(labels: LabelView[]): void {
    this.labels = sortSpans(labels);
    const ids = new Set(this.labels.map((l) => l.id));
    if (this.selectedLabelIds.some((id) => !ids.has(id))) this.selectedLabelIds = this.selectedLabelIds.filter((id) => ids.has(id));
  }

  // ---- viewport ----

  setWidth(widthPx: number): void {
    if (!this.info || widthPx <= 0 || Math.round(widthPx) === this.viewport.widthPx) return;
    // Keep the zoom and left edge; a first real measurement of a whole-file view stays whole-file.
    const wasWhole = this.viewport.startSeconds === 0 && this.viewport.secondsPerPixel * this.viewport.widthPx >= this.info.durationSeconds - 1e-9;
    this.viewport = wasWhole ? wholeFileViewport(this.info, widthPx) : clampViewport(this.info, { ...this.viewport, widthPx });
  }

  setViewport(vp: Viewport): void {
    if (this.info) this.viewport = clampViewport(this.info, vp);
  }

  zoom(factor: number, anchorSeconds?: number): void {
    if (!this.info) return;
    const anchor = anchorSeconds ?? (this.isCursorVisible() ? this.cursorSeconds : undefined);
    this.viewport = zoomViewport(this.info, this.viewport, factor, anchor);
  }

  zoomWhole(): void {
    if (this.info) this.viewport = wholeFileViewport(this.info, this.viewport.widthPx);
  }

  pan(deltaPx: number): void {
    if (this.info) this.viewport = panViewport(this.info, this.viewport, deltaPx);
  }

  reveal(startSeconds: number, endSeconds: number): void {
    if (this.info) this.viewport = revealSpan(this.info, this.viewport, startSeconds, endSeconds);
  }

  private isCursorVisible(): boolean {
    const vp = this.viewport;
    return this.cursorSeconds >= vp.startSeconds && this.cursorSeconds <= vp.startSeconds + vp.secondsPerPixel * vp.widthPx;
  }

  // ---- selection ----

  selectLabel(id: number, additive = false): void {
    if (additive) {
      this.selectedLabelIds = this.selectedLabelIds.includes(id) ? this.selectedLabelIds.filter((x) => x !== id) : [...this.selectedLabelIds, id];
    } else {
      this.selectedLabelIds = [id];
    }
  }

  selectRegion(region: RegionView | null, reveal = true): void {
    this.currentRegionId = region?.id ?? null;
    if (!region) return;
    this.selectedLabelIds = [];
    this.cursorSeconds = region.startSeconds;
    if (reveal) this.reveal(region.startSeconds, region.endSeconds);
  }

  clearSelection(): void {
    this.selectedLabelIds = [];
    this.currentRegionId = null;
  }

  setCursor(seconds: number): void {
    this.cursorSeconds = Math.max(0, Math.min(this.durationSeconds, seconds));
  }

  // ---- conversions ----

  /** Native sample index of a time, clamped to the recording. */
  toSample(seconds: number): number {
    const rate = this.review?.sampleRate ?? 1;
    const total = Math.round(this.durationSeconds * rate);
    return Math.max(0, Math.min(total, Math.round(seconds * rate)));
  }

  // ---- messages ----

  showError(error: unknown): void {
    this.pushToast('error', error instanceof Error ? error.message : String(error));
  }

  showInfo(message: string): void {
    this.pushToast('info', message);
  }

  /** Confirms an edit, with an Undo button; a newer edit's toast replaces it (its Undo would undo the newer edit). */
  showEdit(message: string, undo: () => void): void {
    this.pushEditToast(message, 'Undo', undo);
  }

  /** An edit-topic toast with one action (Undo after an edit or a redo, Redo after an undo). */
  pushEditToast(message: string, label: string, run: () => void): void {
    this.pushToast('info', message, { action: { label, run }, topic: 'edit' });
  }

  dismissToast(id: number): void {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }

  private pushToast(kind: Toast['kind'], message: string, extra: Pick<Toast, 'action' | 'topic'> = {}): void {
    const id = this.nextToastId++;
    const kept = this.toasts.filter((t) => t.message !== message && (extra.topic === undefined || t.topic !== extra.topic));
    this.toasts = [...kept, { id, kind, message, ...extra }].slice(-MAX_TOASTS);
    if (kind === 'info') this.scope.timeout(() => this.dismissToast(id), extra.action ? EDIT_TOAST_MS : INFO_TOAST_MS);
  }
}

/** The paging facts of a review, in the shape viewport.ts uses. */
export function toPyramidInfo(review: RecordingReview): PyramidInfo {
  const s = review.spectrogram;
  return {
    hopSeconds: s.hopSeconds,
    levels: s.levels,
    tileColumns: s.tileColumns,
    levelColumns: s.levelColumns,
    durationSeconds: s.durationSeconds || review.durationSeconds,
  };
}
