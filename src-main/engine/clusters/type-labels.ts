/**
 * Hand-set sound types are labels: a person's (or an imported table's)
 * label over a region with `soundType` set. They always win over cluster
 * membership, feed the type head, and travel with exports. This file finds
 * the type label of a region and writes one.
 */
import type { ProjectDb } from '../store/database';
import { createLabel, listLabels, updateLabel, type StoredLabel } from '../store/labels';
import { labelTier } from '../store/machine-labels';
import { humanLabelIdsOfType } from '../store/type-label-queries';
import { bestMatchByIoU } from '../util/sample-spans';
import type { Span } from './identities';

/** Share of a region a label must cover (and vice versa, as IoU) to count as that region's label. */
const MIN_IOU = 0.5;

/**
 * Live human-tier labels of a recording, cached for one pass over many
 * regions, sorted by start (as listLabels gives them) so a region's
 * candidates are found by binary search: projects label thousands of calls
 * per recording, and a scan of every label per region made a cut of 2,000
 * regions take seconds.
 */
export class RecordingLabels {
  private readonly cache = new Map<number, { labels: StoredLabel[]; starts: Float64Array }>();
  constructor(private readonly db: ProjectDb) {}

  private sorted(recordingId: number): { labels: StoredLabel[]; starts: Float64Array } {
    let entry = this.cache.get(recordingId);
    if (!entry) {
      const labels = listLabels(this.db, recordingId).filter((l) => labelTier(l) === 'human');
      labels.sort((a, b) => a.startSample - b.startSample || a.endSample - b.endSample || a.id - b.id);
      entry = { labels, starts: Float64Array.from(labels, (l) => l.startSample) };
      this.cache.set(recordingId, entry);
    }
    return entry;
  }

  of(recordingId: number): StoredLabel[] {
    return this.sorted(recordingId).labels;
  }

  /** The human label that best matches the span (IoU ≥ 0.5; on ties the later in start order), if any. */
  labelOf(span: Span): StoredLabel | null {
    const { labels, starts } = this.sorted(span.recordingId);
    // IoU ≥ 0.5 needs a label at most twice the span's length that overlaps it, so it starts after start − 2·length.
    const from = span.startSample - 2 * (span.endSample - span.startSample);
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid] < from) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    while (end < labels.length && starts[end] < span.endSample) end++;
    return bestMatchByIoU(labels.slice(lo, end), span, MIN_IOU);
  }

  /** The hand-set sound type of a span: its matching label's soundType, when it is not silence. */
  typeOf(span: Span): string | null {
    const label = this.labelOf(span);
    return label && label.value !== 'silence' ? label.soundType : null;
  }
}

/**
 * Makes `span` carry the sound type `type` as a person's label: the matching
 * human label is updated (value 'sound'), or a new label is created over
 * exactly the span. Call inside the edit's edit group.
 */
export function writeTypeLabel(db: ProjectDb, labels: RecordingLabels, span: Span, type: string, author: string | null): void {
  const existing = labels.labelOf(span);
  if (existing) {
    if (existing.soundType !== type || existing.value !== 'sound') updateLabel(db, existing.id, { value: 'sound', soundType: type }, author);
    return;
  }
  createLabel(db, { recordingId: span.recordingId, startSample: span.startSample, endSample: span.endSample, value: 'sound', soundType: type, author });
}

/**
 * Marks `span` as silence/noise (for the silence head) or, with
 * `silence` false, back as sound: the matching human label is updated, or a
 * new one created.
 */
export function writeSilenceLabel(db: ProjectDb, labels: RecordingLabels, span: Span, silence: boolean, author: string | null): void {
  const existing = labels.labelOf(span);
  const value = silence ? 'silence' : 'sound';
  if (existing) {
    if (existing.value !== value || (silence && existing.soundType !== null)) updateLabel(db, existing.id, { value, ...(silence ? { soundType: null } : {}) }, author);
    return;
  }
  if (silence) createLabel(db, { recordingId: span.recordingId, startSample: span.startSample, endSample: span.endSample, value, author });
}

/** Renames the type of every live human label called `from` (a type rename or merge carries them along). */
export function renameTypeLabels(db: ProjectDb, from: string, to: string, author: string | null): number {
  const ids = humanLabelIdsOfType(db, from);
  for (const id of ids) updateLabel(db, id, { soundType: to }, author);
  return ids.length;
}
