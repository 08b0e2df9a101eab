/**
 * Annotation exchange over the contract: what an import or export is asked
 * for and what it reports. The engine (src-main/engine/exchange) produces
 * exactly these shapes; the CLI prints them with --json.
 */
import * as v from 'valibot';

export const IMPORT_FORMATS = ['auto', 'raven', 'audacity', 'csv', 'notmat'] as const;
export const EXPORT_FORMATS = ['raven', 'audacity', 'csv', 'cluster-wav'] as const;
export const EXPORT_SOURCES = ['human', 'all', 'reference'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** 'human': people's labels (made here or imported); 'all': plus the model's and the heuristic's; 'reference': the truth tables. */
export type ExportSource = (typeof EXPORT_SOURCES)[number];

/** The largest table the app accepts over the contract (base64 of 32 MiB). */
const MAX_TABLE_BASE64 = Math.ceil((32 * 1024 * 1024) / 3) * 4;
const fileName = v.pipe(v.string(), v.minLength(1), v.maxLength(1000));

/** A table the page read (file picker or drop): its name and bytes as base64 (UTF-16 tables stay intact). */
export const importTableSchema = v.object({ name: fileName, base64: v.pipe(v.string(), v.maxLength(MAX_TABLE_BASE64)) });
export type ImportTable = v.InferOutput<typeof importTableSchema>;

export const importOptionsSchema = v.object({
  /** 'human' (default): labels that train; 'reference': truth for evaluation only. */
  as: v.optional(v.picklist(['human', 'reference'])),
  /** Every row belongs to this recording (path under the audio root). */
  recording: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(4095))),
  format: v.optional(v.picklist(IMPORT_FORMATS)),
});
export type ImportRequestOptions = v.InferOutput<typeof importOptionsSchema>;

export const exportRequestSchema = v.object({
  format: v.picklist(EXPORT_FORMATS),
  /** Folder to write into (created when missing). */
  outDir: v.pipe(v.string(), v.minLength(1), v.maxLength(4095)),
  source: v.optional(v.picklist(EXPORT_SOURCES)),
});
export type ExportRequest = v.InferOutput<typeof exportRequestSchema>;

/** A problem with one row (line ≥ 1) or with a whole table (line null). */
export interface RowIssue {
  file: string;
  line: number | null;
  reason: string;
}

/** What happened to one table of an import. */
export interface TableImportSummary {
  name: string;
  format: 'raven' | 'audacity' | 'csv';
  encoding: string;
  rows: number;
  imported: number;
  duplicates: number;
  rejected: number;
}

export interface ImportReport {
  tables: TableImportSummary[];
  imported: number;
  /** Rows already in the project (a re-import), skipped. */
  duplicates: number;
  rejected: number;
  /** Every problem, in table and line order. */
  issues: RowIssue[];
  /** Recordings that received labels. */
  recordingIds: number[];
}

export interface ExportReport {
  format: ExportFormat;
  outDir: string;
  /** Written files, relative to outDir, forward slashes. */
  files: string[];
  recordings: number;
  labels: number;
  /** cluster-wav: labels without a sound type or cluster, not written. */
  skipped?: number;
}
