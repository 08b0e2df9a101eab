import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import type { LabelView } from '../../src-shared/review-types';
import { replaceRegions } from '../engine/store/regions';
import { createModel } from '../engine/store/models';
import { ensureFeatureConfig } from '../engine/store/feature-configs';
import { getRecording } from '../engine/store/recordings';
import { createTestApp, framesOf, TEST_RATE, TEST_RECORDINGS, valueOf, type TestApp, type TestRecordingName } from './test-helpers';

let app: TestApp;
beforeEach(() => {
  app = createTestApp();
});
afterEach(async () => {
  await app.close();
});

async function openAndScan(): Promise<Record<TestRecordingName, number>> {
  valueOf(await app.call('project:open', app.projectDir));
  valueOf(await app.call('project:scan'));
  const db = app.state.project!.db;
  const ids = {} as Record<TestRecordingName, number>;
  for (const name of Object.keys(TEST_RECORDINGS) as TestRecordingName[]) ids[name] = getRecording(db, name)!.id;
  return ids;
}

function setRegions(recordingId: number, regions: { kind: 'silence' | 'sound'; startSample: number; endSample: number; p?: number | null }[], modelId: number | null = null) {
  return replaceRegions(app.state.project!.db, { recordingId, modelId, sourceParams: {} }, regions);
}

describe('project calls', () => {
  it('opens, scans and lists the recordings table; remembers the project', async () => {
    const info = valueOf(await app.call('project:open', app.projectDir));
    expect(info.dir).toBe(app.projectDir);
    expect(info.recordingCount).toBe(0);
    const totals = valueOf(await app.call('project:scan'));
    expect(totals).toMatchObject({ files: 3, ok: 3, errors: 0, inserted: 3 });
    expect(totals.durationSeconds).toBeCloseTo(3 + 2 + 1.5, 6);
    expect(app.events).toContainEqual({ event: 'recordings:changed', payload: { count: 3 } });

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

describe('review:nextUncertain', () => {
  it('returns the least certain unreviewed region; ties go forward from `after`, then by path and start', async () => {
    const ids = await openAndScan();
    const [a, b, c] = [ids['a.wav'], ids['b.wav'], ids['sub/c.wav']];
    // Certainties |p − 0.5|·2 (exact binary fractions): a: 0.8, 0.25 (@1000); b: 0.25 (@0), 0 (@20000); c: 0.5.
    setRegions(a, [{ kind: 'silence', startSample: 0, endSample: 1_000, p: 0.9 }, { kind: 'sound', startSample: 1_000, endSample: 9_000, p: 0.375 }]);
    setRegions(b, [{ kind: 'silence', startSample: 0, endSample: 8_000, p: 0.625 }, { kind: 'sound', startSample: 20_000, endSample: 30_000, p: 0.5 }]);
    setRegions(c, [{ kind: 'silence', startSample: 0, endSample: 4_000, p: 0.25 }]);

    const first = valueOf(await app.call('review:nextUncertain', null))!;
    expect(first).toMatchObject({ recordingId: b, path: 'b.wav', certainty: 0, remaining: 5 });
    expect([first.region.startSample, first.region.endSample, first.region.reviewed]).toEqual([20_000, 30_000, false]);
    // Not reviewed yet: asking again (even "after" it) returns it again, it is still the least certain.
    expect(valueOf(await app.call('review:nextUncertain', { recordingId: b, sample: 20_000 }))!.region.startSample).toBe(20_000);

    // Review it: a human label over most of it.
    valueOf(await app.call('labels:create', { recordingId: b, startSample: 20_000, endSample: 26_000, value: 'sound' }));
    const tieByPath = valueOf(await app.call('review:nextUncertain', null))!;
    expect(tieByPath).toMatchObject({ recordingId: a, certainty: 0.25, remaining: 4 });
    expect(tieByPath.region.startSample).toBe(1_000);
    // After a's region the tie goes forward to b's; after b's it wraps to path order again.
    const forward = valueOf(await app.call('review:nextUncertain', { recordingId: a, sample: 1_000 }))!;
    expect([forward.recordingId, forward.region.startSample, forward.certainty]).toEqual([b, 0, 0.25]);
    const wrapped = valueOf(await app.call('review:nextUncertain', { recordingId: b, sample: 0 }))!;
    expect([wrapped.recordingId, wrapped.region.startSample]).toEqual([a, 1_000]);

    // Review everything: then nothing is left.
    for (const [rec, start, end] of [[a, 0, 1_000], [a, 1_000, 9_000], [b, 0, 8_000], [c, 0, 4_000]] as const) {
      valueOf(await app.call('labels:create', { recordingId: rec, startSample: start, endSample: end, value: 'x' }));
    }
    expect(valueOf(await app.call('review:nextUncertain', null))).toBeNull();
  });

  it('answers quickly for 100 000 regions', async () => {
    const ids = await openAndScan();
    const a = ids['a.wav'];
    const db = app.state.project!.db;
    const n = 100_000;
    // Region i: [i·4, i·4 + 4), p from a fixed permutation; the minimum certainty is planted at i = 77 777.
    const regions = Array.from({ length: n }, (_, i) => ({ kind: 'sound' as const, startSample: i * 4, endSample: i * 4 + 4, p: 0.01 + ((i * 7919) % n) / n * 0.4 }));
    regions[77_777].p = 0.5;
    replaceRegions(db, { recordingId: a, modelId: null, sourceParams: {} }, regions);
    // 500 human labels covering 500 regions.
    for (let i = 0; i < 500; i++) {
      valueOf(await app.call('labels:create', { recordingId: a, startSample: i * 40, endSample: i * 40 + 4, value: 'sound' }));
    }
    let t = performance.now();
    const next = valueOf(await app.call('review:nextUncertain', null))!;
    const nextMs = performance.now() - t;
    expect(next.region.startSample).toBe(77_777 * 4);
    expect(next.remaining).toBe(n - 500);
    t = performance.now();
    const row = valueOf(await app.call('recordings:table')).find((r) => r.id === a)!;
    const tableMs = performance.now() - t;
    expect(row.regionCount).toBe(n);
    expect(row.reviewedCount).toBe(500);
    console.log(`[handlers] 100k regions, 500 human labels: nextUncertain ${nextMs.toFixed(0)} ms, recordings:table ${tableMs.toFixed(0)} ms`);
    expect(nextMs).toBeLessThan(3_000);
    expect(tableMs).toBeLessThan(3_000);
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

  it('rejects malformed arguments before any handler runs (CALL_ARG_CHECKS)', async () => {
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
      expect(result, `${name} ${JSON.stringify(args)}`).toEqual({ ok: false, error: { code: 'INVALID_ARGUMENT', message: `Refused: malformed call ${name}.` } });
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
