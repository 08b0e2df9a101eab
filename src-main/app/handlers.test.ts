import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewRegion } from '../engine/store/regions';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabelView } from '../../src-shared/review-types';
import type { JobProgress } from '../../src-shared/job-types';
import { createModel } from '../engine/store/models';
import { ensureFeatureConfig } from '../engine/store/feature-configs';
import { createTestApp, framesOf, openAndScan as openAndScanIn, setRegions as setRegionsIn, TEST_RATE, TEST_RECORDINGS, valueOf, type TestApp, type TestRecordingName } from './test-helpers';

let app: TestApp;
beforeEach(() => {
  app = createTestApp();
});
afterEach(async () => {
  await app.close();
});
const openAndScan = () => openAndScanIn(app);
const setRegions = (recordingId: number, regions: NewRegion[], modelId: number | null = null) => setRegionsIn(app, recordingId, regions, modelId);

describe('project calls', () => {
  it('opens, scans and lists the recordings table; remembers the project', async () => {
    const info = valueOf(await app.call('project:open', app.projectDir));
    expect(info.dir).toBe(app.projectDir);
    expect(info.recordingCount).toBe(0);
    const totals = valueOf(await app.call('project:scan'));
    expect(totals).toMatchObject({ files: 3, ok: 3, errors: 0, inserted: 3 });
    expect(totals.durationSeconds).toBeCloseTo(3 + 2 + 1.5, 6);
    expect(app.events).toContainEqual({ event: 'recordings:changed', payload: { count: 3 } });
    // The scan ran as a job off the main process: listed, with its progress pushed to the page.
    const scanJob = valueOf(await app.call('jobs:list')).find((j) => j.kind === 'scan');
    expect(scanJob).toMatchObject({ state: 'succeeded', result: totals });
    const scanEvents = app.events.filter((e) => e.event === 'jobs:progress' && (e.payload as JobProgress).jobId === scanJob!.jobId);
    expect(scanEvents.map((e) => (e.payload as JobProgress).state)).toEqual(expect.arrayContaining(['queued', 'running', 'succeeded']));

    const rows = valueOf(await app.call('recordings:table'));
    expect(rows.map((r) => r.path)).toEqual(['a.wav', 'b.wav', 'sub/c.wav']);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'ok', missing: false, sampleRate: TEST_RATE, channels: 1, silenceFraction: null, regionCount: 0, reviewedCount: 0 });
      expect(row.durationSeconds).toBeCloseTo(TEST_RECORDINGS[row.path as TestRecordingName], 6);
    }
    expect(valueOf(await app.call('project:recent')).map((p) => p.dir)).toEqual([app.projectDir]);
    expect(valueOf(await app.call('app:info')).project?.recordingCount).toBe(3);
  });

  it('derives silence fraction and review progress from the newest detection', async () => {
    const ids = await openAndScan();
    const a = ids['a.wav'];
    // Heuristic regions first, then a model's: only the model's (newer) count.
    setRegions(a, [{ kind: 'silence', startSample: 0, endSample: framesOf('a.wav') }]);
    await new Promise((r) => setTimeout(r, 5)); // distinct created_at
    const config = app.state.project!.featureConfig()!;
    const model = createModel(app.state.project!.db, { kind: 'silence-head', featureConfigId: ensureFeatureConfig(app.state.project!.db, config), normalisation: {} });
    setRegions(a, [
      { kind: 'sound', startSample: 0, endSample: 16_000, p: 0.1 },
      { kind: 'silence', startSample: 16_000, endSample: 40_000, p: 0.9 },
      { kind: 'sound', startSample: 40_000, endSample: 48_000, p: 0.4 },
    ], model.id);
    // Region 1 [0, 16000): one label over 60 % → reviewed.
    valueOf(await app.call('labels:create', { recordingId: a, startSample: 0, endSample: 9_600, value: 'sound' }));
    // Region 2 [16000, 40000) (24000 samples): two overlapping labels, each 30 %, together only 40 % → not reviewed
    // (adding their lengths would wrongly give 60 %).
    valueOf(await app.call('labels:create', { recordingId: a, startSample: 16_000, endSample: 23_200, value: 'silence' }));
    valueOf(await app.call('labels:create', { recordingId: a, startSample: 18_400, endSample: 25_600, value: 'silence' }));
    // Region 3 [40000, 48000): a model label does not count as review.
    const rows = valueOf(await app.call('recordings:table'));
    const rowA = rows.find((r) => r.id === a)!;
    expect(rowA.regionCount).toBe(3);
    expect(rowA.reviewedCount).toBe(1);
    expect(rowA.silenceFraction).toBeCloseTo(24_000 / 48_000, 12);
    expect(rows.find((r) => r.id === ids['b.wav'])).toMatchObject({ regionCount: 0, silenceFraction: null });

    const regions = valueOf(await app.call('regions:list', a));
    expect(regions.map((r) => [r.kind, r.startSample, r.endSample, r.pSilence, r.reviewed])).toEqual([
      ['sound', 0, 16_000, 0.1, true],
      ['silence', 16_000, 40_000, 0.9, false],
      ['sound', 40_000, 48_000, 0.4, false],
    ]);
    expect(regions[1].startSeconds).toBe(1);
    expect(regions[1].endSeconds).toBe(2.5);
    // One more label reaching past half of region 2 makes it reviewed.
    valueOf(await app.call('labels:create', { recordingId: a, startSample: 25_000, endSample: 29_000, value: 'silence' }));
    expect(valueOf(await app.call('regions:list', a))[1].reviewed).toBe(true);
  });
});

