/**
 * Scans the project's audio root into its database. Each file is committed in
 * its own transaction, so killing the process mid-scan leaves a consistent
 * database and the next scan simply continues (unchanged files are skipped via
 * the hash cache). Vanished files are flagged missing only after a scan
 * completes — never deleted, because labels hang off them.
 */
import type { ScanTotals } from '../../../src-shared/contract';
import type { ErrorInfo } from '../../../src-shared/errors';
import { scanFolder } from '../audio';
import { assignRateGroups } from '../features/rate-groups';
import { hashCacheLookup, listNativeRates, listRecordings, markMissing, upsertScannedRecording, type UpsertAction } from '../store/recordings';
import { getSetting, setSetting } from '../store/settings';
import { createJob, finishJob, startJob, updateJobProgress } from '../store/jobs';
import type { Project } from './open-project';

/** One scanned file as reported to the CLI and UI. */
export interface ScanEntry {
  id: number;
  path: string;
  status: 'ok' | 'error';
  error?: ErrorInfo;
  /** A caveat about a usable file (cut short: it holds less than its header says). */
  warning?: string;
  durationSeconds: number | null;
  sampleRate: number | null;
  channels: number | null;
  codec: string | null;
  hash: string | null;
  action: UpsertAction;
}

export interface ScanReport {
  recordings: ScanEntry[];
  totals: ScanTotals;
}

export interface ScanOptions {
  signal?: AbortSignal;
  /** Called after each file is stored, with the running count. */
  onFile?: (done: number, relPath: string) => void;
  /** Called before each file is read (a watchdog can then name the file a scan is stuck on). */
  onFileStart?: (relPath: string) => void;
}

/**
 * Scans the project's audio root into its database and records the scan as a
 * 'scan' job row of its own (the CLI and the demo project call this; the app
 * runs `scanProjectFiles` inside a 'scan' job of the JobRunner instead).
 */
export async function scanProject(project: Project, options: ScanOptions = {}): Promise<ScanReport> {
  const { db } = project;
  const job = createJob(db, { kind: 'scan', params: { audioRoot: project.audioRoot } });
  startJob(db, job.id);
  try {
    const report = await scanProjectFiles(project, {
      ...options,
      onFile: (done, relPath) => {
        options.onFile?.(done, relPath);
        if (done % 25 === 0) updateJobProgress(db, job.id, { phase: 'scanning', done, itemsLabel: 'files' });
      },
    });
    updateJobProgress(db, job.id, scanSummary(report.totals));
    finishJob(db, job.id, { state: 'succeeded' });
    return report;
  } catch (error) {
    const cancelled = options.signal?.aborted;
    finishJob(db, job.id, cancelled ? { state: 'cancelled' } : { state: 'failed', error: { code: 'INTERNAL', message: (error as Error).message } });
    throw error;
  }
}

/** A finished scan's progress as the jobs panel shows it: what it found, not a bare count. */
export function scanSummary(totals: ScanTotals): { phase: 'scanning'; done: number; total: number; itemsLabel: 'files'; message: string } {
  return {
    phase: 'scanning', done: totals.files, total: totals.files, itemsLabel: 'files',
    message: `${totals.ok} readable, ${totals.errors} unreadable, ${totals.inserted} new, ${totals.missing} missing`,
  };
}

/** The scan itself: every file of the audio root upserted in its own transaction, vanished ones flagged missing. */
export async function scanProjectFiles(project: Pick<Project, 'db' | 'audioRoot'>, options: ScanOptions = {}): Promise<ScanReport> {
  const { db } = project;
  const present = new Set<string>();
  const unreadableFolders: NonNullable<ScanTotals['unreadableFolders']> = [];
  const entries: ScanEntry[] = [];
  const counts = { inserted: 0, updated: 0, relinked: 0, unchanged: 0 };
  for await (const file of scanFolder(project.audioRoot, {
    signal: options.signal, hashCache: hashCacheLookup(db), onFile: options.onFileStart,
    onUnreadableFolder: (path, error) => unreadableFolders.push({ path, error }),
  })) {
    present.add(file.relPath);
    const { id, action } = db.transaction(() => upsertScannedRecording(db, file, { presentRelPaths: present }));
    counts[action]++;
    entries.push({
      id,
      path: file.relPath,
      status: file.status,
      ...(file.error ? { error: file.error } : {}),
      ...(file.info?.warning ? { warning: file.info.warning } : {}),
      durationSeconds: file.info?.durationSeconds ?? null,
      sampleRate: file.info?.sampleRate ?? null,
      channels: file.info?.channels ?? null,
      codec: file.info?.codec ?? null,
      hash: file.hash,
      action,
    });
    options.onFile?.(entries.length, file.relPath);
  }
  // Recordings in a folder that could not be read were not looked for: they are not missing.
  for (const r of listRecordings(db)) {
    if (unreadableFolders.some((f) => r.path.startsWith(`${f.path}/`))) present.add(r.path);
  }
  const missing = db.transaction(() => markMissing(db, present));
  updateRateGroups(project);
  const ok = entries.filter((e) => e.status === 'ok');
  const totals: ScanTotals = {
    files: entries.length,
    ok: ok.length,
    errors: entries.length - ok.length,
    durationSeconds: ok.reduce((s, e) => s + (e.durationSeconds ?? 0), 0),
    ...counts,
    missing,
    ...(unreadableFolders.length > 0 ? { unreadableFolders } : {}),
  };
  entries.sort((a, b) => a.path.localeCompare(b.path));
  return { recordings: entries, totals };
}

/**
 * Gives every native rate of the folder an analysis rate (features/rate-groups.ts): rates seen before keep
 * theirs — models trained at one rate must keep seeing that frequency axis — and new rates join a close
 * group or start their own. A project with a forced rate (`--analysis-rate`) keeps it for everything.
 */
function updateRateGroups(project: Pick<Project, 'db'>): void {
  if (getSetting(project.db, 'analysisSampleRate')) return;
  const rates = listNativeRates(project.db);
  if (rates.length === 0) return;
  const existing = getSetting(project.db, 'rateGroups') ?? [];
  setSetting(project.db, 'rateGroups', assignRateGroups(rates, existing));
}
