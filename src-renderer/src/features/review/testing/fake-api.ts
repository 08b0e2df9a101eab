/**
 * An in-memory stand-in for main behind `window.sonotype`, for the review
 * view's tests: labels with ids, an undo stack, regions with a reviewed flag
 * and an uncertainty queue. `failNext` makes the next call of a channel fail
 * with a readable message, to test error paths. Test-only code.
 */
import type { ApiEvents, CallName, CallResult, EventName, SonotypeApi } from '../../../../../src-shared/contract';
import { DEFAULT_REVIEW_PREFERENCES, type HistoryStep, type ReviewPreferences } from '../../../../../src-shared/review-loop-types';
import type { HistoryState, LabelView, RecordingReview, RegionView, ReviewItem } from '../../../../../src-shared/review-types';
import { NO_LABEL_EXTRAS } from '../../../../../src-shared/label-types';
import { DEFAULT_DISPLAY_PREFERENCES, type DisplayPreferences } from '../../../../../src-shared/display-types';

export const RATE = 1000;

export function region(id: number, start: number, end: number, pSilence: number | null, reviewed = false): RegionView {
  return { id, recordingId: 1, kind: (pSilence ?? 0) >= 0.5 ? 'silence' : 'sound', startSample: start * RATE, endSample: end * RATE, startSeconds: start, endSeconds: end, pSilence, reviewed };
}

export function makeReview(regions: RegionView[], labels: LabelView[] = [], durationSeconds = 100): RecordingReview {
  const hop = 0.01;
  const frameCount = Math.round(durationSeconds / hop);
  const levelColumns: number[] = [];
  for (let l = 0; ; l++) {
    levelColumns.push(Math.ceil(frameCount / 2 ** l));
    if (levelColumns[l] <= 512) break;
  }
  return {
    recordingId: 1, path: 'site/a.wav', durationSeconds, sampleRate: RATE, channels: 1,
    spectrogram: {
      recordingId: 1, frameCount, binCount: 4, levels: levelColumns.length, tileColumns: 512, hopSeconds: hop, nyquistHz: 500, display: { fftSize: 512, window: 'hann', overlapPercent: 50 },
      nativeSampleRate: RATE, channel: 0, frequenciesHz: [0, 125, 250, 375], durationSeconds, dbRange: [-140, 0],
      levelColumns, levelTiles: levelColumns.map((c) => Math.ceil(c / 512)), exactComplete: true,
    },
    regions, labels, mediaBase: 'http://127.0.0.1:1/media', mediaQuery: '?token=t',
  };
}

type Edit = { before: LabelView[]; after: LabelView[] };

export class FakeApi implements SonotypeApi {
  labels: LabelView[] = [];
  regions: RegionView[];
  calls: Array<{ name: string; args: unknown[] }> = [];
  displayPrefs: DisplayPreferences = { ...DEFAULT_DISPLAY_PREFERENCES };
  /** The review preferences main keeps for the user. */
  preferences: ReviewPreferences = { ...DEFAULT_REVIEW_PREFERENCES };
  /** When set, what history:peek answers (an edit in another recording, say) instead of this recording's stack. */
  peekStep: HistoryStep | null = null;
  /** What review:nextUncertain answers once this recording has nothing left (a region in another recording), or null. */
  nextRecordingItem: ReviewItem | null = null;
  private undoStack: Edit[] = [];
  private redoStack: Edit[] = [];
  private nextId = 100;
  private failures = new Map<string, string>();
  private listeners = new Map<EventName, Set<(p: never) => void>>();

  constructor(readonly review: RecordingReview) {
    this.regions = review.regions.map((r) => ({ ...r }));
    this.labels = review.labels.map((l) => ({ ...l }));
  }

  failNext(name: CallName, message: string): void {
    this.failures.set(name, message);
  }

  emit<E extends EventName>(event: E, payload: ApiEvents[E]): void {
    for (const l of this.listeners.get(event) ?? []) l(payload as never);
  }

