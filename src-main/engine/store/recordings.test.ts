import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SonotypeError } from '../../../src-shared/errors';
import { createLabel, listLabels } from './labels';
import { getRecording, hashCacheLookup, listRecordings, markMissing, upsertScannedRecording } from './recordings';
import { createTempProject, scannedWav, type TempProject } from './test-helpers';

let project: TempProject;
beforeEach(() => {
  project = createTempProject();
});
afterEach(() => project.cleanup());

describe('upsertScannedRecording', () => {
  it('inserts a new file, reports an identical re-scan as unchanged and a changed file as updated', () => {
    const { db } = project;
    const first = upsertScannedRecording(db, scannedWav('a.wav'));
    expect(first.action).toBe('inserted');
    expect(upsertScannedRecording(db, scannedWav('a.wav'))).toEqual({ id: first.id, action: 'unchanged' });

    const edited = scannedWav('a.wav', { sizeBytes: 2_000_044, mtimeMs: 1_700_000_100_000, hash: 'new-hash' });
    expect(upsertScannedRecording(db, edited)).toEqual({ id: first.id, action: 'updated' });
    expect(getRecording(db, first.id)).toMatchObject({ path: 'a.wav', sizeBytes: 2_000_044, mtimeMs: 1_700_000_100_000, hash: 'new-hash' });

    // A change only in the decoded header facts is an update too.
    const resampled = scannedWav('a.wav', { ...edited, info: { ...edited.info!, sampleRate: 96_000 } });
    expect(upsertScannedRecording(db, resampled).action).toBe('updated');
    expect(getRecording(db, 'a.wav')!.sampleRate).toBe(96_000);
    expect(listRecordings(db)).toHaveLength(1);
  });

  it('stores every scanned field and the error of unreadable files', () => {
    const { db } = project;
    const { id } = upsertScannedRecording(db, scannedWav('deep/folder/b.wav', { info: { sampleRate: 44_100, channels: 2, frames: 1234.6, durationSeconds: 0.028, codec: 'mp3', container: 'mp3' } }));
    expect(getRecording(db, id)).toMatchObject({
      path: 'deep/folder/b.wav', sizeBytes: 1_000_044, mtimeMs: 1_700_000_000_000.5, hash: 'hash-of-deep/folder/b.wav', status: 'ok',
      sampleRate: 44_100, channels: 2, frames: 1235, durationSeconds: 0.028, codec: 'mp3', container: 'mp3', bitsPerSample: null, missing: false,
    });
    expect(getRecording(db, id)!.error).toBeUndefined();

    const broken = upsertScannedRecording(db, { relPath: 'empty.wav', sizeBytes: 0, mtimeMs: 1, hash: null, status: 'error', error: { code: 'EMPTY_FILE', message: 'File is empty (0 bytes)' } });
    expect(getRecording(db, broken.id)).toMatchObject({ status: 'error', error: { code: 'EMPTY_FILE', message: 'File is empty (0 bytes)' }, sampleRate: null, hash: null });
    // Fixing the file clears the error.
    upsertScannedRecording(db, scannedWav('empty.wav'));
    expect(getRecording(db, 'empty.wav')!.error).toBeUndefined();

    expect(() => upsertScannedRecording(db, { relPath: 'x.wav', sizeBytes: 1, mtimeMs: 1, hash: null, status: 'error' })).toThrow(SonotypeError);
    // A backslash is part of a Linux/macOS file name (it used to abort the whole scan); '..' and '/x' are not relative paths.
    expect(upsertScannedRecording(db, scannedWav('site\\night.wav')).action).toBe('inserted');
    expect(getRecording(db, 'site\\night.wav')!.path).toBe('site\\night.wav');
    for (const bad of ['../x.wav', '/abs.wav', 'a//b.wav']) expect(() => upsertScannedRecording(db, scannedWav(bad))).toThrow(/forward slashes/);
    expect(() => upsertScannedRecording(db, scannedWav('neg.wav', { sizeBytes: -1 }))).toThrow(/invalid size/);
  });

  it('re-links a moved file to its existing row, keeping its id and labels', () => {
    const { db } = project;
    const original = upsertScannedRecording(db, scannedWav('2011/day1.wav', { hash: 'H1' }));
    upsertScannedRecording(db, scannedWav('2011/day2.wav', { hash: 'H2' }));
    createLabel(db, { recordingId: original.id, startSample: 0, endSample: 4800, value: 'silence' });

    // Next scan: day1 was moved into a sub-folder; the scan knows which paths exist.
    const present = new Set(['archive/2011/day1.wav', '2011/day2.wav']);
    const moved = upsertScannedRecording(db, scannedWav('archive/2011/day1.wav', { hash: 'H1' }), { presentRelPaths: present });
    expect(moved).toEqual({ id: original.id, action: 'relinked' });
    expect(getRecording(db, '2011/day1.wav')).toBeUndefined();
    expect(getRecording(db, original.id)!.path).toBe('archive/2011/day1.wav');
    expect(listLabels(db, original.id).map((l) => l.value)).toEqual(['silence']);
    expect(markMissing(db, present)).toBe(0);
    expect(listRecordings(db)).toHaveLength(2);
  });

  it('re-links onto a row flagged missing by an earlier scan', () => {
    const { db } = project;
    const original = upsertScannedRecording(db, scannedWav('old-name.wav', { hash: 'H' }));
    expect(markMissing(db, [])).toBe(1);
    expect(getRecording(db, original.id)!.missing).toBe(true);
    expect(upsertScannedRecording(db, scannedWav('new-name.wav', { hash: 'H' }))).toEqual({ id: original.id, action: 'relinked' });
    expect(getRecording(db, original.id)).toMatchObject({ path: 'new-name.wav', missing: false });
  });

  it('does not re-link when the original is still present (a copy) or the hash is unknown', () => {
    const { db } = project;
    const original = upsertScannedRecording(db, scannedWav('a.wav', { hash: 'H' }));
    const copy = upsertScannedRecording(db, scannedWav('copy-of-a.wav', { hash: 'H' }), { presentRelPaths: new Set(['a.wav', 'copy-of-a.wav']) });
    expect(copy.action).toBe('inserted');
    expect(copy.id).not.toBe(original.id);
    // Without a present set, a row not flagged missing is assumed present.
    expect(upsertScannedRecording(db, scannedWav('another-copy.wav', { hash: 'H' })).action).toBe('inserted');

    markMissing(db, ['copy-of-a.wav', 'another-copy.wav']);
    const unhashed = upsertScannedRecording(db, scannedWav('unhashed.wav', { hash: null }));
    expect(unhashed.action).toBe('inserted');
    expect(getRecording(db, 'a.wav')!.missing).toBe(true);
  });
});

