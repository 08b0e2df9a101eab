/**
 * The detection heads of the project as the researcher manages them: the
 * history with each head's held-out score, which one is active, and the
 * one-click switch. After a retrain the newest head says whether it was
 * adopted (it scored better than the active one) or kept aside.
 */
import type { DetectionHeadView } from '../../../../src-shared/detection-types';
import { call } from '../../lib/api';
import { createAsyncResource } from '../../lib/async-resource.svelte';
import { errorMessage } from '../../lib/format';

/** What the newest retrain decided, for the banner above the history. */
export interface RetrainOutcome {
  head: DetectionHeadView;
  /** Held-out score of the new head's recipe and of the head active then (0–1). */
  candidate: number;
  previous: number;
  /** The head that was active when it was trained. */
  previousHead: DetectionHeadView | null;
  adopted: boolean;
}

/** The newest trained (non-teacher) head's comparison, or null when there is none with scores. */
export function latestOutcome(heads: readonly DetectionHeadView[]): RetrainOutcome | null {
  const newest = heads.find((h) => h.type !== 'teacher');
  const held = newest?.heldOut;
  if (!newest || !held || held.candidate === null || held.active === null) return null;
  return {
    head: newest,
    candidate: held.candidate,
    previous: held.active,
    previousHead: heads.find((h) => h.id === held.activeHeadId) ?? null,
    adopted: newest.adopted ?? newest.active,
  };
}

export function createHeadsStore() {
  const heads = createAsyncResource<DetectionHeadView[]>(() => call('detection:heads'));
  let switching = $state<number | null>(null);
  let error = $state<string | null>(null);

  /** Makes `id` the active head (its regions replace the current ones everywhere), then reloads the history. */
  async function activate(id: number): Promise<void> {
    if (switching !== null) return;
    switching = id;
    error = null;
    try {
      await call('detection:activateHead', id);
      await heads.load();
    } catch (e) {
      error = errorMessage(e);
    } finally {
      switching = null;
    }
  }

  return {
    heads,
    activate,
    get switching() { return switching; },
    get error() { return error; },
    get outcome() { return latestOutcome(heads.data ?? []); },
  };
}

export type HeadsStore = ReturnType<typeof createHeadsStore>;
