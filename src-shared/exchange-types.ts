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

/**
 * The most the app imports at once (all tables together). Measured with the 'import' job on Raven tables
 * (100 one-hour recordings, a box on every row; load ≈ 1–3): 9 MB / 100k rows in 2.6 s, peak 470 MB;
 * 36 MB / 400k rows in 10 s, peak 960 MB; 108 MB / 1.2M rows in 37 s, peak 3.1 GB (≈ 24 MB of memory per MB of
 * table). 64 MiB (≈ 700k selections, ≈ 25 s, ≈ 1.8 GB) stays well clear of a thread's 4 GB V8 heap; bigger
 * surveys go through `sonotype import`, which takes them table by table.
 */
export const MAX_IMPORT_BYTES = 64 * 2 ** 20;
/**
 * Bytes one call carries (a table inline, or one chunk of a staged one): its base64 stays under the browser
 * mode's 8 MiB WebSocket message limit.
 */
export const MAX_TABLE_CHUNK_BYTES = 4 * 2 ** 20;
const MAX_CHUNK_BASE64 = Math.ceil(MAX_TABLE_CHUNK_BYTES / 3) * 4;
const fileName = v.pipe(v.string(), v.minLength(1), v.maxLength(1000));
const uploadId = v.pipe(v.string(), v.regex(/^[0-9a-f-]{36}$/));

/**
 * A table the page read (file picker or drop): its name and either its bytes as base64 (UTF-16 tables stay
 * intact) or, for a table bigger than one call carries, the id 'exchange:stageTable' gave its staged bytes.
 */
export const importTableSchema = v.union([
  v.strictObject({ name: fileName, base64: v.pipe(v.string(), v.maxLength(MAX_CHUNK_BASE64)) }),
  v.strictObject({ name: fileName, uploadId }),
]);
export type ImportTable = v.InferOutput<typeof importTableSchema>;

/** One chunk of a big table, in order; without uploadId it starts a new staged table. */
export const tableChunkSchema = v.strictObject({ uploadId: v.optional(uploadId), base64: v.pipe(v.string(), v.maxLength(MAX_CHUNK_BASE64)) });
export type TableChunk = v.InferOutput<typeof tableChunkSchema>;

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
