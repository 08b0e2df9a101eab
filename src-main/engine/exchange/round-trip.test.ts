/**
 * Round trips on the real annotated recordings of ../shared: import a table,
 * export it, import the export into a fresh project over the same audio,
 * export again — the two exports are byte-identical, for every format — and
 * the first export says what the original table said (same sample positions,
 * frequencies and texts).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLabels } from '../store/labels';
import { listRecordings } from '../store/recordings';
import { parseAnnotationTable } from './parse-table';
import type { ExportFormat } from './export-project';
import {
  exportToTexts, filesIn, importFiles, linkedAudioRoot, scannedProject, scratchDir, SHARED_ANNOTATED, SHARED_RECORDINGS,
} from './test-helpers';

const haveShared = existsSync(SHARED_RECORDINGS) && existsSync(SHARED_ANNOTATED);
if (!haveShared) console.warn(`Skipping exchange round trips on real files: ${SHARED_RECORDINGS} or ${SHARED_ANNOTATED} is absent.`);

const FORMATS: ExportFormat[] = ['raven', 'audacity', 'csv'];

/** The case: audio files, the original table(s), what the original rows must become. */
interface Case {
  name: string;
  audio: string[];
  tables: string[];
}

const cases = (): Case[] => [
  {
    name: 'spinetail Audacity labels (with frequency rows)',
    audio: [path.join(SHARED_RECORDINGS, 'birds_spinetail_maad.wav')],
    tables: [path.join(SHARED_RECORDINGS, 'birds_spinetail_maad.audacity_labels.txt')],
  },
  {
    name: 'hummingbird reference CSV (kHz boxes, two files)',
    audio: filesIn(SHARED_RECORDINGS, /^hummingbird_Phae_long\d\.wav$/),
    tables: [path.join(SHARED_RECORDINGS, 'hummingbird_Phae_long_reference_dev.csv')],
  },
  ...['bf_bl26lb16_notmat', 'koumura_bird0'].map((set) => ({
    name: `annotated/${set}/events.csv`,
    audio: filesIn(path.join(SHARED_ANNOTATED, set), /\.wav$/),
    tables: [path.join(SHARED_ANNOTATED, set, 'events.csv')],
  })),
];

describe.skipIf(!haveShared)('round trips on the real annotation tables', () => {
  const scratch = scratchDir('sonotype-roundtrip-');
  afterAll(() => scratch.cleanup());

  for (const c of haveShared ? cases() : []) {
    describe(c.name, () => {
      let audioRoot: string;
      let originalRows: number;
      beforeAll(() => {
        audioRoot = linkedAudioRoot(path.join(scratch.dir, c.name.replace(/\W+/g, '_')), c.audio);
        originalRows = c.tables.reduce((n, t) => n + parseAnnotationTable(readFileSync(t), path.basename(t)).rows.length, 0);
      });

      it('imports every row, exactly where the table put it', async () => {
        const project = await scannedProject(path.join(audioRoot, '..', 'check'), audioRoot);
        try {
          const report = importFiles(project, c.tables);
          expect(report.issues).toEqual([]);
          expect(report.imported).toBe(originalRows);
          const byPath = new Map(listRecordings(project.db).map((r) => [r.path, r]));
          for (const table of c.tables) {
            const parsed = parseAnnotationTable(readFileSync(table), path.basename(table));
            for (const row of parsed.rows) {
              const rec = row.recordingRefs.length ? byPath.get(row.recordingRefs[0])! : [...byPath.values()][0];
              const rate = rec.sampleRate!;
              const found = listLabels(project.db, rec.id).find((l) => l.startSample === Math.round(row.startSeconds! * rate));
              expect(found, `line ${row.line}`).toBeDefined();
              expect(found!.endSample).toBe(Math.min(rec.frames!, Math.round(row.endSeconds! * rate)));
              expect([found!.lowHz, found!.highHz]).toEqual([row.lowHz ?? null, row.highHz ?? null]);
              expect(found!.soundType).toBe(row.soundType ?? null);
            }
          }
          // Importing the same table again adds nothing.
          expect(importFiles(project, c.tables)).toMatchObject({ imported: 0, duplicates: originalRows, rejected: 0 });
        } finally {
          project.close();
        }
      });

      for (const format of FORMATS) {
        it(`${format}: import → export → import into a fresh project → export gives identical files`, async () => {
          const base = path.join(audioRoot, '..', format);
          const first = await scannedProject(path.join(base, 'p1'), audioRoot);
          const second = await scannedProject(path.join(base, 'p2'), audioRoot);
          try {
            importFiles(first, c.tables);
            const export1 = await exportToTexts(first, format, path.join(base, 'e1'));
            const report = importFiles(second, [...export1.keys()].map((f) => path.join(base, 'e1', f)));
            expect(report.issues).toEqual([]);
            expect(report.imported).toBe(originalRows);
            const export2 = await exportToTexts(second, format, path.join(base, 'e2'));
            expect([...export2.keys()]).toEqual([...export1.keys()]);
            for (const [file, text] of export1) expect(export2.get(file), file).toBe(text);
          } finally {
            first.close();
            second.close();
          }
        });
      }
    });
  }
});
