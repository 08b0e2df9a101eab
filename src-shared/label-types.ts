/**
 * What a label carries besides its time range, shared by the store, the
 * importers/exporters and the UI. One source of truth for the label sources
 * and the limits every layer checks.
 */

/**
 * Who produced a label. People always win over the model and the heuristic;
 * an imported label counts like a person's (someone made the table), unless it
 * was imported as reference (see `reference`).
 */
export type LabelSource = 'human' | 'model' | 'heuristic' | 'imported';

export const LABEL_SOURCES: readonly LabelSource[] = ['human', 'model', 'heuristic', 'imported'];

/** The optional fields a label gains from annotation tables (all null when unknown). */
export interface LabelExchangeFields {
  /** Frequency bounds in Hz: both or neither. A label with bounds is drawn as a box. */
  lowHz: number | null;
  highHz: number | null;
  /** Free text (Raven's Annotation column, notes). */
  annotation: string | null;
  /** The sound type ('whistle', 'SP', …); the cluster/type features build on it. */
  soundType: string | null;
  /** 0…1, e.g. a classifier's score carried in from a table. */
  confidence: number | null;
}

/** Where a label came from beyond its source. */
export interface LabelProvenance {
  /** File name of the table an imported label came from (kept when a person edits it later). */
  sourceTable: string | null;
  /** Truth for evaluation only: it trains nothing and does not count as a correction. */
  reference: boolean;
  /**
   * Columns of the imported table that Sonotype has no field for, in table
   * order, as [column name, text]; written back unchanged on export.
   */
  extras: [string, string][] | null;
}

/** Limits checked in the store and at the contract boundary. */
export const LABEL_LIMITS = {
  valueLength: 100,
  soundTypeLength: 100,
  annotationLength: 10_000,
  sourceTableLength: 1_000,
  extrasCount: 200,
  extraNameLength: 200,
  extraValueLength: 10_000,
} as const;

/** A LabelView's exchange and provenance fields when it has none of them (time-only label made in Sonotype). */
export const NO_LABEL_EXTRAS: LabelExchangeFields & { sourceTable: null; reference: false } = {
  lowHz: null, highHz: null, annotation: null, soundType: null, confidence: null, sourceTable: null, reference: false,
};