describe('review:open', () => {
  it('returns spectrogram paging info, regions, labels and media URLs for the mode', async () => {
    const ids = await openAndScan();
    const b = ids['b.wav'];
    setRegions(b, [{ kind: 'sound', startSample: 0, endSample: 16_000, p: 0.25 }, { kind: 'silence', startSample: 16_000, endSample: 32_000, p: 0.75 }]);
    valueOf(await app.call('labels:create', { recordingId: b, startSample: 8_000, endSample: 24_000, value: 'whistle' }));
    app.state.media = { base: '/media', query: 'token=abc' };
    const review = valueOf(await app.call('review:open', b));
    expect(review).toMatchObject({ recordingId: b, path: 'b.wav', sampleRate: TEST_RATE, channels: 1, mediaBase: '/media', mediaQuery: 'token=abc' });
    expect(review.durationSeconds).toBeCloseTo(2, 9);
    const s = review.spectrogram;
    expect(s.recordingId).toBe(b);
    expect(s.nativeSampleRate).toBe(TEST_RATE);
    expect(s.frameCount).toBeGreaterThan(0);
    expect(s.frequenciesHz.length).toBe(s.binCount);
    expect(s.levelColumns[0]).toBe(s.frameCount);
    expect(s.durationSeconds).toBeCloseTo(2, 6);
    expect(review.regions.map((r) => [r.startSeconds, r.endSeconds, r.reviewed])).toEqual([[0, 1, false], [1, 2, false]]);
    expect(review.labels).toHaveLength(1);
    expect(review.labels[0]).toMatchObject({ startSeconds: 0.5, endSeconds: 1.5, value: 'whistle', source: 'human' });

    delete app.state.media;
    app.state.mode = 'electron';
    expect(valueOf(await app.call('review:open', b))).toMatchObject({ mediaBase: 'sonotype://media', mediaQuery: '' });
  });

  it('says when a recording was cut short, in the table and in the review (the rest opens without a warning)', async () => {
    // An interrupted copy: the header promises 2 s, the file holds the first 0.5 s.
    const b = join(app.projectDir, 'b.wav');
    writeFileSync(b, readFileSync(b).subarray(0, 44 + 2 * TEST_RATE / 2));
    const ids = await openAndScan();
    const warning = expect.stringMatching(/header says 2 s; the file holds 0\.5 s/);
    const rows = valueOf(await app.call('recordings:table'));
    expect(rows.find((r) => r.id === ids['b.wav'])).toMatchObject({ status: 'ok', warning });
    expect(rows.find((r) => r.id === ids['a.wav'])!.warning).toBeUndefined();
    expect(valueOf(await app.call('review:open', ids['b.wav']))).toMatchObject({ durationSeconds: 0.5, warning });
    expect(valueOf(await app.call('review:open', ids['a.wav'])).warning).toBeUndefined();
  });
});

