import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getSetting } from '../engine/store/settings';
import { listRecordings } from '../engine/store/recordings';
import { analysisKeyOf, frameAnalysisOf } from '../engine/detection/recording-frames';
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

  it('turns tonal mode on and off: the next analysis tracks faint contours, and off it is the analysis it always was', async () => {
    await openAndScan(app);
    const db = app.state.project!.db;
    const [recording] = listRecordings(db);
    const plain = frameAnalysisOf(db, recording);
    expect(valueOf(await app.call('detection:settings')).tonal).toBe(false);
    expect(plain.tonal).toBeUndefined();
    const on = valueOf(await app.call('detection:setTonal', true));
    expect(on.tonal).toBe(true);
    expect(getSetting(db, 'detectionTonal')).toBe(true);
    expect(frameAnalysisOf(db, recording).tonal).toBe(true);
    // A new analysis key: the cached features are computed again, with the ridge column.
    expect(analysisKeyOf(frameAnalysisOf(db, recording))).not.toBe(analysisKeyOf(plain));
    expect(valueOf(await app.call('detection:setTonal', false)).tonal).toBe(false);
    expect(getSetting(db, 'detectionTonal')).toBeUndefined();
    expect(analysisKeyOf(frameAnalysisOf(db, recording))).toBe(analysisKeyOf(plain));
    const bad = await app.call('detection:setTonal', 'yes' as never);
    expect(bad.ok).toBe(false);
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
