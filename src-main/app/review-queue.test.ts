import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewRegion } from '../engine/store/regions';
import { replaceRegions } from '../engine/store/regions';
import { createTestApp, openAndScan as openAndScanIn, setRegions as setRegionsIn, valueOf, type TestApp } from './test-helpers';

let app: TestApp;
beforeEach(() => {
  app = createTestApp();
});
afterEach(async () => {
  await app.close();
});
const openAndScan = () => openAndScanIn(app);
const setRegions = (recordingId: number, regions: NewRegion[], modelId: number | null = null) => setRegionsIn(app, recordingId, regions, modelId);

describe('review:nextUncertain', () => {
  it('walks the queue (least certain first, then path and start) and skips forward from `after`, wrapping around', async () => {
    const ids = await openAndScan();
    const [a, b, c] = [ids['a.wav'], ids['b.wav'], ids['sub/c.wav']];
    // Certainties |p − 0.5|·2 (exact binary fractions): a: 0.8, 0.25 (@1000); b: 0.25 (@0), 0 (@20000); c: 0.5.
    setRegions(a, [{ kind: 'silence', startSample: 0, endSample: 1_000, p: 0.9 }, { kind: 'sound', startSample: 1_000, endSample: 9_000, p: 0.375 }]);
    setRegions(b, [{ kind: 'silence', startSample: 0, endSample: 8_000, p: 0.625 }, { kind: 'sound', startSample: 20_000, endSample: 30_000, p: 0.5 }]);
    setRegions(c, [{ kind: 'silence', startSample: 0, endSample: 4_000, p: 0.25 }]);

    const first = valueOf(await app.call('review:nextUncertain', null))!;
    expect(first).toMatchObject({ recordingId: b, path: 'b.wav', certainty: 0, remaining: 5 });
    expect([first.region.startSample, first.region.endSample, first.region.reviewed]).toEqual([20_000, 30_000, false]);
    // Asking again without a position returns it again: it is still the least certain.
    expect(valueOf(await app.call('review:nextUncertain', null))!.region.startSample).toBe(20_000);
    // "Next" from it skips it without deciding: the following region in queue order.
    const skipped = valueOf(await app.call('review:nextUncertain', { recordingId: b, sample: 20_000 }))!;
    expect([skipped.recordingId, skipped.region.startSample]).toEqual([a, 1_000]);

    // Review it: a human label over most of it.
    valueOf(await app.call('labels:create', { recordingId: b, startSample: 20_000, endSample: 26_000, value: 'sound' }));
    const tieByPath = valueOf(await app.call('review:nextUncertain', null))!;
    expect(tieByPath).toMatchObject({ recordingId: a, certainty: 0.25, remaining: 4 });
    expect(tieByPath.region.startSample).toBe(1_000);
    // After a's region the tie goes forward to b's, then to the next certainty, and from the last it wraps.
    const forward = valueOf(await app.call('review:nextUncertain', { recordingId: a, sample: 1_000 }))!;
    expect([forward.recordingId, forward.region.startSample, forward.certainty]).toEqual([b, 0, 0.25]);
    const onward = valueOf(await app.call('review:nextUncertain', { recordingId: b, sample: 0 }))!;
    expect([onward.recordingId, onward.region.startSample, onward.certainty]).toEqual([c, 0, 0.5]);
    const last = valueOf(await app.call('review:nextUncertain', { recordingId: c, sample: 0 }))!;
    expect([last.recordingId, last.region.startSample, last.certainty]).toEqual([a, 0, 0.8]);
    const wrapped = valueOf(await app.call('review:nextUncertain', { recordingId: a, sample: 0 }))!;
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

