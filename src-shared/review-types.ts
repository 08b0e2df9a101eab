/**
 * Data shown and edited in the review UI. Sample positions are always in the
 * recording's native rate, [start, end); seconds are derived for display.
 */
import * as v from 'valibot';
import type { DisplaySpectrogramSettings } from './display-types';
import { LABEL_LIMITS, type LabelExchangeFields, type LabelSource } from './label-types';
import { finite, id, labelValue, sampleIndex } from './schemas';
import type { HistoryStep } from './review-loop-types';

export type { LabelExchangeFields, LabelSource } from './label-types';

/**
 * A label as the UI sees it. `value` is 'silence', 'sound' or a sound-type
 * name; a label with frequency bounds is drawn as a box.
 */
export interface LabelView extends LabelExchangeFields {
  id: number;
  recordingId: number;
  startSample: number;
  endSample: number;
  startSeconds: number;
  endSeconds: number;
  value: string;
  source: LabelSource;
  /** File name of the table an imported label came from. */
  sourceTable: string | null;
  /** Truth for evaluation only (imported with --as reference): trains nothing. */
  reference: boolean;
  author: string | null;
  updatedAt: number;
}

/** A detected region (from the silence head or the heuristic), shaded by confidence. */
export interface RegionView {
  id: number;
  recordingId: number;
  kind: 'silence' | 'sound';
  startSample: number;
  endSample: number;
  startSeconds: number;
  endSeconds: number;
  /** Mean probability of silence over the region (null when unknown). */
  pSilence: number | null;
  /** Whether a human label covers (most of) this region: it has been reviewed. */
  reviewed: boolean;
}

/** What the spectrogram view needs to page tiles for one recording. */
export interface SpectrogramInfo {
  recordingId: number;
  /** STFT frames = level-0 columns. */
  frameCount: number;
  binCount: number;
  levels: number;
  tileColumns: number;
  /** Seconds per level-0 column (display hop / native rate); level L columns span 2^L times that. */
  hopSeconds: number;
  /** Tiles are computed at this rate (never resampled): the frequency axis runs to its Nyquist. */
  nativeSampleRate: number;
  /** Channel shown and played. */
  channel: number;
  /** Centre frequency of each row, row 0 = 0 Hz; the last row is one bin below Nyquist. */
  frequenciesHz: number[];
  /** nativeSampleRate / 2: the top of the frequency axis. */
  nyquistHz: number;
  /** The display settings the tiles were computed with (FFT size, window, overlap). */
  display: DisplaySpectrogramSettings;
  durationSeconds: number;
  /** dB of byte 0 and byte 255. */
  dbRange: [number, number];
  /** Columns and tiles per level. */
  levelColumns: number[];
  levelTiles: number[];
  /** True once the exact builder has written every tile. */
  exactComplete: boolean;
}

/** Everything the review view loads when a recording is opened. */
export interface RecordingReview {
  recordingId: number;
  path: string;
  durationSeconds: number;
  sampleRate: number;
  channels: number;
  /** A caveat about the recording (e.g. cut short), shown in the review header. */
  warning?: string;
  spectrogram: SpectrogramInfo;
  regions: RegionView[];
  labels: LabelView[];
  /** Base URL for media (tiles, audio): `${mediaBase}/tiles/<id>/<level>/<index>`, `${mediaBase}/audio/<id>?start=&end=`. */
  mediaBase: string;
  /** Query string to append to every media URL (browser mode token), may be ''. */
  mediaQuery: string;
}

/** One row of the recordings table. */
export interface RecordingRow {
  id: number;
  path: string;
  status: 'ok' | 'error';
  error?: { code: string; message: string };
  /** A caveat about a usable recording (e.g. cut short: it holds less than its header says). */
  warning?: string;
  missing: boolean;
  durationSeconds: number | null;
  sampleRate: number | null;
  channels: number | null;
  codec: string | null;
  /** Fraction of the recording inside silence regions (null before detection). */
  silenceFraction: number | null;
  regionCount: number;
  reviewedCount: number;
}

