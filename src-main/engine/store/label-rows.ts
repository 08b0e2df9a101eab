/**
 * Label rows ⇄ label states: the column mapping shared by the label
 * repository and its history (one place that knows the labels table).
 */
import { SonotypeError } from '../../../src-shared/errors';
import type { LabelSource, LabelState } from './label-state';

export interface LabelRow {
  id: number; recording_id: number; start_sample: number; end_sample: number; value: string; source: LabelSource;
  author: string | null; created_at: number; updated_at: number; deleted: number;
  low_hz: number | null; high_hz: number | null; annotation: string | null; sound_type: string | null; confidence: number | null;
  source_table: string | null; reference: number; extra_json: string | null;
}

/** A label row as a state (the history stores exactly this). */
export function rowToLabelState(row: LabelRow): LabelState {
  return {
    recordingId: row.recording_id, startSample: row.start_sample, endSample: row.end_sample, value: row.value,
    source: row.source, author: row.author, deleted: row.deleted === 1,
    lowHz: row.low_hz, highHz: row.high_hz, annotation: row.annotation, soundType: row.sound_type, confidence: row.confidence,
    sourceTable: row.source_table, reference: row.reference === 1, extras: parseExtras(row.extra_json),
  };
}

/** The exchange/provenance columns of a state, in the order low_hz, high_hz, annotation, sound_type, confidence, source_table, reference, extra_json. */
export function exchangeColumns(state: LabelState): (number | string | null)[] {
  return [
    state.lowHz, state.highHz, state.annotation, state.soundType, state.confidence, state.sourceTable, state.reference ? 1 : 0,
    state.extras && state.extras.length > 0 ? JSON.stringify(state.extras) : null,
  ];
}

function parseExtras(text: string | null): [string, string][] | null {
  if (text === null) return null;
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? (parsed as [string, string][]) : null;
  } catch (cause) {
    throw new SonotypeError('DATABASE', 'The project database holds unreadable data in labels.extra_json.', { cause });
  }
}
