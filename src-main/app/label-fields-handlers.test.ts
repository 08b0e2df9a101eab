import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, openAndScan, valueOf, type TestApp } from './test-helpers';

let app: TestApp;
beforeEach(() => {
  app = createTestApp();
});
afterEach(async () => {
  await app.close();
});

describe('labels with frequency bounds and exchange fields through the contract', () => {
  it('creates a box, edits its fields (blank text clears), undoes, and lists them', async () => {
    const ids = await openAndScan(app);
    const a = ids['a.wav'];
    const box = valueOf(await app.call('labels:create', {
      recordingId: a, startSample: 100, endSample: 4_000, value: 'sound', lowHz: 1_500, highHz: 2_500, soundType: ' whistle ', annotation: 'loud',
    }));
    expect(box).toMatchObject({ lowHz: 1_500, highHz: 2_500, soundType: 'whistle', annotation: 'loud', confidence: null, source: 'human', reference: false, sourceTable: null });
    const edited = valueOf(await app.call('labels:update', box.id, { soundType: '  ', annotation: '', lowHz: 1_000, highHz: 3_000 }));
    expect(edited).toMatchObject({ lowHz: 1_000, highHz: 3_000, soundType: null, annotation: null });
    valueOf(await app.call('history:undo'));
    expect(valueOf(await app.call('labels:list', a))[0]).toMatchObject({ lowHz: 1_500, highHz: 2_500, soundType: 'whistle', annotation: 'loud' });
    // 16 kHz recordings: the box may not reach above 8 kHz.
    expect(await app.call('labels:update', box.id, { highHz: 9_000 })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/Nyquist/) } });
  });

  it('refuses malformed exchange fields before any handler runs', async () => {
    await openAndScan(app);
    for (const bad of [{ lowHz: '1' }, { highHz: Number.POSITIVE_INFINITY }, { confidence: 'high' }, { soundType: 3 }, { annotation: 'x'.repeat(10_001) }]) {
      const result = await app.callRaw('labels:create', [{ recordingId: 1, startSample: 0, endSample: 10, value: 'sound', ...bad }]);
      const field = Object.keys(bad)[0];
      expect(result, JSON.stringify(bad).slice(0, 80)).toMatchObject({
        ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(`^Refused: malformed call labels:create \\(arguments 0\\.${field}: `) },
      });
    }
  });
});
