import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_DISPLAY_PREFERENCES } from '../../src-shared/display-types';
import { createTestApp, openAndScan, TEST_RATE, valueOf, type TestApp } from './test-helpers';

let app: TestApp;
beforeEach(() => {
  app = createTestApp();
});
afterEach(async () => {
  await app.close();
});

describe('display calls', () => {
  it('stores display settings in the project; review:open and display:spectrogramInfo use them', async () => {
    const ids = await openAndScan(app);
    const a = ids['a.wav'];
    expect(valueOf(await app.call('display:get'))).toEqual(DEFAULT_DISPLAY_PREFERENCES);
    expect(valueOf(await app.call('review:open', a)).spectrogram).toMatchObject({ binCount: 256, display: DEFAULT_DISPLAY_PREFERENCES.spectrogram });

    const blackman = { fftSize: 2048, window: 'blackman' as const, overlapPercent: 87.5 };
    const next = valueOf(await app.call('display:set', { spectrogram: blackman, playbackGainDb: 40 }));
    expect(next).toEqual({ spectrogram: blackman, playbackGainDb: 40, removeDc: true });
    const info = valueOf(await app.call('display:spectrogramInfo', a));
    expect(info).toMatchObject({ binCount: 1024, nyquistHz: TEST_RATE / 2, display: blackman });
    expect(info.hopSeconds).toBeCloseTo(256 / TEST_RATE, 12);
    expect(valueOf(await app.call('review:open', a)).spectrogram.display).toEqual(blackman);

    // Kept across a reopen of the project.
    valueOf(await app.call('project:open', app.projectDir));
    expect(valueOf(await app.call('display:get')).playbackGainDb).toBe(40);
  });

  it('refuses settings outside the offered choices with a readable message, changing nothing', async () => {
    await openAndScan(app);
    for (const bad of [{ spectrogram: { fftSize: 1000, window: 'hann', overlapPercent: 50 } }, { playbackGainDb: 120 }, { removeDc: 'yes' }, { colour: 'red' }]) {
      const result = await app.call('display:set', bad as never);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.message).toMatch(/Refused: malformed call display:set/);
    }
    expect(valueOf(await app.call('display:get'))).toEqual(DEFAULT_DISPLAY_PREFERENCES);
  });
});
