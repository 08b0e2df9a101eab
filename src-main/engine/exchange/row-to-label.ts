/**
 * A parsed table row on a known recording → the label it becomes, or the
 * reason it cannot be one. Times become native sample positions (rounded to
 * the nearest sample); frequencies are checked against the recording's
 * Nyquist frequency; the value/sound-type split follows one rule for every
 * format: a text of "silence" or "sound" is the label's value, any other text
 * is its sound type (and the value is "sound").
 */
import type { LabelSource } from '../../../src-shared/label-types';
import type { NewLabel } from '../store/labels';
import type { TableRow } from './table-types';

export interface RecordingFacts {
  id: number;
  path: string;
  sampleRate: number | null;
  /** Length in native samples (null when unknown). */
  frames: number | null;
}

export interface RowContext {
  tableName: string;
  /** Raven tables give every selection a band: 0 … Nyquist then means "no frequency bounds". */
  fullBandMeansTimeOnly: boolean;
  reference: boolean;
  author: string | null;
}

const fmt = (seconds: number) => `${Number(seconds.toFixed(6))} s`;

/** The label a row becomes on `recording`, or the reason it cannot become one. */
export function rowToLabel(row: TableRow, recording: RecordingFacts, context: RowContext): NewLabel | string {
  const rate = recording.sampleRate;
  if (!rate) return `its recording ${recording.path} could not be read when it was scanned, so its sample rate is unknown.`;
  const frames = recording.frames ?? Number.POSITIVE_INFINITY;
  const duration = frames / rate;

  let startSample: number;
  let endSample: number;
  if (row.wholeRecording) {
    if (!Number.isFinite(frames)) return `the length of ${recording.path} is unknown.`;
    [startSample, endSample] = [0, frames];
  } else if (row.startSample !== undefined && row.endSample !== undefined) {
    [startSample, endSample] = [row.startSample, row.endSample];
    if (startSample < 0) return `it starts at sample ${startSample}, before the recording.`;
    if (endSample < startSample) return `it ends (sample ${endSample}) before it starts (sample ${startSample}).`;
    if (endSample === startSample) return 'it is a point (start = end); Sonotype labels cover a time range.';
  } else {
    const start = row.startSeconds!;
    const end = row.endSeconds!;
    if (start < 0) return `it starts at ${fmt(start)}, before the recording.`;
    if (end < start) return `it ends (${fmt(end)}) before it starts (${fmt(start)}).`;
    if (end === start) return 'it is a point (start = end); Sonotype labels cover a time range.';
    startSample = Math.round(start * rate);
    endSample = Math.round(end * rate);
    if (endSample === startSample) return `it is shorter than one sample at ${rate} Hz.`;
  }
  if (startSample >= frames) return `it starts at ${fmt(startSample / rate)}, after the end of ${recording.path} (${fmt(duration)}).`;
  if (endSample > frames) {
    // Rounding in other tools puts ends a hair past the last sample: up to 1 ms (or one sample) is clipped.
    if (endSample - frames > Math.max(1, Math.round(rate / 1000))) {
      return `it ends at ${fmt(endSample / rate)}, after the end of ${recording.path} (${fmt(duration)}).`;
    }
    endSample = frames;
  }

  const band = frequencyBand(row, rate, context.fullBandMeansTimeOnly);
  if (typeof band === 'string') return band;

  const { value, soundType } = valueAndType(row);
  const source: LabelSource = row.source ?? 'imported';
  return {
    recordingId: recording.id, startSample, endSample, value, soundType, lowHz: band?.[0] ?? null, highHz: band?.[1] ?? null,
    annotation: row.annotation ?? null, confidence: row.confidence ?? null, source, author: context.author,
    // A Sonotype export says where each label came from; any other table is the source itself.
    sourceTable: row.source !== undefined ? (row.sourceTable ?? null) : context.tableName,
    reference: context.reference, extras: row.extras.length > 0 ? row.extras : null,
  };
}

/** [low, high] in Hz, null for a time-only label, or the reason the band is impossible. */
function frequencyBand(row: TableRow, rate: number, fullBandMeansTimeOnly: boolean): [number, number] | null | string {
  if (row.lowHz === undefined && row.highHz === undefined) return null;
  const nyquist = rate / 2;
  const low = row.lowHz ?? 0;
  let high = row.highHz ?? nyquist;
  if (low < 0) return `the low frequency ${low} Hz is negative.`;
  if (high > nyquist) {
    // A hair above Nyquist is rounding in the other tool; more is a box the recording cannot hold.
    if (high > nyquist * 1.001) return `its frequency box reaches ${high} Hz, above the Nyquist frequency of this ${rate} Hz recording (${nyquist} Hz).`;
    high = nyquist;
  }
  if (high <= low) return `the low frequency ${low} Hz is not below the high frequency ${high} Hz.`;
  if (fullBandMeansTimeOnly && low === 0 && high >= nyquist - 0.5) return null;
  return [low, high];
}

const VALUE_WORDS = new Set(['silence', 'sound']);

function valueAndType(row: TableRow): { value: string; soundType: string | null } {
  const typeText = row.soundType?.trim();
  if (row.value !== undefined && row.value.trim() !== '') return { value: row.value.trim(), soundType: typeText || null };
  if (typeText && VALUE_WORDS.has(typeText.toLowerCase())) return { value: typeText.toLowerCase(), soundType: null };
  return { value: 'sound', soundType: typeText || null };
}
