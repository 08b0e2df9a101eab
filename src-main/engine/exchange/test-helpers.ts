/**
 * Projects for the exchange tests: a temporary project folder over an audio
 * root (real recordings linked from ../shared, or synthesized WAVs), scanned.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openProject, type Project } from '../project/open-project';
import { scanProject } from '../project/scan-project';
import { exportLabels, type ExportFormat } from './export-project';
import type { ExportSource } from './export-labels';
import { importAnnotationTables, type ImportOptions, type ImportReport } from './import-tables';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const SHARED_RECORDINGS = path.resolve(repoRoot, '../shared/data/recordings');
export const SHARED_ANNOTATED = path.resolve(repoRoot, '../shared/data/annotated');

/** A scratch folder removed by `cleanup`. */
export function scratchDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An audio root holding links to (or copies of) `files`, named by their base names. */
export function linkedAudioRoot(into: string, files: readonly string[]): string {
  const root = path.join(into, 'audio');
  mkdirSync(root, { recursive: true });
  for (const file of files) {
    const target = path.join(root, path.basename(file));
    try {
      symlinkSync(file, target);
    } catch {
      copyFileSync(file, target);
    }
  }
  return root;
}

/** Opens a new project in `projectDir` over `audioRoot` and scans it. */
export async function scannedProject(projectDir: string, audioRoot: string): Promise<Project> {
  const project = await openProject(projectDir, { audioRoot });
  await scanProject(project);
  return project;
}

/** Reads tables from disk and imports them. */
export function importFiles(project: Project, files: readonly string[], options: ImportOptions = {}): ImportReport {
  const tables = files.map((f) => ({ name: path.basename(f), path: f, bytes: readFileSync(f) }));
  return importAnnotationTables(project.db, project.audioRoot, tables, options);
}

/** Exports and returns { relative file name → text } of the written tables. */
export async function exportToTexts(project: Project, format: ExportFormat, outDir: string, source: ExportSource = 'human'): Promise<Map<string, string>> {
  const report = await exportLabels(project.db, { format, outDir, source, resolvePath: (rel) => project.resolveRecordingPath(rel) });
  return new Map(report.files.map((f) => [f, readFileSync(path.join(outDir, f), 'utf8')]));
}

/** Files of a folder (not recursive), absolute, sorted. */
export function filesIn(dir: string, pattern: RegExp): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => pattern.test(f)).sort().map((f) => path.join(dir, f)) : [];
}
