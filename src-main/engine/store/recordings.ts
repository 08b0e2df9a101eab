/**
 * Recordings found by scanning the project's audio root: insert/update on each
 * scan, re-link moved or renamed files by content hash, flag vanished files.
 */
import type { AudioInfo, RecordingStatus, RecordingSummary } from '../../../src-shared/audio-types';
import { SonotypeError } from '../../../src-shared/errors';
import type { ProjectDb } from './database';

/** One file as the scanner saw it. */
export interface ScannedRecordingInput {
  /** Path relative to the audio root, forward slashes. */
  relPath: string;
  sizeBytes: number;
  mtimeMs: number;
  /** Hex SHA-256 of the bytes, or null when it could not be computed. */
  hash: string | null;
  status: RecordingStatus;
  /** Required when status is 'error'. */
  error?: { code: string; message: string };
  /** What the decoder read from the header, when it could. */
  info?: AudioInfo;
}

export interface UpsertScanOptions {
  /**
   * Every relPath present in the current scan. A row whose path is not in it
   * may be taken over by a file with the same hash (a move or rename) before
   * markMissing has flagged it. Without it, only rows already flagged missing
   * are re-link candidates.
   */
  presentRelPaths?: ReadonlySet<string>;
}

export type UpsertAction = 'inserted' | 'updated' | 'relinked' | 'unchanged';

/** Everything stored about a recording (a superset of RecordingSummary). */
export interface RecordingRecord extends RecordingSummary {
  mtimeMs: number;
  frames: number | null;
  container: string | null;
  bitsPerSample: number | null;
  firstSeenAt: number;
  lastSeenAt: number;
}

interface RecordingRow {
  id: number;
  rel_path: string;
  size_bytes: number;
  mtime_ms: number;
  content_hash: string | null;
  sample_rate: number | null;
  channels: number | null;
  frames: number | null;
  duration_seconds: number | null;
  codec: string | null;
  container: string | null;
  bits_per_sample: number | null;
  status: RecordingStatus;
  error_code: string | null;
  error_message: string | null;
  warning: string | null;
  first_seen_at: number;
  last_seen_at: number;
  missing: number;
}

/** Columns the scanner decides; compared to tell 'updated' from 'unchanged'. */
const SCANNED_COLUMNS = [
  'size_bytes', 'mtime_ms', 'content_hash', 'sample_rate', 'channels', 'frames', 'duration_seconds',
  'codec', 'container', 'bits_per_sample', 'status', 'error_code', 'error_message', 'warning',
] as const;
type ScannedColumns = Pick<RecordingRow, (typeof SCANNED_COLUMNS)[number]>;

const SET_SCANNED = SCANNED_COLUMNS.map((c) => `${c} = @${c}`).join(', ');

/**
 * Records one scanned file. Same path → 'updated' or 'unchanged'; new path
 * whose hash matches a row whose file is gone → 'relinked' (that row, its id
 * and everything attached to it, takes the new path); otherwise 'inserted'.
 */
