/**
 * The review loop's calls against a real project: every kind of edit is named
 * and placed by history:peek before an undo (and by the undo's own answer), in
 * the right recording; review preferences persist for the user.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, openAndScan, TEST_RATE, valueOf, type TestApp } from './test-helpers';

let app: TestApp;
beforeEach(() => {
  app = createTestApp();
});
afterEach(async () => {
  await app.close();
});

const secs = (samples: number) => samples / TEST_RATE;

describe('history:peek and what undo/redo answer', () => {
  it('names and places every kind of edit, in the recording it was made in', async () => {
    const ids = await openAndScan(app);
    const a = ids['a.wav'];
    const b = ids['b.wav'];
    const peek = async (which: 'undo' | 'redo' = 'undo') => valueOf(await app.call('history:peek', which));
    expect(await peek()).toBeNull();

    const label = valueOf(await app.call('labels:create', { recordingId: a, startSample: 1_600, endSample: 8_000, value: 'sound' }));
    expect(await peek()).toEqual({
      action: 'create', recordingId: a, path: 'a.wav', startSeconds: secs(1_600), endSeconds: secs(8_000), labels: 1, value: 'sound', previousValue: null,
    });
    valueOf(await app.call('labels:update', label.id, { value: 'silence' }));
    expect(await peek()).toMatchObject({ action: 'relabel', value: 'silence', previousValue: 'sound' });
    valueOf(await app.call('labels:update', label.id, { startSample: 3_200, endSample: 9_600 }));
    expect(await peek()).toMatchObject({ action: 'move', startSeconds: secs(1_600), endSeconds: secs(9_600) });
    valueOf(await app.call('labels:update', label.id, { endSample: 12_000 }));
    expect(await peek()).toMatchObject({ action: 'resize', startSeconds: secs(3_200), endSeconds: secs(12_000) });
    const [left, right] = valueOf(await app.call('labels:split', label.id, 6_400));
    expect(await peek()).toMatchObject({ action: 'split', labels: 2, startSeconds: secs(3_200), endSeconds: secs(12_000), value: 'silence' });
    valueOf(await app.call('labels:merge', [left.id, right.id]));
    expect(await peek()).toMatchObject({ action: 'merge', labels: 2, value: 'silence' });

    // An edit in another recording: the undo is there now.
    const other = valueOf(await app.call('labels:create', { recordingId: b, startSample: 0, endSample: 4_000, value: 'sound' }));
    valueOf(await app.call('labels:delete', other.id));
    expect(await peek()).toMatchObject({ action: 'delete', recordingId: b, path: 'b.wav', value: 'sound' });

    // Undo answers with the step it reverted — the one peek announced — and redo likewise.
    const before = await peek();
    const undone = valueOf(await app.call('history:undo'));
    expect(undone.step).toEqual(before);
    expect(undone.recordingId).toBe(b);
    expect(await peek('redo')).toEqual(before);
    expect(valueOf(await app.call('history:redo')).step).toEqual(before);
  });
});

describe('review preferences', () => {
  it('start from the defaults, keep each change for the next session, and refuse nonsense', async () => {
    expect(valueOf(await app.call('preferences:get'))).toEqual({ autoAdvance: true, drawValue: 'sound' });
    expect(valueOf(await app.call('preferences:set', { autoAdvance: false }))).toEqual({ autoAdvance: false, drawValue: 'sound' });
    valueOf(await app.call('preferences:set', { drawValue: 'whistle' }));
    // A new app (another serve, another port) reads them back from the user's config folder.
    const again = createTestApp();
    try {
      process.env.SONOTYPE_CONFIG_DIR = app.configDir;
      expect(valueOf(await again.call('preferences:get'))).toEqual({ autoAdvance: false, drawValue: 'whistle' });
    } finally {
      await again.close();
      process.env.SONOTYPE_CONFIG_DIR = app.configDir;
    }
    expect(await app.callRaw('preferences:set', [{ drawValue: '' }])).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(await app.callRaw('preferences:set', [{ autoAdvance: 'yes' }])).toMatchObject({ ok: false });
  });
});
