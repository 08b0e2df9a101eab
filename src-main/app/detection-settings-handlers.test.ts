import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getSetting } from '../engine/store/settings';
import { createTestApp, openAndScan, valueOf, type TestApp } from './test-helpers';

let app: TestApp;
beforeEach(() => {
  app = createTestApp();
});
afterEach(async () => {
  await app.close();
});

describe('detection settings calls', () => {
  it('reports the region settings in use and stores the band for the next detection', async () => {
    await openAndScan(app);
    const settings = valueOf(await app.call('detection:settings'));
    // Before any detection: the engine's defaults (frames/frame-regions.ts), every field filled in.
    expect(settings.band).toEqual({});
    expect(Object.keys(settings.region).sort()).toEqual(['mergeGapSeconds', 'minSoundSeconds', 'smoothingFrames', 'threshold']);
    expect(settings.region.threshold).toBeGreaterThan(0);
    expect(settings.region.smoothingFrames % 2).toBe(1);

    const banded = valueOf(await app.call('detection:setBand', { lowHz: 2000, highHz: 7000 }));
    expect(banded.band).toEqual({ lowHz: 2000, highHz: 7000 });
    expect(getSetting(app.state.project!.db, 'detectionBand')).toEqual({ lowHz: 2000, highHz: 7000 });
    expect(valueOf(await app.call('detection:setBand', {})).band).toEqual({});
    expect(getSetting(app.state.project!.db, 'detectionBand')).toBeUndefined();
  });

  it('refuses a band whose low end is not below its high end, changing nothing', async () => {
    await openAndScan(app);
    for (const bad of [{ lowHz: 5000, highHz: 2000 }, { lowHz: -1 }, { lowHz: 'low' }, { from: 1 }]) {
      const result = await app.call('detection:setBand', bad as never);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.message).toMatch(/Refused: malformed call detection:setBand/);
    }
    expect(valueOf(await app.call('detection:settings')).band).toEqual({});
  });
});
