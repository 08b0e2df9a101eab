/**
 * Review-queue scenarios run against both main's handlers
 * (src-main/app/review-queue.contract.test.ts) and the renderer's fake backend
 * (src-renderer/src/features/review/testing/fake-api.contract.test.ts), so
 * the fake the UI tests rely on answers 'review:nextUncertain' as main does.
 * Positions are in units of 1000 samples of one recording (≤ 48 units long);
 * regions and expectations are indices into `regions`.
 */
export interface QueueScenario {
  name: string;
  regions: { start: number; end: number; p: number | null }[];
  /** Human labels [start, end) in the same units. */
  humanLabels: { start: number; end: number }[];
  /** Each step asks for the next region after the given one (null: the head of the queue). */
  steps: { after: number | null; expect: number | null }[];
}

export const QUEUE_SCENARIOS: readonly QueueScenario[] = [
  {
    name: 'least certain first, ties by position, wrapping around; the current region is skipped',
    regions: [
      // Certainty |p − 0.5|·2, exact binary fractions so ties are real ties.
      { start: 0, end: 10, p: 0.875 }, // 0.75
      { start: 10, end: 20, p: 0.5625 }, // 0.125
      { start: 20, end: 30, p: 0.125 }, // 0.75
      { start: 30, end: 40, p: null }, // no probability: 0
    ],
    humanLabels: [],
    steps: [
      { after: null, expect: 3 },
      { after: 3, expect: 1 },
      { after: 1, expect: 0 },
      { after: 0, expect: 2 },
      { after: 2, expect: 3 },
    ],
  },
  {
    name: 'a region is reviewed when human labels cover more than half of it (overlaps counted once)',
    regions: [
      { start: 0, end: 10, p: 0.5 }, // 0: 60 % under one label → reviewed
      { start: 10, end: 20, p: 0.5625 }, // 1: two labels of 30 % overlapping to 40 % → not reviewed
      { start: 20, end: 30, p: 0.625 }, // 2
    ],
    humanLabels: [{ start: 0, end: 6 }, { start: 10, end: 13 }, { start: 11, end: 14 }],
    steps: [
      { after: null, expect: 1 },
      { after: 1, expect: 2 },
      { after: 2, expect: 1 },
      { after: 0, expect: 1 },
    ],
  },
  {
    name: 'nothing left when every region is reviewed',
    regions: [{ start: 0, end: 10, p: 0.5 }, { start: 10, end: 20, p: 0.9 }],
    humanLabels: [{ start: 0, end: 20 }],
    steps: [{ after: null, expect: null }, { after: 0, expect: null }],
  },
];

/** The sample inside region `index` that a step's `after` points at (its start). */
export function afterSample(scenario: QueueScenario, index: number, samplesPerUnit: number): number {
  return scenario.regions[index].start * samplesPerUnit;
}
