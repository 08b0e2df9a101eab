/** RecordingLabels.labelOf (binary-searched candidates) against a scan of every label. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createLabel, listLabels } from '../store/labels';
import { upsertScannedRecording } from '../store/recordings';
import { createTempProject, scannedWav, type TempProject } from '../store/test-helpers';
import { createRng } from '../util/random';
import { bestMatchByIoU } from '../util/sample-spans';
import type { Span } from './identities';
import { RecordingLabels } from './type-labels';

let project: TempProject;
beforeEach(() => {
  project = createTempProject('sonotype-type-labels-');
});
afterEach(() => project.cleanup());

it('finds the same label as a scan of every label (IoU ≥ 0.5, later one on ties), for spans of every size', () => {
  const { db } = project;
  const rec = upsertScannedRecording(db, scannedWav('a.wav')).id;
  const rng = createRng(11);
  for (let i = 0; i < 300; i++) {
    const start = Math.floor(rng() * 100_000);
    const length = 1 + Math.floor(rng() ** 3 * 20_000); // mostly short, a few long
    createLabel(db, { recordingId: rec, startSample: start, endSample: start + length, value: rng() < 0.2 ? 'silence' : 'sound', soundType: rng() < 0.5 ? 'a' : null });
  }
  createLabel(db, { recordingId: rec, startSample: 5000, endSample: 6000, value: 'sound' }); // exact duplicates: the later wins
  createLabel(db, { recordingId: rec, startSample: 5000, endSample: 6000, value: 'sound' });
  const all = listLabels(db, rec);
  const scan = (span: Span) => bestMatchByIoU(all, span, 0.5)?.id ?? null; // every label
  const labels = new RecordingLabels(db);
  const spans: Span[] = [{ recordingId: rec, startSample: 5000, endSample: 6000 }, ...all.slice(0, 50)];
  for (let i = 0; i < 500; i++) {
    const start = Math.floor(rng() * 110_000);
    spans.push({ recordingId: rec, startSample: start, endSample: start + 1 + Math.floor(rng() ** 2 * 20_000) });
  }
  let found = 0;
  for (const span of spans) {
    const expected = scan(span);
    expect(labels.labelOf(span)?.id ?? null).toBe(expected);
    if (expected !== null) found++;
  }
  expect(found).toBeGreaterThan(100);
});