describe('label edits and history', () => {
  it('creates, updates, splits, merges and deletes; undo/redo each; survives reopening', async () => {
    const ids = await openAndScan();
    const a = ids['a.wav'];
    const labelEvents = () => app.events.filter((e) => e.event === 'recording:changed').length;
    const spans = async () => valueOf(await app.call('labels:list', a)).map((l) => [l.startSample, l.endSample, l.value]);

    const created = valueOf(await app.call('labels:create', { recordingId: a, startSample: 1_000, endSample: 9_000, value: ' whistle ' }));
    expect(created).toMatchObject({ recordingId: a, startSample: 1_000, endSample: 9_000, value: 'whistle', source: 'human' });
    expect(created.startSeconds).toBe(1_000 / TEST_RATE);
    expect(app.events.at(-1)).toEqual({ event: 'recording:changed', payload: { recordingId: a, what: 'labels' } });

    const updated = valueOf(await app.call('labels:update', created.id, { endSample: 12_000, value: 'click' }));
    expect([updated.startSample, updated.endSample, updated.value]).toEqual([1_000, 12_000, 'click']);

    const parts = valueOf(await app.call('labels:split', created.id, 5_000));
    expect(parts.map((l: LabelView) => [l.startSample, l.endSample, l.value])).toEqual([[1_000, 5_000, 'click'], [5_000, 12_000, 'click']]);
    expect(await spans()).toEqual([[1_000, 5_000, 'click'], [5_000, 12_000, 'click']]);

    const merged = valueOf(await app.call('labels:merge', parts.map((p) => p.id)));
    expect([merged.startSample, merged.endSample]).toEqual([1_000, 12_000]);
    expect(await spans()).toEqual([[1_000, 12_000, 'click']]);

    const afterDelete = valueOf(await app.call('labels:delete', merged.id));
    expect(afterDelete).toEqual({ canUndo: true, canRedo: false, recordingId: a });
    expect(await spans()).toEqual([]);
    expect(labelEvents()).toBe(5);

    // Undo walks back one step at a time: delete, merge (one step), split (one step), update, create.
    const undo = async () => valueOf(await app.call('history:undo'));
    expect(await undo()).toMatchObject({ recordingId: a, canRedo: true });
    expect(await spans()).toEqual([[1_000, 12_000, 'click']]);
    await undo();
    expect(await spans()).toEqual([[1_000, 5_000, 'click'], [5_000, 12_000, 'click']]);
    await undo();
    expect(await spans()).toEqual([[1_000, 12_000, 'click']]);
    expect(labelEvents()).toBe(8);

    const redone = valueOf(await app.call('history:redo'));
    expect(redone).toMatchObject({ canUndo: true, canRedo: true, recordingId: a });
    expect(await spans()).toEqual([[1_000, 5_000, 'click'], [5_000, 12_000, 'click']]);

    // A restart: open the same folder again (a new database connection); history and labels persist.
    valueOf(await app.call('project:open', app.projectDir));
    expect(valueOf(await app.call('history:state'))).toEqual({ canUndo: true, canRedo: true });
    expect(await spans()).toEqual([[1_000, 5_000, 'click'], [5_000, 12_000, 'click']]);
    await undo(); // the split again
    await undo(); // the update
    expect(await spans()).toEqual([[1_000, 9_000, 'whistle']]);
    await undo(); // the create
    expect(await spans()).toEqual([]);
    expect(valueOf(await app.call('history:state'))).toEqual({ canUndo: false, canRedo: true });
    expect(valueOf(await app.call('history:undo'))).toEqual({ canUndo: false, canRedo: true });
  });

  it('records the OS user as the author', async () => {
    const ids = await openAndScan();
    const label = valueOf(await app.call('labels:create', { recordingId: ids['b.wav'], startSample: 0, endSample: 10, value: 'sound' }));
    const { userInfo } = await import('node:os');
    expect(label.author).toBe(userInfo().username);
  });
});

describe('features:describe', () => {
  it("runs the feature pipeline over one recording in a 'features' job and reports its counts", async () => {
    const ids = await openAndScan();
    const features = valueOf(await app.call('features:describe', ids['a.wav']));
    const config = app.state.project!.featureConfigFor(TEST_RATE);
    // 3 s at 16 kHz, hop 256: 188 frames; 32-frame windows every 16 frames, the last one padded to cover the end.
    expect(features).toEqual({ recordingId: ids['a.wav'], config, frameCount: 188, windowCount: 11, resampled: false });
    expect(valueOf(await app.call('jobs:list'))).toContainEqual(expect.objectContaining({ kind: 'features', state: 'succeeded', result: features }));
  });
});