  /** Listeners registered for an event (to check the view unsubscribes). */
  listenerCount(event: EventName): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener as (p: never) => void);
    this.listeners.set(event, set);
    return () => set.delete(listener as (p: never) => void);
  }

  async call(name: CallName, ...args: unknown[]): Promise<CallResult<never>> {
    this.calls.push({ name, args });
    await Promise.resolve();
    const failure = this.failures.get(name);
    if (failure) {
      this.failures.delete(name);
      return { ok: false, error: { code: 'INVALID_ARGUMENT', message: failure } };
    }
    return { ok: true, value: this.handle(name, args) as never };
  }

  private label(startSample: number, endSample: number, value: string, id = this.nextId++): LabelView {
    return { id, recordingId: 1, startSample, endSample, startSeconds: startSample / RATE, endSeconds: endSample / RATE, value, source: 'human', author: null, updatedAt: Date.now(), ...NO_LABEL_EXTRAS };
  }

  private apply(before: LabelView[], after: LabelView[]): void {
    const gone = new Set(before.map((l) => l.id));
    this.labels = [...this.labels.filter((l) => !gone.has(l.id)), ...after];
    this.undoStack.push({ before, after });
    this.redoStack = [];
    this.updateReviewed();
  }

  /** As main (engine/store/review-queries.ts): human labels, overlaps merged, cover more than half of the region. */
  private updateReviewed(): void {
    const human = this.labels.filter((l) => l.source === 'human').sort((a, b) => a.startSample - b.startSample);
    const merged: { start: number; end: number }[] = [];
    for (const l of human) {
      const last = merged.at(-1);
      if (last && l.startSample <= last.end) last.end = Math.max(last.end, l.endSample);
      else merged.push({ start: l.startSample, end: l.endSample });
    }
    this.regions = this.regions.map((r) => {
      const covered = merged.reduce((sum, c) => sum + Math.max(0, Math.min(c.end, r.endSample) - Math.max(c.start, r.startSample)), 0);
      return { ...r, reviewed: covered * 2 > r.endSample - r.startSample };
    });
  }

  private history(): HistoryState {
    return { canUndo: this.undoStack.length > 0, canRedo: this.redoStack.length > 0, recordingId: 1 };
  }

  /** The step on top of the undo (or redo) stack, as main's history:peek describes it (kinds simplified to create/delete/edit). */
  private step(which: 'undo' | 'redo'): HistoryStep | null {
    const stack = which === 'undo' ? this.undoStack : this.redoStack;
    const edit = stack[stack.length - 1];
    if (!edit) return null;
    const all = [...edit.before, ...edit.after];
    const action = edit.before.length === 0 ? 'create' : edit.after.length === 0 ? 'delete' : 'edit';
    return {
      action, recordingId: 1, path: 'site/a.wav', labels: Math.max(edit.before.length, edit.after.length),
      startSeconds: Math.min(...all.map((l) => l.startSeconds)), endSeconds: Math.max(...all.map((l) => l.endSeconds)),
      value: (edit.after[0] ?? edit.before[0]).value, previousValue: null,
    };
  }

  private find(id: number): LabelView {
    const l = this.labels.find((x) => x.id === id);
    if (!l) throw new Error(`no label ${id}`);
    return l;
  }

  private handle(name: CallName, args: unknown[]): unknown {
    switch (name) {
      case 'review:open':
        return { ...this.review, regions: this.regions, labels: this.labels };
      case 'history:state':
        return this.history();
      case 'labels:list':
        return this.labels;
      case 'regions:list':
        return this.regions;
      case 'labels:create': {
        const input = args[0] as { startSample: number; endSample: number; value: string };
        const l = this.label(input.startSample, input.endSample, input.value);
        this.apply([], [l]);
        return l;
      }
      case 'labels:update': {
        const old = this.find(args[0] as number);
        const patch = args[1] as { startSample?: number; endSample?: number; value?: string };
        const l = this.label(patch.startSample ?? old.startSample, patch.endSample ?? old.endSample, patch.value ?? old.value, old.id);
        this.apply([old], [l]);
        return l;
      }
      case 'labels:delete':
        this.apply([this.find(args[0] as number)], []);
        return this.history();
      case 'labels:split': {
        const old = this.find(args[0] as number);
        const at = args[1] as number;
        const parts = [this.label(old.startSample, at, old.value), this.label(at, old.endSample, old.value)];
        this.apply([old], parts);
        return parts;
      }
      case 'labels:merge': {
        const olds = (args[0] as number[]).map((id) => this.find(id));
        const merged = this.label(Math.min(...olds.map((l) => l.startSample)), Math.max(...olds.map((l) => l.endSample)), olds[0].value);
        this.apply(olds, [merged]);
        return merged;
      }
      case 'history:peek':
        return this.peekStep ?? this.step(args[0] as 'undo' | 'redo');
      case 'preferences:get':
        return { ...this.preferences };
      case 'preferences:set':
        this.preferences = { ...this.preferences, ...(args[0] as Partial<ReviewPreferences>) };
        return { ...this.preferences };
      case 'history:undo':
      case 'history:redo': {
        const step = this.step(name === 'history:undo' ? 'undo' : 'redo');
        const from = name === 'history:undo' ? this.undoStack : this.redoStack;
        const to = name === 'history:undo' ? this.redoStack : this.undoStack;
        const edit = from.pop();
        if (edit) {
          const [remove, add] = name === 'history:undo' ? [edit.after, edit.before] : [edit.before, edit.after];
          const gone = new Set(remove.map((l) => l.id));
          this.labels = [...this.labels.filter((l) => !gone.has(l.id)), ...add];
          to.push(edit);
          this.updateReviewed();
        }
        return { ...this.history(), ...(step ? { step } : {}) };
      }
      case 'review:nextUncertain': {
        // As main (engine/store/review-queries.ts), checked by fake-api.contract.test.ts: the queue is the unreviewed
        // regions by certainty, then position; with `after`, the first one past the region containing it, wrapping.
        const after = args[0] as { sample: number } | null;
        const certainty = (r: RegionView) => (r.pSilence === null ? 0 : Math.abs(r.pSilence - 0.5) * 2);
        const here = after ? this.regions.find((r) => r.startSample <= after.sample && r.endSample > after.sample) : undefined;
        const hereCertainty = here ? certainty(here) : -1;
        const wrapped = (r: RegionView) =>
          !after || certainty(r) > hereCertainty || (certainty(r) === hereCertainty && r.startSample > after.sample) ? 0 : 1;
        const open = this.regions
          .filter((r) => !r.reviewed)
          .sort((a, b) => wrapped(a) - wrapped(b) || certainty(a) - certainty(b) || a.startSample - b.startSample || a.id - b.id);
        if (open.length === 0) return this.nextRecordingItem;
        const r = open[0];
        const item: ReviewItem = { recordingId: 1, path: 'site/a.wav', region: r, certainty: certainty(r), remaining: open.length };
        return item;
      }
      case 'display:get':
        return this.displayPrefs;
      case 'display:set':
        this.displayPrefs = { ...this.displayPrefs, ...(args[0] as Partial<DisplayPreferences>) };
        return this.displayPrefs;
      case 'display:spectrogramInfo': {
        const display = this.displayPrefs.spectrogram;
        return { ...this.review.spectrogram, display, binCount: display.fftSize / 128, frequenciesHz: [] };
      }
      default:
        throw new Error(`FakeApi: ${name} not implemented`);
    }
  }
}