export function upsertScannedRecording(
  db: ProjectDb,
  input: ScannedRecordingInput,
  options: UpsertScanOptions = {},
): { id: number; action: UpsertAction } {
  const scanned = toScannedColumns(input);
  const now = Date.now();
  return db.transaction(() => {
    const existing = db.statement('SELECT * FROM recordings WHERE rel_path = ?').get(input.relPath) as RecordingRow | undefined;
    if (existing) {
      const same = existing.missing === 0 && SCANNED_COLUMNS.every((c) => existing[c] === scanned[c]);
      if (same) {
        db.statement('UPDATE recordings SET last_seen_at = ? WHERE id = ?').run(now, existing.id);
        return { id: existing.id, action: 'unchanged' as const };
      }
      db.statement(`UPDATE recordings SET ${SET_SCANNED}, missing = 0, last_seen_at = @now WHERE id = @id`)
        .run({ ...scanned, now, id: existing.id });
      return { id: existing.id, action: 'updated' as const };
    }
    const relinkable = input.hash === null ? undefined : findRelinkCandidate(db, input.hash, options.presentRelPaths);
    if (relinkable) {
      db.statement(`UPDATE recordings SET rel_path = @relPath, ${SET_SCANNED}, missing = 0, last_seen_at = @now WHERE id = @id`)
        .run({ ...scanned, relPath: input.relPath, now, id: relinkable.id });
      return { id: relinkable.id, action: 'relinked' as const };
    }
    const inserted = db
      .statement(
        `INSERT INTO recordings (rel_path, ${SCANNED_COLUMNS.join(', ')}, first_seen_at, last_seen_at, missing)
         VALUES (@relPath, ${SCANNED_COLUMNS.map((c) => `@${c}`).join(', ')}, @now, @now, 0)`,
      )
      .run({ ...scanned, relPath: input.relPath, now });
    return { id: Number(inserted.lastInsertRowid), action: 'inserted' as const };
  });
}

/** The most recently seen row with this hash whose file is gone, if any. */
function findRelinkCandidate(db: ProjectDb, hash: string, present?: ReadonlySet<string>): RecordingRow | undefined {
  const rows = db
    .statement('SELECT * FROM recordings WHERE content_hash = ? ORDER BY last_seen_at DESC, id DESC')
    .all(hash) as RecordingRow[];
  return rows.find((row) => row.missing === 1 || (present !== undefined && !present.has(row.rel_path)));
}

function toScannedColumns(input: ScannedRecordingInput): ScannedColumns {
  // A backslash is an ordinary character of a file name on Linux and macOS; the separator is always '/'.
  if (!input.relPath || input.relPath.startsWith('/') || input.relPath.split('/').some((part) => part === '' || part === '..')) {
    throw new SonotypeError('INVALID_ARGUMENT', `Recording path must be relative with forward slashes, got "${input.relPath}".`);
  }
  if (!Number.isInteger(input.sizeBytes) || input.sizeBytes < 0 || !Number.isFinite(input.mtimeMs)) {
    throw new SonotypeError('INVALID_ARGUMENT', `Recording ${input.relPath} has an invalid size or modification time.`);
  }
  if (input.status === 'error' && !input.error) {
    throw new SonotypeError('INVALID_ARGUMENT', `Recording ${input.relPath} has status 'error' but no error was given.`);
  }
  const info = input.info;
  return {
    size_bytes: input.sizeBytes,
    mtime_ms: input.mtimeMs,
    content_hash: input.hash,
    sample_rate: info?.sampleRate ?? null,
    channels: info?.channels ?? null,
    // Compressed formats may report a fractional estimate; the column holds whole frames.
    frames: info ? Math.round(info.frames) : null,
    duration_seconds: info?.durationSeconds ?? null,
    codec: info?.codec ?? null,
    container: info?.container ?? null,
    bits_per_sample: info?.bitsPerSample ?? null,
    status: input.status,
    error_code: input.status === 'error' ? input.error!.code : null,
    error_message: input.status === 'error' ? input.error!.message : null,
    warning: input.status === 'ok' ? (info?.warning ?? null) : null,
  };
}

/**
 * Flags every recording whose path is not in `presentRelPaths` (call after a
 * completed scan). Rows are never deleted: labels and analyses hang off them.
 * Returns how many rows became missing.
 */
export function markMissing(db: ProjectDb, presentRelPaths: Iterable<string>): number {
  const present = presentRelPaths instanceof Set ? (presentRelPaths as Set<string>) : new Set(presentRelPaths);
  return db.transaction(() => {
    const rows = db.statement('SELECT id, rel_path FROM recordings WHERE missing = 0').all() as Pick<RecordingRow, 'id' | 'rel_path'>[];
    const flag = db.statement('UPDATE recordings SET missing = 1 WHERE id = ?');
    let flagged = 0;
    for (const row of rows) {
      if (!present.has(row.rel_path)) {
        flag.run(row.id);
        flagged++;
      }
    }
    return flagged;
  });
}

