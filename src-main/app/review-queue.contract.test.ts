/**
 * The shared review-queue scenarios (src-shared/testing/review-queue-scenarios.ts)
 * against main's real handlers; the renderer's fake backend runs the same ones
 * (fake-api.contract.test.ts), so both answer 'review:nextUncertain' alike.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { afterSample, QUEUE_SCENARIOS } from '../../src-shared/testing/review-queue-scenarios';
import { createTestApp, openAndScan, setRegions, valueOf, type TestApp } from './test-helpers';

const SAMPLES_PER_UNIT = 1000;

let app: TestApp;
beforeEach(() => {
  app = createTestApp();
});
afterEach(async () => {
  await app.close();
});

describe('review queue contract: main', () => {
  for (const scenario of QUEUE_SCENARIOS) {
    it(scenario.name, async () => {
      const recordingId = (await openAndScan(app))['a.wav'];
      setRegions(app, recordingId, scenario.regions.map((r) => ({
        kind: (r.p ?? 1) >= 0.5 ? 'silence' : 'sound', startSample: r.start * SAMPLES_PER_UNIT, endSample: r.end * SAMPLES_PER_UNIT, p: r.p,
      })));
      for (const l of scenario.humanLabels) {
        valueOf(await app.call('labels:create', { recordingId, startSample: l.start * SAMPLES_PER_UNIT, endSample: l.end * SAMPLES_PER_UNIT, value: 'sound' }));
      }
      for (const step of scenario.steps) {
        const after = step.after === null ? null : { recordingId, sample: afterSample(scenario, step.after, SAMPLES_PER_UNIT) };
        const item = valueOf(await app.call('review:nextUncertain', after));
        const index = item ? scenario.regions.findIndex((r) => r.start * SAMPLES_PER_UNIT === item.region.startSample) : null;
        expect(index, `after ${step.after}`).toBe(step.expect);
      }
    });
  }
});