describe('error paths', () => {
  it('refuses calls before a project is open', async () => {
    const result = await app.call('recordings:table');
    expect(result).toEqual({ ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/No project is open/) } });
    expect((await app.call('project:open', `${app.projectDir}/does-not-exist`)).ok).toBe(false);
  });

  it('answers NOT_FOUND with a readable message for unknown recordings, labels and jobs', async () => {
    await openAndScan();
    for (const [name, args] of [
      ['review:open', [999]], ['regions:list', [999]], ['labels:list', [999]], ['features:describe', [999]],
      ['labels:create', [{ recordingId: 999, startSample: 0, endSample: 10, value: 'sound' }]],
      ['labels:update', [999, { value: 'x' }]], ['labels:delete', [999]], ['labels:split', [999, 5]], ['labels:merge', [[998, 999]]],
      ['review:nextUncertain', [{ recordingId: 999, sample: 0 }]], ['jobs:cancel', [999]], ['figures:reconstruction', [999, 0]],
    ] as const) {
      const result = await app.callRaw(name, [...args]);
      expect(result.ok, name).toBe(false);
      if (!result.ok) {
        expect(result.error.code, name).toBe('NOT_FOUND');
        expect(result.error.message, name).toMatch(/99[89]/);
      }
    }
  });

  it('refuses impossible edits with INVALID_ARGUMENT', async () => {
    const ids = await openAndScan();
    const c = ids['sub/c.wav'];
    const pastEnd = await app.call('labels:create', { recordingId: c, startSample: 0, endSample: framesOf('sub/c.wav') + 1, value: 'sound' });
    expect(pastEnd).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/after the end/) } });
    const reversed = await app.call('labels:create', { recordingId: c, startSample: 100, endSample: 50, value: 'sound' });
    expect(reversed).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    const label = valueOf(await app.call('labels:create', { recordingId: c, startSample: 100, endSample: 200, value: 'sound' }));
    expect(await app.call('labels:split', label.id, 200)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    const other = valueOf(await app.call('labels:create', { recordingId: ids['a.wav'], startSample: 0, endSample: 10, value: 'sound' }));
    expect(await app.call('labels:merge', [label.id, other.id])).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(await app.call('labels:merge', [label.id, label.id])).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    valueOf(await app.call('labels:delete', label.id));
    expect(await app.call('labels:update', label.id, { value: 'x' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('rejects malformed arguments before any handler runs (the contract schemas, through dispatchCall)', async () => {
    await openAndScan();
    const labelsBefore = app.state.project!.db.statement('SELECT count(*) AS n FROM labels').get();
    for (const [name, args] of [
      ['review:open', ['1']], ['review:open', [0]], ['review:open', []],
      ['labels:create', [{ recordingId: 1, startSample: -1, endSample: 10, value: 'x' }]],
      ['labels:create', [{ recordingId: 1, startSample: 0, endSample: 10, value: '' }]],
      ['labels:update', [1, { startSample: 1.5 }]], ['labels:merge', [[1]]], ['labels:split', [1, -3]],
      ['jobs:start', ['test-sleep', {}]], ['jobs:start', ['tiles', null]], ['jobs:cancel', [-1]],
      ['review:nextUncertain', [{ recordingId: 1 }]], ['figures:reconstruction', [1, -1]], ['no:such-call', []],
    ] as const) {
      const result = await app.callRaw(name, [...args]);
      const why = name === 'no:such-call' ? `Refused: unknown call ${name}.` : expect.stringMatching(`^Refused: malformed call ${name} \\(arguments .+\\)\\.$`);
      expect(result, `${name} ${JSON.stringify(args)}`).toEqual({ ok: false, error: { code: 'INVALID_ARGUMENT', message: why } });
    }
    expect(app.state.project!.db.statement('SELECT count(*) AS n FROM labels').get()).toEqual(labelsBefore);
  });
});

describe('retrain:lastReport before any retrain', () => {
  it('is null', async () => {
    await openAndScan();
    expect(valueOf(await app.call('retrain:lastReport'))).toBeNull();
    expect(existsSync(app.projectDir)).toBe(true);
  });
});