/**
 * Gives a recording an error row after analysis failed on it (a file that
 * scanned but cannot be decoded to the end, absurd stream values…). A rescan
 * probes the file again and sets its status from what it finds.
 */
export function markRecordingFailed(db: ProjectDb, id: number, error: { code: string; message: string }): void {
  db.statement(`UPDATE recordings SET status = 'error', error_code = ?, error_message = ? WHERE id = ?`).run(error.code, error.message, id);
}

/** All recordings ordered by path, missing ones included (see `missing`). */
export function listRecordings(db: ProjectDb, options: { includeMissing?: boolean } = {}): RecordingRecord[] {
  const source = options.includeMissing === false
    ? 'SELECT * FROM recordings WHERE missing = 0 ORDER BY rel_path'
    : 'SELECT * FROM recordings ORDER BY rel_path';
  return (db.statement(source).all() as RecordingRow[]).map(toRecord);
}

/** The recording with this id, or NOT_FOUND with a readable message. */
export function requireRecording(db: ProjectDb, recordingId: number): RecordingRecord {
  const recording = getRecording(db, recordingId);
  if (!recording) throw new SonotypeError('NOT_FOUND', `No recording with id ${recordingId} in this project.`);
  return recording;
}

/** One recording by id or by relative path; undefined when unknown. */
export function getRecording(db: ProjectDb, idOrRelPath: number | string): RecordingRecord | undefined {
  const row = typeof idOrRelPath === 'number'
    ? db.statement('SELECT * FROM recordings WHERE id = ?').get(idOrRelPath)
    : db.statement('SELECT * FROM recordings WHERE rel_path = ?').get(idOrRelPath);
  return row ? toRecord(row as RecordingRow) : undefined;
}

/** Native sample rates of the readable, present recordings: one entry per recording (repeats count). */
export function listNativeRates(db: ProjectDb): number[] {
  const rows = db
    .statement(`SELECT sample_rate FROM recordings WHERE status = 'ok' AND missing = 0 AND sample_rate IS NOT NULL`)
    .all() as { sample_rate: number }[];
  return rows.map((r) => r.sample_rate);
}

/**
 * Snapshot of known hashes so a scan can skip re-hashing files whose size and
 * mtime are unchanged. Returns a lookup `(relPath, size, mtimeMs) => hash`.
 */
export function hashCacheLookup(db: ProjectDb): (relPath: string, sizeBytes: number, mtimeMs: number) => string | undefined {
  const rows = db
    .statement('SELECT rel_path, size_bytes, mtime_ms, content_hash FROM recordings WHERE content_hash IS NOT NULL')
    .all() as Pick<RecordingRow, 'rel_path' | 'size_bytes' | 'mtime_ms' | 'content_hash'>[];
  const byPath = new Map(rows.map((row) => [row.rel_path, row]));
  return (relPath, sizeBytes, mtimeMs) => {
    const row = byPath.get(relPath);
    return row && row.size_bytes === sizeBytes && row.mtime_ms === mtimeMs ? (row.content_hash ?? undefined) : undefined;
  };
}

function toRecord(row: RecordingRow): RecordingRecord {
  const record: RecordingRecord = {
    id: row.id,
    path: row.rel_path,
    sizeBytes: row.size_bytes,
    hash: row.content_hash,
    status: row.status,
    sampleRate: row.sample_rate,
    channels: row.channels,
    durationSeconds: row.duration_seconds,
    codec: row.codec,
    mtimeMs: row.mtime_ms,
    frames: row.frames,
    container: row.container,
    bitsPerSample: row.bits_per_sample,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    missing: row.missing === 1,
  };
  if (row.status === 'error') record.error = { code: row.error_code ?? 'INTERNAL', message: row.error_message ?? '' };
  if (row.warning) record.warning = row.warning;
  return record;
}
