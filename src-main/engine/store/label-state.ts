/**
 * The complete state of a label row — what an edit changes and what the
 * history stores before/after each edit — with the rules every write checks.
 */
import { SonotypeError } from '../../../src-shared/errors';
import { LABEL_LIMITS, LABEL_SOURCES, type LabelExchangeFields, type LabelProvenance, type LabelSource } from '../../../src-shared/label-types';

export type { LabelSource } from '../../../src-shared/label-types';

/** Everything an edit can change about a label. */
export interface LabelState extends LabelExchangeFields, LabelProvenance {
  recordingId: number;
  /** [start, end) in the recording's native sample rate. */
  startSample: number;
  endSample: number;
  /** 'silence', 'sound', or a sound-type name ('whistle', …). */
  value: string;
  source: LabelSource;
  author: string | null;
  deleted: boolean;
}

/** The exchange and provenance fields of a label that has none of them. */
export const NO_EXCHANGE_FIELDS: LabelExchangeFields & LabelProvenance = {
  lowHz: null, highHz: null, annotation: null, soundType: null, confidence: null, sourceTable: null, reference: false, extras: null,
};

/**
 * A state read back from the history: entries written before the exchange
 * fields existed (schema v3) lack them and mean "none".
 */
export function normaliseLabelState(state: Partial<LabelState> & Omit<LabelState, keyof typeof NO_EXCHANGE_FIELDS>): LabelState {
  return { ...NO_EXCHANGE_FIELDS, ...state };
}

/** Empty or blank optional text becomes null; other text is kept as written (trimmed for sound types). */
export function optionalText(text: string | null | undefined): string | null {
  return text === undefined || text === null || text.trim() === '' ? null : text;
}

function invalid(message: string): never {
  throw new SonotypeError('INVALID_ARGUMENT', message);
}

/** Throws INVALID_ARGUMENT with a readable reason for an impossible label. */
export function validateLabelState(state: Pick<LabelState, 'startSample' | 'endSample' | 'value' | 'source'> & Partial<LabelState>): void {
  const { startSample, endSample, value } = state;
  if (!Number.isSafeInteger(startSample) || !Number.isSafeInteger(endSample) || startSample < 0 || endSample <= startSample) {
    invalid(`A label must cover a whole-sample range with start < end (got ${startSample} to ${endSample}).`);
  }
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > LABEL_LIMITS.valueLength) {
    invalid(`A label needs a value such as "silence", "sound" or a type name (at most ${LABEL_LIMITS.valueLength} characters).`);
  }
  if (!LABEL_SOURCES.includes(state.source)) invalid(`Unknown label source "${state.source}".`);
  validateExchangeFields(state);
}

/** The optional fields: frequency box, texts, confidence, provenance, kept columns. */
function validateExchangeFields(state: Partial<LabelState>): void {
  const { lowHz = null, highHz = null } = state;
  if ((lowHz === null) !== (highHz === null)) invalid('A frequency box needs both a low and a high frequency (or neither).');
  if (lowHz !== null && highHz !== null) {
    if (!Number.isFinite(lowHz) || !Number.isFinite(highHz) || lowHz < 0 || highHz <= lowHz) {
      invalid(`A frequency box needs 0 ≤ low < high (got ${lowHz} Hz to ${highHz} Hz).`);
    }
  }
  checkText(state.soundType, 'A sound type', LABEL_LIMITS.soundTypeLength);
  checkText(state.annotation, 'An annotation', LABEL_LIMITS.annotationLength);
  checkText(state.sourceTable, 'A source table name', LABEL_LIMITS.sourceTableLength);
  const { confidence = null } = state;
  if (confidence !== null && (typeof confidence !== 'number' || !(confidence >= 0 && confidence <= 1))) {
    invalid(`A confidence must be a number from 0 to 1 (got ${String(confidence)}).`);
  }
  if (state.reference !== undefined && typeof state.reference !== 'boolean') invalid('A label is either a reference or not.');
  const { extras = null } = state;
  if (extras !== null) {
    if (!Array.isArray(extras) || extras.length > LABEL_LIMITS.extrasCount) {
      invalid(`A label keeps at most ${LABEL_LIMITS.extrasCount} extra table columns.`);
    }
    for (const pair of extras) {
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string' ||
          pair[0].length === 0 || pair[0].length > LABEL_LIMITS.extraNameLength || pair[1].length > LABEL_LIMITS.extraValueLength) {
        invalid('An extra table column needs a name and a text value (within the length limits).');
      }
    }
  }
}

function checkText(text: unknown, what: string, maxLength: number): void {
  if (text === null || text === undefined) return;
  if (typeof text !== 'string' || text.trim().length === 0 || text.length > maxLength) {
    invalid(`${what} must be non-empty text of at most ${maxLength} characters.`);
  }
}

/** Whether two states are the same label content (timestamps are not part of a state). */
export function sameLabelState(a: LabelState, b: LabelState): boolean {
  return (Object.keys(a) as (keyof LabelState)[]).every((k) =>
    k === 'extras' ? JSON.stringify(a.extras) === JSON.stringify(b.extras) : a[k] === b[k]);
}
