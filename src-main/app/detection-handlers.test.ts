/**
 * Detection through the app's handlers: a correction redraws the regions of
 * its recording at once (no retrain), the head history lists every head with
 * its scores, one call activates a head, and the settings preview reads the
 * cached probabilities without storing anything.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectProject } from '../engine/detection/detect-project';
import { retrainDetector } from '../engine/detection/retrain-detector';
import { listRegions } from '../engine/store/regions';
import { createTestApp, openAndScan, TEST_RATE, valueOf, type TestApp } from './test-helpers';

let app: TestApp;
beforeEach(() => {
  app = createTestApp();
});
afterEach(async () => {
  await app.close();
});

describe('detection calls', () => {
  it('redraw a recording\u2019s regions within a second of a correction, and again on undo', async () => {
    const ids = await openAndScan(app);
    await detectProject(app.state.project!);
    const before = valueOf(await app.call('regions:list', ids['a.wav']));
    const tone = before.find((r) => r.kind === 'sound')!;
    expect(tone).toBeDefined();
    app.events.length = 0;
    const started = performance.now();
    valueOf(await app.call('labels:create', { recordingId: ids['a.wav'], startSample: tone.startSample, endSample: tone.endSample, value: 'silence' }));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(app.events).toContainEqual({ event: 'recording:changed', payload: { recordingId: ids['a.wav'], what: 'regions' } });
    const after = valueOf(await app.call('regions:list', ids['a.wav']));
    expect(after.filter((r) => r.kind === 'sound')).toHaveLength(before.filter((r) => r.kind === 'sound').length - 1);
    expect(after.find((r) => r.startSample <= tone.startSample && r.endSample >= tone.endSample)).toMatchObject({ kind: 'silence' });
    valueOf(await app.call('history:undo'));
    expect(valueOf(await app.call('regions:list', ids['a.wav'])).map((r) => [r.kind, r.startSample, r.endSample])).toEqual(
      before.map((r) => [r.kind, r.startSample, r.endSample]),
    );
  });

  it('list the heads with their scores, activate one with a call, and preview settings without storing', async () => {
    const ids = await openAndScan(app);
    const project = app.state.project!;
    await detectProject(project);
    const [teacher] = valueOf(await app.call('detection:heads'));
    expect(teacher).toMatchObject({ version: 1, type: 'teacher', active: true, heldOut: null, adopted: null });
    // Corrections in two recordings, then a retrain: a second head with its held-out comparison.
    for (const [name, seconds] of [['a.wav', 3], ['b.wav', 2]] as const) {
      valueOf(await app.call('labels:create', { recordingId: ids[name], startSample: 0, endSample: Math.round((seconds / 2) * TEST_RATE), value: 'sound' }));
      valueOf(await app.call('labels:create', { recordingId: ids[name], startSample: Math.round((seconds / 2) * TEST_RATE), endSample: seconds * TEST_RATE, value: 'silence' }));
    }
    const retrain = await retrainDetector(project);
    const heads = valueOf(await app.call('detection:heads'));
    expect(heads).toHaveLength(2);
    expect(heads[0]).toMatchObject({ version: 2, type: 'boosted', adopted: retrain.adopted, seed: 1, active: retrain.adopted });
    expect(heads[0].heldOut).toMatchObject({ by: 'recording', activeHeadId: teacher.id });
    expect(heads[0].learnedFrom.recordingsWithHumanLabels).toBe(2);
    const other = heads.find((h) => !h.active)!;
    app.events.length = 0;
    expect(valueOf(await app.call('detection:activateHead', other.id))).toMatchObject({ id: other.id, active: true });
    expect(valueOf(await app.call('detection:heads')).filter((h) => h.active).map((h) => h.id)).toEqual([other.id]);
    expect(app.events).toContainEqual({ event: 'recording:changed', payload: { recordingId: ids['a.wav'], what: 'regions' } });
    expect(listRegions(project.db, ids['a.wav'], { modelId: other.id }).length).toBeGreaterThan(0);

    const stored = listRegions(project.db, ids['sub/c.wav']).map((r) => r.id);
    const preview = valueOf(await app.call('detection:previewRegions', ids['sub/c.wav'], { minSoundSeconds: 10 }));
    expect(preview.every((r) => r.kind === 'silence')).toBe(true);
    expect(listRegions(project.db, ids['sub/c.wav']).map((r) => r.id)).toEqual(stored);
    expect((await app.call('detection:activateHead', 9999)).ok).toBe(false);
    expect((await app.callRaw('detection:previewRegions', [ids['a.wav'], { smoothingFrames: 2 }])).ok).toBe(false);
  });
});
