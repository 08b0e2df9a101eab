/**
 * The renderer's fake backend against the shared review-queue scenarios that
 * main's handlers pass too (src-main/app/review-queue.contract.test.ts): the
 * UI tests built on the fake see the queue main would give them.
 */
import { describe, expect, it } from 'vitest';
import type { ReviewItem } from '../../../../../src-shared/review-types';
import { afterSample, QUEUE_SCENARIOS } from '../../../../../src-shared/testing/review-queue-scenarios';
import { FakeApi, makeReview, RATE, region } from './fake-api';

const SAMPLES_PER_UNIT = RATE; // one unit = one second of the fake's 1000-Hz recording

describe('review queue contract: the fake backend', () => {
  for (const scenario of QUEUE_SCENARIOS) {
    it(scenario.name, async () => {
      const api = new FakeApi(makeReview(scenario.regions.map((r, i) => region(i + 1, r.start, r.end, r.p))));
      for (const l of scenario.humanLabels) {
        const created = await api.call('labels:create', { recordingId: 1, startSample: l.start * SAMPLES_PER_UNIT, endSample: l.end * SAMPLES_PER_UNIT, value: 'sound' });
        expect(created.ok).toBe(true);
      }
      for (const step of scenario.steps) {
        const after = step.after === null ? null : { recordingId: 1, sample: afterSample(scenario, step.after, SAMPLES_PER_UNIT) };
        const result = await api.call('review:nextUncertain', after);
        if (!result.ok) throw new Error(result.error.message);
        const item = result.value as ReviewItem | null;
        const index = item ? scenario.regions.findIndex((r) => r.start * SAMPLES_PER_UNIT === item.region.startSample) : null;
        expect(index, `after ${step.after}`).toBe(step.expect);
      }
    });
  }
});