describe('markMissing', () => {
  it('flags rows not seen in a completed scan, never deletes, and a re-appearing file is un-flagged', () => {
    const { db } = project;
    for (const name of ['a.wav', 'b.wav', 'c.wav']) upsertScannedRecording(db, scannedWav(name));
    expect(markMissing(db, new Set(['b.wav']))).toBe(2);
    expect(markMissing(db, new Set(['b.wav']))).toBe(0); // already flagged
    expect(listRecordings(db).map((r) => [r.path, r.missing])).toEqual([['a.wav', true], ['b.wav', false], ['c.wav', true]]);
    expect(listRecordings(db, { includeMissing: false }).map((r) => r.path)).toEqual(['b.wav']);
    expect(upsertScannedRecording(db, scannedWav('a.wav')).action).toBe('updated');
    expect(getRecording(db, 'a.wav')!.missing).toBe(false);
  });
});

describe('hashCacheLookup', () => {
  it('returns the stored hash only when size and mtime are unchanged', () => {
    const { db } = project;
    upsertScannedRecording(db, scannedWav('a.wav', { hash: 'H', sizeBytes: 100, mtimeMs: 5.25 }));
    upsertScannedRecording(db, scannedWav('b.wav', { hash: null }));
    const lookup = hashCacheLookup(db);
    expect(lookup('a.wav', 100, 5.25)).toBe('H');
    expect(lookup('a.wav', 101, 5.25)).toBeUndefined();
    expect(lookup('a.wav', 100, 5.5)).toBeUndefined();
    expect(lookup('b.wav', 1_000_044, 1_700_000_000_000.5)).toBeUndefined();
    expect(lookup('nope.wav', 100, 5.25)).toBeUndefined();
  });
});