/** A label's optional exchange fields as a call may send them: absent, null (clear) or of its type (the store checks the finer rules). */
const exchangeFieldSchemas = {
  lowHz: v.optional(v.nullable(finite)),
  highHz: v.optional(v.nullable(finite)),
  annotation: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(LABEL_LIMITS.annotationLength)))),
  soundType: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(LABEL_LIMITS.soundTypeLength)))),
  confidence: v.optional(v.nullable(finite)),
} satisfies { [F in keyof LabelExchangeFields]: v.GenericSchema<unknown, LabelExchangeFields[F] | undefined> };

/** A new human label ('labels:create'); the schema is the type and the check main runs before the handler. */
export const newLabelInputSchema = v.object({
  recordingId: id,
  startSample: sampleIndex,
  endSample: sampleIndex,
  value: labelValue,
  ...exchangeFieldSchemas,
});
export type NewLabelInput = v.InferOutput<typeof newLabelInputSchema>;

/** A change to a label ('labels:update'); fields left out keep their value, null clears an optional field (lowHz and highHz go together). */
export const labelPatchSchema = v.object({
  startSample: v.optional(sampleIndex),
  endSample: v.optional(sampleIndex),
  value: v.optional(labelValue),
  ...exchangeFieldSchemas,
});
export type LabelPatch = v.InferOutput<typeof labelPatchSchema>;

/** Whether undo/redo would do something (for menu and button state). */
export interface HistoryState {
  canUndo: boolean;
  canRedo: boolean;
  /** Recording touched by the last undo/redo, so its view can refresh. */
  recordingId?: number;
  /** The last undo/redo changed sound-type clusters (names, membership), so cluster views refresh. */
  clusters?: boolean;
  /** What the last undo/redo reverted or re-applied: where, and which edit (for its message). */
  step?: HistoryStep;
}

/** The next place the researcher should look: the region the model is least sure about. */
export interface ReviewItem {
  recordingId: number;
  path: string;
  region: RegionView;
  /** |p − 0.5| · 2: 0 = the model has no idea, 1 = certain. */
  certainty: number;
  remaining: number;
}

/** A 2×2 confusion matrix, rows = truth (not silence, silence), columns = prediction. */
export type ConfusionCounts = [[number, number], [number, number]];

/** One head's figures on the held-out human labels (0–1; null where they could not be computed). */
export interface HeldOutScores {
  /** What the decision compares: the mean of balanced accuracy and onset-F1. */
  score: number | null;
  /** Over the held-out labelled frames. */
  balancedAccuracy: number | null;
  /** Of the head's regions against the held-out human sound labels (one-to-one, onset collar). */
  onsetF1: number | null;
}

/** What a retrain produced: held-out confusion and scores of the previous and the new head. */
export interface RetrainReport {
  headModelId: number;
  /** How the labels were held out: by recording, or by time blocks of the one labelled recording. */
  heldOutBy: 'recording' | 'time-block';
  folds: number;
  /** Recordings whose labels were scored. */
  heldOutRecordings: number;
  /** Labelled frames scored (each by heads that did not learn it). */
  heldOutFrames: number;
  /** Frames the new head trained on (human labels plus the label-free detector's decisions). */
  trainFrames: number;
  before: ConfusionCounts | null;
  after: ConfusionCounts;
  /** Null for the previous head when there was none to compare with. */
  scores: { before: HeldOutScores | null; after: HeldOutScores };
  seconds: number;
  lossCurve: number[];
  /** Whether the retrained head became active (a worse one is kept inactive: activate it from the head history). */
  adopted: boolean;
  /** The decision in words, with both held-out scores. */
  decision: string;
  /** The head active now (the new one when adopted, else the one that stayed). */
  activeHeadId: number;
}
